"""Rules of thumb: the catalogue in data/rules.toml, the scenario's edits, what fires."""

from mlpm_core.rules.catalog import (
    ActiveRule,
    all_rules,
    applicable_rules,
    check_rules,
    condition_context,
    multiplier_text,
    rule_group_label,
    rule_groups,
    stacking_sentence,
    stacking_weight,
    strength_sentence,
)
from mlpm_core.rules.not_applied import RuleNotApplied, rules_not_applied
from mlpm_core.rules.team_changes import RuleChange, rule_changes, switched_off_that_apply

__all__ = [
    "ActiveRule",
    "RuleChange",
    "RuleNotApplied",
    "all_rules",
    "applicable_rules",
    "check_rules",
    "condition_context",
    "multiplier_text",
    "rule_changes",
    "rule_group_label",
    "rule_groups",
    "rules_not_applied",
    "stacking_sentence",
    "stacking_weight",
    "strength_sentence",
    "switched_off_that_apply",
]
