"""Workshop rooms in the store: access control, idempotent concurrent submissions, crash safety,
Delphi rounds and adoption.

They run on the back ends of this folder's ``conftest.py``: SQLite always, PostgreSQL when
$MLPM_TEST_POSTGRES_URL is set (each PostgreSQL test in a fresh schema, dropped afterwards).
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import random
import re
import signal
import threading
import time
import uuid

import pytest
from sqlalchemy import func, select, text, update

from mlpm_core.errors import UserError
from mlpm_core.scenario.model import Scenario
from mlpm_core.scenario.repository import ConflictError
from mlpm_core.store.database import DATABASE_URL_ENV, Store, open_store
from mlpm_core.store.room_access import FACILITATOR_REFUSED, PARTICIPANT_REFUSED, ROOM_REFUSED
from mlpm_core.store.rooms import (
    RoomAccessError,
    adopt,
    close_room,
    join,
    list_rooms,
    next_round,
    open_room,
    participant_for,
    provenance,
    reveal_names,
    room_for_facilitator,
    room_for_token,
    room_view,
    submit,
)
from mlpm_core.store.schema import participants, rooms, submission_requests, submissions
from mlpm_core.workshop.aggregate import RiskAnswers, TaskEstimate
from tests.conftest import naughty_strings

TASKS = [f"T{n}" for n in range(10)]


def make_scenario(store: Store, names: list[str] = TASKS) -> str:
    scenario = Scenario.model_validate({"project": {"name": "Churn"}, "tasks": [
        {"name": name, "phase": "planning", "role": "ml_engineer", "optimistic": 1,
         "most_likely": 2, "pessimistic": 3} for name in names]})
    return store.create(scenario).id


def est(task: str, o: float, m: float, p: float) -> list[TaskEstimate]:
    return [TaskEstimate(task, o, m, p)]


def key() -> str:
    return uuid.uuid4().hex


def count(store: Store, table, *where) -> int:
    with store.read() as connection:
        return connection.execute(select(func.count()).select_from(table).where(*where)).scalar()


# ------------------------------------------------------------------------------ access
def test_wrong_or_missing_token_is_refused_with_one_message(store):
    """Missing, malformed, altered and foreign tokens all get the same RoomAccessError text."""
    room, token, _ = open_room(store, make_scenario(store), "Kick-off")
    assert room_for_token(store, token) == room
    altered = token[:-1] + ("A" if token[-1] != "A" else "B")
    for bad in (None, "", "short", altered, token + "x", "é" * 43, "x" * 5000, 43, b"bytes"):
        for call in (lambda t: room_for_token(store, t), lambda t: join(store, t, "Ada"),
                     lambda t: room_view(store, t),
                     lambda t: submit(store, t, "0" * 32, "s" * 43, 1, est("T1", 1, 2, 3),
                                      None, key())):
            with pytest.raises(RoomAccessError) as caught:
                call(bad)
            assert str(caught.value) == ROOM_REFUSED


def test_facilitator_and_participant_secrets_are_checked_separately(store):
    """The link cannot steer the room, and one participant cannot act as another."""
    _, token, facilitator = open_room(store, make_scenario(store), "Kick-off")
    _, other_token, other_key = open_room(store, make_scenario(store), "Other")
    ada, bob = join(store, token, "Ada"), join(store, token, "Bob")
    for wrong in (None, token, other_key, facilitator[:-1] + "!", ""):
        for call in (close_room, next_round, reveal_names, room_for_facilitator):
            with pytest.raises(RoomAccessError, match=re.escape(FACILITATOR_REFUSED)):
                call(store, token, wrong)
        with pytest.raises(RoomAccessError, match=re.escape(FACILITATOR_REFUSED)):
            adopt(store, token, wrong, 1)
    with pytest.raises(RoomAccessError, match=re.escape(FACILITATOR_REFUSED)):
        room_view(store, token, facilitator_key=other_key)  # refused, not downgraded
    for pid, secret in ((ada.id, bob.secret), (ada.id, None), ("nope", ada.secret),
                        (bob.id, bob.secret[::-1])):
        with pytest.raises(RoomAccessError, match=re.escape(PARTICIPANT_REFUSED)):
            submit(store, token, pid, secret, 1, est("T1", 1, 2, 3), None, key())
        with pytest.raises(RoomAccessError, match=re.escape(PARTICIPANT_REFUSED)):
            room_view(store, token, participant_id=pid, participant_secret=secret)
    with pytest.raises(RoomAccessError, match=re.escape(PARTICIPANT_REFUSED)):  # other room
        participant_for(store, other_token, ada.id, ada.secret)
    assert participant_for(store, token, ada.id, ada.secret).display_name == "Ada"
    assert count(store, submission_requests) == 0


def test_only_hashes_of_the_secrets_are_stored(store):
    """No token, key or participant secret appears in any stored row, only its SHA-256."""
    room, token, facilitator = open_room(store, make_scenario(store), "Kick-off")
    ada = join(store, token, "Ada")
    with store.read() as connection:
        dumped = repr(connection.execute(select(rooms)).all()) + repr(
            connection.execute(select(participants)).all())
        row = connection.execute(select(rooms)).one()
    for secret in (token, facilitator, ada.secret):
        assert len(secret) >= 43 and secret not in dumped
    assert row.token_sha256 == hashlib.sha256(token.encode()).hexdigest()
    assert row.facilitator_sha256 == hashlib.sha256(facilitator.encode()).hexdigest()
    assert "secret" not in repr(ada) and list_rooms(store, room.scenario_id) == [room]


def test_expired_and_closed_rooms_refuse_participants_but_not_the_facilitator(store):
    """Expired or closed rooms refuse joins, submissions and participant views with a reason."""
    scenario_id = make_scenario(store)
    _, token, facilitator = open_room(store, scenario_id, "Expiring", ttl_hours=1)
    ada = join(store, token, "Ada")
    submit(store, token, ada.id, ada.secret, 1, est("T1", 1, 2, 3), None, key())
    with store.write() as connection:
        connection.execute(update(rooms).values(expires_at="2000-01-01T00:00:00.000000+00:00"))
    for call in (lambda: room_for_token(store, token), lambda: join(store, token, "Bob"),
                 lambda: submit(store, token, ada.id, ada.secret, 1, est("T2", 1, 2, 3), None,
                                key()),
                 lambda: room_view(store, token, participant_id=ada.id,
                                   participant_secret=ada.secret),
                 lambda: next_round(store, token, facilitator)):
        with pytest.raises(RoomAccessError, match="expired at 2000-01-01 00:00 UTC"):
            call()
    assert room_view(store, token, facilitator_key=facilitator).rounds[0].participants == 1

    _, token, facilitator = open_room(store, scenario_id, "Closing")
    bob = join(store, token, "Bob")
    submit(store, token, bob.id, bob.secret, 1, est("T1", 2, 3, 4), None, key())
    closed = close_room(store, token, facilitator)
    assert closed.closed_at is not None and close_room(store, token, facilitator) == closed
    for call in (lambda: room_for_token(store, token), lambda: join(store, token, "Cy"),
                 lambda: submit(store, token, bob.id, bob.secret, 1, est("T2", 1, 2, 3), None,
                                key()),
                 lambda: room_view(store, token)):
        with pytest.raises(RoomAccessError, match="closed"):
            call()
    assert adopt(store, token, facilitator, 1).tasks[0].name == "T1"  # close, then adopt
    with pytest.raises(UserError, match="at most 168 hours"):
        open_room(store, scenario_id, "Too long", ttl_hours=24 * 30)


def test_display_names_are_stored_as_given_and_unique_per_room(store):
    """Naughty display names round-trip exactly; a name differing only in case is refused."""
    names = [n for n in naughty_strings() if 1 <= len(n) <= 60 and n.strip() and n.isprintable()]
    chosen = list({n.casefold(): n for n in names}.values())[:90]
    assert len(chosen) == 90
    scenario_id = make_scenario(store)
    _, token, facilitator = open_room(store, scenario_id, chosen[0][:200])
    joined = [join(store, token, name) for name in chosen]
    assert [p.number for p in joined] == list(range(1, 91))
    reveal_names(store, token, facilitator)
    members = room_view(store, token, facilitator_key=facilitator).members
    assert [m.label for m in members] == chosen
    assert [participant_for(store, token, p.id, p.secret).display_name for p in joined] == chosen
    with pytest.raises(UserError, match="already goes by that name"):
        join(store, token, chosen[1].upper() if chosen[1].upper() != chosen[1] else chosen[1])
    for bad in ("", "x" * 61, "line\nbreak"):
        with pytest.raises(UserError):
            join(store, token, bad)


# ------------------------------------------------------------------------------ submissions
def test_submissions_are_validated_and_refusals_store_nothing(store):
    """Misordered, unknown, empty and stale-round submissions are readable errors, not rows."""
    _, token, facilitator = open_room(store, make_scenario(store), "Kick-off")
    ada = join(store, token, "Ada")
    cases = [("optimistic <= most likely", 1, est("T1", 5, 3, 9), None),
             ("no task 'Deploy'", 1, est("Deploy", 1, 2, 3), None),
             ("between 0 and 100,000", 1, est("T1", -2, 2, 3), None),
             ("Nothing to submit", 1, [], RiskAnswers()),
             ("in round 1, not round 2", 2, est("T1", 1, 2, 3), None)]
    for message, round_, estimates, answers in cases:
        with pytest.raises(UserError, match=message):
            submit(store, token, ada.id, ada.secret, round_, estimates, answers, key())
    next_round(store, token, facilitator, from_round=1)
    assert next_round(store, token, facilitator, from_round=1).current_round == 2  # no skip
    with pytest.raises(UserError, match="moved the room on to round 2; your round 1"):
        submit(store, token, ada.id, ada.secret, 1, est("T1", 1, 2, 3), None, key())
    assert count(store, submission_requests) == count(store, submissions) == 0


def test_retries_never_duplicate_and_a_new_key_overwrites(store):
    """Same key: one row and the first receipt; new key: the task's one row takes new values."""
    _, token, _ = open_room(store, make_scenario(store), "Kick-off")
    ada, bob = join(store, token, "Ada"), join(store, token, "Bob")
    first = submit(store, token, ada.id, ada.secret, 1, est("T1", 1, 2, 3),
                   RiskAnswers(data_size="big"), "k-1")
    again = submit(store, token, ada.id, ada.secret, 1, est("T1", 1, 2, 3),
                   RiskAnswers(data_size="big"), "k-1")
    assert not first.replayed and again.replayed and again.submitted_at == first.submitted_at
    submit(store, token, ada.id, ada.secret, 1, est("T1", 4, 5, 6), None, "k-2")
    late = submit(store, token, ada.id, ada.secret, 1, est("T1", 1, 2, 3),
                  RiskAnswers(data_size="big"), "k-1")  # a stale retry arriving late
    assert late.replayed
    for who, payload in ((ada, est("T1", 7, 8, 9)), (bob, est("T1", 1, 2, 3))):
        with pytest.raises(UserError, match="already used for a different submission"):
            submit(store, token, who.id, who.secret, 1, payload,
                   RiskAnswers(data_size="big"), "k-1")
    assert count(store, submission_requests) == 2
    with store.read() as connection:
        rows = connection.execute(select(submissions)).all()
    assert [(r.optimistic, r.most_likely, r.pessimistic) for r in rows] == [(4, 5, 6)]
    view = room_view(store, token, participant_id=ada.id, participant_secret=ada.secret)
    assert view.your_estimates == (TaskEstimate("T1", 4, 5, 6),)
    assert view.your_answers == RiskAnswers(data_size="big")


