"""A room's life after the meeting: close, reopen, archive, delete, and the list of rooms."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select, update

from mlpm_core.scenario.model import Scenario
from mlpm_core.store.database import Store
from mlpm_core.store.room_access import ROOM_DELETED, RoomAccessError
from mlpm_core.store.rooms import (
    adopt,
    archive_room,
    close_room,
    delete_room,
    join,
    list_rooms,
    next_round,
    open_room,
    provenance,
    reopen_room,
    room_for_facilitator,
    room_for_token,
    room_view,
    submit,
)
from mlpm_core.store.schema import participants, rooms, submission_requests, submissions
from mlpm_core.workshop import TaskEstimate


def make_scenario(store: Store) -> str:
    scenario = Scenario.model_validate({"project": {"name": "Churn"}, "tasks": [
        {"name": "T1", "phase": "planning", "role": "ml_engineer", "optimistic": 1,
         "most_likely": 2, "pessimistic": 3}]})
    return store.create(scenario).id


def count(store: Store, table) -> int:
    with store.read() as connection:
        return connection.execute(select(func.count()).select_from(table)).scalar_one()


def test_a_closed_room_reopens_with_the_same_link_and_an_expired_one_gets_more_time(store):
    room, token, key = open_room(store, make_scenario(store), "Kick-off")
    close_room(store, token, key)
    with pytest.raises(RoomAccessError, match="closed"):
        join(store, token, "Ada")
    reopened = reopen_room(store, token, key)
    assert reopened.closed_at is None and reopened.expires_at == room.expires_at
    assert join(store, token, "Ada").number == 1
    assert reopen_room(store, token, key) == reopened  # already open: nothing changes
    with store.write() as connection:
        connection.execute(update(rooms).values(expires_at="2000-01-01T00:00:00.000000+00:00"))
    with pytest.raises(RoomAccessError, match="expired"):
        room_for_token(store, token)
    assert reopen_room(store, token, key).expires_at > room.expires_at
    assert room_for_token(store, token).title == "Kick-off"


def test_the_list_shows_open_rooms_first_then_closed_then_archived(store):
    sid = make_scenario(store)
    opened = {title: open_room(store, sid, title) for title in ("A", "B", "C", "D")}
    close_room(store, opened["D"].token, opened["D"].facilitator_key)  # newest, but closed
    archived = archive_room(store, opened["A"].token, opened["A"].facilitator_key)
    assert archived.archived_at and archived.closed_at  # archiving closes it
    assert [room.title for room in list_rooms(store, sid)] == ["C", "B", "D", "A"]
    archive_room(store, opened["A"].token, opened["A"].facilitator_key, archived=False)
    assert [room.title for room in list_rooms(store, sid)] == ["C", "B", "D", "A"]
    assert list_rooms(store, sid)[-1].archived_at is None


def test_delete_removes_the_participants_input_and_keeps_adopted_provenance(store):
    sid = make_scenario(store)
    room, token, key = open_room(store, sid, "Kick-off")
    other = open_room(store, sid, "Other")
    person = join(store, token, "Ada")
    submit(store, token, person.id, person.secret, 1, [TaskEstimate("T1", 2, 3, 5)], None,
           uuid.uuid4().hex)
    kept = join(store, other.token, "Bob")
    submit(store, other.token, kept.id, kept.secret, 1, [TaskEstimate("T1", 1, 1, 1)], None,
           uuid.uuid4().hex)
    adopt(store, token, key, 1)
    before = provenance(store, sid)

    deleted = delete_room(store, token, key)
    assert deleted.deleted_at and deleted.closed_at
    assert (count(store, participants), count(store, submissions),
            count(store, submission_requests)) == (1, 1, 1)  # only the other room's
    assert provenance(store, sid) == before and before[0].room_title == "Kick-off"
    assert [r.title for r in list_rooms(store, sid)] == ["Other"]
    assert store.load(sid)[0].tasks[0].pessimistic == 5  # the adopted values stay
    for call in (lambda: room_for_token(store, token), lambda: join(store, token, "Eve"),
                 lambda: room_for_facilitator(store, token, key),
                 lambda: room_view(store, token, facilitator_key=key),
                 lambda: next_round(store, token, key), lambda: reopen_room(store, token, key),
                 lambda: delete_room(store, token, key), lambda: adopt(store, token, key, 1)):
        with pytest.raises(RoomAccessError, match=ROOM_DELETED):
            call()
    assert room.id not in {r.id for r in list_rooms(store, sid)}


def test_lifecycle_changes_need_the_facilitator_key(store):
    _, token, key = open_room(store, make_scenario(store), "Kick-off")
    for change in (reopen_room, archive_room, delete_room):
        with pytest.raises(RoomAccessError, match="facilitator key"):
            change(store, token, "x" * 43)
    assert room_for_facilitator(store, token, key).deleted_at is None
