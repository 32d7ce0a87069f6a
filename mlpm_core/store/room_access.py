"""Workshop rooms: who may do what (secrets, look-ups, refusals) and the results they get.

The operations are in ``rooms.py``; import from there.

Access: three secrets, each from ``secrets.token_urlsafe(32)``; only their SHA-256 is
stored; a row is looked up by the hash and then compared with ``hmac.compare_digest``:

* the **room token** (the link participants open): join a room that is open and not expired,
  and see the earlier rounds, anonymised;
* the **facilitator key**, returned once by ``open_room`` next to the token: close, reveal
  names, start the next round, see everything, adopt. It is separate so that anyone with the
  link cannot steer the room, and it keeps working after the room closed or expired (a
  facilitator closes the room, then adopts);
* the **participant secret**, returned once by ``join`` (``Participant.secret``): with the
  participant id it is needed to submit and to see one's own input, so the link alone cannot
  submit in someone else's name. The facilitator can replace a lost one (``reissue_seat``):
  the new secret is returned once, and the old one stops working.

Every call takes the secrets it needs as arguments; nothing trusts UI state (there is no
``as_facilitator`` flag: a valid facilitator key is what makes a facilitator view). A wrong and a
missing token (or key, or secret) get the same ``RoomAccessError`` message, so probing tells
nothing; closed and expired rooms get their own messages, since only a holder of a valid token
can see them.

Concurrency: every change is one write transaction (``BEGIN IMMEDIATE`` on SQLite, so writers
queue). On PostgreSQL, READ COMMITTED, ``submit`` locks the room row FOR SHARE (``next_round``
and ``close_room`` wait for submissions in flight, so none lands in a round already left) and the
participant row FOR UPDATE (one person's submissions run one at a time); a race on a unique key
(two copies of one retry at once) surfaces as an IntegrityError, and the call runs again and
then finds the key.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from sqlalchemy import Connection, select, update
from sqlalchemy.exc import IntegrityError

from mlpm_core.errors import UserError
from mlpm_core.scenario import Scenario
from mlpm_core.store import room_codes
from mlpm_core.store.checks import storable_key
from mlpm_core.store.connection import StoreBusyError
from mlpm_core.store.room_codes import CODE_LIMITED, code_digest, typed_code
from mlpm_core.store.schema import participants, rooms, utc_now
from mlpm_core.wording import shown_time

if TYPE_CHECKING:
    from mlpm_core.store.database import Store

from mlpm_core.workshop import (
    RISK_QUESTIONS,
    AdoptedAnswer,
    AdoptedTask,
    Participant,
    Room,
    RoomTask,
)

ROOM_REFUSED = ("This workshop link is not valid. Check that you copied the whole link, or ask "
                "the facilitator for a new one.")
FACILITATOR_REFUSED = "The facilitator key does not match this workshop room."
PARTICIPANT_REFUSED = ("You are not (or no longer) registered in this workshop room; join the "
                       "room again.")
KEY_REUSED = ("This submission key was already used for a different submission; nothing was "
              "saved. The page must make a new key for every click of Submit.")
ROOM_DELETED = "This workshop room was deleted."
CODE_REFUSED = ("No open workshop room has this code. Check the code on the facilitator's "
                "screen, or open the link or scan the QR code instead.")
MAX_TTL_HOURS = 7 * 24
MAX_PARTICIPANTS = 100
MAX_ROUNDS = 20
MAX_REQUESTS_PER_PARTICIPANT = 2000
RETRIES = 3
T = TypeVar("T")


class RoomAccessError(UserError):
    """A room, facilitator or participant credential was refused, or the room no longer
    accepts input (closed or expired)."""


class OpenedRoom(NamedTuple):
    """What ``open_room`` returns: show the token as the link, keep the key for the facilitator."""

    room: Room
    token: str
    facilitator_key: str


@dataclass(frozen=True)
class SubmitReceipt:
    """What a submission stored; ``replayed`` is True when it was a retry of an earlier call."""

    round: int
    tasks: tuple[str, ...]
    answered: bool
    submitted_at: str
    replayed: bool


@dataclass(frozen=True)
class Adoption:
    """The result of ``adopt``: the new scenario version and what it took from the room."""

    scenario: Scenario
    version: int
    tasks: tuple[AdoptedTask, ...]
    answers: tuple[AdoptedAnswer, ...]
    skipped_tasks: tuple[str, ...]  # estimated in the room, no longer in the scenario


@dataclass(frozen=True)
class ProvenanceRecord:
    """One adopted task or answer: which room and round it came from, into which version."""

    room_id: str
    room_title: str
    round: int
    kind: str  # "task" or "answer"
    item: str  # task name or scenario path
    optimistic: float | None
    most_likely: float | None
    pessimistic: float | None
    value: Any
    participants: int
    scenario_version: int
    adopted_at: str


# ------------------------------------------------------------------------------ access
def digest(secret: str) -> str:
    """The stored form of a secret: its SHA-256, hex."""
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def plausible(secret: Any) -> bool:
    """Could this be one of our secrets (43 URL-safe characters)? Anything else is refused."""
    return isinstance(secret, str) and 20 <= len(secret) <= 200 and secret.isascii()


def matches(stored: str, secret: Any) -> bool:
    """Does ``secret`` hash to ``stored``, compared in constant time?"""
    return plausible(secret) and hmac.compare_digest(stored, digest(secret))


def room_row(connection: Connection, token: Any, lock: str | None = None, *,
             code_ok: bool = False) -> Any:
    """The room row for a token: looked up by hash, then compared; else ROOM_REFUSED.

    ``code_ok``: a participant's call, which may also name the room by its short code
    (``room_codes``); a code opens only a room that accepts participants, and wrong codes
    are rate-limited."""
    code = typed_code(token) if code_ok else None
    if code is not None:
        return _row_for_code(connection, code, lock)
    if not plausible(token):
        raise RoomAccessError(ROOM_REFUSED)
    hashed = digest(token)
    row = connection.execute(_locked(select(rooms).where(rooms.c.token_sha256 == hashed),
                                     lock)).one_or_none()
    if row is None or not hmac.compare_digest(row.token_sha256, hashed):
        raise RoomAccessError(ROOM_REFUSED)
    return row


def _locked(query: Any, lock: str | None) -> Any:
    # FOR SHARE / FOR UPDATE on PostgreSQL; SQLite locks the whole file.
    return query if lock is None else query.with_for_update(read=lock == "share")


def _row_for_code(connection: Connection, code: str, lock: str | None) -> Any:
    if room_codes.WRONG_CODES.limited():
        raise RoomAccessError(CODE_LIMITED)
    hashed = code_digest(code)
    row = connection.execute(_locked(select(rooms).where(rooms.c.code_sha256 == hashed),
                                     lock)).one_or_none()
    if row is None or not hmac.compare_digest(row.code_sha256, hashed):
        room_codes.WRONG_CODES.record()
        raise RoomAccessError(CODE_REFUSED)
    check_accepting(row)
    return row


def facilitator_row(connection: Connection, token: Any, key: Any,
                    lock: str | None = None) -> Any:
    """The room row for a token and its facilitator key; else a RoomAccessError (also for a
    deleted room: nothing is left to steer)."""
    row = room_row(connection, token, lock)
    if not matches(row.facilitator_sha256, key):
        raise RoomAccessError(FACILITATOR_REFUSED)
    if row.deleted_at is not None:
        raise RoomAccessError(ROOM_DELETED)
    return row


def check_accepting(row: Any) -> None:
    """Refuse a deleted, closed or expired room, saying which."""
    if row.deleted_at is not None:
        raise RoomAccessError(ROOM_DELETED)
    if row.closed_at is not None:
        raise RoomAccessError("The facilitator has closed this workshop room; it no longer "
                              "takes estimates.")
    if utc_now() >= row.expires_at:
        raise RoomAccessError(f"This workshop room expired at {shown_time(row.expires_at)}; ask "
                              "the facilitator for a new link.")


def participant_row(connection: Connection, room_id: str, participant_id: Any, secret: Any,
                    lock: bool = False) -> Any:
    """The participant row for an id and secret, in this room only; else PARTICIPANT_REFUSED."""
    if not storable_key(participant_id) or len(participant_id) != 32:
        raise RoomAccessError(PARTICIPANT_REFUSED)
    query = select(participants).where(participants.c.id == participant_id,
                                       participants.c.room_id == room_id)
    row = connection.execute(query.with_for_update() if lock else query).one_or_none()
    if row is None or not matches(row.secret_sha256, secret):
        raise RoomAccessError(PARTICIPANT_REFUSED)
    return row


def room_from_row(row: Any) -> Room:
    """A rooms row as a Room."""
    tasks = tuple(RoomTask(**task) for task in json.loads(row.tasks))
    questions = tuple(json.loads(row.questions)) if row.questions else tuple(RISK_QUESTIONS)
    return Room(row.id, row.scenario_id, row.scenario_version, row.title, tasks, row.created_at,
                row.expires_at, row.closed_at, row.current_round, bool(row.names_revealed),
                questions, row.archived_at, row.deleted_at, row.code_sha256 is not None)


def participant_from_row(row: Any) -> Participant:
    """A participants row as a Participant (without the secret, which is not stored)."""
    return Participant(row.id, row.room_id, row.number, row.display_name, row.joined_at)


def retrying(work: Callable[[], T]) -> T:
    """Run ``work`` again when a concurrent writer won a unique-key race (PostgreSQL)."""
    for attempt in range(RETRIES):
        try:
            return work()
        except IntegrityError as error:
            if attempt == RETRIES - 1:
                raise StoreBusyError("Too many people saved at the same moment; nothing was "
                                     "saved. Try again.") from error
    raise AssertionError("unreachable")


def change_room(store: Store, token: str, key: str, change: Callable[[Any], dict[str, Any]],
                ) -> Room:
    """Apply ``change(row)`` (the columns to set, or nothing) to the facilitator's room under a
    row lock, and return the room as it is then."""
    with store.write() as connection:
        row = facilitator_row(connection, token, key, lock="update")
        values = change(row)
        if values:
            connection.execute(update(rooms).where(rooms.c.id == row.id).values(**values))
            row = connection.execute(select(rooms).where(rooms.c.id == row.id)).one()
        return room_from_row(row)
