"""Workshop results: what a viewer may see of a room, and adopting a round into the scenario.

Part of the workshop API; import it from ``workshop_store.py``. Access rules are described in
``workshop_access.py``, aggregation and outliers in ``workshop.py``.
"""

from __future__ import annotations

import json

from sqlalchemy import func, insert, select

from mlpm_core.errors import UserError
from mlpm_core.scenario import ConflictError
from mlpm_core.store.checks import storable_key
from mlpm_core.store.database import Store
from mlpm_core.store.room_access import (
    FACILITATOR_REFUSED,
    ROOM_DELETED,
    Adoption,
    ProvenanceRecord,
    RoomAccessError,
    check_accepting,
    matches,
    participant_from_row,
    participant_row,
    room_from_row,
    room_row,
)
from mlpm_core.store.schema import (
    adoptions,
    participants,
    rooms,
    submission_requests,
    submissions,
    utc_now,
)
from mlpm_core.workshop import (
    AdoptedAnswer,
    AdoptedTask,
    Member,
    RiskAnswers,
    Room,
    RoomView,
    SubmittedRange,
    TaskEstimate,
    label,
    plan_adoption,
    summarise_round,
)


# ------------------------------------------------------------------------------ views
def room_view(store: Store, token: str, *, facilitator_key: str | None = None,
              participant_id: str | None = None,
              participant_secret: str | None = None) -> RoomView:
    """What the caller may see. With a valid ``facilitator_key``: every round up to the
    current one, with names once revealed. Otherwise (a participant, room open): only the
    rounds before the current one, anonymised; with a valid participant id and secret, also
    their own input for the current round. Wrong credentials raise, never downgrade."""
    with store.read() as connection:
        facilitator = facilitator_key is not None
        row = room_row(connection, token, code_ok=not facilitator)
        if facilitator and not matches(row.facilitator_sha256, facilitator_key):
            raise RoomAccessError(FACILITATOR_REFUSED)
        if row.deleted_at is not None:
            raise RoomAccessError(ROOM_DELETED)
        if not facilitator:
            check_accepting(row)
        you = None
        if participant_id is not None or participant_secret is not None:
            you = participant_from_row(participant_row(connection, row.id, participant_id,
                                                participant_secret))
        people = [participant_from_row(p) for p in connection.execute(
            select(participants).where(participants.c.room_id == row.id)
            .order_by(participants.c.number)).all()]
        # One statement (one snapshot, also under READ COMMITTED) for rows and their authors.
        estimates = connection.execute(
            select(submissions, participants.c.number, participants.c.display_name)
            .join(participants, participants.c.id == submissions.c.participant_id)
            .where(submissions.c.room_id == row.id).order_by(submissions.c.id)).all()
        answer_rows = connection.execute(
            select(submission_requests.c.participant_id, submission_requests.c.round,
                   submission_requests.c.answers)
            .where(submission_requests.c.room_id == row.id,
                   submission_requests.c.answers.is_not(None))
            .order_by(submission_requests.c.id)).all()
        r = submission_requests.c
        submitted_at = connection.execute(
            select(func.max(r.submitted_at)).where(
                r.room_id == row.id, r.participant_id == you.id,
                r.round == row.current_round)).scalar() if you else None
    room = room_from_row(row)
    latest: dict[tuple[int, str], RiskAnswers] = {}  # (round, participant) -> last answers
    for a in answer_rows:
        latest[(a.round, a.participant_id)] = RiskAnswers.model_validate_json(a.answers)
    names = facilitator and room.names_revealed
    viewer = you.id if you else None
    task_names = [task.name for task in room.tasks]
    last = room.current_round if facilitator else room.current_round - 1
    rounds = []
    for number in range(1, last + 1):
        rows = [SubmittedRange(e.participant_id, e.number, e.display_name, e.task_name,
                               e.optimistic, e.most_likely, e.pessimistic)
                for e in estimates if e.round == number]
        answers = [(pid, a) for (n, pid), a in latest.items() if n == number]
        rounds.append(summarise_round(number, task_names, rows, answers, names=names,
                                      viewer_id=viewer))
    current = room.current_round
    active = ({e.participant_id for e in estimates if e.round == current}
              | {pid for (n, pid) in latest if n == current})
    members = tuple(Member(label(p.number, p.display_name, names), p.number, p.id in active,
                           p.id == viewer)
                    for p in people)
    mine = tuple(TaskEstimate(e.task_name, e.optimistic, e.most_likely, e.pessimistic)
                 for e in estimates if e.round == current and e.participant_id == viewer)
    return RoomView(room, facilitator, members, tuple(rounds), you, mine,
                    latest.get((current, viewer)) if viewer else None, submitted_at)


