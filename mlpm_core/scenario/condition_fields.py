"""The type of every field a condition may name, read from the scenario's own schema.

Conditions are evaluated against ``Scenario.model_dump(mode="json")`` plus ``derived.*``
(``rules.condition_context``), so their field types are the JSON Schema of exactly that dump:
deriving them here keeps one source of truth, and a field added, renamed or retyped in the
models is checked the same day. ``check_condition`` is what a rule's ``when`` validator calls.
"""

from __future__ import annotations

import functools
from typing import Any

from pydantic import ValidationInfo

from mlpm_core.conditions import (
    BOOL,
    NULL,
    NUMBER,
    TEXT,
    Condition,
    ConditionError,
    Type,
    check_types,
    parse,
    union,
)

SKIP_CONDITION_TYPES = "skip_condition_types"
"""Validation-context key under which a rule's condition is only parsed, not type-checked."""

_ANY = Type(frozenset({"number", "text", "bool", "null", "list", "object"}))
_SIMPLE = {"integer": NUMBER, "number": NUMBER, "string": TEXT, "boolean": BOOL, "null": NULL}


def _type(schema: Any, defs: dict[str, Any]) -> Type:
    """The condition type of one JSON Schema node (``$ref``, ``anyOf``, enums, objects...)."""
    if not isinstance(schema, dict):
        return _ANY
    if "$ref" in schema:
        return _type(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
    if "anyOf" in schema:
        return union(_type(member, defs) for member in schema["anyOf"])
    if "const" in schema or "enum" in schema:
        values = [schema["const"]] if "const" in schema else list(schema["enum"])
        texts = tuple(value for value in values if isinstance(value, str))
        others = [_literal(value) for value in values if not isinstance(value, str)]
        return union([Type(frozenset({"text"}), values=texts)] * bool(texts) + others)
    kind = schema.get("type")
    if isinstance(kind, list):
        return union(_type({**schema, "type": member}, defs) for member in kind)
    if kind in _SIMPLE:
        return _SIMPLE[kind]
    if kind == "array":
        return Type(frozenset({"list"}), item=_type(schema.get("items"), defs))
    if kind == "object":
        fields = {name: _type(member, defs)
                  for name, member in schema.get("properties", {}).items()}
        extra = schema.get("additionalProperties")
        entries = _type(extra, defs) if isinstance(extra, dict) else None
        return Type(frozenset({"object"}), fields=fields, entries=entries)
    return _ANY


def _literal(value: Any) -> Type:
    if value is None:
        return NULL
    return BOOL if isinstance(value, bool) else NUMBER


def _object(model: Any) -> Type:
    schema = model.model_json_schema(mode="serialization")
    return _type(schema, schema.get("$defs", {}))


@functools.cache
def condition_fields() -> Type:
    """The object type of the condition context: the scenario's fields and ``derived.*``."""
    # Imported here: rule_spec (which calls check_condition) is loaded while model.py is.
    from mlpm_core.scenario.derived import DerivedFacts
    from mlpm_core.scenario.model import Scenario

    root = _object(Scenario)
    return Type(root.kinds, fields={**root.fields, "derived": _object(DerivedFacts)})


def check_condition(text: str) -> Condition:
    """The parsed condition, if it parses and can work over the scenario's fields; else a
    ConditionError whose ``reason`` and ``column`` say what and where."""
    condition = parse(text)
    check_types(condition, condition_fields())
    return condition


def condition_problem(text: str) -> str:
    """Why a condition cannot work, as one line (empty when it can)."""
    try:
        check_condition(text)
    except ConditionError as error:
        return rule_condition_message(error)
    return ""


def rule_condition_message(error: ConditionError) -> str:
    """A condition's problem with its column, without repeating the condition's text."""
    where = f" at column {error.column}" if error.column is not None else ""
    return f"the condition fails{where}: {error.reason}"


def validate_rule_condition(text: str, info: ValidationInfo) -> str:
    """A rule's ``when``, parsed and type-checked (only parsed for a switched-off rule read with
    ``SKIP_CONDITION_TYPES``, see ``stale_rules``); the message names the rule and column."""
    try:
        if SKIP_CONDITION_TYPES in (info.context or {}):
            parse(text)
        else:
            check_condition(text)
    except ConditionError as error:
        rule_id = info.data.get("id", "?")
        raise ValueError(f"rule '{rule_id}': {rule_condition_message(error)}") from None
    return text
