"""The team and task tables as the editor shows them, and back, with a message per bad row.

Pure pandas and pydantic, no Streamlit, so every rule here is unit-tested directly. The editor
(``mlpm_ui.task_editor``) keeps its input table stable and applies the user's edit state to it
with :func:`apply_edits`; :func:`read_tasks` and :func:`read_team` then turn the edited table
into scenario objects. Rows are identified by their index label, so a row that turns invalid
keeps its last valid version in the scenario instead of disappearing from it, and a new row is
written only once it is complete and valid.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pandas as pd
from pydantic import ValidationError

from mlpm_core.errors import shown_number
from mlpm_core.scenario import (
    PHASE_LABELS,
    PHASES,
    ROLE_LABELS,
    ROLES,
    Range,
    Task,
    TeamMember,
    describe_validation_error,
)

TASK_COLUMNS = ("name", "phase", "role", "optimistic", "most_likely", "pessimistic", "covers",
                "ongoing")
TEAM_COLUMNS = ("role", "fte_low", "fte_high", "rate_low", "rate_high")
POINTS = ("optimistic", "most_likely", "pessimistic")
POINT_LABELS = {"optimistic": "optimistic", "most_likely": "most likely",
                "pessimistic": "pessimistic"}
MAX_DAYS = 1e5
ADDED = "new"  # index labels of added rows: ("new", 0), ("new", 1), ...


@dataclass(frozen=True)
class RowError:
    """Why one row of a table was not saved."""

    row: int  # 1-based, as the user counts the rows on screen
    name: str
    message: str

    def __str__(self) -> str:
        named = f" '{self.name}'" if self.name else ""
        return f"row {self.row}{named}: {self.message}"


@dataclass(frozen=True)
class TableRead:
    """What an edited table means for the scenario.

    ``items`` is what to write: valid rows, and the last valid version of rows that are
    invalid now; ``valid`` maps each currently valid row's label to its object, so the caller
    can remember it as that row's last valid version.
    """

    items: list[Any]
    errors: list[RowError] = field(default_factory=list)
    valid: dict[Hashable, Any] = field(default_factory=dict)


# ------------------------------------------------------------------------------ frames
NO_COVER = "\u2014"
"""A task that covers no risk, as its cell holds it: the grid draws an empty option as a grey
"None", which read as a value."""


def tasks_frame(tasks: list[Task]) -> pd.DataFrame:
    """The task table the editor starts from: one row per task, labels 0..n-1. Phases and
    roles are held as the labels the grid shows, so that rows pasted from a spreadsheet
    ("Pipeline building", "Data engineer") are taken: the grid checks a pasted cell against
    the option values, and refused a label while the values were codes."""
    def cell(task: Task, column: str) -> Any:
        value = getattr(task, column)
        shown = {"covers": value or NO_COVER, "phase": phase_label(value),
                 "role": role_label(value)}
        return shown.get(column, value)

    return pd.DataFrame([{column: cell(task, column) for column in TASK_COLUMNS}
                         for task in tasks], columns=list(TASK_COLUMNS)).astype(
        {"optimistic": float, "most_likely": float, "pessimistic": float, "ongoing": object})


PHASE_OPTIONS = tuple(PHASE_LABELS[phase] for phase in PHASES)
ROLE_OPTIONS = tuple(ROLE_LABELS[role] for role in ROLES)
"""The grids' options: the labels a person reads, and pastes."""


def team_frame(team: list[TeamMember]) -> pd.DataFrame:
    """The team table the editor starts from: FTE and day rate as low / high columns."""
    return pd.DataFrame([{"role": role_label(member.role), "fte_low": member.fte.low,
                          "fte_high": member.fte.high, "rate_low": member.day_rate.low,
                          "rate_high": member.day_rate.high} for member in team],
                        columns=list(TEAM_COLUMNS)).astype(
        {"fte_low": float, "fte_high": float, "rate_low": float, "rate_high": float})


def apply_edits(base: pd.DataFrame, edits: Mapping[str, Any] | None) -> pd.DataFrame:
    """The table the user sees: ``base`` with the editor's edit state applied.

    The edit state is Streamlit's (``edited_rows`` by row position, ``deleted_rows`` as
    positions of base rows, ``added_rows`` appended in order). Added rows get the labels
    ``("new", k)`` so they never take over the label, and so the history, of a deleted row.
    """
    edits = edits or {}
    labels = list(base.index)
    rows: dict[Hashable, dict[str, Any]] = {label: dict(base.loc[label]) for label in labels}
    for position, changes in (edits.get("edited_rows") or {}).items():
        index = int(position)
        if 0 <= index < len(labels):
            rows[labels[index]].update(
                {column: value for column, value in changes.items() if column in base.columns})
    deleted = {int(position) for position in edits.get("deleted_rows") or []}
    kept = [label for index, label in enumerate(labels) if index not in deleted]
    records = [rows[label] for label in kept]
    for number, added in enumerate(edits.get("added_rows") or []):
        kept.append((ADDED, number))
        records.append({column: added.get(column) for column in base.columns})
    return pd.DataFrame(records, index=pd.Index(kept, dtype=object, tupleize_cols=False),
                        columns=base.columns)


