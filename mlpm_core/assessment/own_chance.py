"""The estimate left to the answers, when the team's own chance of success is well above it.

A chance the team sets wins over the one the answers give (README "Chance of success"), and
it multiplies the value in every simulated project. The fraud example's go rests on its
team's 80% against the answers' 48%; nothing in the report said so, so a sponsor could not
tell a measured pilot from a hopeful guess. Past a gap of ``OWN_ABOVE_ANSWERS`` the report
says what P(NPV > 0) and the decision would be with the answers' chance, on the same trials.
"""

from __future__ import annotations

from mlpm_core.scenario import DECISION_LABELS, Scenario
from mlpm_core.success import answers_chance

OWN_ABOVE_ANSWERS = 0.10
"""How far above the answers' chance the team's must be for the report to show the estimate
left to the answers (mlpm's judgement: the answers' arithmetic is itself a judgement, so a
gap of a few points is no finding)."""


def answers_below_own(scenario: Scenario) -> float | None:
    """The answers' chance when the team's own is at least ``OWN_ABOVE_ANSWERS`` above it."""
    own = scenario.quality.p_reach_threshold
    if own is None:
        return None
    answers = answers_chance(scenario)
    return answers if round(own - answers, 9) >= OWN_ABOVE_ANSWERS else None


def left_to_answers(scenario: Scenario) -> Scenario:
    """The scenario with the team's chance cleared, so that the answers set it."""
    return scenario.model_copy(update={"quality": scenario.quality.model_copy(
        update={"p_reach_threshold": None})})


def own_chance_sentence(own: float, answers: float, p_npv: tuple[float, float],
                        decisions: tuple[str, str]) -> str:
    """'Left to the answers' 48%, P(NPV > 0) would be 47% instead of 80% and the decision
    would turn from go to conditional go: ...' ``p_npv`` and ``decisions`` are (with
    yours, with theirs); the chance line beside it already says both chances."""
    before, after = (DECISION_LABELS[decision].lower() for decision in decisions)
    turn = (f"the decision would turn from {before} to {after}" if before != after
            else f"the decision would stay {before}")
    return (f"Left to the answers' {answers:.0%}, P(NPV > 0) would be {p_npv[1]:.0%} instead "
            f"of {p_npv[0]:.0%} and {turn}: the NPV rests on your {own:.0%}, so say beside it "
            "what the answers miss (a pilot's result, a benchmark on your own data).")
