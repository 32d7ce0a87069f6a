"""The decision policy in words, with a scenario's own thresholds: what go and no-go need.

The thresholds page shows only the numbers a user can change; these sentences say the whole
policy, so that a sponsor reading "conditional" sees what go would have needed.
"""

from __future__ import annotations

from mlpm_core.feasibility.decision import DECIDED_DIRECTLY
from mlpm_core.scenario import DIMENSIONS, Scenario


def policy_sentences(scenario: Scenario) -> list[str]:
    """The whole decision policy in words, with this scenario's thresholds: the thresholds
    page shows only the numbers a user can change, and a no-go must never come from a line
    that page does not name (a median beyond the deadline)."""
    return [
        *decision_lines(scenario),
        "Blockers are answers no estimate can offset, each listed with the action that lifts "
        "it: features unavailable at serving time, no legal basis for personal data, missing "
        "labels (or history) with no way to obtain them, latency or memory out of reach, and "
        "inference costing more than a request is worth rule a project out; others must be "
        "resolved first.",
        "A rules baseline said to be good enough makes a go conditional on showing that ML "
        "beats it.",
    ]


def decision_lines(scenario: Scenario) -> list[str]:
    """What go and no-go need, with this scenario's thresholds: the part of the policy a
    report prints beside the scores (its blockers and its baseline answer are stated where
    they apply)."""
    rules = scenario.project.thresholds
    *others, last = [name for name in DIMENSIONS if name not in DECIDED_DIRECTLY]
    dimensions = f"{', '.join(others)} or {last}"
    percentile = f"P{rules.cost_percentile}"
    return [
        f"Go: nothing blocks it, P(NPV > 0) is at least {rules.min_p_npv_positive:.0%}, the "
        f"{percentile} cost (and the cost with a dedicated team) is within the budget and the "
        f"{percentile} duration within the deadline, and every feasibility dimension scores at "
        f"least {rules.min_dimension_score}.",
        f"No-go: a blocker rules it out, P(NPV > 0) is below {rules.no_go_p_npv_positive:.0%}, "
        "even the median cost is above the budget or even the median duration with "
        f"overlapped phases beyond the deadline, or a {dimensions} score is below "
        f"{rules.no_go_dimension_score}.",
        "Conditional go: anything in between; the report names each condition to meet.",
    ]
