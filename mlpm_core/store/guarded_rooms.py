"""Workshop rooms through the guard: steering a room needs its owner (or the admin) as well as
the facilitator key; joining and submitting need only a signed-in identity and the join link,
which is the capability a facilitator hands out. The functions guarded are in ``rooms.py``.
"""

from __future__ import annotations

import builtins

from sqlalchemy import select

from mlpm_core.access import Identity, Level, level, require, signed_in
from mlpm_core.store import ownership
from mlpm_core.store.database import Store
from mlpm_core.store.room_access import Adoption, OpenedRoom, ProvenanceRecord, SubmitReceipt
from mlpm_core.store.rooms import (
    adopt,
    archive_room,
    close_room,
    delete_room,
    join,
    list_rooms,
    next_round,
    open_room,
    participant_for,
    participant_status,
    provenance,
    reissue_seat,
    reopen_room,
    reveal_names,
    room_for_facilitator,
    room_for_token,
    room_view,
    submit,
)
from mlpm_core.store.schema import rooms
from mlpm_core.workshop import Participant, RiskAnswers, Room, RoomView, TaskEstimate

ROOM = "this workshop room"
SCENARIO = "this scenario"


class GuardedRooms:
    """The room half of ``GuardedStore`` (see ``guarded.py``), and the checks both halves use."""

    _store: Store
    _identity: Identity | None

    def _me(self) -> Identity:
        return signed_in(self._identity)

    def _need(self, scenario_id: str, need: Level) -> tuple[Identity, Level]:
        """The identity and its level on a scenario, if that reaches ``need``."""
        me = self._me()
        with self._store.read() as connection:
            owner = ownership.scenario_owner(connection, scenario_id)
            have = level(me, owner, ownership.grants(connection, scenario_id))
        require(have, need, SCENARIO, owner)
        return me, have

    def _steer(self, token: str) -> Identity:
        """The identity, if it owns the room the token names (or is the admin)."""
        me = self._me()
        with self._store.read() as connection:
            owner, _ = ownership.room_owner(connection, token)
        require(level(me, owner, ()), Level.OWN, ROOM, owner)
        return me

    # ------------------------------------------------------------------ facilitator
    def open_room(self, scenario_id: str, title: str, ttl_hours: float = 8.0,
                  tasks: builtins.list[str] | None = None,
                  questions: builtins.list[str] | None = None) -> OpenedRoom:
        me, _ = self._need(scenario_id, Level.EDIT)
        return open_room(self._store, scenario_id, title, ttl_hours, tasks, questions,
                         owner=me.owner)

    def room_for_facilitator(self, token: str, facilitator_key: str) -> Room:
        self._steer(token)
        return room_for_facilitator(self._store, token, facilitator_key)

    def close_room(self, token: str, facilitator_key: str) -> Room:
        self._steer(token)
        return close_room(self._store, token, facilitator_key)

    def reveal_names(self, token: str, facilitator_key: str, revealed: bool = True) -> Room:
        self._steer(token)
        return reveal_names(self._store, token, facilitator_key, revealed)

    def next_round(self, token: str, facilitator_key: str,
                   from_round: int | None = None) -> Room:
        self._steer(token)
        return next_round(self._store, token, facilitator_key, from_round)

    def reissue_seat(self, token: str, facilitator_key: str,
                     participant_number: int) -> Participant:
        """A participant's new seat link is handed out by whoever steers the room."""
        self._steer(token)
        return reissue_seat(self._store, token, facilitator_key, participant_number)

    def reopen_room(self, token: str, facilitator_key: str) -> Room:
        self._steer(token)
        return reopen_room(self._store, token, facilitator_key)

    def archive_room(self, token: str, facilitator_key: str, archived: bool = True) -> Room:
        self._steer(token)
        return archive_room(self._store, token, facilitator_key, archived)

    def delete_room(self, token: str, facilitator_key: str) -> Room:
        self._steer(token)
        return delete_room(self._store, token, facilitator_key)

    def adopt(self, token: str, facilitator_key: str, round: int, *,
              expected_version: int | None = None, include_answers: bool = True) -> Adoption:
        """Adopting writes into the scenario, so it also needs edit access to it."""
        self._steer(token)
        with self._store.read() as connection:
            _, scenario_id = ownership.room_owner(connection, token)
        self._need(scenario_id, Level.EDIT)
        return adopt(self._store, token, facilitator_key, round,
                     expected_version=expected_version, include_answers=include_answers)

    def list_rooms(self, scenario_id: str) -> builtins.list[Room]:
        """A readable scenario's rooms: all for its owner, else the identity's own."""
        me, _ = self._need(scenario_id, Level.READ)
        with self._store.read() as connection:
            owner = ownership.scenario_owner(connection, scenario_id)
            mine = set(connection.execute(select(rooms.c.id).where(
                rooms.c.scenario_id == scenario_id,
                ownership.owned_rooms(me, owner))).scalars())
        return [room for room in list_rooms(self._store, scenario_id) if room.id in mine]

    def provenance(self, scenario_id: str) -> builtins.list[ProvenanceRecord]:
        self._need(scenario_id, Level.READ)
        return provenance(self._store, scenario_id)

    # ------------------------------------------------------------------ participants
    def room_view(self, token: str, *, facilitator_key: str | None = None,
                  participant_id: str | None = None,
                  participant_secret: str | None = None) -> RoomView:
        """The facilitator's view needs the room's owner; a participant's, the join link."""
        if facilitator_key is not None:
            self._steer(token)
        else:
            self._me()
        return room_view(self._store, token, facilitator_key=facilitator_key,
                         participant_id=participant_id, participant_secret=participant_secret)

    def room_for_token(self, token: str) -> Room:
        self._me()
        return room_for_token(self._store, token)

    def join(self, token: str, display_name: str) -> Participant:
        self._me()
        return join(self._store, token, display_name)

    def participant_for(self, token: str, participant_id: str, secret: str) -> Participant:
        self._me()
        return participant_for(self._store, token, participant_id, secret)

    def participant_status(self, token: str, participant_id: str,
                           secret: str) -> tuple[int, str | None]:
        self._me()
        return participant_status(self._store, token, participant_id, secret)

    def submit(self, token: str, participant_id: str, participant_secret: str, round: int,
               estimates: builtins.list[TaskEstimate], answers: RiskAnswers | None,
               idempotency_key: str) -> SubmitReceipt:
        self._me()
        return submit(self._store, token, participant_id, participant_secret, round, estimates,
                      answers, idempotency_key)
