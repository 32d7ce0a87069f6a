"""Where the weeks come from: each phase's mean length and the role that sets its pace.

Duration decides a deadline check (and a median beyond the deadline is a no-go), yet the rule
behind it (phases in order, roles in parallel at their FTE, the busiest sets the pace) says
nothing about this project. This sentence does: a half-time data engineer who paces the
pipeline phase is named with their FTE, so a reader knows which staffing change would move the
date.
"""

from __future__ import annotations

import numpy as np

from mlpm_core.estimate import WORK_DAYS_PER_WEEK, Simulation, overlap_shortens
from mlpm_core.feasibility import StaffingLever
from mlpm_core.scenario import PHASE_LABELS, PHASES, role_name
from mlpm_core.wording import shown_fte


def pace_sentence(simulation: Simulation) -> str:
    """'Mean weeks by phase (the role that paces it): Ideation and planning 4.2 (engineering
    manager, 0.5 FTE); ...; a mean of 28.2 in all (P50 27.3).' Empty without tasks."""
    model = simulation.model
    if not len(model.slot_phase):
        return ""
    pair_days, phase_days = simulation.pace.pair_days, simulation.pace.phase_days
    # the FTE the engine divided by (the team's, or the full-time person it assumed)
    fte = {role: share.midpoint for role, share in zip(model.roles, model.fte, strict=True)}
    phases: list[tuple[str, float, str]] = []  # (phase label, weeks, the role pacing it)
    for index, phase in enumerate(PHASES):
        pairs = np.flatnonzero(model.pair_phase == index)
        if len(pairs):
            pacer = model.roles[model.pair_role[max(pairs, key=lambda pair: pair_days[pair])]]
            phases.append((PHASE_LABELS[phase], phase_days[index] / WORK_DAYS_PER_WEEK, pacer))
    waits = simulation.pace.wait_days / WORK_DAYS_PER_WEEK
    overrun = simulation.pace.overrun_days / WORK_DAYS_PER_WEEK
    total = float(phase_days.sum()) / WORK_DAYS_PER_WEEK + overrun + waits
    # phase means add up to the mean duration, which a long tail puts above the P50 shown
    waited = f"; calendar waits {waits:.1f}" if waits else ""
    outlasting = f"; ongoing work after the last phase {overrun:.1f}" if overrun >= 0.05 else ""
    ending = (f"{outlasting}{waited}; a mean of {total:.1f} in all "
              f"(P50 {np.median(simulation.duration_weeks):.1f}).{_ongoing(simulation, fte)}"
              f"{overlapped_sentence(simulation)}")
    pacers = {pacer for _, _, pacer in phases}
    free = _free_fte(simulation, fte)
    if len(pacers) == 1:
        (pacer,) = pacers
        listed = "; ".join(f"{name} {weeks:.1f}" for name, weeks, _ in phases)
        return (f"Mean weeks by phase, each paced by the {role_name(pacer)} at "
                f"{free[pacer]}: {listed}{ending}")
    listed = "; ".join(f"{name} {weeks:.1f} ({role_name(pacer)}, {free[pacer]})"
                       for name, weeks, pacer in phases)
    return f"Mean weeks by phase (the role that paces it): {listed}{ending}"


def overlapped_sentence(simulation: Simulation) -> str:
    """' With phases overlapped so that no role waits for the previous one to end, the P50
    would be 21.6 weeks at best (P80 25.6).' Phases in order are one plan; a reader deciding
    on a date needs the other end too. Empty when overlapping would not shorten it."""
    overlapped = np.quantile(simulation.overlapped_weeks, [0.5, 0.8])
    if not overlap_shortens(float(np.median(simulation.duration_weeks)), overlapped[0]):
        return ""
    return (" With phases overlapped so that no role waits for the previous one to end, the "
            f"P50 would be {overlapped[0]:.1f} weeks at best (P80 {overlapped[1]:.1f}).")


def staffing_lever(simulation: Simulation, at_weeks: float) -> StaffingLever | None:
    """The one role whose added time takes the most weeks off the duration: a part-timer at
    full time, or one more person for a full-time role; the weeks are those off a duration of
    ``at_weeks`` (the percentile the deadline is checked at), in proportion to the mean's.
    Naming the role that paced the most weeks picked a half-time data engineer whose phases
    the next role then paced (2.7 weeks) over a 0.3-FTE product manager alone in planning
    (8.3). About: each phase is scaled by how its longest role's mean days change (within 15%
    of a second simulation on the examples).
    None without tasks, or when no one role's time shortens a phase."""
    model = simulation.model
    pair_days, phase_days = simulation.pace.pair_days, simulation.pace.phase_days
    mean = float(simulation.duration_weeks.mean())
    scale = at_weeks / mean if mean > 0 else 1.0
    levers: list[StaffingLever] = []
    for index, role in enumerate(model.roles):
        fte = model.fte[index].midpoint
        to_fte = raised_fte(fte)
        saved = 0.0
        for phase in range(len(PHASES)):
            pairs = np.flatnonzero(model.pair_phase == phase)
            days = pair_days[pairs]
            if not len(pairs) or days.max() <= 0:
                continue
            faster = np.where(model.pair_role[pairs] == index, days * fte / to_fte, days)
            saved += float(phase_days[phase]) * (1.0 - faster.max() / days.max())
        weeks = float(saved / WORK_DAYS_PER_WEEK * scale)
        levers.append(StaffingLever(role, fte, to_fte, weeks))
    # the most weeks; of equals, the least time added
    best = max(levers, key=lambda lever: (lever.weeks_saved, lever.fte - lever.to_fte),
               default=None)
    return best if best is not None and best.weeks_saved >= MEANINGFUL_WEEKS else None


