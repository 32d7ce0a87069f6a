"""Rules of thumb: the catalogue in data/rules.toml, the scenario's edits, what fires."""

from mlpm_core.rules.catalog import (
    ActiveRule,
    all_rules,
    applicable_rules,
    check_rules,
    condition_context,
    rule_groups,
    stacking_weight,
)

__all__ = [
    "ActiveRule",
    "all_rules",
    "applicable_rules",
    "check_rules",
    "condition_context",
    "rule_groups",
    "stacking_weight",
]
