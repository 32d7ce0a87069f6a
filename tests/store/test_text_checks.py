"""Text the store cannot keep is refused as a UserError before any SQL runs.

PostgreSQL refuses NUL in text with a raw driver ``DataError`` ("A string literal cannot contain
NUL characters") in the middle of a transaction; SQLite keeps it and hands it to charts and
terminals later. Every text reaching the store outside a validated scenario (a save note, a new
name, an actual, a reference class name, a looked-up id) goes through the scenario's text rule
first. The back ends come from this folder's ``conftest.py``: SQLite always, PostgreSQL when
$MLPM_TEST_POSTGRES_URL is set.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from mlpm_core.calibration.actuals import Actual
from mlpm_core.errors import UserError
from mlpm_core.scenario import unsafe_character
from mlpm_core.scenario.model import Scenario
from mlpm_core.scenario.repository import NotFoundError, ScenarioRepository
from mlpm_core.store.database import Store
from mlpm_core.store.room_access import PARTICIPANT_REFUSED
from mlpm_core.store.rooms import (
    RoomAccessError,
    join,
    list_rooms,
    open_room,
    provenance,
    submit,
)
from mlpm_core.store.schema import actuals, reference_classes
from mlpm_core.workshop.aggregate import TaskEstimate
from tests.conftest import naughty_strings

BAD = ["nul\x00here", "escape\x1b[31m", "line\u2028separator", "non\ufffecharacter",
       "half\ud800surrogate"]


def make(name: str = "Churn") -> Scenario:
    return Scenario.model_validate({"project": {"name": name}, "tasks": [
        {"name": "Label", "phase": "planning", "role": "ml_engineer", "optimistic": 1,
         "most_likely": 2, "pessimistic": 3}]})


def rows(store: Store, table) -> int:
    with store.read() as connection:
        return connection.execute(select(func.count()).select_from(table)).scalar_one()


@pytest.mark.parametrize("bad", BAD)
def test_a_note_or_name_that_cannot_be_stored_is_refused_and_nothing_is_written(
        repo: ScenarioRepository, bad):
    with pytest.raises(UserError, match=r"^The save note must be text without control"):
        repo.create(make(), note=bad)
    assert repo.list() == []
    row = repo.create(make())
    with pytest.raises(UserError, match=r"^The save note must be text without control"):
        repo.save(row.id, make("Renamed"), expected_version=1, note=bad)
    with pytest.raises(UserError, match=r"^The scenario name must be one line of text"):
        repo.rename(row.id, bad)
    with pytest.raises(UserError, match=r"^The scenario name must be one line of text"):
        repo.duplicate(row.id, bad)
    assert [(r.name, r.version) for r in repo.list()] == [("Churn", 1)]


def test_a_scenario_that_skipped_validation_is_still_checked(repo: ScenarioRepository):
    """A Scenario changed without validation (model_copy) cannot carry NUL into the store."""
    scenario = make()
    sneaked = scenario.model_copy(update={"project": scenario.project.model_copy(
        update={"name": "Churn\x00"})})
    with pytest.raises(UserError, match=r"^The scenario name must be one line of text without "
                                        "control characters; found a control character"):
        repo.create(sneaked)
    assert repo.list() == []


@pytest.mark.parametrize("bad", ["\x00" * 32, "nul\x00"])
def test_an_id_that_cannot_be_stored_is_not_found(repo: ScenarioRepository, bad):
    repo.create(make())
    for call in (lambda: repo.load(bad), lambda: repo.history(bad), lambda: repo.delete(bad),
                 lambda: repo.save(bad, make(), 1), lambda: repo.load_version(bad, 1),
                 lambda: repo.restore(bad, 1, 1), lambda: repo.rename(bad, "New")):
        with pytest.raises(NotFoundError, match="There is no saved scenario with id"):
            call()


def test_naughty_names_are_stored_exactly_or_refused_in_one_line(store: Store):
    """Every naughty string as a scenario name: refused by the text rule (or the length), or
    stored and read back unchanged, on every back end."""
    row = store.create(make())
    stored = 0
    for name in naughty_strings():
        try:
            store.rename(row.id, name)
        except UserError as error:
            assert (unsafe_character(name) is not None or not 1 <= len(name) <= 200), name
            assert "\n" not in str(error)
        else:
            stored += 1
            assert store.load(row.id)[0].project.name == name
    assert stored > 400


@pytest.mark.parametrize("field", ["task", "unit", "phase", "team", "scenario_id"])
def test_an_actual_with_text_that_cannot_be_stored_is_refused(store: Store, field):
    values = {"task": "Label", "estimate": 2.0, "actual": 3.0, "unit": "days", field: "x\x00y"}
    with pytest.raises(UserError, match=r"^The .* of actual 1 must be one line of text"):
        store.add_actuals([Actual(**values)])
    assert rows(store, actuals) == 0
    assert store.list_actuals("\x00") == []


def test_a_reference_class_name_that_cannot_be_stored_is_refused(store: Store):
    for call in (lambda: store.save_reference_document("mine\x00", "{}"),
                 lambda: store.load_reference_document("mine\x00")):
        with pytest.raises(UserError, match=r"^The reference class name must be one line"):
            call()
    with pytest.raises(UserError, match=r"^The reference class 'mine' must be text"):
        store.save_reference_document("mine", '{"description": "a\x00b"}')
    assert rows(store, reference_classes) == 0


def test_workshop_inputs_that_cannot_be_stored_are_refused(store: Store):
    """Titles, names, participant ids and task names: refused or not found, never a driver
    error."""
    scenario_id = store.create(make()).id
    for bad in BAD:
        with pytest.raises(UserError, match=r"^The room title contains control characters"):
            open_room(store, scenario_id, f"Kick-off {bad}")
    _, token, _ = open_room(store, scenario_id, "Kick-off")
    for bad in BAD:
        with pytest.raises(UserError, match=r"^The display name contains control characters"):
            join(store, token, bad)
    ada = join(store, token, "Ada")
    with pytest.raises(RoomAccessError, match=re.escape(PARTICIPANT_REFUSED)):
        submit(store, token, "\x00" * 32, ada.secret, 1, [TaskEstimate("Label", 1, 2, 3)],
               None, "key-1")
    with pytest.raises(UserError, match="There is no task 'Label\\\\x00'"):
        submit(store, token, ada.id, ada.secret, 1, [TaskEstimate("Label\x00", 1, 2, 3)],
               None, "key-2")
    assert list_rooms(store, "\x00") == [] and provenance(store, "\x00") == []
    receipt = submit(store, token, ada.id, ada.secret, 1, [TaskEstimate("Label", 1, 2, 3)],
                     None, "key-3")
    assert receipt.tasks == ("Label",) and not receipt.replayed


@pytest.mark.parametrize("amount", [1e308, 5e-324, 1e10, 0.0005])
def test_an_actual_outside_what_the_fit_accepts_is_not_recorded(store: Store, amount) -> None:
    """A typo such as 1e308 is refused when recorded, not stored to block every later fit."""
    with pytest.raises(UserError, match=r"actual 2: the actual must be a number from 0\.001"):
        store.add_actuals([Actual(task="ok", estimate=2.0, actual=3.0, unit="days"),
                           Actual(task="typo", estimate=2.0, actual=amount, unit="days")])
    assert store.list_actuals() == []
