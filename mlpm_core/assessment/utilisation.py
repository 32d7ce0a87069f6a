"""How much of the team's time the tasks fill, said when it is little.

The cost counts the task days at their day rates, and FTE only sets the pace (SPEC: duration
from phases in order, roles in parallel at their FTE). Where the busiest role sets a phase's
pace the others wait, so a large team can be paid for far more days than its tasks need. A
sponsor who funds a dedicated team pays for those days too: the estimate says so instead of
leaving a cost several times lower than the team's payroll unexplained.
"""

from __future__ import annotations

from mlpm_core.estimate import WORK_DAYS_PER_WEEK
from mlpm_core.scenario import Scenario
from mlpm_core.wording import shown_fte

IDLE_NOTE_BELOW = 2 / 3  # tasks filling less than two thirds of the team's days (mlpm's judgement)


def _payroll(scenario: Scenario, weeks: float) -> float:
    """The team working only on the project for ``weeks`` (midpoints of FTE and day rate)."""
    daily = sum(member.fte.midpoint * member.day_rate.midpoint for member in scenario.team)
    return daily * weeks * WORK_DAYS_PER_WEEK


def _dedicated(scenario: Scenario, duration_p50: float) -> tuple[float, str]:
    """The team's FTE, and what it costs working only on the project for ``duration_p50``
    weeks (three significant digits, as simulated money)."""
    cost = _payroll(scenario, duration_p50)
    return scenario.team_fte, f"{scenario.project.currency} {float(f'{cost:.3g}'):,.0f}"


def dedicated_team_cost(scenario: Scenario, duration: float | None,
                        waits: float = 0.0) -> float | None:
    """What the team costs working only on the project for ``duration`` weeks less the mean
    ``waits``, for the decision's budget check (at the duration of the cost percentile);
    None without team rows."""
    weeks, _ = _working(duration, waits)
    return _payroll(scenario, weeks) if scenario.team and weeks else None


def _working(duration_p50: float | None, waits: float) -> tuple[float, str]:
    """The P50 duration less the mean calendar waits (no one works while the project waits),
    and how to say which weeks those are."""
    if not duration_p50 or not waits:
        return duration_p50 or 0.0, "the P50 duration"
    return (max(duration_p50 - waits, 0.0),
            f"the P50 duration less {waits:.1f} weeks of calendar waits")


def idle_team_sentence(scenario: Scenario, effort_p50: float | None,
                       duration_p50: float | None, waits: float = 0.0) -> str | None:
    """One sentence when the tasks fill less than ``IDLE_NOTE_BELOW`` of the team's days over
    the P50 duration less the mean ``waits`` (weeks), with what a dedicated team would cost;
    None otherwise."""
    weeks, which = _working(duration_p50, waits)
    if not scenario.team or not effort_p50 or not weeks:
        return None
    fte, dedicated = _dedicated(scenario, weeks)
    capacity = fte * weeks * WORK_DAYS_PER_WEEK
    share = effort_p50 / capacity
    if share >= IDLE_NOTE_BELOW:
        return None
    # the advice to lower FTE is left out: with phases in order, the idle time is mostly
    # waiting, and a lower FTE would only move the date (the go check names the real choice)
    return (f"The tasks fill {share:.0%} of the team's time: {shown_fte(fte)} FTE over {which} "
            f"({weeks:.0f} weeks) are {capacity:,.0f} person-days, the tasks need "
            f"{effort_p50:,.0f}; the rest is waiting on other roles and phases. The delivery "
            f"cost and the NPV count task days; dedicated for that time, the team's payroll is "
            f"about {dedicated}.")


def dedicated_team_sentence(scenario: Scenario, effort_p50: float | None,
                            duration_p50: float | None, waits: float = 0.0) -> str | None:
    """What the team costs if it works only on this project for the P50 duration, beside the
    delivery cost that counts task days: a sponsor who doubles a person's FTE sees the date
    move and the cost stay, and must be told why. None without a team or an estimate."""
    weeks, which = _working(duration_p50, waits)
    if not scenario.team or not effort_p50 or not weeks:
        return None
    fte, dedicated = _dedicated(scenario, weeks)
    return (f"The delivery cost and the NPV count the tasks' {effort_p50:,.0f} person-days "
            "(P50). The "
            f"team's payroll, working only on this project for {which} ({shown_fte(fte)} FTE "
            f"for {weeks:.1f} weeks), would be about {dedicated}.")


def deadline_capacity_days(scenario: Scenario) -> float | None:
    """The person-days the team has before the deadline (FTE midpoints x weeks x 5, less the
    calendar waits' midpoint), to set beside a proposal's days: a proposal sized from a team
    that was staffed for the calendar fills a small share of it. None without a team or a
    deadline."""
    deadline = scenario.project.deadline_weeks
    if not scenario.team or deadline is None:
        return None
    weeks = max(deadline - scenario.project.wait_weeks.midpoint, 0.0)
    return scenario.team_fte * weeks * WORK_DAYS_PER_WEEK