# ------------------------------------------------------------------------------ cells
def is_blank(value: Any) -> bool:
    """An empty cell: None, NA, NaN or only spaces (what a data editor gives for nothing)."""
    if value is None or value is pd.NA:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _text(value: Any) -> str:
    return "" if is_blank(value) else str(value).strip()


def number_cell(value: Any, label: str, problems: list[str], *,
                required: bool = True) -> float | None:
    """A cell as a finite number, 0 or more, or a problem in plain words; an empty cell is
    None, and a problem only when the cell is ``required``."""
    if is_blank(value):
        if required:
            problems.append(f"{label} is empty")
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        problems.append(f"{label} must be a number, not {str(value)[:30]!r}")
        return None
    if not math.isfinite(number):
        problems.append(f"{label} must be a finite number")
        return None
    if number < 0:
        problems.append(f"{label} must be 0 or more")
        return None
    return number


Option = TypeVar("Option", bound=str)


def _choice(value: Any, options: tuple[Option, ...], labels: Mapping[str, str], what: str,
            problems: list[str]) -> Option | None:
    """The option a cell holds: its code, or its label as the grid shows it (either case)."""
    if is_blank(value):
        problems.append(f"choose a {what}")
        return None
    text = str(value).strip()
    if text in options:
        return options[options.index(text)]
    by_label = {labels[option].casefold(): option for option in options}
    if text.casefold() in by_label:
        return by_label[text.casefold()]
    problems.append(f"unknown {what} {text[:30]!r}")
    return None


def _row_is_blank(row: Mapping[str, Any]) -> bool:
    return all(is_blank(value) for value in row.values())


# ------------------------------------------------------------------------------ tasks
def task_problems(row: Mapping[str, Any], team_roles: frozenset[str] | None) -> tuple[
        Task | None, list[str]]:
    """One row as a task, or every reason it is not one (in the order a reader checks)."""
    problems: list[str] = []
    raw_name = row.get("name")
    name = "" if is_blank(raw_name) else str(raw_name)  # kept as typed: no spurious changes
    if not name.strip():
        problems.append("the name is empty")
    elif len(name) > 200:
        problems.append("the name is longer than 200 characters")
    phase = _choice(row.get("phase"), PHASES, PHASE_LABELS, "phase", problems)
    role = _choice(row.get("role"), ROLES, ROLE_LABELS, "role", problems)
    if role and team_roles and role not in team_roles:
        problems.append(f"{ROLE_LABELS[role]} is not on the team; add the role to the team "
                        "table first")
    points = {point: number_cell(row.get(point), POINT_LABELS[point], problems) for point in POINTS}
    for point, value in points.items():
        if value is not None and value > MAX_DAYS:
            problems.append(f"{POINT_LABELS[point]} must be at most {MAX_DAYS:,.0f} days")
    low, likely, high = (points[point] for point in POINTS)
    if low is not None and likely is not None and low > likely:
        problems.append(f"optimistic ({shown_number(low)}) must be <= most likely "
                        f"({shown_number(likely)})")
    if likely is not None and high is not None and likely > high:
        problems.append(f"most likely ({shown_number(likely)}) must be <= pessimistic "
                        f"({shown_number(high)})")
    if low is not None and high is not None and likely is None and low > high:
        problems.append(f"optimistic ({shown_number(low)}) must be <= pessimistic "
                        f"({shown_number(high)})")
    cover = row.get("covers")
    covers = "" if is_blank(cover) or cover == NO_COVER else str(cover)
    ongoing = not is_blank(row.get("ongoing")) and bool(row.get("ongoing"))  # new rows: None
    if problems:
        return None, problems
    # every empty or unusable cell added a problem above
    assert phase and role and low is not None and likely is not None and high is not None
    try:
        return Task(name=name, phase=phase, role=role, optimistic=low, most_likely=likely,
                    pessimistic=high, covers=covers, ongoing=ongoing), []
    except ValidationError as error:  # a check not mirrored above: still one sentence
        return None, [describe_validation_error(error)]


