"""A tiny, safe condition language for rules of thumb, e.g. ``data.size > 20 and not data.clean``.

Rules live in user-editable files, so conditions are tokenized and parsed by hand here and
never reach Python's ``eval``: the language can only read fields, compare and do arithmetic.
"""

from __future__ import annotations

import difflib
import functools
import json
import math
import numbers
import operator
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from mlpm_core.errors import UserError

MAX_LENGTH = 2_000
MAX_DEPTH = 32
MAX_TOKENS = 500

_KEYWORDS = {"and", "or", "not", "in"}
_LITERALS: dict[str, Any] = {"true": True, "false": False, "null": None}
_COMPARE = ("==", "!=", "<", "<=", ">", ">=")
_ORDER = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
_ARITH = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}
_HINTS = {"=": " (use '==' to compare)", "!": " (use 'not' or '!=')", "&": " (use 'and')"}
_TOKEN_RE = re.compile(
    r"(?P<ws>\s+)"
    r"|(?P<num>(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)"
    r"|(?P<op>==|!=|<=|>=|[<>+\-*/()\[\],])"
)


class ConditionError(UserError, ValueError):
    """A condition that cannot be parsed or evaluated, explained for the person who wrote it."""


def _error(message: str, pos: int, text: str) -> ConditionError:
    """Point at the offending spot with a 1-based column, as an editor would show it."""
    return ConditionError(f"{message} at column {pos + 1} in: {text}")


class _Token(NamedTuple):
    kind: str  # "num", "str", "lit", "name", "op" (operators and keywords) or "end"
    value: Any
    pos: int
    text: str


# AST nodes: small and frozen so a parsed Condition can be shared and hashed safely.
@dataclass(frozen=True)
class Const:
    value: Any


@dataclass(frozen=True)
class Field:
    path: str


@dataclass(frozen=True)
class ListExpr:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Unary:
    op: str  # "not" or "-"
    operand: Node


@dataclass(frozen=True)
class BinOp:
    """``and``/``or``, a comparison (incl. ``in``/``not in``) or arithmetic."""

    op: str
    left: Node
    right: Node


Node = Const | Field | ListExpr | Unary | BinOp


def _read_string(text: str, start: int) -> tuple[_Token, int]:
    """Read a quoted string; only the quotes and backslash may be escaped, to keep it obvious."""
    out: list[str] = []
    quote, i = text[start], start + 1
    while i < len(text):
        ch = text[i]
        if ch == quote:
            return _Token("str", "".join(out), start, text[start : i + 1]), i + 1
        if ch == "\\":
            nxt = text[i + 1 : i + 2]
            if nxt not in ("\\", '"', "'"):
                msg = f"unsupported escape '\\{nxt}' (only \\\\, \\\" and \\' work)"
                raise _error(msg, i, text)
            out.append(nxt)
            i += 2
            continue
        out.append(ch)
        i += 1
    raise _error(f"text is missing its closing {quote}", start, text)


def _tokenize(text: str) -> list[_Token]:
    """Split text into tokens, refusing anything outside the language as early as possible."""
    tokens: list[_Token] = []
    pos = 0
    while pos < len(text):
        if text[pos] in "\"'":
            token, pos = _read_string(text, pos)
        else:
            match = _TOKEN_RE.match(text, pos)
            if match is None:
                hint = _HINTS.get(text[pos], "")
                raise _error(f"unexpected character {text[pos]!r}{hint}", pos, text)
            kind, raw, start, pos = match.lastgroup or "", match.group(), pos, match.end()
            if kind == "ws":
                continue
            token = _Token(kind, raw, start, raw)
            if kind == "num":
                if pos < len(text) and (text[pos].isalnum() or text[pos] in "._"):
                    raise _error(f"malformed number {raw + text[pos]!r}", start, text)
                value = int(raw) if raw.isdigit() else float(raw)
                if isinstance(value, float) and not math.isfinite(value):
                    raise _error(f"number {raw!r} is too large", start, text)
                token = token._replace(value=value)
            elif raw in _KEYWORDS:
                token = token._replace(kind="op")
            elif raw in _LITERALS:
                token = token._replace(kind="lit", value=_LITERALS[raw])
            elif kind == "name":
                for part in raw.split("."):
                    if part in _KEYWORDS or part in _LITERALS:
                        raise _error(f"'{part}' is a reserved word, not a field name", start, text)
                    if part.startswith("__"):
                        raise _error(f"field names may not start with '__': {raw!r}", start, text)
        tokens.append(token)
        if len(tokens) > MAX_TOKENS:
            raise ConditionError(f"the condition has too many parts (over {MAX_TOKENS})")
    tokens.append(_Token("end", None, len(text), ""))
    return tokens


