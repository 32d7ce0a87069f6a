"""The type of every field a condition may name, read from the scenario's own schema.

Conditions are evaluated against ``Scenario.model_dump(mode="json")`` plus ``derived.*``
(``rules.condition_context``), so their field types are read from the models' own annotations
(no serializer changes a type; a test compares them with real dumped values): one source of
truth, and a field added, renamed or retyped in the models is checked the same day. The models'
JSON Schema would say the same but takes a quarter of a second to build, at every start.
"""

from __future__ import annotations

import functools
from types import UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationInfo

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
_SIMPLE: dict[Any, Type] = {bool: BOOL, int: NUMBER, float: NUMBER, str: TEXT,
                            type(None): NULL}


def _type(annotation: Any) -> Type:
    """The condition type of a field's annotation, as ``model_dump(mode="json")`` writes it:
    models become objects, ``X | None`` a union, a ``Literal`` its texts, lists and dicts
    their items' type; constraints (``Annotated``) do not change the type."""
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Annotated:
        return _type(args[0])
    if origin in (Union, UnionType):
        return union(_type(member) for member in args)
    if origin is Literal:
        return union(_literal(value) for value in args)
    if origin in (list, tuple, set, frozenset):
        return Type(frozenset({"list"}), item=union(_type(arg) for arg in args
                                                     if arg is not Ellipsis))
    if origin is dict:
        return Type(frozenset({"object"}), entries=_type(args[1]))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _model(annotation)
    return _SIMPLE.get(annotation, _ANY)


def _literal(value: Any) -> Type:
    if isinstance(value, str):
        return Type(frozenset({"text"}), values=(value,))
    return _SIMPLE.get(type(value), _ANY)


def _model(model: type[BaseModel]) -> Type:
    return Type(frozenset({"object"}), fields={
        name: _type(field.annotation) for name, field in model.model_fields.items()})


@functools.cache
def condition_fields() -> Type:
    """The object type of the condition context: the scenario's fields and ``derived.*``."""
    # Imported here: rule_spec (which calls check_condition) is loaded while model.py is.
    from mlpm_core.scenario.derived import DerivedFacts
    from mlpm_core.scenario.model import Scenario

    root = _model(Scenario)
    return Type(root.kinds, fields={**root.fields, "derived": _model(DerivedFacts)})


@functools.cache
def score_condition_fields() -> Type:
    """The fields of the feasibility scores' conditions: ``condition_fields`` and
    ``success.*`` (``ChanceFacts``), which only the scores offer."""
    from mlpm_core.scenario.chance_facts import ChanceFacts

    root = condition_fields()
    return Type(root.kinds, fields={**root.fields, "success": _model(ChanceFacts)})


def check_condition(text: str) -> Condition:
    """The parsed condition, if it parses and can work over the scenario's fields; else a
    ConditionError whose ``reason`` and ``column`` say what and where."""
    condition = parse(text)
    problem = _type_problem(text)
    if problem is not None:
        message, reason, column = problem
        raise ConditionError(message, reason=reason, column=column)
    return condition


@functools.lru_cache(maxsize=1024)
def _type_problem(text: str) -> tuple[str, str, int | None] | None:
    """The type check's verdict, once per distinct text: a scenario is validated again on every
    edit, with up to 200 custom rules. Kept as parts, so each caller raises a fresh error."""
    try:
        check_types(parse(text), condition_fields())
    except ConditionError as error:
        return str(error.args[0]), error.reason, error.column
    return None


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
