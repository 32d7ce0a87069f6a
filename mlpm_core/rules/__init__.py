"""Rules of thumb: the catalogue in data/rules.toml, the scenario's edits, what fires."""

from mlpm_core.rules.catalog import (
    ActiveRule,
    all_rules,
    applicable_rules,
    check_rules,
    condition_context,
    rule_group_label,
    rule_groups,
    stacking_sentence,
    stacking_weight,
)
from mlpm_core.rules.not_applied import RuleNotApplied, rules_not_applied

__all__ = [
    "ActiveRule",
    "RuleNotApplied",
    "all_rules",
    "applicable_rules",
    "check_rules",
    "condition_context",
    "rule_group_label",
    "rule_groups",
    "rules_not_applied",
    "stacking_sentence",
    "stacking_weight",
]
