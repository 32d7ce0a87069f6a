"""Workshop rooms in the store: open, join, submit, rounds, views and adopting into a scenario.

The API the workshop pages use to run a wideband-Delphi estimation workshop (README "Running a
workshop"). Who may call what, and how concurrent calls behave, is described in ``room_access.py``;
how ranges are aggregated and outliers found, in ``mlpm_core/workshop/aggregate.py``; how a round
is laid out for a viewer, in ``mlpm_core/workshop/rounds.py``. In short: ``open_room`` returns the
room, the participants' token and the facilitator's key; ``join`` returns a participant with a
secret; every later call passes the token plus the key or the participant's id and secret.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import secrets
import uuid
from dataclasses import asdict, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select, update

from mlpm_core.access import LOCAL_OWNER
from mlpm_core.errors import UserError
from mlpm_core.store.database import Store
from mlpm_core.store.room_access import (
    KEY_REUSED,
    MAX_PARTICIPANTS,
    MAX_REQUESTS_PER_PARTICIPANT,
    MAX_ROUNDS,
    MAX_TTL_HOURS,
    Adoption,
    OpenedRoom,
    ProvenanceRecord,
    RoomAccessError,
    SubmitReceipt,
    change_room,
    check_accepting,
    digest,
    facilitator_row,
    participant_from_row,
    participant_row,
    retrying,
    room_from_row,
    room_row,
)
from mlpm_core.store.room_codes import stored_code
from mlpm_core.store.room_lifecycle import archive_room, delete_room, list_rooms, reopen_room
from mlpm_core.store.room_results import adopt, provenance, room_view
from mlpm_core.store.schema import (
    participants,
    rooms,
    submission_requests,
    submissions,
    utc_now,
)
from mlpm_core.workshop import (
    Participant,
    RiskAnswers,
    Room,
    RoomTask,
    RoomView,
    TaskEstimate,
    checked_display_name,
    checked_estimates,
    checked_key,
    checked_questions,
    checked_selection,
    checked_title,
)

NAME_TAKEN = ("Someone in this room already goes by that name. If that is you (on another device, "
              "or after closing the page), ask the facilitator for a new link to your seat; "
              "otherwise add an initial to tell you apart.")

__all__ = [
    "Adoption", "OpenedRoom", "Participant", "ProvenanceRecord", "RiskAnswers", "Room",
    "RoomAccessError", "RoomTask", "RoomView", "SubmitReceipt", "TaskEstimate", "adopt",
    "archive_room", "close_room", "delete_room", "join", "list_rooms", "next_round", "open_room",
    "participant_for", "provenance", "reissue_seat", "reopen_room", "reveal_names",
    "room_for_facilitator", "room_for_token", "room_view", "submit",
]


# ------------------------------------------------------------------------------ facilitator
def open_room(store: Store, scenario_id: str, title: str, ttl_hours: float = 8.0,
              tasks: list[str] | None = None, questions: list[str] | None = None, *,
              owner: str = LOCAL_OWNER) -> OpenedRoom:
    """Open a room on the latest version of a scenario's tasks; the link expires after
    ``ttl_hours``. Task names must be unique: submissions and adoption match tasks by name.

    ``tasks`` and ``questions`` (RiskAnswers field names) are what the room asks, kept in the
    scenario's and the usual order; None asks every task and every question."""
    title = checked_title(title)
    asked = checked_questions(questions)
    if (isinstance(ttl_hours, bool) or not isinstance(ttl_hours, int | float)
            or not math.isfinite(ttl_hours) or not 0 < ttl_hours <= MAX_TTL_HOURS):
        raise UserError(f"A room stays open for more than 0 and at most {MAX_TTL_HOURS} hours.")
    scenario, stored = store.load(scenario_id)
    names = [task.name for task in scenario.tasks]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise UserError(f"A workshop matches tasks by name, and '{twice[0]}' appears more than "
                        "once in the scenario; rename the duplicates first.")
    chosen = set(checked_selection(tasks, names, "tasks"))
    if not chosen:
        raise UserError("Choose at least one task for the room to estimate.")
    snapshot = tuple(RoomTask(t.name, t.phase, t.role, t.optimistic, t.most_likely,
                              t.pessimistic) for t in scenario.tasks if t.name in chosen)
    now = datetime.now(UTC)
    created, expires = (moment.isoformat(timespec="microseconds")
                        for moment in (now, now + timedelta(hours=ttl_hours)))
    room = Room(uuid.uuid4().hex, scenario_id, stored.version, title, snapshot, created, expires,
                None, 1, False, tuple(asked), has_code=True)

    def work() -> OpenedRoom:  # again with new secrets if a code (40 bits) was taken
        token, key = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        with store.write() as connection:
            connection.execute(insert(rooms).values(
                id=room.id, scenario_id=scenario_id, scenario_version=stored.version,
                token_sha256=digest(token), facilitator_sha256=digest(key), title=title,
                tasks=json.dumps([asdict(task) for task in snapshot]), created_at=created,
                expires_at=expires, closed_at=None, current_round=1, names_revealed=False,
                questions=json.dumps(asked), code_sha256=stored_code(token), owner=owner))
        return OpenedRoom(room, token, key)
    return retrying(work)


