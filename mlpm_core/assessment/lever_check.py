"""A staffing lever measured on the same simulated projects, not scaled from phase means.

The levers (``pace.staffing_lever``, ``pace.overlap_lever``) pick the role from each phase's or
role's mean days and scale its weeks, which is quick and picks the right role, but its weeks
could be half again too many (5.2 claimed, 3.5 saved), or a fifth of the truth when another
role is nearly as busy. "Enough on its own" sent a sponsor to a change that missed the date.
So the named change is run again on the run's first trials with the same draws, its FTE range
scaled, and the weeks saved are those the changed trials show.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from mlpm_core.estimate import Simulation, first_chunk_weeks
from mlpm_core.feasibility import StaffingLever


def measured_lever(simulation: Simulation, lever: StaffingLever, quantile: float,
                   overlapped: bool = False, over: float | None = None) -> StaffingLever:
    """``lever`` with the weeks it takes off the duration at ``quantile`` (the overlapped one
    when ``overlapped``), measured. With ``over``, the weeks beyond the deadline, a part-timer
    whose full time would be enough on its own is offered the least time, in tenths of a
    person, that still is: "at full time" had been asked where half time would do."""
    measured = replace(lever, weeks_saved=_weeks_saved(simulation, lever, lever.to_fte,
                                                       quantile, overlapped))
    if over is None or lever.fte >= 1 or measured.weeks_saved < over:
        return measured
    steps = [step / 10 for step in range(math.floor(lever.fte * 10 + 1e-9) + 1, 10)]
    low, high = 0, len(steps) - 1
    while low <= high:  # a role's added time never lengthens a trial, so the least is found
        middle = (low + high) // 2
        saved = _weeks_saved(simulation, lever, steps[middle], quantile, overlapped)
        if saved >= over:
            measured, high = replace(lever, to_fte=steps[middle], weeks_saved=saved), middle - 1
        else:
            low = middle + 1
    return measured


def _weeks_saved(simulation: Simulation, lever: StaffingLever, to_fte: float, quantile: float,
                 overlapped: bool) -> float:
    """The weeks off the duration at ``quantile`` with the lever's role at ``to_fte``: its FTE
    range scaled (so every draw stays in step) on the run's first chunk of trials, against
    the same trials as run."""
    model = simulation.model
    index = model.roles.index(lever.role)
    share = model.fte[index]
    factor = to_fte / share.midpoint
    faster = share.model_copy(update={
        "low": share.low * factor, "high": share.high * factor,
        "most_likely": None if share.most_likely is None else share.most_likely * factor})
    changed = replace(model, fte=(*model.fte[:index], faster, *model.fte[index + 1:]))
    in_order, at_best = first_chunk_weeks(changed, simulation.seed, simulation.trials)
    before = simulation.overlapped_weeks if overlapped else simulation.duration_weeks
    after = at_best if overlapped else in_order
    return float(np.quantile(before[:len(after)], quantile) - np.quantile(after, quantile))
