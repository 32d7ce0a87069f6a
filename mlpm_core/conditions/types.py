"""The types a condition's values can have, as the type checker reasons about them.

A value in a condition is a number, a text, true/false, null, a list or an object (a group of
fields such as a range's ``low`` and ``high``). A field's type is the set of kinds it may take
(``quality.target`` is a number or null), so the checker can tell an operation that can never
work (``data.size < 3``) from one that only fails for some scenarios (``quality.target + 1``
when no target is set), which is reported when the estimate runs instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["number", "text", "bool", "null", "list", "object"]
_ORDER: tuple[Kind, ...] = ("number", "text", "bool", "list", "object", "null")
_NOUNS: dict[str, str] = {"number": "a number", "text": "a text", "bool": "true or false",
                          "null": "null", "list": "a list", "object": "a group of fields"}


@dataclass(frozen=True)
class Type:
    """The kinds a value may take, with what is known beyond the kind.

    ``values``: the only texts it can be (a field with a fixed set of answers), empty when any
    text goes; ``item``: the type of a list's items; ``fields``: an object's named fields;
    ``entries``: the type of every entry of an object whose keys are free (edits by rule id).
    """

    kinds: frozenset[Kind]
    values: tuple[str, ...] = ()
    item: Type | None = None
    fields: Mapping[str, Type] = field(default_factory=dict, compare=False, hash=False)
    entries: Type | None = None

    def has(self, kind: Kind) -> bool:
        """Whether a value of this type may be of ``kind``."""
        return kind in self.kinds

    def without_null(self) -> frozenset[Kind]:
        return self.kinds - {"null"}

    def describe(self) -> str:
        """The type in words, for messages: 'a number or null', 'one of "small", "big"'."""
        parts = [_NOUNS[kind] for kind in _ORDER if kind in self.kinds]
        if self.values and "text" in self.kinds:
            shown = ", ".join(f'"{value}"' for value in self.values[:8])
            more = ", ..." if len(self.values) > 8 else ""
            parts[parts.index("a text")] = f"one of {shown}{more}"
        return " or ".join(parts) or "nothing"


NUMBER = Type(frozenset({"number"}))
TEXT = Type(frozenset({"text"}))
BOOL = Type(frozenset({"bool"}))
NULL = Type(frozenset({"null"}))


def union(types: Iterable[Type]) -> Type:
    """A type that may be any of ``types``: the kinds together; known texts only if every
    text-bearing type has them; the other details kept when only one type carries them."""
    members = list(types)
    kinds = frozenset(kind for member in members for kind in member.kinds)
    texts = [member for member in members if member.has("text")]
    values: tuple[str, ...] = ()
    if texts and all(member.values for member in texts):
        values = tuple(dict.fromkeys(value for member in texts for value in member.values))
    items = [member.item for member in members if member.item is not None]
    item = union(items) if items else None
    objects = [member for member in members if member.has("object")]
    fields = objects[0].fields if len(objects) == 1 else {}
    entries = objects[0].entries if len(objects) == 1 else None
    return Type(kinds, values, item, fields, entries)


def of_value(value: Any) -> Type:
    """The type of a literal in a condition (a number, a text, true/false or null)."""
    if value is None:
        return NULL
    if isinstance(value, bool):
        return BOOL
    if isinstance(value, str):
        return Type(frozenset({"text"}), values=(value,))
    return NUMBER


def leaf_paths(root: Type, prefix: str = "") -> Iterator[str]:
    """Every named field path below ``root`` (free-keyed entries excluded), for suggestions."""
    for name, member in root.fields.items():
        path = f"{prefix}{name}"
        yield path
        yield from leaf_paths(member, path + ".")
