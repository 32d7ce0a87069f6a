"""The estimate left to the answers, when the team's own chance of success is well above it.

A chance the team sets wins over the one the answers give (README "Chance of success"), and
it multiplies the value in every simulated project. The fraud example's go rests on its
team's 80% against the answers' 48%; nothing in the report said so, so a sponsor could not
tell a measured pilot from a hopeful guess. Past a gap of ``OWN_ABOVE_ANSWERS`` the estimate
runs again with the answers' chance, on the same trials, and when that changes the decision
or moves P(NPV > 0) far, the decision's reasons say so: beside the verdict, where a sponsor
reads, not in a paragraph below it.
"""

from __future__ import annotations

from mlpm_core.scenario import DECISION_LABELS, Scenario
from mlpm_core.success import answers_chance

OWN_ABOVE_ANSWERS = 10
"""How many points (in whole percent, as the reports show both chances) the team's chance
must be above the answers' for the estimate to be run again with theirs (mlpm's judgement:
the answers' arithmetic is itself a judgement, so a gap of a few points is no finding)."""

MOVES_P_NPV = 0.10
"""How far P(NPV > 0) must move with the answers' chance, when the decision stays, for the
decision's reasons to say so: 2% against 0% for a no-go that stays a no-go is no news."""


def answers_below_own(scenario: Scenario) -> float | None:
    """The answers' chance when the team's own is at least ``OWN_ABOVE_ANSWERS`` points above
    it as shown (59% against 49% is a gap of ten, whatever the decimals)."""
    own = scenario.quality.p_reach_threshold
    if own is None:
        return None
    answers = answers_chance(scenario)
    return answers if round(own * 100) - round(answers * 100) >= OWN_ABOVE_ANSWERS else None


def left_to_answers(scenario: Scenario) -> Scenario:
    """The scenario with the team's chance cleared, so that the answers set it."""
    return scenario.model_copy(update={"quality": scenario.quality.model_copy(
        update={"p_reach_threshold": None})})


def own_chance_sentence(own: float, answers: float, p_npv: tuple[float, float],
                        decisions: tuple[str, str]) -> str:
    """'With the 48% chance of success the answers give instead of your 80%, P(NPV > 0) would
    be 47% instead of 80% and the decision would turn from go to conditional go: ...';
    empty when the decision stays and P(NPV > 0) moves less than ``MOVES_P_NPV``.
    ``p_npv`` and ``decisions`` are (with yours, with theirs)."""
    if decisions[0] == decisions[1] and abs(p_npv[0] - p_npv[1]) < MOVES_P_NPV:
        return ""
    before, after = (DECISION_LABELS[decision].lower() for decision in decisions)
    turn = (f"the decision would turn from {before} to {after}" if before != after
            else f"the decision would stay {before}")
    return (f"With the {answers:.0%} chance of success the answers give instead of your "
            f"{own:.0%}, P(NPV > 0) would be {p_npv[1]:.0%} instead of {p_npv[0]:.0%} and "
            f"{turn}: say beside your estimate what the answers miss (a pilot's result, a "
            "benchmark on your own data).")