class _Parser:
    """Recursive descent, one method per precedence level: or < and < not < compare < +- < */."""

    def __init__(self, text: str) -> None:
        self.text, self.tokens, self.i, self.depth = text, _tokenize(text), 0, 0

    def _at(self, *ops: str, ahead: int = 0) -> bool:
        token = self.tokens[min(self.i + ahead, len(self.tokens) - 1)]
        return token.kind == "op" and token.value in ops

    def _unexpected(self) -> ConditionError:
        token = self.tokens[self.i]
        if token.kind == "end":
            return _error("unexpected end of condition", token.pos, self.text)
        call = token.text == "(" and self.i > 0 and self.tokens[self.i - 1].kind == "name"
        hint = " (function calls are not allowed)" if call else ""
        return _error(f"unexpected {token.text!r}{hint}", token.pos, self.text)

    def _expect(self, op: str) -> None:
        if not self._at(op):
            raise self._unexpected()
        self.i += 1

    def _enter(self) -> None:
        """Bound nesting so hostile input gets a clear error instead of a RecursionError."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            msg = f"the condition is nested too deeply (over {MAX_DEPTH} levels)"
            raise _error(msg, self.tokens[self.i - 1].pos, self.text)

    def parse(self) -> Node:
        if self.tokens[0].kind == "end":
            raise ConditionError("the condition is empty")
        node = self._or()
        if self.tokens[self.i].kind != "end":
            raise self._unexpected()
        return node

    def _binary(self, ops: tuple[str, ...], operand: Callable[[], Node]) -> Node:
        node = operand()
        while self._at(*ops):
            op = self.tokens[self.i].value
            self.i += 1
            node = BinOp(op, node, operand())
        return node

    def _or(self) -> Node:
        return self._binary(("or",), self._and)

    def _and(self) -> Node:
        return self._binary(("and",), self._not)

    def _not(self) -> Node:
        return self._prefix("not", self._compare)

    def _compare_op(self) -> str | None:
        """Consume a comparison operator (``not in`` is two tokens) and return it, if any."""
        if self._at("not") and self._at("in", ahead=1):
            self.i += 2
            return "not in"
        if self._at(*_COMPARE, "in"):
            self.i += 1
            return str(self.tokens[self.i - 1].value)
        return None

    def _compare(self) -> Node:
        left = self._sum()
        op = self._compare_op()
        if op is None:
            return left
        node, pos = BinOp(op, left, self._sum()), self.tokens[self.i].pos
        if self._compare_op():
            raise _error("comparisons cannot be chained; join them with 'and'", pos, self.text)
        return node

    def _sum(self) -> Node:
        return self._binary(("+", "-"), self._product)

    def _product(self) -> Node:
        return self._binary(("*", "/"), self._unary)

    def _unary(self) -> Node:
        return self._prefix("-", self._primary)

    def _prefix(self, op: str, operand: Callable[[], Node]) -> Node:
        if not self._at(op):
            return operand()
        self.i += 1
        self._enter()
        node = Unary(op, self._prefix(op, operand))
        self.depth -= 1
        return node

    def _primary(self) -> Node:
        token = self.tokens[self.i]
        if token.kind in ("num", "str", "lit"):
            self.i += 1
            return Const(token.value)
        if token.kind == "name":
            self.i += 1
            return Field(token.value)
        if not self._at("(", "["):
            raise self._unexpected()
        self.i += 1
        self._enter()
        if token.value == "(":
            node: Node = self._or()
            self._expect(")")
        else:
            items: list[Node] = []
            if not self._at("]"):
                items.append(self._or())
                while self._at(","):
                    self.i += 1
                    items.append(self._or())
            self._expect("]")
            node = ListExpr(tuple(items))
        self.depth -= 1
        return node


def _fmt(value: Any) -> str:
    """Show a value the way it would be written in a condition (null, true, "text")."""
    if isinstance(value, int) and value.bit_length() > 200:
        return "a very large number"  # str() of huge ints is slow, then refused by Python
    try:
        shown = json.dumps(value, ensure_ascii=False, default=repr)
    except (TypeError, ValueError):
        shown = object.__repr__(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def _is_num(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _normalize(value: Any) -> Any:
    """Turn context values (numpy scalars, tuples) into the few plain types the language knows."""
    if isinstance(value, list | tuple | set | frozenset):
        return [_normalize(item) for item in value]
    if _is_num(value):
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
    raise ConditionError(f"the condition must be true or false, but {what} is {_fmt(value)}")


def _equal(a: Any, b: Any) -> bool:
    """Equality across types without Python's surprises (true is not 1)."""
    if isinstance(a, bool) != isinstance(b, bool):
        return False
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b, strict=True))
    return (a == b) is True


