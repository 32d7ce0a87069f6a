"""Reading and changing one answer of a scenario by its dotted path (``"data.size"``).

Front ends edit a scenario one field at a time; a change is applied to a copy and the whole
document is validated again, so cross-field checks (mean QPS above peak QPS, a threshold beyond
its target) refuse the change with one readable message and the original stays as it was.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from mlpm_core.errors import UserError
from mlpm_core.scenario.document import describe_validation_error
from mlpm_core.scenario.model import Scenario


def value_at(scenario: Scenario, path: str) -> Any:
    """The current value of the field at ``path``."""
    node: Any = scenario
    for name in path.split("."):
        if not isinstance(node, BaseModel) or name not in type(node).model_fields:
            raise KeyError(f"the scenario has no field {path!r}")
        node = getattr(node, name)
    return node


def at_default(scenario: Scenario, path: str) -> bool:
    """Whether the field at ``path`` holds the value a blank scenario starts with.

    Only the value can say so: a saved scenario writes every field (``scenario_to_json``, the
    store) and an edit validates the whole document again, so pydantic's record of the fields
    set counts every field as set after the first save. A team that chose the starting value on
    purpose therefore reads the same as one that never answered.
    """
    *parents, leaf = path.split(".")
    owner = value_at(scenario, ".".join(parents)) if parents else scenario
    field = type(owner).model_fields[leaf]
    return bool(getattr(owner, leaf) == field.get_default(call_default_factory=True))


def with_value(scenario: Scenario, path: str, value: Any) -> Scenario:
    """A validated copy of ``scenario`` with the field at ``path`` set to ``value``.

    Raises ``UserError`` naming the field and the problem when the result would be invalid.
    """
    value_at(scenario, path)  # an unknown path is a programming error, not a user's
    document = scenario.model_dump()
    *parents, leaf = path.split(".")
    node = document
    for name in parents:
        node = node[name]
    node[leaf] = value.model_dump() if isinstance(value, BaseModel) else value
    try:
        return Scenario.model_validate(document)
    except ValidationError as error:
        raise UserError(describe_validation_error(error)) from None
