"""The vectorised Monte Carlo engine: effort, duration, cost and value per simulated project.

Trials run in fixed-size chunks so that a million trials fit in bounded memory; every sample of
one chunk stays aligned by trial index (the cost and the value of trial i belong to the same
simulated project). Each chunk has its own seeded stream, so the same scenario and seed always
give identical numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from mlpm_core.calibration import ReferenceClass
from mlpm_core.estimate.calendar import (
    OngoingWork,
    Pace,
    calendar_waits,
    mean_pace,
    overlapped_days,
    phase_calendar,
    shared_pace,
)
from mlpm_core.estimate.costs import CostDraws, sample_costs
from mlpm_core.estimate.engine_model import EngineModel, build_model
from mlpm_core.estimate.finite import check_finite
from mlpm_core.estimate.gate import delivery_at_gate, effort_to_gate
from mlpm_core.estimate.multipliers import phase_multipliers
from mlpm_core.estimate.npv_spread import npv_spread_sentence
from mlpm_core.estimate.sampling import input_draw, trial_rng
from mlpm_core.estimate.sensitivity import SAMPLE_LIMIT, Driver, drivers_for
from mlpm_core.estimate.three_point import three_point_columns
from mlpm_core.estimate.value import AVOIDED_ERRORS, ValueDraws, sample_value
from mlpm_core.rules import ActiveRule
from mlpm_core.scenario import Scenario

CHUNK_TRIALS = 100_000
WORK_DAYS_PER_WEEK = 5.0
DURATION_BASIS = ("Duration: phases one after another, roles in parallel at their FTE within "
                  "a phase (the busiest sets the pace), 5-day weeks without holidays.")
"""How person-days become weeks, said wherever a duration is shown."""
WEEKS_PER_YEAR = 52.0


@dataclass(frozen=True)
class ChunkResult:
    """All per-trial samples of one chunk."""

    effort: np.ndarray
    duration_weeks: np.ndarray
    overlapped_weeks: np.ndarray
    cost: np.ndarray
    npv: np.ndarray
    roi: np.ndarray
    payback_years: np.ndarray
    success: np.ndarray
    run_cost_per_year: np.ndarray
    parts: dict[str, np.ndarray]
    drivers: list[Driver]
    pace: Pace
    npv_summary: str = ""


@dataclass(frozen=True)
class PhaseRoleEffort:
    """Effort per role and trial after the multipliers, the duration, and the draws behind them.

    ``by_role`` has shape (roles, n); ``weeks`` is the calendar duration per trial, or None
    when it was not asked for (the rule effects need effort only). ``head_draws``,
    ``head_bias`` and ``head_factors`` are the first trials of the task draws, bias and rule
    factors, for the drivers.
    """

    by_role: np.ndarray
    weeks: np.ndarray | None
    pace: Pace | None
    """Calendar days summed over the trials (with the duration only)."""
    overlapped: np.ndarray | None
    """The weeks if phases overlapped freely (with the duration only)."""
    head_draws: np.ndarray
    head_bias: np.ndarray
    head_factors: np.ndarray
    to_gate: np.ndarray | None = None
    """Per role and trial, the person-days spent by the end of the model's gate (``gate``),
    shape (roles, n); None without a gate or when not asked for."""


def task_sums(model: EngineModel, rng: np.random.Generator, n: int,
              head: int) -> tuple[np.ndarray, np.ndarray]:
    """Task draws summed per occupied (phase, role) pair, shape (pairs, n), and the first
    ``head`` trials of every task, shape (head, tasks), Fortran-ordered.

    Each task's draws are added to their pair's row as soon as they are drawn, so the
    (n, tasks) array is never built; the first task of a row is drawn straight into it. Adding
    a row's tasks in task order, starting from that first one, is exactly what the product
    with the 0/1 group matrix computed (a product with 1.0 or 0.0 is exact, draws are never
    -0.0, and the product accumulates along the task axis in order), so the sums are the same
    to the bit, at a fraction of the cost of a mostly-zero matrix product.
    """
    slots = model.task_slot
    grouped = np.empty((len(model.slot_phase), n))
    first = np.zeros(len(slots), dtype=bool)
    first[np.unique(slots, return_index=True)[1]] = True
    head = min(head, n)
    head_draws = np.empty((head, len(model.names)), order="F")
    columns = three_point_columns(rng, model.task_kind, model.optimistic, model.most_likely,
                                  model.pessimistic, n,
                                  into=[grouped[slot] if is_first else None
                                        for slot, is_first in zip(slots, first, strict=True)])
    for task, column in enumerate(columns):
        if not first[task]:
            grouped[slots[task]] += column
        head_draws[:, task] = column[:head]
    return grouped, head_draws


def phase_role_effort(model: EngineModel, rng: np.random.Generator, n: int,
                      head: int = 0, with_duration: bool = False,
                      with_gate: bool = False) -> PhaseRoleEffort:
    """Person-days per role and trial after the multipliers, and the duration if asked for.

    Draws the tasks, then the multipliers, then (for the duration) each role's FTE and the
    calendar waits, from ``rng``: the order every run and the rule effects rely on. Effort is
    summed per occupied (phase, role) pair, multiplied per phase, and then reduced in one pass
    per pair (see ``_reduce_pairs``). Only the first ``head`` trials of the bias and rule
    factors are kept. ``with_gate``: also the effort spent by the model's gate, which only the
    full simulation prices (the rule effects and the levers need effort and weeks alone).
    """
    rows, head_draws = task_sums(model, rng, n, head)
    multipliers, log_bias, log_factors = phase_multipliers(model, rng, n)
    ftes = ([share.low if share.is_certain else input_draw(rng, f"fte:{role}", share, n)
             for role, share in zip(model.roles, model.fte, strict=True)]
            if with_duration else None)
    by_role, weeks, pace = _reduce_pairs(model, rows, multipliers, ftes)
    to_gate = (None if model.gate is None or not with_gate else  # rows carry multipliers now
               effort_to_gate(rows, model.slot_phase, model.slot_role, model.slot_ongoing,
                              model.gate, len(model.roles)))
    overlapped = None
    if ftes is not None and pace is not None:
        longest, role_days = overlapped_days(by_role, ftes)
        overlapped, pace = longest / WORK_DAYS_PER_WEEK, replace(pace, role_days=role_days)
    if weeks is not None and pace is not None and model.wait_weeks.high > 0:
        waits = calendar_waits(model.wait_weeks, rng, n)
        weeks += waits
        if overlapped is not None:
            overlapped += waits
        waited = float(np.broadcast_to(waits, n).sum())
        pace = replace(pace, wait_days=waited * WORK_DAYS_PER_WEEK)
    head = min(head, n)
    return PhaseRoleEffort(by_role=by_role, weeks=weeks, pace=pace, overlapped=overlapped,
                           head_draws=head_draws,
                           head_bias=log_bias[:head].copy(),
                           head_factors=log_factors[:, :head].copy(), to_gate=to_gate)


def _reduce_pairs(model: EngineModel, rows: np.ndarray, multipliers: np.ndarray,
                  ftes: list[float | np.ndarray] | None,
                  ) -> tuple[np.ndarray, np.ndarray | None, Pace | None]:
    """Multiply each slot's row by its phase multiplier and add it to its role and (with
    ``ftes``) to its (phase, role) pair, then turn the pairs into calendar days.

    Sums by role add a role's slots in slot order. Phases run in order and, within a phase,
    roles work in parallel at their FTE: a phase lasts as long as its longest role, so a
    missing pair (zero days) never changes it. A role's days in a phase are added up first:
    tasks covering a risk sit in slots of their own, yet take the same person's time. A
    certain FTE of exactly 1 skips the division, which would be exact.
    """
    n = rows.shape[1]
    by_role = np.zeros((len(model.roles), n))
    timed = ftes is not None
    pairs = np.zeros((len(model.pair_phase) if timed else 0, n))
    for slot, (row, role, variant) in enumerate(zip(
            rows, model.slot_role, model.slot_variant, strict=True)):
        row *= multipliers[variant]
        by_role[role] += row
        if timed and not model.slot_ongoing[slot]:
            pairs[model.slot_pair[slot]] += row
    if ftes is None:
        return by_role, None, None
    calendar_days, pair_days = phase_calendar(pairs, model.pair_phase, model.pair_role, ftes)
    if not model.slot_ongoing.any():
        weeks = calendar_days.sum(axis=0) / WORK_DAYS_PER_WEEK
        return by_role, weeks, Pace(pair_days=pair_days, phase_days=calendar_days.sum(axis=1))
    ongoing = np.zeros((len(model.roles), n))
    ongoing_slots = np.flatnonzero(model.slot_ongoing)
    for ongoing_slot in ongoing_slots:
        ongoing[model.slot_role[ongoing_slot]] += rows[ongoing_slot]
    work = OngoingWork(days=ongoing, roles=tuple(sorted({int(model.slot_role[ongoing_slot])
                                                         for ongoing_slot in ongoing_slots})))
    phased = [(int(phase), int(role), row)
              for row, phase, role in zip(pairs, model.pair_phase, model.pair_role, strict=True)]
    weeks, pace = shared_pace(phased, work, ftes, calendar_days)
    return by_role, weeks / WORK_DAYS_PER_WEEK, pace


def simulate_chunk(model: EngineModel, rng: np.random.Generator, n: int,
                   with_drivers: bool) -> ChunkResult:
    """Every sample for ``n`` trials, drawn from one generator in a fixed order.

    Per-trial arrays are laid out trials-last (one contiguous row of n values per task sum,
    role or phase), so that every step adds or compares whole contiguous rows.
    """
    effort_parts = phase_role_effort(model, rng, n, SAMPLE_LIMIT if with_drivers else 0,
                                     with_duration=True, with_gate=True)
    weeks, role_effort = effort_parts.weeks, effort_parts.by_role
    overlapped = effort_parts.overlapped
    assert weeks is not None and effort_parts.pace is not None  # with_duration=True
    assert overlapped is not None
    head_draws, head_bias = effort_parts.head_draws, effort_parts.head_bias
    head_factors = effort_parts.head_factors
    costs = sample_costs(rng, model.costs, role_effort.T)
    stopped = (None if effort_parts.to_gate is None else
               delivery_at_gate(costs.delivery, costs.parts, effort_parts.to_gate,
                                costs.day_rates))
    value = sample_value(rng, model.value, costs.delivery, costs.run_fixed_per_year,
                         costs.parts["inference"], weeks / WEEKS_PER_YEAR, stopped)
    effort = role_effort.sum(axis=0)
    running = costs.run_fixed_per_year + costs.parts["inference"]
    drivers, npv_summary = [], ""
    if with_drivers:
        head = slice(0, SAMPLE_LIMIT)
        drivers = drivers_for(model, head_draws, effort[head], np.exp(head_bias),
                              np.exp(head_factors).T, costs)
        npv_summary = npv_spread_sentence(value.success[head], {
            name: values[head] for name, values in npv_inputs(costs, value, running).items()},
            value.npv[head])
    return ChunkResult(
        effort=effort, duration_weeks=weeks, overlapped_weeks=overlapped,
        cost=costs.delivery, npv=value.npv,
        roi=value.roi, payback_years=value.payback_years, success=value.success,
        run_cost_per_year=running,
        parts={**costs.parts, **value.parts}, drivers=drivers,
        pace=effort_parts.pace, npv_summary=npv_summary,
    )


def npv_inputs(costs: CostDraws, value: ValueDraws,
               running: np.ndarray) -> dict[str, np.ndarray]:
    """The per-trial draws the NPV is made of, by the name a sentence gives them; ``running``
    is the chunk's running cost a year."""
    inputs = {"the annual benefit": value.drawn_benefit}
    if value.landed is not None:
        inputs["where the model lands between its threshold and its target"] = value.landed
    if AVOIDED_ERRORS in value.parts:
        inputs["the errors it avoids"] = value.parts[AVOIDED_ERRORS]
    inputs["the delivery cost"] = costs.delivery if value.spent is None else value.spent
    inputs["the running costs"] = running
    return inputs


