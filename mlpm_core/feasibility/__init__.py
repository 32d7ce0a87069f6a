"""Feasibility: technical checks, the dimension scores and the decision policy."""

from mlpm_core.feasibility.decision import Decision, Outcome, decide
from mlpm_core.feasibility.scoring import (
    DimensionScore,
    flatten,
    load_feasibility_model,
    score_dimensions,
)
from mlpm_core.feasibility.technical import (
    TechnicalCheck,
    money,
    number,
    servers_needed,
    technical_checks,
)

__all__ = [
    "Decision",
    "DimensionScore",
    "Outcome",
    "TechnicalCheck",
    "decide",
    "flatten",
    "load_feasibility_model",
    "money",
    "number",
    "score_dimensions",
    "servers_needed",
    "technical_checks",
]
