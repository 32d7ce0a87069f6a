"""The Monte Carlo engine: task distributions, rule factors, costs, value and drivers."""

from mlpm_core.estimate.bridge import (
    ALREADY_BUDGETED,
    BridgeStep,
    bridge_sentence,
    effort_bridge,
    inflated,
    inflation_sentence,
    rule_step_labels,
)
from mlpm_core.estimate.calendar import overlap_shortens
from mlpm_core.estimate.calibration_used import Calibration
from mlpm_core.estimate.cost_lines import ExtraCost, PartName, part_names
from mlpm_core.estimate.engine import (
    DURATION_BASIS,
    WORK_DAYS_PER_WEEK,
    Simulation,
    first_chunk_weeks,
    simulate,
)
from mlpm_core.estimate.rule_effects import (
    EFFECT_TRIALS,
    RuleEffect,
    rule_effects,
)
from mlpm_core.estimate.sampling import range_mean
from mlpm_core.estimate.sensitivity import Driver, spread_sentences, summary_sentence

__all__ = [
    "ALREADY_BUDGETED",
    "DURATION_BASIS",
    "EFFECT_TRIALS",
    "WORK_DAYS_PER_WEEK",
    "BridgeStep",
    "Calibration",
    "Driver",
    "ExtraCost",
    "PartName",
    "RuleEffect",
    "Simulation",
    "bridge_sentence",
    "effort_bridge",
    "first_chunk_weeks",
    "inflated",
    "inflation_sentence",
    "overlap_shortens",
    "part_names",
    "range_mean",
    "rule_effects",
    "rule_step_labels",
    "simulate",
    "spread_sentences",
    "summary_sentence",
]