def _apply(op: str, a: Any, b: Any) -> Any:
    """Apply a comparison or arithmetic operator with the language's type rules."""
    if op in ("==", "!="):
        return _equal(a, b) == (op == "==")
    if op in ("in", "not in"):
        if not isinstance(b, list):
            raise ConditionError(f"'{op}' needs a list on its right, but got {_fmt(b)}")
        return any(_equal(a, item) for item in b) == (op == "in")
    if op in _ORDER:
        if a is None or b is None:
            return False
        if (_is_num(a) and _is_num(b)) or (isinstance(a, str) and isinstance(b, str)):
            return _ORDER[op](a, b)
        msg = f"cannot compare {_fmt(a)} with {_fmt(b)} using '{op}': need two numbers or two texts"
        raise ConditionError(msg)
    if not (_is_num(a) and _is_num(b)):
        raise ConditionError(f"cannot compute {_fmt(a)} {op} {_fmt(b)}: both must be numbers")
    if op == "/" and b == 0:
        raise ConditionError(f"division by zero in {_fmt(a)} / {_fmt(b)}")
    try:
        return _ARITH[op](a, b)
    except OverflowError:
        raise ConditionError(f"the result of {_fmt(a)} {op} {_fmt(b)} is too large") from None


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
            if not _is_num(value):
                raise ConditionError(f"cannot negate {_fmt(value)}: it is not a number")
            return -value
        case BinOp("and" | "or" as op, left, right):
            if _as_bool(_eval(left, context), left) == (op == "or"):
                return op == "or"  # short-circuit, as a reader of the rule would expect
            return _as_bool(_eval(right, context), right)
        case BinOp(op, left, right):
            return _apply(op, _eval(left, context), _eval(right, context))
    raise AssertionError(f"unknown node {node!r}")  # pragma: no cover


@dataclass(frozen=True)
class Condition:
    """A parsed condition: keeps its source text for messages and its AST for evaluation."""

    text: str
    tree: Node

    def evaluate(self, context: Mapping[str, Any]) -> bool:
        """True or false for this context (nested dicts); problems raise ConditionError."""
        return _as_bool(_eval(self.tree, context), self.tree)

    def fields(self) -> frozenset[str]:
        """Every field path used, so callers can check them against a schema up front."""
        found: set[str] = set()
        stack: list[Node] = [self.tree]
        while stack:
            node = stack.pop()
            if isinstance(node, Field):
                found.add(node.path)
            elif isinstance(node, ListExpr):
                stack.extend(node.items)
            elif isinstance(node, Unary):
                stack.append(node.operand)
            elif isinstance(node, BinOp):
                stack.extend((node.left, node.right))
        return frozenset(found)


def parse(text: str) -> Condition:
    """Parse condition text, refusing oversized or hostile input with a ConditionError."""
    if not isinstance(text, str):
        raise ConditionError(f"a condition must be text, not {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ConditionError(
            f"the condition is too long ({len(text):,} > {MAX_LENGTH:,} characters)"
        )
    return _parsed(text)


@functools.lru_cache(maxsize=1024)
def _parsed(text: str) -> Condition:
    """The parsed condition, once per distinct text: every estimate evaluates the rules,
    blockers, success and template conditions again (some 75 parses, about 2 ms, from a few
    dozen texts), and a Condition is frozen, so one parse can serve them all. Errors are not
    cached: a bad text raises again on every call."""
    return Condition(text, _Parser(text).parse())


def validate_paths(cond: Condition, known: Collection[str]) -> None:
    """Catch typos in field names before any evaluation, suggesting the closest known field."""
    choices = sorted(set(known))
    unknown = sorted(cond.fields() - set(choices))
    if not unknown:
        return
    parts = []
    for path in unknown:
        close = difflib.get_close_matches(path, choices, n=1)
        parts.append(f"'{path}'" + (f" (did you mean '{close[0]}'?)" if close else ""))
    noun = "field" if len(unknown) == 1 else "fields"
    raise ConditionError(f"unknown {noun} {', '.join(parts)} in: {cond.text}")