def first_chunk_weeks(model: EngineModel, seed: int, trials: int,
                      ) -> tuple[np.ndarray, np.ndarray]:
    """The duration and the overlapped duration of a run's first chunk (its first trials,
    drawn exactly as ``simulate`` draws them): what a changed model does to the same trials.
    The durations are drawn before the costs and the value, so only those draws are made."""
    with np.errstate(over="ignore", invalid="ignore"):
        parts = phase_role_effort(model, trial_rng(seed, 0), min(trials, CHUNK_TRIALS),
                                  with_duration=True)
    assert parts.weeks is not None and parts.overlapped is not None  # with_duration=True
    return parts.weeks, parts.overlapped


@dataclass(frozen=True)
class Simulation:
    """The full sample of a run: aligned per-trial arrays plus chunk-independent summaries."""

    model: EngineModel
    trials: int
    seed: int
    effort: np.ndarray
    duration_weeks: np.ndarray
    overlapped_weeks: np.ndarray
    """Per trial, the weeks if phases overlapped freely: the least this staffing allows."""
    cost: np.ndarray
    npv: np.ndarray
    roi: np.ndarray
    payback_years: np.ndarray
    run_cost_per_year: np.ndarray
    success: np.ndarray
    """Whether the model reached its acceptability threshold, per trial."""
    success_rate: float
    part_means: dict[str, float]
    drivers: list[Driver]
    pace: Pace
    """Mean calendar days per (phase, role) pair and per phase."""
    npv_summary: str = ""
    """What drives the spread of the NPV, in words (``npv_spread``)."""


