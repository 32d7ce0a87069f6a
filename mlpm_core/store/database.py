"""Saved scenarios with full version history, recorded actuals and reference classes.

SQLite by default (``data_dir()/mlpm.sqlite3``) so one person needs no server; any SQLAlchemy URL
for a shared team deployment (``$MLPM_DATABASE_URL`` wins over everything). SQLAlchemy Core, not
the ORM: a handful of tables and explicit transactions are easier to reason about than a unit of
work when the point is concurrency.

Concurrency (README "Safety"; the contract is in ``mlpm_core.scenario.repository``):

* Two people editing one scenario must conflict visibly, never overwrite silently: every save
  states the version it was based on (``expected_version``) and fails with ``ConflictError`` if
  someone else saved in between.
* SQLite runs in WAL mode (readers never block the writer) with a 10 s busy timeout, and every
  write transaction starts with ``BEGIN IMMEDIATE``. A deferred transaction that reads first and
  then writes cannot wait for the lock (SQLite would risk a deadlock), so it fails at once with
  "database is locked" despite the busy timeout; taking the write lock up front makes it wait.
* History is append-only: restoring an old version writes a new version equal to it.

Callers that only need scenarios should depend on ``ScenarioRepository``; unit tests of those
callers can use ``InMemoryScenarioRepository`` (``memory.py``) instead of a database.
"""

from __future__ import annotations

import builtins
import os
import threading
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError

from mlpm_core.access import LOCAL_OWNER
from mlpm_core.calibration import Actual
from mlpm_core.errors import UserError
from mlpm_core.safe_json import parse_json_text
from mlpm_core.scenario import (
    NotFoundError,
    Scenario,
    ScenarioRepository,
    StoredScenario,
    VersionInfo,
    checked_name,
    checked_text,
    conflict,
    not_found,
    parse_stored,
    scenario_to_json,
    with_name,
)
from mlpm_core.store.checks import (
    checked_actual,
    checked_actual_ids,
    checked_note,
    checked_reference_name,
    storable_key,
)
from mlpm_core.store.connection import WRITE_OPTION, StoreBusyError, is_busy, make_engine
from mlpm_core.store.lite import (  # the constants stay importable from here
    BUSY_TIMEOUT_S,
    DATABASE_URL_ENV,
    default_database_file,
)
from mlpm_core.store.lite import DATABASE_FILE as DATABASE_FILE
from mlpm_core.store.recorded_actuals import delete_actuals, insert_actuals, read_actuals
from mlpm_core.store.schema import (
    actuals,
    migrate,
    reference_classes,
    scenario_versions,
    scenarios,
    utc_now,
)


def default_url() -> str:
    """The SQLite file in the user's data folder."""
    return f"sqlite:///{default_database_file()}"


def resolve_url(url: str | None = None) -> str:
    """``$MLPM_DATABASE_URL`` if set (a deployment overrides any configured URL), else ``url``,
    else the default SQLite file."""
    return os.environ.get(DATABASE_URL_ENV) or url or default_url()