def room_for_facilitator(store: Store, token: str, facilitator_key: str) -> Room:
    """The room, for its facilitator (also once closed or expired)."""
    with store.read() as connection:
        return room_from_row(facilitator_row(connection, token, facilitator_key))


def close_room(store: Store, token: str, facilitator_key: str) -> Room:
    """Stop taking joins and submissions (for good); closing twice changes nothing."""
    return change_room(store, token, facilitator_key,
                        lambda row: {} if row.closed_at else {"closed_at": utc_now()})


def reveal_names(store: Store, token: str, facilitator_key: str, revealed: bool = True) -> Room:
    """Show (or hide again) display names in the facilitator's view; participants' views of
    each other stay anonymous either way."""
    return change_room(store, token, facilitator_key,
                        lambda row: {"names_revealed": bool(revealed)})


def next_round(store: Store, token: str, facilitator_key: str,
               from_round: int | None = None) -> Room:
    """Start the next round. With ``from_round`` (the round the facilitator is looking at), a
    repeated click does not skip a round: if the room already moved on, nothing changes."""
    def change(row: Any) -> dict[str, Any]:
        check_accepting(row)
        if from_round is not None and from_round != row.current_round:
            return {}
        if row.current_round >= MAX_ROUNDS:
            raise UserError(f"A room has at most {MAX_ROUNDS} rounds.")
        return {"current_round": row.current_round + 1}
    return change_room(store, token, facilitator_key, change)


def reissue_seat(store: Store, token: str, facilitator_key: str,
                 participant_number: int) -> Participant:
    """A new secret for participant ``participant_number``, returned once (only its hash is
    stored): the way back for someone who lost their seat link (a closed tab on a phone,
    another device), since joining again under their name is refused. Their id, number, name
    and every submission stay; the old secret stops working at once, so whoever still holds
    the old link is disconnected. Only while the room takes input: in a closed or expired room
    a seat can do nothing, so the facilitator reopens it first."""
    if isinstance(participant_number, bool) or not isinstance(participant_number, int):
        raise UserError("A participant is named by their number in the room.")
    p = participants.c

    def work() -> Participant:  # again with a new secret if its hash were ever taken
        secret = secrets.token_urlsafe(32)
        with store.write() as connection:
            row = facilitator_row(connection, token, facilitator_key, lock="update")
            if row.closed_at is not None or utc_now() >= row.expires_at:
                raise UserError("This room is closed or has expired: reopen it first, then "
                                "give out the new seat link.")
            person = connection.execute(select(participants).where(
                p.room_id == row.id, p.number == participant_number).with_for_update()
            ).one_or_none()
            if person is None:
                raise UserError(f"This room has no participant {participant_number}.")
            connection.execute(update(participants).where(p.id == person.id)
                               .values(secret_sha256=digest(secret)))
        return replace(participant_from_row(person), secret=secret)
    return retrying(work)


# ------------------------------------------------------------------------------ participants
def room_for_token(store: Store, token: str) -> Room:
    """The room a participant's link opens; RoomAccessError if wrong, closed or expired."""
    with store.read() as connection:
        row = room_row(connection, token, code_ok=True)
    check_accepting(row)
    return room_from_row(row)


def join(store: Store, token: str, display_name: str) -> Participant:
    """Join an open room under a display name (unique in the room, ignoring case)."""
    name = checked_display_name(display_name)
    secret, participant_id, now = secrets.token_urlsafe(32), uuid.uuid4().hex, utc_now()

    def work() -> Participant:
        with store.write() as connection:
            row = room_row(connection, token, lock="update", code_ok=True)
            check_accepting(row)
            present = connection.execute(
                select(participants.c.number, participants.c.display_name)
                .where(participants.c.room_id == row.id)).all()
            if len(present) >= MAX_PARTICIPANTS:
                raise UserError(f"This room is full ({MAX_PARTICIPANTS} participants).")
            if any(other.casefold() == name.casefold() for _, other in present):
                raise UserError(NAME_TAKEN)
            number = max((n for n, _ in present), default=0) + 1
            connection.execute(insert(participants).values(
                id=participant_id, room_id=row.id, number=number, display_name=name,
                joined_at=now, secret_sha256=digest(secret)))
        return Participant(participant_id, row.id, number, name, now, secret)
    return retrying(work)


