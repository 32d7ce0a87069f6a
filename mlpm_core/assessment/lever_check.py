"""A staffing lever measured on the same simulated projects, not scaled from phase means.

The levers (``pace.staffing_lever``, ``pace.overlap_lever``) pick the role from each phase's or
role's mean days and scale its weeks, which is quick and picks the right role, but its weeks
could be half again too many (5.2 claimed, 3.5 saved), or a fifth of the truth when another
role is nearly as busy. "Enough on its own" sent a sponsor to a change that missed the date.
So the named change is run again on the run's first trials with the same draws, its FTE range
scaled, and the weeks saved are those the changed trials show.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from mlpm_core.estimate import Simulation, first_chunk_weeks
from mlpm_core.feasibility import StaffingLever


def measured_lever(simulation: Simulation, lever: StaffingLever, quantile: float,
                   overlapped: bool = False) -> StaffingLever:
    """``lever`` with the weeks it takes off the duration at ``quantile`` (the overlapped one
    when ``overlapped``), measured: the role's FTE range scaled to ``lever.to_fte`` (so every
    draw stays in step) on the run's first chunk of trials, against the same trials as run."""
    model = simulation.model
    index = model.roles.index(lever.role)
    share = model.fte[index]
    factor = lever.to_fte / share.midpoint
    faster = share.model_copy(update={
        "low": share.low * factor, "high": share.high * factor,
        "most_likely": None if share.most_likely is None else share.most_likely * factor})
    changed = replace(model, fte=(*model.fte[:index], faster, *model.fte[index + 1:]))
    in_order, at_best = first_chunk_weeks(changed, simulation.seed, simulation.trials)
    before = simulation.overlapped_weeks if overlapped else simulation.duration_weeks
    after = at_best if overlapped else in_order
    saved = float(np.quantile(before[:len(after)], quantile) - np.quantile(after, quantile))
    return replace(lever, weeks_saved=saved)