def simulate(scenario: Scenario, trials: int | None = None, seed: int | None = None,
             rules: list[ActiveRule] | None = None,
             progress: Callable[[float], None] | None = None,
             reference: ReferenceClass | None = None) -> Simulation:
    """Run the Monte Carlo model; ``progress`` (0-1) is called after every chunk.

    Raises ``UserError`` when a result is not finite (see ``finite.py``)."""
    trials = trials or scenario.simulation.trials
    seed = scenario.simulation.seed if seed is None else seed
    model = build_model(scenario, rules, reference)
    chunks: list[ChunkResult] = []
    part_sums: dict[str, float] = {}
    done = 0
    for index in range(-(-trials // CHUNK_TRIALS)):
        n = min(CHUNK_TRIALS, trials - done)
        with np.errstate(over="ignore", invalid="ignore"):  # check_finite says it, once
            chunk = simulate_chunk(model, trial_rng(seed, index), n, with_drivers=index == 0)
        for name, values in chunk.parts.items():
            part_sums[name] = part_sums.get(name, 0.0) + float(values.sum())
        chunks.append(replace(chunk, parts={}))
        done += n
        if progress:
            progress(done / trials)

    def joined(field: str) -> np.ndarray:
        arrays = [getattr(chunk, field) for chunk in chunks]
        return arrays[0] if len(arrays) == 1 else np.concatenate(arrays)

    results = {field: joined(field) for field in ("effort", "duration_weeks", "overlapped_weeks",
                                                  "cost", "npv", "roi", "run_cost_per_year")}
    success = joined("success")
    part_means = {name: total / trials for name, total in part_sums.items()}
    payback = joined("payback_years")
    check_finite(results, payback, part_means)
    return Simulation(
        model=model, trials=trials, seed=seed, **results, payback_years=payback,
        success=success, success_rate=float(success.mean()),
        part_means=part_means, drivers=chunks[0].drivers,
        pace=mean_pace([chunk.pace for chunk in chunks], trials),
        npv_summary=chunks[0].npv_summary,
    )