def _participant_work(store, token, person, index, receipts, errors, start) -> None:
    """50 submissions; every 5th is retried at once from a second thread with the same key."""
    try:
        start.wait()
        for i in range(50):
            task, base = TASKS[i % len(TASKS)], index * 100 + i
            args = (store, token, person.id, person.secret, 1,
                    est(task, base, base + 1, base + 2), None, f"p{index}-s{i}")
            racer = None
            if i % 5 == 0:
                racer = threading.Thread(target=lambda a=args: receipts.append(submit(*a)))
                racer.start()
            receipts.append(submit(*args))
            if racer:
                racer.join()
            if random.random() < 0.2:
                receipts.append(submit(*args))  # a plain retry after success
    except BaseException as error:  # reported by the test
        errors.append(error)


@pytest.mark.slow
def test_twenty_participants_times_fifty_submissions_lose_and_duplicate_nothing(store):
    """20 threads x 50 submissions (with racing retries): every key stored once, latest wins."""
    _, token, _ = open_room(store, make_scenario(store), "Crowd")
    people = [join(store, token, f"P{n}") for n in range(20)]
    receipts: list = []
    errors: list[BaseException] = []
    start = threading.Barrier(20)
    threads = [threading.Thread(target=_participant_work,
                                args=(store, token, p, n, receipts, errors, start))
               for n, p in enumerate(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(not r.replayed for r in receipts) == 1000
    with store.read() as connection:
        keys = connection.execute(select(submission_requests.c.idempotency_key)).scalars().all()
        rows = connection.execute(select(submissions)).all()
    assert len(keys) == 1000 and set(keys) == {f"p{n}-s{i}" for n in range(20) for i in range(50)}
    assert len(rows) == 20 * len(TASKS)  # one current row per participant and task
    number = {p.id: n for n, p in enumerate(people)}
    for row in rows:  # the last of the 5 submissions per task: i = 40 + task index
        expected = number[row.participant_id] * 100 + 40 + TASKS.index(row.task_name)
        assert (row.optimistic, row.most_likely, row.pessimistic) == (
            expected, expected + 1, expected + 2)


def _crashing_submitter(url: str, token: str, person: tuple[str, str], tag: int,
                        pause_inside: bool, committed) -> None:
    os.environ.pop(DATABASE_URL_ENV, None)
    store = Store(url)
    for i in range(10_000):
        submit(store, token, *person, 1, est(TASKS[i % 3], i, i + 1, i + 2), None, f"{tag}-{i}")
        committed.put(f"{tag}-{i}")
        if pause_inside and i == 2:
            with store.write() as connection:
                connection.execute(update(submissions).values(optimistic=-99))
                connection.execute(text("DELETE FROM submission_requests"))
                committed.put("inside")
                time.sleep(60)


@pytest.mark.slow
def test_sigkill_mid_transaction_twenty_times_keeps_every_committed_row(store, url):
    """A submitter killed 20 times (often inside a transaction) loses no committed submission."""
    _, token, _ = open_room(store, make_scenario(store), "Crashes")
    ada = join(store, token, "Ada")
    store.close()
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__, "mlpm_core.store.rooms"])  # fast children
    seen: list[str] = []
    for tag in range(20):
        queue, pause_inside = context.Queue(), tag % 2 == 0
        child = context.Process(target=_crashing_submitter,
                                args=(url, token, (ada.id, ada.secret), tag, pause_inside, queue))
        child.start()
        wanted = random.randint(1, 4)
        while True:
            message = queue.get(timeout=60)
            if message == "inside":
                break
            seen.append(message)
            if not pause_inside and int(message.split("-")[1]) + 1 >= wanted:
                time.sleep(random.uniform(0, 0.003))  # often lands mid-submission
                break
        os.kill(child.pid, signal.SIGKILL)
        child.join(timeout=10)
        assert child.exitcode == -signal.SIGKILL
        queue.close()
    with open_store(url) as reopened:
        if url.startswith("sqlite"):
            with reopened.read() as connection:
                assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        with reopened.read() as connection:
            keys = set(connection.execute(
                select(submission_requests.c.idempotency_key)).scalars())
            lowest = connection.execute(select(func.min(submissions.c.optimistic))).scalar()
        assert set(seen) <= keys and lowest >= 0
        receipt = submit(reopened, token, ada.id, ada.secret, 1, est("T9", 1, 2, 3), None, key())
        assert not receipt.replayed  # not locked, still writable