def overlap_lever(simulation: Simulation, at_weeks: float) -> StaffingLever | None:
    """The role whose time sets the overlapped length (all its days at its FTE, the longest
    on average), raised as ``staffing_lever`` raises one, and about how many weeks that takes
    off an overlapped duration of ``at_weeks`` (the median): its own weeks fall to the next
    longest role's at most. None without tasks, or when that saves nothing worth naming."""
    role_days = simulation.pace.role_days
    model = simulation.model
    if role_days is None or not len(role_days):
        return None
    weeks = role_days / WORK_DAYS_PER_WEEK
    pacer = int(np.argmax(weeks))
    fte = model.fte[pacer].midpoint
    to_fte = raised_fte(fte)
    others = max((float(w) for role, w in enumerate(weeks) if role != pacer), default=0.0)
    mean = float(simulation.overlapped_weeks.mean())
    saved = (float(weeks[pacer]) - max(float(weeks[pacer]) * fte / to_fte, others)) * (
        at_weeks / mean if mean > 0 else 1.0)
    return (StaffingLever(model.roles[pacer], fte, to_fte, saved)
            if saved >= MEANINGFUL_WEEKS else None)


def raised_fte(fte: float) -> float:
    """A role's time raised as a lever: a part-timer to full time, else one more person."""
    return 1.0 if fte < 1 else fte + 1.0


MEANINGFUL_WEEKS = 0.1
"""Fewer weeks saved than this is no lever worth naming."""


def _shares(simulation: Simulation) -> dict[str, float]:
    """Per role with ongoing tasks, the mean share of its time they take."""
    shares = simulation.pace.ongoing_share
    if shares is None:
        return {}
    return {role: float(shares[index]) for index, role in enumerate(simulation.model.roles)
            if shares[index] > 0}


def _free_fte(simulation: Simulation, fte: dict[str, float]) -> dict[str, str]:
    """Each role's FTE as it paces phased work: '0.5 FTE', or '0.22 of 0.5 FTE left by
    ongoing work' (a six-day plan taking ten weeks then has its reason beside it)."""
    shares = _shares(simulation)
    return {role: (f"{shown_fte(share * (1 - shares[role]))} of {shown_fte(share)} FTE left by "
                   "ongoing work" if role in shares else f"{shown_fte(share)} FTE")
            for role, share in fte.items()}


def _ongoing(simulation: Simulation, fte: dict[str, float]) -> str:
    """' Ongoing tasks (their days after the rules of thumb) run alongside the phases and take
    56% of the engineering manager's 0.5 FTE.' Empty without ongoing tasks."""
    taken = [f"{share:.0%} of the {role_name(role)}'s {shown_fte(fte[role])} FTE"
             for role, share in _shares(simulation).items()]
    if not taken:
        return ""
    return (" Ongoing tasks (their days after the rules of thumb) run alongside the phases "
            "and take " + ", ".join(taken) + ".")


ONGOING_SETS_THE_LENGTH = 0.75
"""A role whose ongoing tasks take this share of its time or more paces the whole project
(mlpm's judgement: from there its phased work crawls, and the date follows its ongoing days)."""


def ongoing_warning(simulation: Simulation) -> str | None:
    """A warning when ongoing work, not the phases, sets the project's length: the phase list
    then shows one very long phase, and the reader must be told what to change instead."""
    fte = {role: share.midpoint for role, share in
           zip(simulation.model.roles, simulation.model.fte, strict=True)}
    heavy = [(role, share) for role, share in _shares(simulation).items()
             if share >= ONGOING_SETS_THE_LENGTH]
    if not heavy:
        return None
    named = ", ".join(f"the {role_name(role)}'s take {share:.0%} of their "
                      f"{shown_fte(fte[role])} FTE" for role, share in heavy)
    return (f"Ongoing tasks set the project's length: {named}, so that role's phased work "
            "crawls and the date follows its ongoing days. Raise that role's FTE, share the "
            "ongoing work with another role, or trim it.")
