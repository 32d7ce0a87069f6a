"""Reading and writing scenario documents, with migrations and readable validation errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from mlpm_core.errors import UserError
from mlpm_core.safe_json import parse_json_bytes, read_json_file
from mlpm_core.scenario.model import SCHEMA_VERSION, Scenario
from mlpm_core.scenario.text import unsafe_character

Migration = Callable[[dict[str, Any]], dict[str, Any]]

# MIGRATIONS[n] turns a version-n document into a version-(n + 1) document. Add one entry per
# schema change; loading walks the chain so that every old file still opens.
MIGRATIONS: dict[int, Migration] = {}


def migrate(document: dict[str, Any],
            migrations: dict[int, Migration] | None = None) -> dict[str, Any]:
    """Bring an older document up to the current schema version, one step at a time."""
    migrations = MIGRATIONS if migrations is None else migrations
    version = document.get("schema_version", SCHEMA_VERSION)
    if not isinstance(version, int) or isinstance(version, bool):
        raise UserError(f"schema_version must be a whole number, got {version!r:.40}")
    if version > SCHEMA_VERSION:
        raise UserError(
            f"this scenario was written by a newer mlpm (schema_version {version}); "
            f"this mlpm reads up to {SCHEMA_VERSION}"
        )
    while version < SCHEMA_VERSION:
        if version not in migrations:
            raise UserError(f"schema_version {version} is too old to migrate")
        document = migrations[version](dict(document))
        version += 1
        document["schema_version"] = version
    return document


def _location(loc: tuple[int | str, ...]) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item + 1}]")
        elif not item.startswith(("function-", "model-")):
            parts.append(("." if parts else "") + item)
    return "".join(parts) or "the document"


def _escaped(char: str) -> str:
    """A character the text rule refuses, as a JSON-style escape (the rest as it is)."""
    if unsafe_character(char) is None:
        return char
    code = ord(char)
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _shown(value: Any) -> str:
    text = "".join(_escaped(char) for char in json.dumps(value, default=str,
                                                         ensure_ascii=False))
    return text if len(text) <= 60 else text[:57] + "..."


# What a field expected, for pydantic's type errors (strict: no value is converted to another
# type, so a wrong type is the commonest mistake in a hand-written file).
_EXPECTED = {
    "float_type": "expected a number",
    "int_type": "expected a whole number",
    "bool_type": "expected true or false",
    "string_type": "expected text (in double quotes)",
    "string_unicode": "must be valid Unicode text; found a lone surrogate (half of a character)",
    "list_type": "expected a list ([...])",
    "dict_type": "expected an object ({...})",
    "model_type": "expected an object ({...})",
}


def describe_validation_error(error: ValidationError) -> str:
    """The first problem of a pydantic error, as one sentence naming the field and value."""
    first = error.errors(include_url=False)[0]
    message = _EXPECTED.get(first["type"]) or first["msg"].removeprefix("Value error, ")
    where = _location(tuple(first["loc"]))
    value = first.get("input")
    # A whole-object check already names the values it objects to; a dict adds only noise.
    quiet = first["type"] == "missing" or (first["type"] == "value_error"
                                           and isinstance(value, dict))
    shown = "" if quiet else f" (got {_shown(value)})"
    more = len(error.errors()) - 1
    suffix = f"; and {more} more problem{'s' if more > 1 else ''}" if more else ""
    return f"{where}: {message}{shown}{suffix}"


def scenario_from_document(document: Any) -> Scenario:
    """Validate a parsed JSON document as a Scenario, or raise one readable ``UserError``."""
    if not isinstance(document, dict):
        raise UserError("a scenario must be a JSON object ({...}) at the top level")
    document = migrate(document)
    try:
        return Scenario.model_validate(document)
    except ValidationError as error:
        raise UserError(describe_validation_error(error)) from None
    except RecursionError:
        raise UserError("the scenario is nested too deeply") from None


def load_scenario(path: Path) -> Scenario:
    """Read a scenario file from disk."""
    return scenario_from_document(read_json_file(path))


def scenario_from_bytes(raw: bytes, what: str = "the upload") -> Scenario:
    """Read an uploaded scenario."""
    return scenario_from_document(parse_json_bytes(raw, what))


def scenario_to_json(scenario: Scenario) -> str:
    """The canonical JSON text of a scenario (lossless: loading it gives an equal Scenario)."""
    return scenario.model_dump_json(indent=2)


def scenario_schema() -> dict[str, Any]:
    """The JSON Schema of the scenario document, descriptions included."""
    return Scenario.model_json_schema()
