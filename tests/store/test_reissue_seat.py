"""A new seat link for a participant who lost theirs (``reissue_seat``).

Joining again under the same name is refused, so without this a participant who closed the tab
on a phone would come back under another name and leave their estimates orphaned. The
facilitator replaces the seat's secret instead: the same participant, a new secret, the old one
refused at once.
"""

from __future__ import annotations

import hashlib
import re
import uuid

import pytest
from sqlalchemy import select, update

from mlpm_core.errors import UserError
from mlpm_core.store.database import Store
from mlpm_core.store.room_access import FACILITATOR_REFUSED, PARTICIPANT_REFUSED, ROOM_DELETED
from mlpm_core.store.rooms import (
    RoomAccessError,
    close_room,
    delete_room,
    join,
    open_room,
    participant_for,
    reissue_seat,
    reopen_room,
    room_view,
    submit,
)
from mlpm_core.store.schema import participants, rooms
from mlpm_core.workshop.aggregate import TaskEstimate
from tests.store.test_participant_receipt import make_scenario


def est(task: str, o: float, m: float, p: float) -> list[TaskEstimate]:
    return [TaskEstimate(task, o, m, p)]


def key() -> str:
    return uuid.uuid4().hex


def _room_with_ada_and_bob(store: Store):
    _, token, facilitator = open_room(store, make_scenario(store), "Kick-off")
    ada, bob = join(store, token, "Ada"), join(store, token, "Bob")
    submit(store, token, bob.id, bob.secret, 1, est("T1", 1, 2, 3), None, key())
    return token, facilitator, ada, bob


def test_a_new_secret_keeps_the_seat_and_refuses_the_old_one(store):
    """Bob's id, number, name and submissions stay; only the new secret opens his seat."""
    token, facilitator, ada, bob = _room_with_ada_and_bob(store)
    again = reissue_seat(store, token, facilitator, bob.number)
    assert (again.id, again.room_id, again.number, again.display_name, again.joined_at) == (
        bob.id, bob.room_id, bob.number, bob.display_name, bob.joined_at)
    assert again.secret and again.secret != bob.secret
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", again.secret)
    assert participant_for(store, token, bob.id, again.secret).display_name == "Bob"
    with pytest.raises(RoomAccessError, match=re.escape(PARTICIPANT_REFUSED)):
        participant_for(store, token, bob.id, bob.secret)
    with pytest.raises(RoomAccessError, match=re.escape(PARTICIPANT_REFUSED)):
        submit(store, token, bob.id, bob.secret, 1, est("T2", 1, 2, 3), None, key())
    mine = room_view(store, token, participant_id=bob.id, participant_secret=again.secret)
    assert [e.task_name for e in mine.your_estimates] == ["T1"]  # what he gave is his still
    submit(store, token, bob.id, again.secret, 1, est("T2", 2, 3, 4), None, key())
    view = room_view(store, token, facilitator_key=facilitator)
    assert [m.number for m in view.members] == [1, 2]
    assert {task.task_name: len(task.entries) for task in view.rounds[0].tasks
            if task.entries} == {"T1": 1, "T2": 1}
    assert participant_for(store, token, ada.id, ada.secret).display_name == "Ada"  # untouched


def test_only_the_hash_of_the_new_secret_is_stored(store):
    """The new secret appears in no stored row; the seat's row holds its SHA-256."""
    token, facilitator, _, bob = _room_with_ada_and_bob(store)
    again = reissue_seat(store, token, facilitator, bob.number)
    with store.read() as connection:
        dumped = repr(connection.execute(select(participants)).all())
        stored = connection.execute(select(participants.c.secret_sha256)
                                    .where(participants.c.id == bob.id)).scalar_one()
    assert again.secret and again.secret not in dumped
    assert stored == hashlib.sha256(again.secret.encode()).hexdigest()
    assert "secret" not in repr(again)


def test_a_wrong_key_or_an_unknown_participant_is_refused_and_changes_nothing(store):
    """Only the room's facilitator may reissue, and only a seat that exists."""
    token, facilitator, _, bob = _room_with_ada_and_bob(store)
    _, _, other_key = open_room(store, make_scenario(store), "Other")
    for wrong in (None, "", token, other_key, facilitator[:-1] + "!"):
        with pytest.raises(RoomAccessError, match=re.escape(FACILITATOR_REFUSED)):
            reissue_seat(store, token, wrong, bob.number)  # type: ignore[arg-type]
    for number in (0, 3, -1):
        with pytest.raises(UserError, match=f"no participant {number}"):
            reissue_seat(store, token, facilitator, number)
    for odd in (True, "2", 2.0, None):
        with pytest.raises(UserError, match="by their number"):
            reissue_seat(store, token, facilitator, odd)  # type: ignore[arg-type]
    assert participant_for(store, token, bob.id, bob.secret).number == 2


def test_a_closed_expired_or_deleted_room_is_refused_until_reopened(store):
    """A seat in a room that takes no input does nothing, so the facilitator reopens first."""
    token, facilitator, _, bob = _room_with_ada_and_bob(store)
    close_room(store, token, facilitator)
    with pytest.raises(UserError, match="closed or has expired: reopen it first"):
        reissue_seat(store, token, facilitator, bob.number)
    reopen_room(store, token, facilitator)
    with store.write() as connection:
        connection.execute(update(rooms).values(expires_at="2000-01-01T00:00:00.000000+00:00"))
    with pytest.raises(UserError, match="closed or has expired"):
        reissue_seat(store, token, facilitator, bob.number)
    assert participant_for(store, token, bob.id, bob.secret).number == 2
    reopen_room(store, token, facilitator)
    assert reissue_seat(store, token, facilitator, bob.number).secret
    delete_room(store, token, facilitator)
    with pytest.raises(RoomAccessError, match=re.escape(ROOM_DELETED)):
        reissue_seat(store, token, facilitator, bob.number)


def test_joining_again_under_a_taken_name_says_how_to_get_the_seat_back(store):
    """The refusal stays, and tells the person to ask the facilitator for a new seat link."""
    token, _, _, _ = _room_with_ada_and_bob(store)
    with pytest.raises(UserError, match="already goes by that name") as caught:
        join(store, token, "bob")
    assert "ask the facilitator for a new link to your seat" in str(caught.value)
