"""Parsing untrusted JSON: bounded size and depth, no NaN or infinities, no duplicate keys.

Python's ``json`` happily accepts ``NaN``, ``Infinity``, ``1e400`` (as inf) and duplicate keys
(the last one silently wins), and a deeply nested document raises ``RecursionError``, which is
not a ``ValueError``. Every one of these becomes one readable ``UserError`` here.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from mlpm_core.errors import UserError
from mlpm_core.files import read_regular_file

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64


def _reject_constant(name: str) -> Any:
    raise UserError(f"the file contains {name}, which is not a number; use a real value")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise UserError(f"the number {text[:40]} is out of range")
    return value


def _finite_int(text: str) -> int:
    if len(text.lstrip("-")) > 30:
        raise UserError(f"the number {text[:40]}... is out of range")
    return int(text)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise UserError(f"the key '{key[:80]}' appears twice in one object")
        result[key] = value
    return result


def _depth(text: str) -> int:
    """Deepest bracket nesting, ignoring brackets inside strings."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def parse_json_text(text: str, what: str = "the file") -> Any:
    """Parse JSON text under mlpm's limits, or raise one readable ``UserError``."""
    if len(text.encode("utf-8", errors="ignore")) > MAX_BYTES:
        raise UserError(f"{what} is larger than {MAX_BYTES // (1024 * 1024)} MB")
    if _depth(text) > MAX_DEPTH:
        raise UserError(f"{what} is nested more than {MAX_DEPTH} levels deep")
    try:
        return json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float,
                          parse_int=_finite_int, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as error:
        raise UserError(
            f"{what} is not valid JSON: {error.msg} at line {error.lineno}, "
            f"column {error.colno}"
        ) from None
    except RecursionError:
        raise UserError(f"{what} is nested too deeply") from None


def parse_json_bytes(raw: bytes, what: str = "the file") -> Any:
    """Decode (UTF-8, BOM allowed) and parse uploaded bytes."""
    if len(raw) > MAX_BYTES:
        raise UserError(f"{what} is larger than {MAX_BYTES // (1024 * 1024)} MB")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UserError(f"{what} is not UTF-8 text") from None
    return parse_json_text(text, what)


def read_json_file(path: Path) -> Any:
    """Read and parse a JSON file: a regular file only, never more than the size limit read."""
    return parse_json_bytes(read_regular_file(path, MAX_BYTES), path.name)
