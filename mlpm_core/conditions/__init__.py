"""The small, safe condition language of rules: parsed, type-checked, evaluated, never eval'd."""

from mlpm_core.conditions.condition import Condition, parse, validate_paths
from mlpm_core.conditions.parser import ConditionError
from mlpm_core.conditions.ramp import Ramp, points_text
from mlpm_core.conditions.typecheck import check_types
from mlpm_core.conditions.types import BOOL, NULL, NUMBER, TEXT, Type, union

__all__ = ["BOOL", "NULL", "NUMBER", "TEXT", "Condition", "ConditionError", "Ramp", "Type",
           "check_types", "parse", "points_text", "union", "validate_paths"]
