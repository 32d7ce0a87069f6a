"""What a parsed condition means for one context: the language's type rules, applied to a tree.

The rules are strict on purpose: a condition must come out true or false (no truthiness),
``true`` is not ``1``, and arithmetic or ordering across types is an error, so a mistaken rule
is reported to the person who wrote it instead of quietly never firing.
"""

from __future__ import annotations

import json
import numbers
import operator
from collections.abc import Mapping
from typing import Any

from mlpm_core.conditions.parser import (
    BinOp,
    ConditionError,
    Const,
    Field,
    ListExpr,
    Node,
    Unary,
)

_ORDER = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
_ARITH = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}


def format_value(value: Any) -> str:
    """Show a value the way it would be written in a condition (null, true, "text")."""
    if isinstance(value, int) and value.bit_length() > 200:
        return "a very large number"  # str() of huge ints is slow, then refused by Python
    try:
        shown = json.dumps(value, ensure_ascii=False, default=repr)
    except (TypeError, ValueError):
        shown = object.__repr__(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _normalize(value: Any) -> Any:
    """Turn context values (numpy scalars, tuples) into the few plain types the language knows."""
    if isinstance(value, list | tuple | set | frozenset):
        return [_normalize(item) for item in value]
    if is_number(value):
        return int(value) if isinstance(value, numbers.Integral) else float(value)
    return value


def _lookup(context: Mapping[str, Any], path: str) -> Any:
    value: Any = context
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            raise ConditionError(f"unknown field '{path}'")
        value = value[part]
    return _normalize(value)


def _as_bool(value: Any, node: Node) -> bool:
    """Refuse truthiness: a rule author who writes ``data.count`` almost surely meant ``> 0``."""
    if isinstance(value, bool):
        return value
    what = f"'{node.path}'" if isinstance(node, Field) else "a part of it"
    raise ConditionError(
        f"the condition must be true or false, but {what} is {format_value(value)}")


def _equal(a: Any, b: Any) -> bool:
    """Equality across types without Python's surprises (true is not 1)."""
    if isinstance(a, bool) != isinstance(b, bool):
        return False
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b, strict=True))
    return (a == b) is True


def apply_operator(op: str, a: Any, b: Any) -> Any:
    """Apply a comparison or arithmetic operator with the language's type rules."""
    if op in ("==", "!="):
        return _equal(a, b) == (op == "==")
    if op in ("in", "not in"):
        if not isinstance(b, list):
            raise ConditionError(f"'{op}' needs a list on its right, but got {format_value(b)}")
        return any(_equal(a, item) for item in b) == (op == "in")
    if op in _ORDER:
        if a is None or b is None:
            return False
        if (is_number(a) and is_number(b)) or (isinstance(a, str) and isinstance(b, str)):
            return _ORDER[op](a, b)
        msg = (f"cannot compare {format_value(a)} with {format_value(b)} using '{op}': "
               "need two numbers or two texts")
        raise ConditionError(msg)
    if not (is_number(a) and is_number(b)):
        raise ConditionError(
            f"cannot compute {format_value(a)} {op} {format_value(b)}: both must be numbers")
    if op == "/" and b == 0:
        raise ConditionError(f"division by zero in {format_value(a)} / {format_value(b)}")
    try:
        return _ARITH[op](a, b)
    except OverflowError:
        raise ConditionError(
            f"the result of {format_value(a)} {op} {format_value(b)} is too large") from None


def _eval(node: Node, context: Mapping[str, Any]) -> Any:
    match node:
        case Const(value):
            return value
        case Field(path):
            return _lookup(context, path)
        case ListExpr(items):
            return [_eval(item, context) for item in items]
        case Unary("not", operand):
            return not _as_bool(_eval(operand, context), operand)
        case Unary(_, operand):
            value = _eval(operand, context)
            if not is_number(value):
                raise ConditionError(f"cannot negate {format_value(value)}: it is not a number")
            return -value
        case BinOp("and" | "or" as op, left, right):
            if _as_bool(_eval(left, context), left) == (op == "or"):
                return op == "or"  # short-circuit, as a reader of the rule would expect
            return _as_bool(_eval(right, context), right)
        case BinOp(op, left, right):
            return apply_operator(op, _eval(left, context), _eval(right, context))
    raise AssertionError(f"unknown node {node!r}")  # pragma: no cover
