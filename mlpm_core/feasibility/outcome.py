"""The simulated figures the decision policy looks at, and the no-go lines a plan crosses."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class StaffingLever:
    """One role's time raised (a part-timer to full time, or to the least time that meets the
    date when full time would, else one more person) and about how
    many weeks that takes off the duration at the cost percentile, for a missed deadline's
    condition."""

    role: str
    fte: float
    to_fte: float
    weeks_saved: float


@dataclass(frozen=True)
class Outcome:
    """The simulated figures the policy looks at, filled by the engine."""

    p_npv_positive: float
    cost_at_percentile: float
    duration_weeks_at_percentile: float
    cost_p50: float
    npv_p50: float
    percentile: int = 80
    p_success: float | None = None
    """The chance of reaching the acceptability threshold: it caps P(NPV > 0), since a trial
    whose model fails earns no value. ``None`` when not known (no cap is assumed)."""
    gate_spend_p50: float | None = None
    """The median a model that falls short spends where the plan stops at a gate
    (``value.model_gate``); ``None`` without a gate or without such models."""
    duration_weeks_p50: float | None = None
    """The median duration: beyond the deadline it is a no-go, as a median cost above the
    budget is (``None``: not known, only the percentile is checked)."""
    overlapped_weeks_p50: float | None = None
    """The median weeks with phases overlapped as far as the team's time allows (each role
    working through all its tasks without waiting for the phase before), the least this
    staffing allows: only beyond the deadline is a late median a no-go, since phases in order
    are one plan and overlapping them the schedule compression a team would try first."""
    overlap_lever: StaffingLever | None = None
    """The role whose time sets the overlapped length, raised, and about how many weeks that
    takes off the overlapped median: what lifts a no-go from even the overlapped median (the
    lever of phases in order named a data scientist where the product manager set it)."""
    overlapped_weeks_at_percentile: float | None = None
    """The same at the cost percentile: within the deadline, the deadline's action names it."""
    lever: StaffingLever | None = None
    """The staffing change that would take the most weeks off the duration at the percentile,
    for a missed deadline's condition (None: the deadline is met or not set, or no change of
    one role would help)."""
    dedicated_cost: float | None = None
    """The delivery cost with the team working only on the project for the duration at the
    cost percentile (the calendar it is paid for, checked as the cost is):
    its payroll (FTE and day-rate midpoints) and the other one-off parts' means; ``None``
    without team rows. The cost counts task days; a sponsor who staffs the team for the
    calendar pays this, so a go needs it within the budget too."""
    dedicated_cost_overlapped: float | None = None
    """The same for the duration at the cost percentile with phases overlapped: what a
    dedicated team would cost on the plan a missed date's action may advise, so that the
    report does not price one plan and advise another."""
    dedicated_waits: float = 0.0
    """The mean weeks of calendar waits left out of that payroll (no one works while the
    project waits): said beside the figure, which a reader otherwise takes for the whole
    duration's payroll."""


@dataclass
class NoGoLines:
    """The no-go lines a plan crosses: said in the headline (``causes``), and the actions
    that would lift them, which a no-go lists before the rest (``actions``)."""

    causes: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
