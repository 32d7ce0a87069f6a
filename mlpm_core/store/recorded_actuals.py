"""Recorded actuals in SQL: read, insert and delete rows of ``actuals`` inside the caller's
transaction.

``Store`` (every row, as the local user) and ``GuardedStore`` (what one identity may see or
change) both use these, so the two read and delete alike and differ only in their checks.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, delete, insert, select, true

from mlpm_core.calibration import Actual
from mlpm_core.scenario import NotFoundError
from mlpm_core.store.checks import shown_ids
from mlpm_core.store.schema import actuals

SHOWN_COLUMNS = tuple(column for column in actuals.c if column.name != "owner")
CHUNK = 500
"""Ids per ``IN (...)``: far below every backend's limit on bound parameters (SQLite's was 999
before 3.32), so deleting a whole imported file of thousands of rows still runs."""


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


def read_actuals(connection: Connection,
                 condition: ColumnElement[bool] | None = None) -> list[Actual]:
    """The rows meeting ``condition`` (all by default), in the order they were recorded."""
    query = select(*SHOWN_COLUMNS).where(condition if condition is not None else true())
    rows = connection.execute(query.order_by(actuals.c.id)).mappings().all()
    return [Actual(**row) for row in rows]


def insert_actuals(connection: Connection, rows: Sequence[Actual], owner: str,
                   now: str) -> list[int]:
    """Insert checked rows as ``owner``'s, recorded at ``now``; their new ids, in order."""
    values = [{"scenario_id": a.scenario_id, "task": a.task, "phase": a.phase,
               "estimate": a.estimate, "actual": a.actual, "unit": a.unit,
               "finished_on": a.finished_on, "team": a.team, "created_at": now,
               "owner": owner}
              for a in rows]
    return list(connection.execute(
        insert(actuals).returning(actuals.c.id, sort_by_parameter_order=True),
        values).scalars().all())


def owners_of(connection: Connection, ids: Sequence[int]) -> list[Any]:
    """(id, owner, scenario_id) of those of ``ids`` that are recorded: what a delete checks."""
    c = actuals.c
    found: list[Any] = []
    for chunk in _chunks(ids):
        found.extend(connection.execute(
            select(c.id, c.owner, c.scenario_id).where(c.id.in_(chunk))).all())
    return found


def not_recorded(ids: list[int]) -> NotFoundError:
    """The refusal of a delete naming ids that are not (or no longer) recorded."""
    which = (f"No recorded actual has the id {ids[0]}" if len(ids) == 1
             else f"No recorded actuals have the ids {shown_ids(ids)}")
    return NotFoundError(f"{which} (deleted already, or a typo?); nothing was deleted.")


def delete_actuals(connection: Connection, ids: list[int]) -> int:
    """Delete the rows of ``ids``, every one of which must be recorded, else none is; the number
    deleted. The caller's write transaction makes the check and the delete one step."""
    found = {row.id for row in owners_of(connection, ids)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise not_recorded(missing)
    deleted = 0
    for chunk in _chunks(ids):
        deleted += connection.execute(delete(actuals).where(actuals.c.id.in_(chunk))).rowcount
    return deleted
