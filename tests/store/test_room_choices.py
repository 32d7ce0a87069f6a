"""What a room asks (chosen tasks and risk questions) and migration 4, which stores it.

They run on the back ends of this folder's ``conftest.py`` (SQLite, and PostgreSQL when set).
"""

from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy import column, insert, table, text

from mlpm_core.errors import UserError
from mlpm_core.scenario.model import Scenario
from mlpm_core.store.database import Store, open_store
from mlpm_core.store.room_access import digest
from mlpm_core.store.rooms import join, open_room, room_for_facilitator, room_view, submit
from mlpm_core.store.schema import rooms, utc_now
from mlpm_core.workshop import RISK_QUESTIONS, RiskAnswers, TaskEstimate
from mlpm_core.workshop.selection import default_task_names

NEW_COLUMNS = ("questions", "archived_at", "deleted_at")
# Ranges 1-2-3, widened by task number: T11 is the widest.
WIDTHS = {f"T{n}": n for n in range(12)}


def make_scenario(store: Store) -> str:
    scenario = Scenario.model_validate({"project": {"name": "Churn"}, "tasks": [
        {"name": name, "phase": "planning", "role": "ml_engineer", "optimistic": 1,
         "most_likely": 2, "pessimistic": 3 + width} for name, width in WIDTHS.items()]})
    return store.create(scenario).id


def test_the_default_is_the_ten_widest_ranges_in_the_scenarios_order(store):
    scenario, _ = store.load(make_scenario(store))
    assert default_task_names(scenario.tasks) == [f"T{n}" for n in range(2, 12)]
    assert default_task_names(scenario.tasks, limit=2) == ["T10", "T11"]


def test_a_room_asks_only_the_chosen_tasks_and_questions(store):
    sid = make_scenario(store)
    room, token, key = open_room(store, sid, "Kick-off", tasks=["T5", "T1"],
                                 questions=["data_size", "data_complexity"])
    assert [task.name for task in room.tasks] == ["T1", "T5"]  # the scenario's order
    assert room.questions == ("data_complexity", "data_size")  # the usual order
    assert room_for_facilitator(store, token, key) == room
    person = join(store, token, "Ada")
    with pytest.raises(UserError, match="no task 'T2' in this workshop room"):
        submit(store, token, person.id, person.secret, 1, [TaskEstimate("T2", 1, 2, 3)], None,
               uuid.uuid4().hex)
    with pytest.raises(UserError, match="does not ask the risk question 'data_labels"):
        submit(store, token, person.id, person.secret, 1, [],
               RiskAnswers(data_labels_obtainable=True), uuid.uuid4().hex)
    submit(store, token, person.id, person.secret, 1, [TaskEstimate("T5", 1, 2, 3)],
           RiskAnswers(data_size="big"), uuid.uuid4().hex)
    (round_one,) = room_view(store, token, facilitator_key=key).rounds
    assert [task.task_name for task in round_one.tasks] == ["T1", "T5"]


@pytest.mark.parametrize(("tasks", "questions", "message"), [
    ([], None, "at least one task"),
    (["T1", "nope"], None, "no task 'nope'"),
    ("T1", None, "must be a list"),
    (None, ["data_size", "colour"], "no question 'colour'"),
])
def test_a_bad_choice_is_refused_and_opens_nothing(store, tasks, questions, message):
    sid = make_scenario(store)
    with pytest.raises(UserError, match=message):
        open_room(store, sid, "Kick-off", tasks=tasks, questions=questions)
    with store.read() as connection:
        assert connection.execute(text("SELECT count(*) FROM rooms")).scalar() == 0


def test_no_choice_asks_everything_and_no_question_is_allowed(store):
    sid = make_scenario(store)
    everything = open_room(store, sid, "All").room
    assert len(everything.tasks) == len(WIDTHS) and everything.questions == tuple(RISK_QUESTIONS)
    assert open_room(store, sid, "None", questions=[]).room.questions == ()


def test_a_room_from_before_migration_4_asks_every_question(url):
    """A version-3 database's rooms table lacks the new columns; migration 4 adds them and its
    rooms ask every question, as they did."""
    old = Store(url)
    assert old.migrate(target=3) == [1, 2, 3]
    sid = make_scenario(old)
    token, key = "t" * 43, "k" * 43
    with old.write() as connection:
        for name in NEW_COLUMNS:  # the table as an older mlpm created it
            connection.execute(text(f"ALTER TABLE rooms DROP COLUMN {name}"))
        old_rooms = table("rooms", *[column(c.name) for c in rooms.columns
                                     if c.name not in NEW_COLUMNS])
        connection.execute(insert(old_rooms).values(
            id=uuid.uuid4().hex, scenario_id=sid, scenario_version=1,
            token_sha256=digest(token), facilitator_sha256=digest(key), title="Old",
            tasks=json.dumps([{"name": "T1", "phase": "planning", "role": "ml_engineer",
                               "optimistic": 1, "most_likely": 2, "pessimistic": 3}]),
            created_at=utc_now(), expires_at="2999-01-01T00:00:00.000000+00:00", closed_at=None,
            current_round=1, names_revealed=False))
    old.close()
    with open_store(url) as store:
        room = room_for_facilitator(store, token, key)
    assert room.title == "Old" and room.questions == tuple(RISK_QUESTIONS)
    assert room.archived_at is None and room.deleted_at is None
