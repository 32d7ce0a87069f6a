"""What the store checks before any SQL runs, so that bad input is a readable refusal.

A database driver reports a value it cannot store as its own error (PostgreSQL: "A string
literal cannot contain NUL characters", a raw ``DataError``), after a transaction has begun.
Every text a caller hands the store outside a validated Scenario (a save note, an actual's task,
a reference class's name) is checked here first, by the same rule as the scenario's free-text
fields (``mlpm_core.scenario.text``).
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from mlpm_core.calibration import MAX_AMOUNT, MIN_AMOUNT, Actual
from mlpm_core.errors import UserError
from mlpm_core.scenario import MAX_NAME, checked_text, unsafe_character

MAX_NOTE = 2000


def storable_key(value: Any) -> bool:
    """Could ``value`` be looked up in SQL at all (text without control characters)? An id
    that could not be stored cannot have been stored: the caller answers "not found"."""
    return isinstance(value, str) and unsafe_character(value) is None


def checked_note(note: Any) -> str:
    """A version's note (why it was saved): text, line breaks allowed, 2,000 characters."""
    text = checked_text(note, "save note", multiline=True)
    if len(text) > MAX_NOTE:
        raise UserError(f"The save note is {len(text):,} characters long; at most "
                        f"{MAX_NOTE:,} fit.")
    return text


def checked_reference_name(name: Any) -> str:
    """A reference class's name in the store: 1 to ``MAX_NAME`` characters of one line."""
    if not isinstance(name, str) or not 1 <= len(name) <= MAX_NAME:
        raise UserError(f"A reference class name must be 1 to {MAX_NAME} characters long.")
    return checked_text(name, "reference class name")


def checked_actual(row: Actual, number: int) -> Actual:
    """One actual as the store keeps it: text fields storable, amounts within what the fit
    accepts (a recorded 1e308 used to be stored and then refused by every fit)."""
    where = f"actual {number}"
    if not isinstance(row.task, str) or not row.task.strip():
        raise UserError(f"{where}: the task or project name is empty")
    checked_text(row.task, f"task of {where}")
    for field in ("estimate", "actual"):
        value = getattr(row, field)
        if (isinstance(value, bool) or not isinstance(value, int | float)
                or not math.isfinite(value) or not MIN_AMOUNT <= value <= MAX_AMOUNT):
            raise UserError(f"{where}: the {field} must be a number from {MIN_AMOUNT:g} to "
                            f"{MAX_AMOUNT:,.0f}, got {value!r:.40}; a value outside that "
                            "range is a typo that would block every later fit")
    if not isinstance(row.unit, str) or not 1 <= len(row.unit) <= 32:
        raise UserError(f"{where}: the unit must be 1 to 32 characters")
    checked_text(row.unit, f"unit of {where}")
    for field in ("phase", "team", "scenario_id"):
        if getattr(row, field) is not None:
            checked_text(getattr(row, field), f"{field.replace('_', ' ')} of {where}")
    finished = row.finished_on
    if isinstance(finished, datetime):
        finished = finished.date()
    elif finished is not None and not isinstance(finished, date):
        raise UserError(f"{where}: finished_on must be a date")
    return replace(row, estimate=float(row.estimate), actual=float(row.actual),
                   finished_on=finished)


MAX_IDS_SHOWN = 10


def checked_actual_ids(ids: Any) -> list[int]:
    """Ids of recorded actuals as the store looks them up: whole numbers, each once, sorted.

    A string or a float from a front end would otherwise reach SQL, where "7" may or may not
    equal 7 depending on the backend; refusing it here keeps the answer the same everywhere.
    """
    if isinstance(ids, str | bytes):
        raise UserError("Give the ids of the recorded actuals as a list of whole numbers.")
    checked: set[int] = set()
    for value in ids:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise UserError(f"A recorded actual's id is a whole number from 1, got "
                            f"{value!r:.40}; nothing was deleted.")
        checked.add(value)
    return sorted(checked)


def shown_ids(ids: list[int]) -> str:
    """``7``, ``7 and 9``, ``7, 9 and 12``; past ten ids, the first ten and how many in all."""
    if len(ids) > MAX_IDS_SHOWN:
        return ", ".join(map(str, ids[:MAX_IDS_SHOWN])) + f", ... ({len(ids):,} in all)"
    if len(ids) == 1:
        return str(ids[0])
    return ", ".join(map(str, ids[:-1])) + f" and {ids[-1]}"