# ------------------------------------------------------------------------------ rounds
def test_round_two_shows_round_one_anonymised(store):
    """Participants see only earlier rounds, as 'Participant N'; the facilitator sees it all."""
    _, token, facilitator = open_room(store, make_scenario(store), "Delphi")
    people = [join(store, token, name) for name in ("Ada", "Bob", "Cy")]
    for n, person in enumerate(people):
        submit(store, token, person.id, person.secret, 1, est("T1", n + 1, n + 2, n * 10 + 3),
               RiskAnswers(data_complexity="complex"), key())
    reveal_names(store, token, facilitator)
    ada, bob = people[0], people[1]
    assert room_view(store, token, participant_id=ada.id, participant_secret=ada.secret
                     ).rounds == ()
    facilitator_view = room_view(store, token, facilitator_key=facilitator)
    assert facilitator_view.as_facilitator and len(facilitator_view.rounds) == 1
    assert [e.label for e in facilitator_view.rounds[0].tasks[1].entries] == ["Ada", "Bob", "Cy"]

    next_round(store, token, facilitator)
    submit(store, token, bob.id, bob.secret, 2, est("T1", 2, 3, 4), None, key())
    view = room_view(store, token, participant_id=ada.id, participant_secret=ada.secret)
    assert not view.as_facilitator and [r.number for r in view.rounds] == [1]
    entries = view.rounds[0].tasks[1].entries
    assert [e.label for e in entries] == ["Participant 1", "Participant 2", "Participant 3"]
    assert [e.is_you for e in entries] == [True, False, False]
    assert [(e.optimistic, e.most_likely, e.pessimistic) for e in entries] == [
        (1, 2, 3), (2, 3, 13), (3, 4, 23)]
    assert view.rounds[0].tasks[1].aggregate.pessimistic == 13
    assert view.rounds[0].answers[0].consensus == "complex"
    assert [m.label for m in view.members] == ["Participant 1", "Participant 2", "Participant 3"]
    assert [m.submitted_this_round for m in view.members] == [False, True, False]
    shown = repr((view.rounds, view.members))
    assert "Bob" not in shown and "Cy" not in shown
    assert view.your_estimates == ()
    full = room_view(store, token, facilitator_key=facilitator)
    assert [r.participants for r in full.rounds] == [3, 1]
    assert [e.label for e in full.rounds[1].tasks[1].entries] == ["Bob"]


