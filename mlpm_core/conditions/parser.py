"""Reading rule condition text into a tree, e.g. ``data.size > 20 and not data.clean``.

Rules live in user-editable files, so conditions are tokenized and parsed by hand here and
never reach Python's ``eval``: the grammar only has fields, literals, lists, comparisons and
arithmetic, and oversized or deeply nested input is refused with a message pointing at the
offending column rather than a crash.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from mlpm_core.errors import UserError

MAX_DEPTH = 32
MAX_TOKENS = 500

_KEYWORDS = {"and", "or", "not", "in"}
_LITERALS: dict[str, Any] = {"true": True, "false": False, "null": None}
_COMPARE = ("==", "!=", "<", "<=", ">", ">=")
_HINTS = {"=": " (use '==' to compare)", "!": " (use 'not' or '!=')", "&": " (use 'and')"}
_TOKEN_RE = re.compile(
    r"(?P<ws>\s+)"
    r"|(?P<num>(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)"
    r"|(?P<op>==|!=|<=|>=|[<>+\-*/()\[\],])"
)


class ConditionError(UserError, ValueError):
    """A condition that cannot be parsed or evaluated, explained for the person who wrote it.

    ``reason`` and ``column`` (1-based, when known) are the parts of the message, for front
    ends that show the condition's text themselves and only need to point into it.
    """

    def __init__(self, message: str, *, reason: str = "", column: int | None = None) -> None:
        super().__init__(message)
        self.reason = reason or message
        self.column = column


def error_at(message: str, pos: int, text: str) -> ConditionError:
    """Point at the offending spot with a 1-based column, as an editor would show it."""
    return ConditionError(f"{message} at column {pos + 1} in: {text}", reason=message,
                          column=pos + 1)


class _Token(NamedTuple):
    kind: str  # "num", "str", "lit", "name", "op" (operators and keywords) or "end"
    value: Any
    pos: int
    text: str


# AST nodes: small and frozen so a parsed Condition can be shared and hashed safely. ``pos`` is
# the 0-based offset a message points at (an operator's own, for Unary and BinOp); it takes no
# part in equality, so the same condition typed with other spacing gives an equal tree.
def _pos() -> Any:
    return field(default=0, compare=False, kw_only=True)


@dataclass(frozen=True)
class Const:
    value: Any
    pos: int = _pos()


@dataclass(frozen=True)
class Field:
    path: str
    pos: int = _pos()


@dataclass(frozen=True)
class ListExpr:
    items: tuple[Node, ...]
    pos: int = _pos()


@dataclass(frozen=True)
class Unary:
    op: str  # "not" or "-"
    operand: Node
    pos: int = _pos()


@dataclass(frozen=True)
class BinOp:
    """``and``/``or``, a comparison (incl. ``in``/``not in``) or arithmetic."""

    op: str
    left: Node
    right: Node
    pos: int = _pos()


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
                raise error_at(msg, i, text)
            out.append(nxt)
            i += 2
            continue
        out.append(ch)
        i += 1
    raise error_at(f"text is missing its closing {quote}", start, text)


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
                raise error_at(f"unexpected character {text[pos]!r}{hint}", pos, text)
            kind, raw, start, pos = match.lastgroup or "", match.group(), pos, match.end()
            if kind == "ws":
                continue
            token = _Token(kind, raw, start, raw)
            if kind == "num":
                if pos < len(text) and (text[pos].isalnum() or text[pos] in "._"):
                    raise error_at(f"malformed number {raw + text[pos]!r}", start, text)
                value = int(raw) if raw.isdigit() else float(raw)
                if isinstance(value, float) and not math.isfinite(value):
                    raise error_at(f"number {raw!r} is too large", start, text)
                token = token._replace(value=value)
            elif raw in _KEYWORDS:
                token = token._replace(kind="op")
            elif raw in _LITERALS:
                token = token._replace(kind="lit", value=_LITERALS[raw])
            elif kind == "name":
                for part in raw.split("."):
                    if part in _KEYWORDS or part in _LITERALS:
                        raise error_at(f"'{part}' is a reserved word, not a field name",
                                       start, text)
                    if part.startswith("__"):
                        raise error_at(f"field names may not start with '__': {raw!r}", start, text)
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
            return error_at("unexpected end of condition", token.pos, self.text)
        call = token.text == "(" and self.i > 0 and self.tokens[self.i - 1].kind == "name"
        hint = " (function calls are not allowed)" if call else ""
        return error_at(f"unexpected {token.text!r}{hint}", token.pos, self.text)

    def _expect(self, op: str) -> None:
        if not self._at(op):
            raise self._unexpected()
        self.i += 1

    def _enter(self) -> None:
        """Bound nesting so hostile input gets a clear error instead of a RecursionError."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            msg = f"the condition is nested too deeply (over {MAX_DEPTH} levels)"
            raise error_at(msg, self.tokens[self.i - 1].pos, self.text)

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
            op, pos = self.tokens[self.i].value, self.tokens[self.i].pos
            self.i += 1
            node = BinOp(op, node, operand(), pos=pos)
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
        at = self.tokens[self.i].pos
        op = self._compare_op()
        if op is None:
            return left
        node, pos = BinOp(op, left, self._sum(), pos=at), self.tokens[self.i].pos
        if self._compare_op():
            raise error_at("comparisons cannot be chained; join them with 'and'", pos, self.text)
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
        pos = self.tokens[self.i].pos
        self.i += 1
        self._enter()
        node = Unary(op, self._prefix(op, operand), pos=pos)
        self.depth -= 1
        return node

    def _primary(self) -> Node:
        token = self.tokens[self.i]
        if token.kind in ("num", "str", "lit"):
            self.i += 1
            return Const(token.value, pos=token.pos)
        if token.kind == "name":
            self.i += 1
            return Field(token.value, pos=token.pos)
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
            node = ListExpr(tuple(items), pos=token.pos)
        self.depth -= 1
        return node
