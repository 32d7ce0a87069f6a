"""Load a team's recorded actuals (what finished work really took) from a CSV file.

The user says which columns hold the estimate and the actual (same unit), and optionally the
phase, the date and the team. Every cell is read as text and only the mapped numeric/date
columns are converted, so a cell such as ``=HYPERLINK(...)`` is just a (rejected or kept)
string, never evaluated. Problems come back as one readable ``UserError``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from mlpm_core.calibration.reference_class import MAX_AMOUNT, MIN_AMOUNT
from mlpm_core.errors import UserError
from mlpm_core.files import read_regular_file

MAX_BYTES = 20 * 1024 * 1024
MAX_COLUMNS = 1000
"""Columns of an actuals file: an export with more is not a table of tasks (and its header would
fill the screen in a message)."""
SHOWN_COLUMNS = 12
ENCODINGS = ("utf-8-sig", "cp1252")


@dataclass(frozen=True)
class Actual:
    """One finished piece of work: what it was estimated at and what it really took.

    ``id`` and ``created_at`` are filled in by the store; ``estimate`` and ``actual`` share
    ``unit``.
    """

    task: str
    estimate: float
    actual: float
    unit: str = "days"
    phase: str | None = None
    finished_on: dt.date | None = None
    team: str | None = None
    scenario_id: str | None = None
    id: int | None = None
    created_at: str | None = None


def _identity(row: Actual) -> tuple[object, ...]:
    return (row.task, row.estimate, row.actual, row.unit, row.phase, row.finished_on, row.team,
            row.scenario_id)


def not_yet_recorded(rows: Sequence[Actual], recorded: Iterable[Actual]) -> list[Actual]:
    """The rows that are not already recorded as they are (same task name, numbers, unit,
    phase, date and team). Importing one file twice doubled every task's weight in the next
    fit, silently; an import keeps only the new rows and says how many it left out."""
    seen = {_identity(row) for row in recorded}
    return [row for row in rows if _identity(row) not in seen]


def already_recorded_note(left_out: int) -> str:
    """What an import says about the rows :func:`not_yet_recorded` left out ('' for none)."""
    if not left_out:
        return ""
    rows = "row was" if left_out == 1 else "rows were"
    return (f" {left_out:,} {rows} already recorded exactly so (the same file imported "
            "before?) and left out, so no finished task counts twice.")


class ColumnMapping(BaseModel):
    """Which CSV columns hold what; names are matched exactly, then ignoring case and spaces."""

    model_config = ConfigDict(extra="forbid")

    estimate: str = Field(min_length=1)
    actual: str = Field(min_length=1)
    phase: str | None = None
    date: str | None = None
    team: str | None = None

    def used(self) -> dict[str, str]:
        """Output column -> CSV column, for the columns that are mapped."""
        return {k: v for k, v in self.model_dump().items() if v is not None}



def csv_text(raw: bytes, file_name: str) -> str:
    """The text of an uploaded or read CSV file: not empty, not binary, UTF-8 or Windows-1252."""
    if not raw.strip():
        raise UserError(f"{file_name} is empty.")
    if b"\x00" in raw:
        raise UserError(f"{file_name} looks like a binary file, not a CSV text file.")
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UserError(f"{file_name} is neither UTF-8 nor Windows-1252 text; save it as UTF-8 CSV "
                    "and try again.")

def load_actuals(path: str | os.PathLike[str], mapping: ColumnMapping | None = None, *,
                 estimate: str | None = None, actual: str | None = None,
                 phase: str | None = None, date: str | None = None, team: str | None = None,
                 max_bytes: int = MAX_BYTES) -> pd.DataFrame:
    """Read and validate actuals; returns columns estimate, actual (+ phase, date, team).

    Give either a ``ColumnMapping`` or the column names as keywords. Rows keep file order;
    the index is the 1-based data row number (row 1 is the line after the header).
    """
    if mapping is None:
        if not estimate or not actual:
            raise UserError("Say which columns hold the estimate and the actual.")
        mapping = ColumnMapping(estimate=estimate, actual=actual, phase=phase, date=date,
                                team=team)
    used = mapping.used()
    if len(set(used.values())) < len(used):
        raise UserError("Each mapped column must be a different CSV column.")
    frame = _read_text_table(Path(path), max_bytes)
    columns = {out: _find_column(frame, name) for out, name in used.items()}
    result = pd.DataFrame(index=pd.RangeIndex(1, len(frame) + 1, name="row"))
    for out in ("estimate", "actual"):
        result[out] = _positive_numbers(frame[columns[out]], columns[out])
    for out in ("phase", "date", "team"):
        if out == "date" and out in columns:
            result[out] = _dates(frame[columns[out]], columns[out])
        elif out in columns:
            result[out] = frame[columns[out]].str.strip().to_numpy()
    return result


def _read_text_table(path: Path, max_bytes: int) -> pd.DataFrame:
    text = csv_text(read_regular_file(path, max_bytes), path.name)
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False,
                            na_filter=False, skipinitialspace=True, quoting=csv.QUOTE_MINIMAL)
    except pd.errors.EmptyDataError:
        raise UserError(f"{path.name} is empty.") from None
    except (pd.errors.ParserError, csv.Error) as exc:
        raise UserError(f"{path.name} is not a well-formed CSV file: {exc}".strip()) from None
    if frame.empty:
        raise UserError(f"{path.name} has a header but no data rows.")
    frame.columns = [str(c) for c in frame.columns]
    if len(frame.columns) > MAX_COLUMNS:
        raise UserError(f"{path.name} has {len(frame.columns):,} columns; an actuals file may "
                        f"have at most {MAX_COLUMNS:,}. Keep the columns you map and save again.")
    return frame


def column_list(columns: list[str]) -> str:
    """The first few column names, quoted, and how many more there are."""
    shown = ", ".join(repr(c[:40]) for c in columns[:SHOWN_COLUMNS])
    more = len(columns) - SHOWN_COLUMNS
    return shown + (f" and {more:,} more" if more > 0 else "")


def _find_column(frame: pd.DataFrame, wanted: str) -> str:
    if wanted in frame.columns:
        return wanted
    folded = {c.strip().casefold(): c for c in frame.columns}
    if wanted.strip().casefold() in folded:
        return folded[wanted.strip().casefold()]
    available = column_list(list(frame.columns))
    hint = ""
    if len(frame.columns) == 1 and any(s in frame.columns[0] for s in (";", "\t", "|")):
        hint = " (the file seems to use another separator than a comma)"
    raise UserError(f"No column named {wanted!r}. Available columns: {available}{hint}.")


def _positive_numbers(cells: pd.Series, column: str) -> np.ndarray:
    text = cells.str.strip()
    values = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)
    # pandas reads "nan"/"inf" as numbers; a person's CSV should not contain them either way.
    checks = (
        (text == "", "is empty"),
        (np.isnan(values), "is not a number"),
        (np.isinf(values), "is not a finite number"),
        (values <= 0, "must be greater than zero"),
        (values < MIN_AMOUNT, f"is below the smallest amount, {MIN_AMOUNT:g}"),
        (values > MAX_AMOUNT, f"is above the largest amount, {MAX_AMOUNT:,.0f}"),
    )
    for bad, problem in checks:
        rows = np.flatnonzero(np.asarray(bad))
        if rows.size:
            first = rows[0]
            more = f" ({rows.size - 1} more row(s) like it)" if rows.size > 1 else ""
            raise UserError(f"Column {column!r}, row {first + 1}: value "
                            f"{cells.iloc[first][:40]!r} "
                            f"{problem}{more}. Rows count from 1 after the header.")
    return values


def _dates(cells: pd.Series, column: str) -> np.ndarray:
    text = cells.str.strip()
    present = text.where(text != "")
    try:  # ISO dates first: day-first guessing would read 2024-03-04 as 3 April
        parsed = pd.to_datetime(present, format="ISO8601")
    except (ValueError, TypeError):
        parsed = pd.to_datetime(present, errors="coerce", format="mixed", dayfirst=True)
    bad = np.flatnonzero(parsed.isna().to_numpy() & (text != "").to_numpy())
    if bad.size:
        raise UserError(f"Column {column!r}, row {bad[0] + 1}: {cells.iloc[bad[0]]!r} is not a "
                        "date (use e.g. 2024-03-31).")
    return parsed.to_numpy()


def load_estimates(path: str | os.PathLike[str], column: str, *,
                   max_bytes: int = MAX_BYTES) -> np.ndarray:
    """One validated column of positive estimates from a CSV (for ``mlpm interval --from``)."""
    frame = _read_text_table(Path(path), max_bytes)
    name = _find_column(frame, column)
    return _positive_numbers(frame[name], name)
