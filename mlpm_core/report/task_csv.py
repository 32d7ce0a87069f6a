"""The task table as CSV that is safe to open in a spreadsheet (README "Reports").

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a
formula by Excel, LibreOffice and Google Sheets (``=cmd|' /C calc'!A0`` runs a program on some
set-ups), so such text cells get a leading apostrophe, which spreadsheets show as plain text.
Numbers are written as numbers (a negative number is not text and stays as it is).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from mlpm_core.scenario import PHASE_LABELS, ROLE_LABELS, Scenario

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADER = ("name", "phase", "phase_label", "role", "role_label", "optimistic_days",
          "most_likely_days", "pessimistic_days", "ongoing")
Cell = str | int | float | None


def neutralise(value: Cell) -> Cell:
    """A text cell that a spreadsheet would run as a formula, made inert; numbers untouched."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def number(value: float) -> int | float:
    """5.0 -> 5, so the CSV shows what the user typed."""
    return int(value) if float(value).is_integer() else value


def rows_to_csv(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    """Any table as neutralised CSV text (RFC 4180 quoting, CRLF line ends)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue()


def task_rows(scenario: Scenario) -> list[tuple[Cell, ...]]:
    """One row per task: codes, readable labels, the three-point estimate in days, and
    whether it runs alongside the whole project."""
    return [(task.name, task.phase, PHASE_LABELS.get(task.phase, task.phase), task.role,
             ROLE_LABELS.get(task.role, task.role), number(task.optimistic),
             number(task.most_likely), number(task.pessimistic),
             "yes" if task.ongoing else "no") for task in scenario.tasks]


def tasks_csv(scenario: Scenario) -> str:
    """The scenario's task table as CSV text."""
    return rows_to_csv(HEADER, task_rows(scenario))


def tasks_csv_bytes(scenario: Scenario) -> bytes:
    """The task table as UTF-8 CSV with a byte-order mark, so Excel reads accents right."""
    return ("\ufeff" + tasks_csv(scenario)).encode("utf-8")