def read_tasks(frame: pd.DataFrame, last_valid: Mapping[Hashable, Task],
               team_roles: frozenset[str] | None = None) -> TableRead:
    """The tasks an edited table stands for, and a message for every row not saved.

    ``last_valid`` maps row labels to the task each row last validly held; an invalid row
    keeps that version (or is left out if it never was valid). Blank rows (just added, nothing
    typed yet) are skipped silently. ``team_roles``: the roles on a non-empty team.
    """
    items: list[Task] = []
    errors: list[RowError] = []
    valid: dict[Hashable, Task] = {}
    for number, (label, row) in enumerate(frame.iterrows(), start=1):
        cells = {column: row.get(column) for column in TASK_COLUMNS}
        if _row_is_blank(cells):
            continue
        task, problems = task_problems(cells, team_roles)
        if task is not None:
            valid[label] = task
            items.append(task)
            continue
        errors.append(RowError(number, _text(cells["name"])[:60], "; ".join(problems)))
        if label in last_valid:
            items.append(last_valid[label])
    return TableRead(items=items, errors=errors, valid=valid)


# ------------------------------------------------------------------------------ team
def _range(low: float, high: float, previous: Range | None) -> Range:
    """Keep a range's most-likely value and shape when its ends did not change."""
    if previous is not None and previous.low == low and previous.high == high:
        return previous
    return Range(low=low, high=high)


def member_problems(row: Mapping[str, Any], previous: TeamMember | None) -> tuple[
        TeamMember | None, list[str]]:
    """One row as a team member, or every reason it is not one."""
    problems: list[str] = []
    role = _choice(row.get("role"), ROLES, ROLE_LABELS, "role", problems)
    fte_low = number_cell(row.get("fte_low"), "FTE low", problems)
    fte_high = number_cell(row.get("fte_high"), "FTE high", problems)
    rate_low = number_cell(row.get("rate_low"), "day rate low", problems)
    rate_high = number_cell(row.get("rate_high"), "day rate high", problems)
    if fte_low is not None and fte_low <= 0:
        problems.append("FTE low must be above 0")
    if fte_high is not None and fte_high > 100:
        problems.append("FTE high must be at most 100")
    if fte_low is not None and fte_high is not None and fte_low > fte_high:
        problems.append(f"FTE low ({shown_number(fte_low)}) must be <= FTE high "
                        f"({shown_number(fte_high)}); a new row starts at 1 to 1, so for "
                        "a certain FTE give the same number in both")
    if rate_low is not None and rate_high is not None:
        if rate_low > rate_high:
            problems.append(f"day rate low ({shown_number(rate_low)}) must be <= day rate high "
                            f"({shown_number(rate_high)})")
        elif rate_low == 0 < rate_high:
            problems.append("a day-rate range needs a low end above 0 (the same number "
                            "twice for a certain rate)")
    if problems:
        return None, problems
    # every empty or unusable cell added a problem above
    assert (role and fte_low is not None and fte_high is not None and rate_low is not None
            and rate_high is not None)
    same_role = previous if previous is not None and previous.role == role else None
    try:
        return TeamMember(
            role=role,
            fte=_range(fte_low, fte_high, same_role.fte if same_role else None),
            day_rate=_range(rate_low, rate_high, same_role.day_rate if same_role else None),
        ), []
    except ValidationError as error:
        return None, [describe_validation_error(error)]


def read_team(frame: pd.DataFrame, last_valid: Mapping[Hashable, TeamMember]) -> TableRead:
    """The team an edited table stands for; a role listed twice is an error on the later row."""
    items: list[TeamMember] = []
    errors: list[RowError] = []
    valid: dict[Hashable, TeamMember] = {}
    seen: set[str] = set()
    for number, (label, row) in enumerate(frame.iterrows(), start=1):
        cells = {column: row.get(column) for column in TEAM_COLUMNS}
        if _row_is_blank(cells):
            continue
        member, problems = member_problems(cells, last_valid.get(label))
        if member is not None and member.role in seen:
            problems = [f"{ROLE_LABELS[member.role]} is already on the team; "
                        "use FTE for several people in one role"]
            member = None
        if member is not None:
            seen.add(member.role)
            valid[label] = member
            items.append(member)
            continue
        shown = ROLE_LABELS.get(_text(cells["role"]), "")
        errors.append(RowError(number, shown, "; ".join(problems)))
        kept = last_valid.get(label)
        if kept is not None and kept.role not in seen:
            seen.add(kept.role)
            items.append(kept)
    return TableRead(items=items, errors=errors, valid=valid)


def phase_label(phase: object) -> str:
    """A phase as the table shows it (any option value a widget hands over)."""
    return PHASE_LABELS.get(str(phase), str(phase))


def role_label(role: object) -> str:
    """A role as the tables show it (any option value a widget hands over)."""
    return ROLE_LABELS.get(str(role), str(role))