def test_adopt_writes_a_new_scenario_version_with_the_aggregates(store):
    """Adopting round 2 saves a version with the medians, a note and provenance, exactly once."""
    scenario_id = make_scenario(store, ["Label data", "Train", "Deploy"])
    _, token, facilitator = open_room(store, scenario_id, "Kick-off")
    people = [join(store, token, name) for name in ("Ada", "Bob", "Cy", "Di")]
    with pytest.raises(UserError, match="Round 1 has no submissions"):
        adopt(store, token, facilitator, 1)
    next_round(store, token, facilitator)
    ranges = [(2, 4, 8), (3, 5, 9), (4, 6, 20), (3, 5, 7)]
    for person, (o, m, p) in zip(people, ranges, strict=True):
        submit(store, token, person.id, person.secret, 2,
               [TaskEstimate("Train", o, m, p), TaskEstimate("Label data", 1, 1, 2)],
               RiskAnswers(data_cleanliness="dirty", quality_p_reach_threshold=o / 10), key())
    _, current = store.load(scenario_id)
    with pytest.raises(ConflictError):
        adopt(store, token, facilitator, 2, expected_version=current.version + 5)
    adoption = adopt(store, token, facilitator, 2, expected_version=current.version)
    assert adoption.version == current.version + 1
    scenario, row = store.load(scenario_id)
    assert row.version == adoption.version and scenario == adoption.scenario
    label, train, deploy = scenario.tasks
    assert (train.optimistic, train.most_likely, train.pessimistic) == (3, 5, 8.5)
    assert (label.optimistic, label.most_likely, label.pessimistic) == (1, 1, 2)
    assert (deploy.optimistic, deploy.most_likely, deploy.pessimistic) == (1, 2, 3)
    assert scenario.data.cleanliness == "dirty"
    assert scenario.quality.p_reach_threshold == pytest.approx(0.3)
    assert store.history(scenario_id)[0].note == "adopted from workshop Kick-off round 2"
    records = provenance(store, scenario_id)
    assert [(r.kind, r.item, r.participants, r.round) for r in records] == [
        ("task", "Label data", 4, 2), ("task", "Train", 4, 2),
        ("answer", "data.cleanliness", 4, 2), ("answer", "quality.p_reach_threshold", 4, 2)]
    assert records[1].pessimistic == 8.5 and records[2].value == "dirty"
    assert {r.room_title for r in records} == {"Kick-off"}
    assert {r.scenario_version for r in records} == {adoption.version}

    again = adopt(store, token, facilitator, 2)  # a repeated click: no version, no provenance
    assert again.version == adoption.version and len(provenance(store, scenario_id)) == 4
    with pytest.raises(UserError, match="no round 3"):
        adopt(store, token, facilitator, 3)
