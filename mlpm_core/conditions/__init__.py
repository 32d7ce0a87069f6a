"""The small, safe condition language of rules (parsed and evaluated, never eval'd)."""

from mlpm_core.conditions.condition import Condition, parse, validate_paths
from mlpm_core.conditions.parser import ConditionError

__all__ = ["Condition", "ConditionError", "parse", "validate_paths"]
