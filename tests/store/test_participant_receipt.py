"""What a participant's page reads to acknowledge their input: the time the room last received
it (in their view and in the status the page polls), the same in a new session.

They run on the back ends of this folder's ``conftest.py`` (SQLite, and PostgreSQL when set).
"""

from __future__ import annotations

import re
import uuid

import pytest

from mlpm_core.scenario.model import Scenario
from mlpm_core.store.database import Store
from mlpm_core.store.room_access import PARTICIPANT_REFUSED, RoomAccessError
from mlpm_core.store.rooms import (
    close_room,
    join,
    next_round,
    open_room,
    participant_status,
    room_view,
    submit,
)
from mlpm_core.workshop import TaskEstimate


def make_scenario(store: Store) -> str:
    scenario = Scenario.model_validate({"project": {"name": "Churn"}, "tasks": [
        {"name": name, "phase": "planning", "role": "ml_engineer", "optimistic": 1,
         "most_likely": 2, "pessimistic": 3} for name in ("T1", "T2")]})
    return store.create(scenario).id


def send(store: Store, token: str, person, round_: int, *tasks: str) -> str:
    estimates = [TaskEstimate(task, 1, 2, 3) for task in tasks]
    return submit(store, token, person.id, person.secret, round_, estimates, None,
                  idempotency_key=uuid.uuid4().hex).submitted_at


def test_the_view_and_the_status_carry_the_latest_input_of_this_participant_only(store):
    """Nothing before a submission; then the latest submission's time, not another's."""
    _, token, key = open_room(store, make_scenario(store), "Kick-off")
    ada, bob = join(store, token, "Ada"), join(store, token, "Bob")
    mine = {"participant_id": ada.id, "participant_secret": ada.secret}
    assert room_view(store, token, **mine).your_submitted_at is None
    assert participant_status(store, token, ada.id, ada.secret) == (1, None)
    send(store, token, ada, 1, "T1")
    latest = send(store, token, ada, 1, "T1", "T2")
    send(store, token, bob, 1, "T1")
    view = room_view(store, token, **mine)
    assert view.your_submitted_at == latest and len(view.your_estimates) == 2
    assert participant_status(store, token, ada.id, ada.secret) == (1, latest)
    next_round(store, token, key)
    assert participant_status(store, token, ada.id, ada.secret) == (2, None)
    assert room_view(store, token, **mine).your_submitted_at is None


def test_the_status_refuses_a_wrong_seat_and_a_closed_room(store):
    _, token, key = open_room(store, make_scenario(store), "Kick-off")
    ada = join(store, token, "Ada")
    with pytest.raises(RoomAccessError, match=re.escape(PARTICIPANT_REFUSED)):
        participant_status(store, token, ada.id, "x" * 43)
    close_room(store, token, key)
    with pytest.raises(RoomAccessError, match="closed"):
        participant_status(store, token, ada.id, ada.secret)
