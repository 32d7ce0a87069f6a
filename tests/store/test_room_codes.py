"""Short room codes: what they open (a participant's way in, only while the room is open), what
is stored (a hash), how typing slips are forgiven, the limit on wrong codes, and migration 5.

They run on the back ends of this folder's ``conftest.py`` (SQLite, and PostgreSQL when set).
"""

from __future__ import annotations

import re
import uuid

import pytest
from sqlalchemy import column, insert, select, table, text

from mlpm_core.scenario.model import Scenario
from mlpm_core.store import room_codes
from mlpm_core.store.database import Store, open_store
from mlpm_core.store.room_access import ROOM_REFUSED, RoomAccessError, digest
from mlpm_core.store.room_codes import (
    ALPHABET,
    CODE_LIMITED,
    WrongCodes,
    room_code,
    typed_code,
)
from mlpm_core.store.rooms import (
    close_room,
    join,
    open_room,
    participant_for,
    participant_status,
    reopen_room,
    room_for_facilitator,
    room_for_token,
    room_view,
    submit,
)
from mlpm_core.store.schema import rooms, utc_now
from mlpm_core.workshop import TaskEstimate


@pytest.fixture(autouse=True)
def clock(monkeypatch) -> list[float]:
    """A fresh count of wrong codes (3 a minute) on a clock the test moves: ``clock[0]``."""
    now = [0.0]
    monkeypatch.setattr(room_codes, "WRONG_CODES",
                        WrongCodes(limit=3, window_s=60, clock=lambda: now[0]))
    return now


def make_scenario(store: Store) -> str:
    scenario = Scenario.model_validate({"project": {"name": "Churn"}, "tasks": [
        {"name": "T1", "phase": "planning", "role": "ml_engineer", "optimistic": 1,
         "most_likely": 2, "pessimistic": 3}]})
    return store.create(scenario).id


def other_code(code: str) -> str:
    """A well-formed code that is not ``code``."""
    last = ALPHABET[(ALPHABET.index(code[-1]) + 1) % len(ALPHABET)]
    return code[:-1] + last


def test_a_code_is_eight_unambiguous_characters_derived_from_the_token():
    token = "t" * 43
    code = room_code(token)
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", code)
    assert room_code(token) == code and room_code("u" * 43) != code
    assert code.replace("-", "") not in token


def test_typing_slips_are_forgiven_and_anything_else_is_not_a_code():
    assert typed_code(" k7qd-m2xp ") == typed_code("K7QDM2XP") == "K7QDM2XP"
    assert typed_code("O1IL-0000") == "01110000"  # letters read as digits, as Crockford says
    for not_a_code in ("K7QD-M2X", "K7QD-M2XPQ", "K7QD-M2XU", "é" * 8, "", None, 12345678,
                       "x" * 43):
        assert typed_code(not_a_code) is None


def test_a_code_lets_a_participant_in_while_the_room_is_open_and_never_steers_it(store):
    room, token, key = open_room(store, make_scenario(store), "Kick-off")
    code = room_code(token)
    assert room.has_code and room_for_token(store, code.lower().replace("-", " ")) == room
    ada = join(store, code, "Ada")
    submit(store, code, ada.id, ada.secret, 1, [TaskEstimate("T1", 1, 2, 3)], None,
           uuid.uuid4().hex)
    assert participant_for(store, code, ada.id, ada.secret).display_name == "Ada"
    mine = room_view(store, code, participant_id=ada.id, participant_secret=ada.secret)
    assert mine.your_estimates == (TaskEstimate("T1", 1, 2, 3),)
    assert participant_status(store, code, ada.id, ada.secret)[1] is not None
    for steer in (lambda: room_for_facilitator(store, code, key),
                  lambda: room_view(store, code, facilitator_key=key)):
        with pytest.raises(RoomAccessError, match=re.escape(ROOM_REFUSED)):
            steer()
    close_room(store, token, key)
    with pytest.raises(RoomAccessError, match="closed"):
        room_for_token(store, code)
    reopen_room(store, token, key)
    assert room_for_token(store, code).id == room.id


def test_only_the_hash_of_the_code_is_stored(store):
    _, token, _ = open_room(store, make_scenario(store), "Kick-off")
    code = typed_code(room_code(token))
    with store.read() as connection:
        stored = connection.execute(select(rooms)).one()
    assert code not in str(tuple(stored)) and room_code(token) not in str(tuple(stored))
    assert stored.code_sha256 == digest(code)


def test_wrong_codes_are_refused_alike_and_limited_per_minute(store, clock):
    """After the limit, every code (even the right one) is refused until the minute has passed;
    the link keeps working meanwhile."""
    room, token, _ = open_room(store, make_scenario(store), "Kick-off")
    code = room_code(token)
    for _ in range(3):
        with pytest.raises(RoomAccessError, match="No open workshop room has this code"):
            room_for_token(store, other_code(code))
    with pytest.raises(RoomAccessError, match=re.escape(CODE_LIMITED)):
        room_for_token(store, code)
    assert room_for_token(store, token) == room
    clock[0] = 60.0
    assert room_for_token(store, code) == room


def test_a_room_from_before_migration_5_has_no_code_and_new_rooms_get_one(url):
    """A version-4 database's rooms table lacks the code column; migration 5 adds it (and its
    unique index); the old room opens by its link only."""
    old = Store(url)
    assert old.migrate(target=4) == [1, 2, 3, 4]
    sid, token = make_scenario(old), "t" * 43
    with old.write() as connection:  # the table as an older mlpm created it
        connection.execute(text("DROP INDEX ix_rooms_code_sha256"))
        connection.execute(text("ALTER TABLE rooms DROP COLUMN code_sha256"))
        connection.execute(insert(table("rooms", *[
            column(c.name) for c in rooms.columns if c.name != "code_sha256"])).values(
            id=uuid.uuid4().hex, scenario_id=sid, scenario_version=1,
            token_sha256=digest(token), facilitator_sha256=digest("k" * 43), title="Old",
            tasks='[{"name": "T1", "phase": "planning", "role": "ml_engineer", '
                  '"optimistic": 1, "most_likely": 2, "pessimistic": 3}]',
            created_at=utc_now(), expires_at="2999-01-01T00:00:00.000000+00:00",
            closed_at=None, current_round=1, names_revealed=False, questions="[]"))
    old.close()
    with open_store(url) as store:
        assert not room_for_token(store, token).has_code
        with pytest.raises(RoomAccessError, match="No open workshop room has this code"):
            room_for_token(store, room_code(token))
        _, new_token, _ = open_room(store, sid, "New")
        assert room_for_token(store, room_code(new_token)).title == "New"
