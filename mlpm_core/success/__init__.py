"""The chance that the model reaches its acceptability threshold, from the answers
(``data/success.toml``) or the team's own estimate, and what share of working models reach the
target too. Its own concept: the engine draws with it, and the technical checks and reports
weigh the value a working model earns with it, so neither may import the other for it."""

from mlpm_core.success.benefit_share import (
    BenefitShare,
    benefit_share,
    threshold_short_of_target,
)
from mlpm_core.success.probability import (
    SuccessEstimate,
    answers_chance,
    applicable_adjustments,
    load_success_model,
    success_probability,
)
from mlpm_core.success.reaching import UNMEASURED_CURVE, reaching_curve

__all__ = [
    "UNMEASURED_CURVE",
    "BenefitShare",
    "SuccessEstimate",
    "answers_chance",
    "applicable_adjustments",
    "benefit_share",
    "load_success_model",
    "reaching_curve",
    "success_probability",
    "threshold_short_of_target",
]
