"""The small, safe condition language of rules (parsed and evaluated, never eval'd)."""

from mlpm_core.conditions.language import Condition, ConditionError, parse, validate_paths

__all__ = ["Condition", "ConditionError", "parse", "validate_paths"]