def participant_for(store: Store, token: str, participant_id: str, secret: str) -> Participant:
    """Check a participant's session (id and secret) against the room, e.g. after a reload."""
    with store.read() as connection:
        row = room_row(connection, token, code_ok=True)
        return participant_from_row(participant_row(connection, row.id, participant_id, secret))


def participant_status(store: Store, token: str, participant_id: str,
                       secret: str) -> tuple[int, str | None]:
    """The room's current round and when it last received this participant's input for that
    round (None: nothing yet), in one read: what a participant's page polls to notice a new
    round, and an input of theirs that the page does not show yet. Refused like ``room_view``:
    a wrong link or seat, or a room that is closed, expired or deleted."""
    r = submission_requests.c
    with store.read() as connection:
        row = room_row(connection, token, code_ok=True)
        check_accepting(row)
        person = participant_row(connection, row.id, participant_id, secret)
        latest = connection.execute(select(func.max(r.submitted_at)).where(
            r.participant_id == person.id, r.round == row.current_round)).scalar()
    return row.current_round, latest


def _fingerprint(round_: int, estimates: list[TaskEstimate], answers: str | None) -> str:
    payload = {"round": round_, "answers": answers, "estimates": sorted(
        [e.task_name, e.optimistic, e.most_likely, e.pessimistic] for e in estimates)}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def submit(store: Store, token: str, participant_id: str, participant_secret: str, round: int,
           estimates: list[TaskEstimate], answers: RiskAnswers | None,
           idempotency_key: str) -> SubmitReceipt:
    """Store a participant's estimates (and answers) for the current round.

    Idempotent: a retry with the same key and payload changes nothing and returns the first
    receipt (``replayed=True``), even after the room moved on or closed; the same key with
    another payload, or from another participant, is refused. A new key for a
    task already estimated in this round replaces that estimate (one current row per
    participant, task and round; the request log keeps every key).
    """
    key = checked_key(idempotency_key)
    if answers is not None and not isinstance(answers, RiskAnswers):
        raise UserError("The answers must be RiskAnswers.")
    answers_json = answers.model_dump_json(exclude_none=True) if answers and answers.given() \
        else None
    if isinstance(round, bool) or not isinstance(round, int):
        raise UserError("The round must be a whole number.")

    def work() -> SubmitReceipt:
        now = utc_now()
        with store.write() as connection:
            row = room_row(connection, token, lock="share", code_ok=True)
            person = participant_row(connection, row.id, participant_id, participant_secret,
                                      lock=True)
            room = room_from_row(row)
            checked = checked_estimates(estimates, [task.name for task in room.tasks])
            unasked = sorted(set(answers.given() if answers else ()) - set(room.questions))
            if unasked:
                raise UserError(f"This room does not ask the risk question {unasked[0]!r}.")
            if not checked and answers_json is None:
                raise UserError("Nothing to submit: give at least one estimate or answer.")
            names = tuple(e.task_name for e in checked)
            fingerprint = _fingerprint(round, checked, answers_json)
            r = submission_requests.c
            earlier = connection.execute(select(submission_requests)
                                         .where(r.idempotency_key == key)).one_or_none()
            if earlier is not None:
                if earlier.participant_id != person.id or not hmac.compare_digest(
                        earlier.fingerprint, fingerprint):
                    raise UserError(KEY_REUSED)
                return SubmitReceipt(earlier.round, names, earlier.answers is not None,
                                     earlier.submitted_at, replayed=True)
            check_accepting(row)
            if round != row.current_round:
                raise UserError(
                    f"The facilitator has moved the room on to round {row.current_round}; "
                    f"your round {round} estimates were not saved. Look at the results and "
                    "estimate again." if 1 <= round < row.current_round
                    else f"This room is in round {row.current_round}, not round {round}.")
            used = connection.execute(select(func.count()).select_from(submission_requests)
                                      .where(r.participant_id == person.id)).scalar_one()
            if used >= MAX_REQUESTS_PER_PARTICIPANT:
                raise UserError("You have submitted too many times in this room.")
            request_id = connection.execute(insert(submission_requests).values(
                idempotency_key=key, room_id=row.id, participant_id=person.id, round=round,
                fingerprint=fingerprint, answers=answers_json, task_count=len(checked),
                submitted_at=now).returning(r.id)).scalar_one()
            s = submissions.c
            for e in checked:
                values = {"optimistic": e.optimistic, "most_likely": e.most_likely,
                          "pessimistic": e.pessimistic, "request_id": request_id,
                          "submitted_at": now}
                if not connection.execute(update(submissions).where(
                        s.participant_id == person.id, s.round == round,
                        s.task_name == e.task_name).values(**values)).rowcount:
                    connection.execute(insert(submissions).values(
                        room_id=row.id, participant_id=person.id, round=round,
                        task_name=e.task_name, **values))
        return SubmitReceipt(round, names, answers_json is not None, now, replayed=False)
    return retrying(work)
