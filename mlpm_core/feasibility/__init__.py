"""Feasibility: technical checks, the dimension scores and the decision policy."""

from mlpm_core.feasibility.answers import answer_score
from mlpm_core.feasibility.batch import batch_machine_years
from mlpm_core.feasibility.blockers import blocker_reason
from mlpm_core.feasibility.checks import technical_checks
from mlpm_core.feasibility.decision import P_NPV_LEAD, Decision, decide
from mlpm_core.feasibility.decision_texts import rules_npv_note
from mlpm_core.feasibility.outcome import Outcome, StaffingLever
from mlpm_core.feasibility.policy import decision_lines, policy_sentences
from mlpm_core.feasibility.scoring import (
    DimensionScore,
    check_reason,
    flatten,
    load_feasibility_model,
    score_dimensions,
)
from mlpm_core.feasibility.technical import (
    TechnicalCheck,
    money,
    number,
    servers_needed,
)

__all__ = [
    "P_NPV_LEAD",
    "Decision",
    "DimensionScore",
    "Outcome",
    "StaffingLever",
    "TechnicalCheck",
    "answer_score",
    "batch_machine_years",
    "blocker_reason",
    "check_reason",
    "decide",
    "decision_lines",
    "flatten",
    "load_feasibility_model",
    "money",
    "number",
    "policy_sentences",
    "rules_npv_note",
    "score_dimensions",
    "servers_needed",
    "technical_checks",
]
