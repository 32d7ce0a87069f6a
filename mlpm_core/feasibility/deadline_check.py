"""The duration against the deadline: phases in order for go, overlapped phases for no-go.

Phases in order are one plan; a median beyond the deadline rules a project out only when even
phases overlapped as far as the team's time allows miss it, since overlapping them is the
schedule compression a team would try first.
"""

from __future__ import annotations

from mlpm_core.feasibility.decision_texts import load_decision_texts
from mlpm_core.feasibility.outcome import NoGoLines, Outcome, StaffingLever
from mlpm_core.feasibility.scoring import fill
from mlpm_core.feasibility.technical import number
from mlpm_core.scenario import role_name
from mlpm_core.wording import shown_fte


def deadline_check(deadline: float | None, outcome: Outcome, figures: dict[str, str],
                    reasons: list[str], actions: list[str],
                    triggers: NoGoLines) -> tuple[bool, bool]:
    """The duration at the percentile and the median against the deadline, with the staffing
    lever beside scope and date; returns (go, no-go) as :func:`_money_checks` does. Go needs
    the phases in order to fit; a no-go needs even overlapped phases to miss it."""
    weeks = f"P{outcome.percentile} duration {figures['weeks']} weeks"
    if deadline is None:
        reasons.append(f"{weeks}; no deadline is set.")
        return True, False
    median, overlapped = outcome.duration_weeks_p50, outcome.overlapped_weeks_p50
    within = outcome.duration_weeks_at_percentile <= deadline
    beyond = median is not None and median > deadline  # as a median cost above the budget
    no_go = beyond and (overlapped is None or overlapped > deadline)
    reasons.append(_deadline_reason(outcome, weeks, deadline, within, beyond))
    if no_go:
        triggers.causes.append("the median duration beyond the deadline"
                               + (" even with phases overlapped" if overlapped else ""))
    if within:
        return True, no_go
    if no_go and overlapped is not None and outcome.overlap_lever is not None:
        # what lifts the no-go first: the role whose time sets even the overlapped length
        actions.append(_lever_action(outcome.overlap_lever, overlapped - deadline, figures,
                                     "deadline_overlapped", overlapped=number(overlapped)))
        triggers.actions.append(actions[-1])
    over = outcome.duration_weeks_at_percentile - deadline
    action = (fill(load_decision_texts()["go_check"]["deadline"], figures)
              if outcome.lever is None else
              _lever_action(outcome.lever, over, figures, "deadline"))
    if _overlap_helps(outcome, deadline):
        action += fill(load_decision_texts()["go_check"]["deadline_overlap"], {
            **figures, "overlapped": number(outcome.overlapped_weeks_at_percentile or 0)})
    actions.append(action)
    if no_go and outcome.overlap_lever is None:
        triggers.actions.append(actions[-1])
    return False, no_go


def _lever_action(lever: StaffingLever, over: float, figures: dict[str, str], text: str,
                  **more: str) -> str:
    """The missed date's action with a staffing lever: more time for a part-timer
    (``{text}_paced``), else one more person (``{text}_staffed``)."""
    kind = "paced" if lever.fte < 1 else "staffed"
    return fill(load_decision_texts()["go_check"][f"{text}_{kind}"], {
        **figures, **more, "pacer": role_name(lever.role), "pacer_fte": shown_fte(lever.fte),
        "pacer_to": "full time" if lever.to_fte >= 1 else f"{shown_fte(lever.to_fte)} FTE",
        "saved": number(round(lever.weeks_saved, 1)), "over": number(round(over, 1)),
        "enough": _enough(lever.weeks_saved, over)})


def _overlap_helps(outcome: Outcome, deadline: float) -> bool:
    """Whether overlapped phases would meet the deadline at the percentile, the go line: then
    the missed date's action names them (when only the median would, the reason says so)."""
    overlapped = outcome.overlapped_weeks_at_percentile
    return overlapped is not None and overlapped <= deadline


def _deadline_reason(outcome: Outcome, weeks: str, deadline: float, within: bool,
                     beyond: bool) -> str:
    """The duration against the deadline in one sentence: with the overlapped median when the
    median with phases in order misses it, since that says whether planning can save the
    date."""
    median, overlapped = outcome.duration_weeks_p50, outcome.overlapped_weeks_p50
    date = f"the {number(deadline)}-week deadline"
    if not beyond:
        return f"{weeks} is {'within' if within else 'beyond'} {date}."
    late = f"{weeks} is beyond {date}"
    if outcome.percentile != 50:  # at P50 the duration checked is the median: not said twice
        even = " even" if overlapped is None else ""
        late += f", and so is{even} the median ({number(median or 0)} weeks)"
    if overlapped is None:
        return f"{late}."
    if overlapped > deadline:
        pacer = outcome.overlap_lever
        set_by = ("" if pacer is None else
                  f", set by the {role_name(pacer.role)}'s {shown_fte(pacer.fte)} FTE")
        return (f"{late}, even with phases overlapped as far as the team's time allows "
                f"({number(overlapped)} weeks{set_by}).")
    return (f"{late} with phases in order; with them overlapped it would be "
            f"{number(overlapped)} weeks at best, so the date is a condition, not a no-go.")


def _enough(saved: float, over: float) -> str:
    """Whether the lever alone meets the date: its weeks are measured on the same trials
    (``mlpm_core.assessment.lever_check``), so the comparison is the figure's own."""
    return "enough on its own" if saved >= over else "not enough on its own"
