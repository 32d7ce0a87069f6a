"""The store: scenario CRUD and history, optimistic concurrency, migrations, crash safety.

Contract tests run against the SQL store and the in-memory fake, so the fake that callers' unit
tests use behaves like the real thing. The back ends (SQLite always, PostgreSQL when
$MLPM_TEST_POSTGRES_URL is set, each PostgreSQL test in its own schema) come from this folder's
``conftest.py``. Checks of SQLite's own machinery (PRAGMAs, sqlite3-level locking, a garbage
file) run on SQLite only, saying why.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import signal
import sqlite3
import threading
import time
from datetime import date

import pytest
from sqlalchemy import inspect, text, update

from mlpm_core.calibration.actuals import Actual
from mlpm_core.errors import UserError
from mlpm_core.scenario import unsafe_character
from mlpm_core.scenario.model import Scenario
from mlpm_core.scenario.repository import ConflictError, NotFoundError, ScenarioRepository
from mlpm_core.store.database import DATABASE_URL_ENV, Store, open_store
from mlpm_core.store.schema import LATEST_VERSION, metadata, scenario_versions, schema_migrations
from tests.conftest import naughty_strings
from tests.store.conftest import sqlite_only

SPAWN = multiprocessing.get_context("spawn")  # a fresh interpreter: no inherited SQLite handles


def make(name: str = "Churn model", owner: str = "") -> Scenario:
    return Scenario.model_validate({"project": {"name": name, "owner": owner}})


def edited(scenario: Scenario, owner: str) -> Scenario:
    document = scenario.model_dump()
    document["project"]["owner"] = owner
    return Scenario.model_validate(document)


# ------------------------------------------------------------------------ contract (both)
def test_create_load_list_and_delete(repo: ScenarioRepository):
    """A created scenario loads back equal at version 1, lists newest first, and delete hides it."""
    first = repo.create(make("First"))
    second = repo.create(make("Second"))
    scenario, row = repo.load(first.id)
    assert scenario == make("First")
    assert row == first and (row.name, row.version) == ("First", 1)
    assert len(first.id) == 32 and first.updated_at.endswith("+00:00")
    assert [r.id for r in repo.list()] == [second.id, first.id]
    repo.delete(first.id)
    assert [r.id for r in repo.list()] == [second.id]
    for call in (lambda: repo.load(first.id), lambda: repo.history(first.id),
                 lambda: repo.delete(first.id), lambda: repo.save(first.id, make(), 1)):
        with pytest.raises(NotFoundError):
            call()


def test_save_rename_and_duplicate(repo: ScenarioRepository):
    """Saves and renames add versions; a duplicate is an independent scenario with own history."""
    row = repo.create(make("Plan"))
    row = repo.save(row.id, edited(make("Plan"), "Ada"), expected_version=1, note="owner")
    assert row.version == 2
    renamed = repo.rename(row.id, "Plan B")
    assert (renamed.name, renamed.version) == ("Plan B", 3)
    loaded, _ = repo.load(row.id)
    assert loaded.project.name == "Plan B" and loaded.project.owner == "Ada"
    copy = repo.duplicate(row.id, "Plan C")
    assert copy.id != row.id and (copy.name, copy.version) == ("Plan C", 1)
    repo.save(copy.id, edited(repo.load(copy.id)[0], "Grace"), expected_version=1)
    assert repo.load(row.id)[0].project.owner == "Ada"
    assert repo.load(copy.id)[0].project.name == "Plan C"
    assert [r.name for r in repo.list()] == ["Plan C", "Plan B"]


def test_history_and_restore_never_rewrite(repo: ScenarioRepository):
    """History lists every version newest first; restore appends a copy of the old version."""
    row = repo.create(make(owner="v1"))
    for owner in ("v2", "v3"):
        row = repo.save(row.id, edited(make(), owner), expected_version=row.version, note=owner)
    restored = repo.restore(row.id, 1, expected_version=3)
    assert restored.version == 4
    history = repo.history(row.id)
    assert [(h.version, h.note) for h in history] == [
        (4, "restored version 1"), (3, "v3"), (2, "v2"), (1, "created")]
    assert repo.load_version(row.id, 4) == repo.load_version(row.id, 1) == make(owner="v1")
    assert repo.load_version(row.id, 3) == make(owner="v3")
    with pytest.raises(ConflictError):
        repo.restore(row.id, 2, expected_version=3)
    with pytest.raises(NotFoundError):
        repo.load_version(row.id, 9)


def test_second_session_saving_from_the_same_version_conflicts(repo: ScenarioRepository):
    """Two sessions save from one version: the second gets a readable ConflictError, none lost."""
    row = repo.create(make())
    alice, _ = repo.load(row.id)
    bob, _ = repo.load(row.id)
    repo.save(row.id, edited(alice, "Alice"), expected_version=row.version, note="alice")
    with pytest.raises(ConflictError) as caught:
        repo.save(row.id, edited(bob, "Bob"), expected_version=row.version, note="bob")
    assert caught.value.current_version == 2
    assert "someone else" in str(caught.value) and "version 1" in str(caught.value)
    assert repo.load(row.id)[0].project.owner == "Alice"
    latest, current = repo.load(row.id)  # Bob reloads and reapplies: it lands as version 3
    repo.save(row.id, edited(latest, "Alice and Bob"), expected_version=current.version)
    assert [h.note for h in repo.history(row.id)] == ["", "alice", "created"]


def test_unchanged_save_makes_no_version(repo: ScenarioRepository):
    """Saving a document equal to the latest version writes nothing and returns the current row."""
    row = repo.create(make())
    assert repo.save(row.id, make(), expected_version=1) == row
    row2 = repo.save(row.id, edited(make(), "x"), expected_version=1)
    assert repo.save(row.id, edited(make(), "x"), expected_version=1) == row2  # a retried save
    assert repo.rename(row.id, "Churn model") == row2
    assert len(repo.history(row.id)) == 2


def test_invalid_names_are_refused(repo: ScenarioRepository):
    """Empty or over-long names are a UserError, not a stored row."""
    row = repo.create(make())
    for bad in ("", "x" * 201):
        with pytest.raises(UserError):
            repo.rename(row.id, bad)
        with pytest.raises(UserError):
            repo.duplicate(row.id, bad)
    assert len(repo.list()) == 1 and len(repo.history(row.id)) == 1


@pytest.mark.slow
def test_hostile_names_round_trip_exactly(repo: ScenarioRepository):
    """Every naughty string that is a valid name comes back unchanged from list, load and rename
    (the others are refused: test_text_checks.py)."""
    names = [n for n in naughty_strings() if 1 <= len(n) <= 200 and unsafe_character(n) is None]
    assert len(names) > 400
    rows = [repo.create(make(name)) for name in names]
    listed = {row.id: row.name for row in repo.list()}
    assert [listed[row.id] for row in rows] == names
    assert [repo.load(row.id)[0].project.name for row in rows[::7]] == names[::7]
    target = repo.create(make("target"))
    for name in names[::3]:
        assert repo.rename(target.id, name).name == name
        assert repo.load(target.id)[1].name == name
    assert [h.name for h in repo.history(target.id)][:3] == names[::3][::-1][:3]


# ------------------------------------------------------------------------ SQL store only
@sqlite_only("PRAGMAs are SQLite's connection settings; PostgreSQL has no such thing")
def test_connection_settings_wal_busy_timeout_foreign_keys(store: Store):
    """SQLite connections use WAL, a 10 s busy timeout and enforced foreign keys."""
    with store.read() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10000
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


@sqlite_only("BEGIN IMMEDIATE and the file lock are SQLite's; PostgreSQL locks rows")
def test_write_transactions_take_the_lock_at_begin(store: Store, tmp_path):
    """A write transaction holds the write lock before its first statement; a read one does not."""
    other = sqlite3.connect(tmp_path / "store.sqlite3", timeout=0, isolation_level=None)
    try:
        with store.read():
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
        with store.write():
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
            assert other.execute("SELECT count(*) FROM scenarios").fetchone() == (0,)
    finally:
        other.close()


def test_corrupt_rows_give_user_errors(store: Store):
    """A damaged stored document is a readable UserError naming the scenario, not a crash."""
    row = store.create(make())
    for damage in ("{not json", '{"project": {"name": ""}}', "[1, 2]"):
        with store.write() as connection:
            connection.execute(update(scenario_versions).values(document=damage))
        with pytest.raises(UserError, match=r"stored scenario 'Churn model' \(version 1\)"):
            store.load(row.id)


def test_corrupt_files_and_bad_urls_give_user_errors(tmp_path):
    """A garbage SQLite file or an unparseable URL is a readable UserError, not a crash."""
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"this is not a database" * 100)
    with pytest.raises(UserError, match="Cannot open the database"):
        open_store(f"sqlite:///{garbage}")
    with pytest.raises(UserError, match="database URL"):
        open_store("not a url")


def test_env_url_wins_and_default_file_lives_in_data_dir(tmp_path, monkeypatch):
    """$MLPM_DATABASE_URL overrides the argument; without either the file goes in data_dir()."""
    monkeypatch.setenv("MLPM_DATA_DIR", str(tmp_path / "data"))
    with open_store() as store:
        store.create(make())
    assert (tmp_path / "data" / "mlpm.sqlite3").is_file()
    monkeypatch.setenv(DATABASE_URL_ENV, f"sqlite:///{tmp_path / 'env.sqlite3'}")
    with open_store(f"sqlite:///{tmp_path / 'arg.sqlite3'}") as store:
        assert store.list() == []
    assert (tmp_path / "env.sqlite3").is_file() and not (tmp_path / "arg.sqlite3").exists()


def test_opening_an_old_database_migrates_it_and_reopening_is_a_no_op(url):
    """A version-1 database gains the newer tables on open, keeps its rows; reopening is a no-op."""
    old = Store(url)
    assert old.migrate(target=1) == [1]
    row = old.create(make("Kept"))
    with old.read() as connection:
        assert "actuals" not in inspect(connection).get_table_names()
    old.close()

    with open_store(url) as store:
        assert store.load(row.id)[0].project.name == "Kept"
        store.add_actuals([Actual("Kept", 2, 3, scenario_id=row.id)])
        with store.read() as connection:
            applied = connection.execute(schema_migrations.select()).all()
            tables = inspect(connection)
            for table in metadata.sorted_tables:  # the migrated schema is the declared one
                columns = [c["name"] for c in tables.get_columns(table.name)]
                assert columns == [c.name for c in table.columns], table.name
    assert [a.version for a in applied] == list(range(1, LATEST_VERSION + 1))

    with open_store(url) as again:
        assert again.migrate() == []
        with again.read() as connection:
            assert connection.execute(schema_migrations.select()).all() == applied
        assert len(again.list_actuals()) == 1


def test_a_database_from_a_newer_mlpm_is_refused(store: Store, url):
    """Opening a database with an unknown later schema version is a UserError, not a downgrade."""
    with store.write() as connection:
        connection.execute(schema_migrations.insert().values(
            version=LATEST_VERSION + 5, applied_at="2099-01-01T00:00:00.000000+00:00",
            description="future"))
    with pytest.raises(UserError, match="newer mlpm"):
        open_store(url)


def test_actuals_round_trip_and_are_all_or_nothing(store: Store):
    """Actuals come back in order with ids; an invalid batch or unknown scenario stores nothing."""
    row = store.create(make())
    added = store.add_actuals([
        Actual("Label data", 5, 8, phase="experimentation", finished_on=date(2024, 3, 4),
               team="=cmd|' /C calc'!A0", scenario_id=row.id),
        Actual("Other project", 10, 9.5, unit="hours"),
    ])
    assert [a.id for a in added] == [1, 2]
    assert store.list_actuals() == added
    assert store.list_actuals(row.id) == added[:1]
    assert added[0].finished_on == date(2024, 3, 4) and added[0].team == "=cmd|' /C calc'!A0"
    for bad in (Actual("x", 0, 1), Actual("x", 1, float("nan")), Actual("", 1, 1),
                Actual("x", 1, 1, finished_on="2024-01-01"),  # type: ignore[arg-type]
                Actual("x", 1, 1, team=7)):  # type: ignore[arg-type]
        with pytest.raises(UserError):
            store.add_actuals([Actual("fine", 1, 1), bad])
    with pytest.raises(NotFoundError):
        store.add_actuals([Actual("fine", 1, 1), Actual("x", 1, 1, scenario_id="nope")])
    assert len(store.list_actuals()) == 2


def test_reference_documents_save_replace_load_list(store: Store):
    """Reference documents are saved, replaced and listed by name; bad JSON is refused."""
    store.save_reference_document("team-a", '{"name": "team-a", "sigma": 0.5}')
    store.save_reference_document("team-a", '{"name": "team-a", "sigma": 0.7}')
    store.save_reference_document("'; DROP TABLE actuals; --", "{}")
    assert json.loads(store.load_reference_document("team-a"))["sigma"] == 0.7
    assert store.list_reference_names() == ["'; DROP TABLE actuals; --", "team-a"]
    for bad in ("{", "[]", '{"a": NaN}', '{"a": 1, "a": 2}'):
        with pytest.raises(UserError):
            store.save_reference_document("bad", bad)
    with pytest.raises(NotFoundError):
        store.load_reference_document("bad")
    assert store.list_actuals() == []


# ------------------------------------------------------------------------ concurrency
def test_eight_threads_saving_different_scenarios_lose_nothing(store: Store):
    """8 threads x 25 saves on one store: every version is there once, no lock errors leak."""
    rows = [store.create(make(f"s{n}")) for n in range(8)]
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def work(row) -> None:
        try:
            start.wait()
            version = row.version
            for i in range(25):
                saved = store.save(row.id, edited(make(row.name), f"save {i}"), version,
                                   note=f"{i}")
                assert saved.version == version + 1
                version = saved.version
        except BaseException as error:  # reported to the main thread below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(row,)) for row in rows]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for row in rows:
        history = store.history(row.id)
        assert [h.version for h in history] == list(range(26, 0, -1))
        assert [h.note for h in history[:-1]] == [str(i) for i in range(24, -1, -1)]
        assert store.load(row.id)[0].project.owner == "save 24"


def _racing_writer(url: str, scenario_id: str, tag: str, saves: int, start, results) -> None:
    store = open_store(url)
    conflicts = 0
    start.wait()
    for i in range(saves):
        while True:
            scenario, row = store.load(scenario_id)
            time.sleep(random.uniform(0, 0.002))  # the user "edits" between load and save
            try:
                store.save(scenario_id, edited(scenario, f"{tag} {i}"), row.version,
                           note=f"{tag} {i}")
                break
            except ConflictError:
                conflicts += 1
    results.put((tag, conflicts))


@pytest.mark.slow
def test_two_processes_racing_on_one_scenario_all_land_after_retries(url, store: Store):
    """Two processes save one scenario; each conflict is retried and every save lands once."""
    row = store.create(make())
    start, results = SPAWN.Barrier(2), SPAWN.Queue()
    workers = [SPAWN.Process(target=_racing_writer, args=(url, row.id, tag, 15, start, results))
               for tag in ("a", "b")]
    for worker in workers:
        worker.start()
    outcome = dict(results.get(timeout=60) for _ in workers)
    for worker in workers:
        worker.join(timeout=10)
        assert worker.exitcode == 0
    notes = [h.note for h in store.history(row.id)]
    assert len(notes) == 31 and notes[-1] == "created"
    assert sorted(notes[:-1]) == sorted(f"{t} {i}" for t in "ab" for i in range(15))
    for tag in "ab":  # each writer's own saves land in its order
        assert [n for n in reversed(notes) if n.startswith(tag)] == [f"{tag} {i}"
                                                                   for i in range(15)]
    assert sum(outcome.values()) > 0, "the writers never raced; the test proves nothing"


def _crashing_writer(url: str, scenario_id: str, pause_inside: bool, committed) -> None:
    store = open_store(url)
    _, row = store.load(scenario_id)
    version = row.version
    while True:
        version = store.save(scenario_id, edited(make(), f"save {version + 1}"), version).version
        committed.put(version)
        if pause_inside and version % 3 == 0:
            with store.write() as connection:
                connection.execute(update(scenario_versions).values(note="torn"))
                connection.execute(text("DELETE FROM actuals"))
                committed.put("inside")
                time.sleep(60)


@pytest.mark.slow
def test_sigkill_mid_write_keeps_every_committed_row(url, store: Store):
    """A writer killed with SIGKILL mid-transaction leaves an openable database with all commits."""
    row = store.create(make())
    store.add_actuals([Actual("kept", 1, 2)])
    store.close()
    for round_ in range(5):
        committed = SPAWN.Queue()
        pause_inside = round_ % 2 == 0
        child = SPAWN.Process(target=_crashing_writer, args=(url, row.id, pause_inside, committed))
        child.start()
        seen: list[int] = []
        while True:
            message = committed.get(timeout=30)
            if message == "inside":
                break
            seen.append(message)
            if not pause_inside and len(seen) >= 3 + round_:
                time.sleep(random.uniform(0, 0.004))  # lands mid-save most of the time
                break
        os.kill(child.pid, signal.SIGKILL)
        child.join(timeout=10)
        assert child.exitcode == -signal.SIGKILL

        with open_store(url) as reopened:
            if url.startswith("sqlite"):  # a check of the SQLite file format
                with reopened.read() as connection:
                    assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            scenario, current = reopened.load(row.id)
            history = reopened.history(row.id)
            assert current.version >= seen[-1]
            assert [h.version for h in history] == list(range(current.version, 0, -1))
            assert "torn" not in {h.note for h in history}
            assert scenario.project.owner == f"save {current.version}"
            for version in seen:
                assert reopened.load_version(row.id, version).project.owner == f"save {version}"
            assert [a.task for a in reopened.list_actuals()] == ["kept"]
            reopened.save(row.id, edited(scenario, "after crash"), current.version)  # not locked


def _opening_writer(url: str, start, results) -> None:
    start.wait()
    try:
        with open_store(url) as store:
            store.list()
        results.put("opened")
    except Exception as error:  # reported to the test, which shows it
        results.put(f"{type(error).__name__}: {error}")


@pytest.mark.slow
def test_processes_opening_one_fresh_store_at_once_all_open_and_migrate_once(url):
    """Replicas of a team deployment starting together on a fresh database: no error, one schema.

    Without a lock around the migrations, PostgreSQL fails the second CREATE TABLE of the same
    table with a duplicate-key error on its catalogue.
    """
    openers = 4
    start, results = SPAWN.Barrier(openers), SPAWN.Queue()
    workers = [SPAWN.Process(target=_opening_writer, args=(url, start, results))
               for _ in range(openers)]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=10)
    assert outcomes == ["opened"] * openers
    with Store(url) as store, store.read() as connection:
        versions = [row.version for row in connection.execute(schema_migrations.select())]
    assert versions == list(range(1, LATEST_VERSION + 1))
