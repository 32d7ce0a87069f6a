"""Checking a condition against the types of the fields it names, before it is ever evaluated.

A rule whose condition cannot work (an unknown field, ``data.size < 3``, ``1 / 0``, a sum
where true or false is needed) would otherwise never fire and nobody would know. The checker
follows the evaluator's rules (``evaluate``) but over types: an operation is refused when no
value the fields can take would make it work, and pointed at by column. An operation that fails
only for some scenarios (a sum with a field that may be null) passes here; the estimate reports
it if it happens.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from mlpm_core.conditions.condition import Condition
from mlpm_core.conditions.evaluate import apply_operator, format_value, is_number
from mlpm_core.conditions.parser import (
    BinOp,
    ConditionError,
    Const,
    Field,
    ListExpr,
    Node,
    Unary,
    error_at,
)
from mlpm_core.conditions.types import BOOL, NUMBER, Type, leaf_paths, of_value, union

_VARIABLE = object()  # a part whose value depends on the scenario
_ORDERING = ("<", "<=", ">", ">=")
_ARITHMETIC = ("+", "-", "*", "/")


@dataclass(frozen=True)
class _Typed:
    """A part of the condition: its type, and its value when that is the same everywhere."""

    type: Type
    value: Any = _VARIABLE

    @property
    def constant(self) -> bool:
        return self.value is not _VARIABLE


def check_types(condition: Condition, fields: Type) -> None:
    """Refuse a condition that can never work over ``fields`` (the object type of the context
    it is evaluated against), with a ConditionError that names the column."""
    _Checker(condition.text, fields).result(condition.tree)


def _start(node: Node) -> int:
    """Where a part's text begins (a BinOp's own ``pos`` is its operator's)."""
    return _start(node.left) if isinstance(node, BinOp) else node.pos


def _can_equal(a: Type, b: Type) -> bool:
    """Whether some value of ``a`` may equal some value of ``b`` (true is never 1)."""
    common = a.kinds & b.kinds
    if common - {"text"}:
        return True
    if "text" in common:
        return not (a.values and b.values) or bool(set(a.values) & set(b.values))
    return False


class _Checker:
    def __init__(self, text: str, fields: Type) -> None:
        self.text, self.fields = text, fields

    def fail(self, message: str, pos: int) -> ConditionError:
        return error_at(message, pos, self.text)

    def show(self, node: Node, typed: _Typed) -> str:
        """A part as a message names it: the field with its type, a literal, or its type."""
        if isinstance(node, Field):
            return f"'{node.path}' ({typed.type.describe()})"
        if typed.constant:
            return format_value(typed.value)
        return typed.type.describe()

    def result(self, tree: Node) -> None:
        typed = self.infer(tree)
        if not typed.type.has("bool"):
            raise self.fail(f"the condition must be true or false, but it is "
                            f"{self.show(tree, typed)}", _start(tree))

    def infer(self, node: Node) -> _Typed:
        if isinstance(node, Const):
            return _Typed(of_value(node.value), node.value)
        if isinstance(node, Field):
            return _Typed(self.lookup(node))
        if isinstance(node, ListExpr):
            items = [self.infer(item) for item in node.items]
            value = ([item.value for item in items] if all(item.constant for item in items)
                     else _VARIABLE)
            item = union(item.type for item in items) if items else None
            return _Typed(Type(frozenset({"list"}), item=item), value)
        if isinstance(node, Unary):
            return self.unary(node)
        if node.op in ("and", "or"):
            for side in (node.left, node.right):
                self.truth(side, self.infer(side), f"'{node.op}'")
            return _Typed(BOOL)
        return self.binary(node, self.infer(node.left), self.infer(node.right))

    def lookup(self, node: Field) -> Type:
        current, walked = self.fields, list[str]()
        for part in node.path.split("."):
            if part in current.fields:
                current = current.fields[part]
            elif current.entries is not None and not current.fields:
                current = current.entries
            elif walked and not current.has("object"):
                where = ".".join(walked)
                raise self.fail(f"'{where}' is {current.describe()}, which has no field "
                                f"'{part}'", node.pos)
            else:
                raise self.fail(self.unknown(node.path), node.pos)
            walked.append(part)
        return current

    def unknown(self, path: str) -> str:
        close = difflib.get_close_matches(path, sorted(leaf_paths(self.fields)), n=1)
        return f"unknown field '{path}'" + (f" (did you mean '{close[0]}'?)" if close else "")

    def truth(self, node: Node, typed: _Typed, needed_by: str) -> None:
        if not typed.type.has("bool"):
            raise self.fail(f"{needed_by} needs true or false, but {self.show(node, typed)} "
                            "is not", _start(node))

    def unary(self, node: Unary) -> _Typed:
        typed = self.infer(node.operand)
        if node.op == "not":
            self.truth(node.operand, typed, "'not'")
            return _Typed(BOOL, not typed.value if isinstance(typed.value, bool) else _VARIABLE)
        if not typed.type.has("number"):
            raise self.fail(f"cannot negate {self.show(node.operand, typed)}: it is not a "
                            "number", node.pos)
        return _Typed(NUMBER, -typed.value if is_number(typed.value) else _VARIABLE)

    def binary(self, node: BinOp, left: _Typed, right: _Typed) -> _Typed:
        op, a, b = node.op, left.type, right.type
        shown = f"{self.show(node.left, left)} {op} {self.show(node.right, right)}"
        if op in ("==", "!="):
            if not _can_equal(a, b):
                raise self.fail(f"{shown} compares values that can never be equal", node.pos)
        elif op in ("in", "not in"):
            self.membership(node, left, right)
        elif op in _ORDERING:
            x, y = a.without_null(), b.without_null()
            if not x or not y:
                raise self.fail(f"{shown} is always false: an order with null never holds",
                                node.pos)
            if not ({"number", "text"} & x & y):
                raise self.fail(f"cannot order {shown}: need two numbers or two texts",
                                node.pos)
        else:
            if not (a.has("number") and b.has("number")):
                raise self.fail(f"cannot compute {shown}: both must be numbers", node.pos)
            if op == "/" and is_number(right.value) and right.value == 0:
                raise self.fail(f"division by zero in {shown}", node.pos)
        if not (left.constant and right.constant):
            return _Typed(NUMBER if op in _ARITHMETIC else BOOL)
        try:
            value = apply_operator(op, left.value, right.value)
        except ConditionError as error:
            raise self.fail(error.reason, node.pos) from None
        return _Typed(of_value(value), value)

    def membership(self, node: BinOp, left: _Typed, right: _Typed) -> None:
        if not right.type.has("list"):
            raise self.fail(f"'{node.op}' needs a list on its right, but "
                            f"{self.show(node.right, right)} is not one", node.pos)
        if isinstance(node.right, ListExpr):
            for item in node.right.items:
                typed = self.infer(item)
                if not _can_equal(left.type, typed.type):
                    raise self.fail(f"{self.show(node.left, left)} can never be "
                                    f"{self.show(item, typed)}", _start(item))
        elif right.type.item is not None and not _can_equal(left.type, right.type.item):
            raise self.fail(f"{self.show(node.left, left)} can never be in "
                            f"{self.show(node.right, right)}", node.pos)