class Store(ScenarioRepository):
    """The SQL store. Use ``open_store()``, which also brings the schema up to date.

    Thread-safe: one Store (one connection pool) can serve every session of an app process.
    """

    def __init__(self, url: str) -> None:
        try:
            parsed = make_url(url)
            self.url = parsed.render_as_string(hide_password=True)
            self._engine = make_engine(parsed)
        except (ArgumentError, ValueError, ImportError) as error:
            raise UserError(f"Cannot use the database URL {url!r:.200}: {error}") from None
        # SQLite has one writer at a time and its busy handler retries by sleeping, which lets
        # a writer starve past the timeout when many threads (the app's sessions) save at once.
        # Queueing this process's writers here first leaves SQLite to arbitrate processes only.
        self._writers = (threading.RLock() if parsed.get_backend_name() == "sqlite"
                         else None)

    def close(self) -> None:
        """Close the pooled connections (a new connection opens on next use)."""
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def migrate(self, target: int | None = None) -> builtins.list[int]:
        """Apply missing schema migrations; the versions applied (empty when up to date)."""
        try:
            return migrate(self.write, target=target, where=f"the database {self.url}")
        except StoreBusyError:
            raise
        except SQLAlchemyError as error:
            detail = getattr(error, "orig", None) or error
            raise UserError(f"Cannot open the database {self.url}: {detail}") from None

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read transaction: one consistent snapshot, never blocked by writers (WAL)."""
        with self._engine.connect() as connection, connection.begin():
            yield connection

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A write transaction that holds the write lock from its first statement.

        Waits up to the busy timeout for other writers; raises ``StoreBusyError`` after it.
        """
        busy = StoreBusyError("The database is busy with other saves; nothing was saved. "
                              "Try again.")
        if self._writers is not None and not self._writers.acquire(timeout=BUSY_TIMEOUT_S):
            raise busy
        try:
            with self._engine.connect() as connection:
                connection.execution_options(**{WRITE_OPTION: True})
                with connection.begin():
                    yield connection
        except OperationalError as error:
            if is_busy(error):
                raise busy from error
            raise
        finally:
            if self._writers is not None:
                self._writers.release()

    # ---------------------------------------------------------------- scenarios
    @staticmethod
    def _live_row(connection: Connection, scenario_id: str) -> Any:
        if not storable_key(scenario_id):
            raise not_found(scenario_id)
        row = connection.execute(select(scenarios).where(
            scenarios.c.id == scenario_id, scenarios.c.deleted_at.is_(None))).one_or_none()
        if row is None:
            raise not_found(scenario_id)
        return row

    @staticmethod
    def _document(connection: Connection, scenario_id: str, version: int) -> Any:
        row = connection.execute(
            select(scenario_versions.c.document, scenario_versions.c.name)
            .where(scenario_versions.c.scenario_id == scenario_id,
                   scenario_versions.c.version == version)).one_or_none()
        if row is None:
            raise NotFoundError(f"Version {version} of this scenario does not exist.")
        return row

    def _append(self, connection: Connection, row: Any, scenario: Scenario,
                expected: int | None, note: str) -> StoredScenario:
        """Write the next version of ``row`` inside the caller's write transaction."""
        document = scenario_to_json(scenario)
        if self._document(connection, row.id, row.version).document == document:
            return StoredScenario(row.id, row.name, row.version, row.updated_at)
        if expected is not None and expected != row.version:
            raise conflict(row.name, expected, row.version, row.updated_at)
        name, version, now = checked_name(scenario.project.name), row.version + 1, utc_now()
        # The version condition also guards backends whose transactions do not lock up front.
        changed = connection.execute(
            update(scenarios).where(scenarios.c.id == row.id, scenarios.c.version == row.version)
            .values(name=name, version=version, updated_at=now)).rowcount
        if changed != 1:
            raise conflict(row.name, row.version, row.version + 1, now)
        connection.execute(insert(scenario_versions).values(
            scenario_id=row.id, version=version, saved_at=now, name=name, note=note,
            document=document))
        return StoredScenario(row.id, name, version, now)

    def create(self, scenario: Scenario, note: str = "created", *,
               owner: str = LOCAL_OWNER) -> StoredScenario:
        """Save a new scenario owned by ``owner`` (the guard passes the signed-in person)."""
        name, document = checked_name(scenario.project.name), scenario_to_json(scenario)
        note = checked_note(note)
        scenario_id, now = uuid.uuid4().hex, utc_now()
        with self.write() as connection:
            self._insert_new(connection, scenario_id, name, document, note, now, owner)
        return StoredScenario(scenario_id, name, 1, now)

    @staticmethod
    def _insert_new(connection: Connection, scenario_id: str, name: str, document: str,
                    note: str, now: str, owner: str) -> None:
        connection.execute(insert(scenarios).values(
            id=scenario_id, name=name, created_at=now, updated_at=now, version=1, owner=owner))
        connection.execute(insert(scenario_versions).values(
            scenario_id=scenario_id, version=1, saved_at=now, name=name, note=note,
            document=document))

    def save(self, scenario_id: str, scenario: Scenario, expected_version: int,
             note: str = "") -> StoredScenario:
        note = checked_note(note)
        with self.write() as connection:
            row = self._live_row(connection, scenario_id)
            return self._append(connection, row, scenario, expected_version, note)

    def load(self, scenario_id: str) -> tuple[Scenario, StoredScenario]:
        with self.read() as connection:
            row = self._live_row(connection, scenario_id)
            stored = self._document(connection, scenario_id, row.version)
        scenario = parse_stored(stored.document, stored.name, row.version)
        return scenario, StoredScenario(row.id, row.name, row.version, row.updated_at)

    def list(self) -> builtins.list[StoredScenario]:
        with self.read() as connection:
            rows = connection.execute(
                select(scenarios.c.id, scenarios.c.name, scenarios.c.version,
                       scenarios.c.updated_at)
                .where(scenarios.c.deleted_at.is_(None))
                .order_by(scenarios.c.updated_at.desc(), scenarios.c.id.desc())).all()
        return [StoredScenario(r.id, r.name, r.version, r.updated_at) for r in rows]

    def rename(self, scenario_id: str, name: str) -> StoredScenario:
        name = checked_name(name)
        with self.write() as connection:
            row = self._live_row(connection, scenario_id)
            stored = self._document(connection, scenario_id, row.version)
            renamed = with_name(parse_stored(stored.document, stored.name, row.version), name)
            return self._append(connection, row, renamed, None, f"renamed from {row.name}")

    def duplicate(self, scenario_id: str, new_name: str, *,
                  owner: str = LOCAL_OWNER) -> StoredScenario:
        new_name = checked_name(new_name)
        new_id, now = uuid.uuid4().hex, utc_now()
        with self.write() as connection:
            row = self._live_row(connection, scenario_id)
            stored = self._document(connection, scenario_id, row.version)
            copy = with_name(parse_stored(stored.document, stored.name, row.version), new_name)
            self._insert_new(connection, new_id, new_name, scenario_to_json(copy),
                             f"duplicated from {row.name} (version {row.version})", now, owner)
        return StoredScenario(new_id, new_name, 1, now)

    def delete(self, scenario_id: str) -> None:
        if not storable_key(scenario_id):
            raise not_found(scenario_id)
        with self.write() as connection:
            changed = connection.execute(
                update(scenarios)
                .where(scenarios.c.id == scenario_id, scenarios.c.deleted_at.is_(None))
                .values(deleted_at=utc_now())).rowcount
        if changed != 1:
            raise not_found(scenario_id)

    def history(self, scenario_id: str) -> builtins.list[VersionInfo]:
        v = scenario_versions.c
        with self.read() as connection:
            self._live_row(connection, scenario_id)
            rows = connection.execute(
                select(v.version, v.saved_at, v.note, v.name)
                .where(v.scenario_id == scenario_id).order_by(v.version.desc())).all()
        return [VersionInfo(r.version, r.saved_at, r.note, r.name) for r in rows]

    def load_version(self, scenario_id: str, version: int) -> Scenario:
        with self.read() as connection:
            self._live_row(connection, scenario_id)
            stored = self._document(connection, scenario_id, version)
        return parse_stored(stored.document, stored.name, version)

    def restore(self, scenario_id: str, version: int, expected_version: int) -> StoredScenario:
        with self.write() as connection:
            row = self._live_row(connection, scenario_id)
            stored = self._document(connection, scenario_id, version)
            old = parse_stored(stored.document, stored.name, version)
            return self._append(connection, row, old, expected_version,
                                f"restored version {version}")

    # ---------------------------------------------------------------- actuals
    def add_actuals(self, rows: Iterable[Actual], *,
                    owner: str = LOCAL_OWNER) -> builtins.list[Actual]:
        """Record finished work for calibration, all rows or none; returns them with ids."""
        checked = [checked_actual(row, number) for number, row in enumerate(rows, start=1)]
        if not checked:
            return []
        now = utc_now()
        wanted = {a.scenario_id for a in checked if a.scenario_id is not None}
        with self.write() as connection:
            if wanted:
                found = set(connection.execute(
                    select(scenarios.c.id).where(scenarios.c.id.in_(wanted))).scalars())
                if wanted - found:
                    missing = sorted(wanted - found)[0]
                    raise not_found(missing)
            ids = insert_actuals(connection, checked, owner, now)
        return [replace(a, id=i, created_at=now) for a, i in zip(checked, ids, strict=True)]

    def list_actuals(self, scenario_id: str | None = None) -> builtins.list[Actual]:
        """Recorded actuals in the order they were added, all or those of one scenario."""
        if scenario_id is not None and not storable_key(scenario_id):
            return []
        with self.read() as connection:
            return read_actuals(connection, None if scenario_id is None
                                else actuals.c.scenario_id == scenario_id)

    def delete_actuals(self, ids: Iterable[int]) -> int:
        """Delete recorded actuals by id, all or none (a mistyped row, a wrong import): an id
        that is not recorded refuses the whole request. The number deleted."""
        wanted = checked_actual_ids(ids)
        if not wanted:
            return 0
        with self.write() as connection:
            return delete_actuals(connection, wanted)

    # ---------------------------------------------------------------- reference classes
    def save_reference_document(self, name: str, json_text: str, *,
                                owner: str = LOCAL_OWNER) -> None:
        """Save (or replace, keeping its owner) a reference class's JSON under ``name``."""
        name = checked_reference_name(name)
        checked_text(json_text, f"reference class '{name}'", multiline=True)
        if not isinstance(parse_json_text(json_text, f"reference class '{name}'"), dict):
            raise UserError(f"reference class '{name}' must be a JSON object")
        t = reference_classes.c
        now = utc_now()
        with self.write() as connection:
            replaced = connection.execute(update(reference_classes).where(t.name == name)
                                          .values(document=json_text, saved_at=now)).rowcount
            if not replaced:
                connection.execute(insert(reference_classes).values(
                    name=name, document=json_text, saved_at=now, owner=owner))

    def load_reference_document(self, name: str) -> str:
        """The JSON text saved under ``name``."""
        name = checked_reference_name(name)
        with self.read() as connection:
            text: str | None = connection.execute(
                select(reference_classes.c.document)
                .where(reference_classes.c.name == name)).scalar()
        if text is None:
            raise NotFoundError(f"There is no saved reference class named '{name}'.")
        return text

    def list_reference_names(self) -> builtins.list[str]:
        """Names of the saved reference classes, sorted."""
        with self.read() as connection:
            return list(connection.execute(select(reference_classes.c.name)
                                           .order_by(reference_classes.c.name)).scalars())


def open_store(url: str | None = None) -> Store:
    """Open (creating or upgrading as needed) the store at ``$MLPM_DATABASE_URL``, ``url`` or
    the default SQLite file, in that order of precedence."""
    store = Store(resolve_url(url))
    try:
        store.migrate()
    except BaseException:
        store.close()
        raise
    return store


_SHARED: dict[str, Store] = {}
_SHARED_LOCK = threading.Lock()


def shared_store(url: str | None = None) -> Store:
    """One open store per database for the whole process, so callers on hot paths (the
    engine loading a reference class) reuse its connection pool instead of reopening it."""
    resolved = resolve_url(url)
    with _SHARED_LOCK:
        store = _SHARED.get(resolved)
        if store is None:
            store = _SHARED[resolved] = open_store(resolved)
    return store