# ------------------------------------------------------------------------------ adoption
def adopt(store: Store, token: str, facilitator_key: str, round: int, *,
          expected_version: int | None = None, include_answers: bool = True) -> Adoption:
    """Write a round's aggregates into the scenario's tasks (and its consensus answers into
    the answer fields) as a new scenario version, and record where each value came from.

    ``expected_version``: the scenario version the facilitator is looking at; if someone saved
    since, ``ConflictError`` and nothing is written. Adopting the same round again writes no
    new version. Provenance is written right after the save; if the process dies in between,
    adopting again records it without another version.
    """
    # "" rather than None: a missing key must be refused, never read as a participant's view.
    view = room_view(store, token, facilitator_key=facilitator_key or "")
    room = view.room
    if isinstance(round, bool) or not isinstance(round, int) or not 1 <= round <= len(
            view.rounds):
        raise UserError(f"This room has rounds 1 to {room.current_round}; there is no round "
                        f"{round!r:.20}.")
    chosen = view.rounds[round - 1]
    if not chosen.participants:
        raise UserError(f"Round {round} has no submissions to adopt.")
    scenario, stored = store.load(room.scenario_id)
    if expected_version is not None and expected_version != stored.version:
        raise ConflictError(
            f"The scenario was saved by someone else (it is now at version {stored.version}, "
            f"you were looking at version {expected_version}); nothing was adopted. Reload "
            "it and adopt again.", current_version=stored.version)
    plan = plan_adoption(scenario, chosen, include_answers=include_answers)
    if not plan.tasks and not plan.answers:
        raise UserError(f"Round {round} has nothing to adopt: its tasks are no longer in the "
                        "scenario, or the answers are tied.")
    saved = store.save(room.scenario_id, plan.scenario, expected_version=stored.version,
                       note=f"adopted from workshop {room.title} round {round}")
    _record_provenance(store, room, round, plan.tasks, plan.answers, saved.version)
    return Adoption(plan.scenario, saved.version, plan.tasks, plan.answers, plan.skipped_tasks)


def _record_provenance(store: Store, room: Room, round_: int, tasks: tuple[AdoptedTask, ...],
                       answers: tuple[AdoptedAnswer, ...], version: int) -> None:
    a, now = adoptions.c, utc_now()
    common = {"room_id": room.id, "round": round_, "scenario_id": room.scenario_id,
              "scenario_version": version, "adopted_at": now}
    rows = [{**common, "kind": "task", "item": t.name, "optimistic": t.values.optimistic,
             "most_likely": t.values.most_likely, "pessimistic": t.values.pessimistic,
             "value": None, "participants": t.participants} for t in tasks]
    rows += [{**common, "kind": "answer", "item": x.path, "optimistic": None,
              "most_likely": None, "pessimistic": None, "value": json.dumps(x.value),
              "participants": x.participants} for x in answers]
    with store.write() as connection:
        done = connection.execute(select(func.count()).select_from(adoptions).where(
            a.room_id == room.id, a.round == round_, a.scenario_version == version)).scalar_one()
        if not done and rows:
            connection.execute(insert(adoptions), rows)


def provenance(store: Store, scenario_id: str) -> list[ProvenanceRecord]:
    """Every value adopted into a scenario from a workshop, oldest first."""
    if not storable_key(scenario_id):
        return []
    a = adoptions.c
    with store.read() as connection:
        rows = connection.execute(
            select(adoptions, rooms.c.title).join(rooms, rooms.c.id == a.room_id)
            .where(a.scenario_id == scenario_id).order_by(a.id)).all()
    return [ProvenanceRecord(r.room_id, r.title, r.round, r.kind, r.item, r.optimistic,
                             r.most_likely, r.pessimistic,
                             None if r.value is None else json.loads(r.value), r.participants,
                             r.scenario_version, r.adopted_at) for r in rows]
