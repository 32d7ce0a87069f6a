"""A tiny, safe condition language for rules of thumb: the parsed Condition that callers hold.

Reading the text (``parser``) and what it means (``evaluate``) are apart; they meet here, in a
frozen Condition that is parsed once per distinct text and shared, and whose field names can be
checked against a schema before anything is evaluated.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from mlpm_core.conditions.evaluate import _as_bool, _eval, format_value, is_number
from mlpm_core.conditions.parser import (
    BinOp,
    ConditionError,
    Field,
    ListExpr,
    Node,
    Unary,
    _Parser,
)

MAX_LENGTH = 2_000


@dataclass(frozen=True)
class Condition:
    """A parsed condition: keeps its source text for messages and its AST for evaluation."""

    text: str
    tree: Node

    def evaluate(self, context: Mapping[str, Any]) -> bool:
        """True or false for this context (nested dicts); problems raise ConditionError."""
        return _as_bool(_eval(self.tree, context), self.tree)

    def number(self, context: Mapping[str, Any]) -> float:
        """The text read as an arithmetic expression, for data that scales an effect by an
        answer (a ramp) rather than switching it; anything but a number is a ConditionError."""
        value = _eval(self.tree, context)
        if not is_number(value):
            raise ConditionError(f"'{self.text}' must give a number, but gave "
                                 f"{format_value(value)}")
        return float(value)

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
