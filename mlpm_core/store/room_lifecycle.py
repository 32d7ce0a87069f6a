"""A workshop room's life after the meeting: reopen, archive, delete, and the list of rooms.

Part of the workshop API; import it from ``rooms.py``. Every change needs the room token and
the facilitator key (``room_access.py``), as closing does.

Deleting removes what participants gave (their names, ranges and answers) and keeps the room's
row, marked deleted, with its title: the scenario's history still says which workshop an
adopted value came from (``provenance``). A deleted room refuses every call, for participants
and facilitator alike, and is left out of the list.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update

from mlpm_core.store.checks import storable_key
from mlpm_core.store.database import Store
from mlpm_core.store.room_access import change_room, facilitator_row, room_from_row
from mlpm_core.store.schema import (
    participants,
    rooms,
    submission_requests,
    submissions,
    utc_now,
)
from mlpm_core.workshop import Room

REOPEN_HOURS = 8


def reopen_room(store: Store, token: str, facilitator_key: str) -> Room:
    """Take joins and submissions again (the same link works); an expired room gets another
    ``REOPEN_HOURS`` hours. Reopening an open room changes nothing."""
    def change(row: Any) -> dict[str, Any]:
        values: dict[str, Any] = {"closed_at": None} if row.closed_at else {}
        now = utc_now()
        if row.expires_at <= now:
            later = datetime.now(UTC) + timedelta(hours=REOPEN_HOURS)
            values["expires_at"] = later.isoformat(timespec="microseconds")
        return values
    return change_room(store, token, facilitator_key, change)


def archive_room(store: Store, token: str, facilitator_key: str, archived: bool = True) -> Room:
    """Move a room to the archive (closing it if open) or back to the list."""
    def change(row: Any) -> dict[str, Any]:
        if not archived:
            return {"archived_at": None}
        now = utc_now()
        return {"archived_at": row.archived_at or now, "closed_at": row.closed_at or now}
    return change_room(store, token, facilitator_key, change)


def delete_room(store: Store, token: str, facilitator_key: str) -> Room:
    """Delete the participants' input and mark the room deleted; its adopted values keep
    their provenance. Deleting twice is refused like any call on a deleted room."""
    with store.write() as connection:
        row = facilitator_row(connection, token, facilitator_key, lock="update")
        for table in (submissions, submission_requests, participants):
            connection.execute(delete(table).where(table.c.room_id == row.id))
        now = utc_now()
        connection.execute(update(rooms).where(rooms.c.id == row.id).values(
            deleted_at=now, closed_at=row.closed_at or now))
        return room_from_row(connection.execute(select(rooms).where(rooms.c.id == row.id)).one())


def list_rooms(store: Store, scenario_id: str) -> list[Room]:
    """The scenario's rooms that are not deleted: open ones first, then closed or expired,
    then archived; newest first within each (no secrets: they are not stored)."""
    if not storable_key(scenario_id):
        return []
    with store.read() as connection:
        rows = connection.execute(select(rooms).where(
            rooms.c.scenario_id == scenario_id, rooms.c.deleted_at.is_(None))
            .order_by(rooms.c.created_at.desc())).all()
    found, now = [room_from_row(row) for row in rows], utc_now()
    return sorted(found, key=lambda room: (room.archived_at is not None,
                                           not room.accepting(now)))
