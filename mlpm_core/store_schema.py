"""The store's tables and its versioned schema migrations (no Alembic: a list and a table).

Why not Alembic: the schema is small, it must upgrade itself silently when a user opens an old
database file, and a dependency plus a migrations folder is more to ship than an ordered list of
functions. Each migration runs in its own write transaction together with the row that records
it in ``schema_migrations``, so a crash mid-migration leaves the database at the previous
version and the next open simply tries again.

Everything here is portable SQLAlchemy Core (SQLite today, PostgreSQL later): no SQLite-only SQL.
Timestamps are UTC ISO-8601 text of one fixed width (``2024-06-01T12:00:00.000000+00:00``), so
they sort correctly as text on every backend and read back exactly as written.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, datetime

from sqlalchemy import (
    Column,
    Connection,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
    select,
)

from mlpm_core.errors import UserError

ID = String(32)  # uuid4().hex
TIMESTAMP = String(32)  # utc_now()

metadata = MetaData()

schema_migrations = Table(
    "schema_migrations", metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("applied_at", TIMESTAMP, nullable=False),
    Column("description", Text, nullable=False),
)

# The current schema, used by the queries in store.py. A released migration must never change:
# when a later migration alters one of these tables, first copy the old definition into the
# earlier migration (test_store checks that the migrated database matches these definitions).
scenarios = Table(
    "scenarios", metadata,
    Column("id", ID, primary_key=True),
    Column("name", Text, nullable=False),
    Column("created_at", TIMESTAMP, nullable=False),
    Column("updated_at", TIMESTAMP, nullable=False),
    Column("version", Integer, nullable=False),  # optimistic-concurrency counter, latest version
    Column("deleted_at", TIMESTAMP, nullable=True),  # the deleted flag: NULL while live
    Index("ix_scenarios_updated_at", "updated_at"),
)

scenario_versions = Table(
    "scenario_versions", metadata,
    Column("scenario_id", ID, ForeignKey("scenarios.id", ondelete="CASCADE"),
           primary_key=True),
    # Part of the primary key, so a duplicated version is impossible, not merely unlikely.
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("saved_at", TIMESTAMP, nullable=False),
    Column("name", Text, nullable=False),
    Column("note", Text, nullable=False),
    Column("document", Text, nullable=False),  # scenario_to_json() text
)

actuals = Table(
    "actuals", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),  # also the insertion order
    Column("scenario_id", ID, ForeignKey("scenarios.id", ondelete="SET NULL"), nullable=True),
    Column("task", Text, nullable=False),  # task or project name
    Column("phase", Text, nullable=True),
    Column("estimate", Float, nullable=False),
    Column("actual", Float, nullable=False),
    Column("unit", String(32), nullable=False),
    Column("finished_on", Date, nullable=True),
    Column("team", Text, nullable=True),
    Column("created_at", TIMESTAMP, nullable=False),
    Index("ix_actuals_scenario_id", "scenario_id"),
)

reference_classes = Table(
    "reference_classes", metadata,
    Column("name", String(200), primary_key=True),
    Column("document", Text, nullable=False),
    Column("saved_at", TIMESTAMP, nullable=False),
)


def utc_now() -> str:
    """Now, as fixed-width UTC ISO-8601 text (sorts as text, compares across backends)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _create(connection: Connection, *tables: Table) -> None:
    for table in tables:
        table.create(connection)


def _v1_scenarios(connection: Connection) -> None:
    """Scenarios and their full version history."""
    _create(connection, scenarios, scenario_versions)


def _v2_calibration(connection: Connection) -> None:
    """Actuals (for calibration) and saved reference classes."""
    _create(connection, actuals, reference_classes)


# MIGRATIONS[n - 1] brings a version n - 1 database to version n. Append only; workshop rooms,
# participants and submissions (idempotency keys) arrive as the next entries.
Migration = Callable[[Connection], None]
MIGRATIONS: list[Migration] = [_v1_scenarios, _v2_calibration]
LATEST_VERSION = len(MIGRATIONS)

WriteTransaction = Callable[[], AbstractContextManager[Connection]]


def schema_version(connection: Connection) -> int:
    """The highest applied migration (0 for a database without any)."""
    return connection.execute(select(func.max(schema_migrations.c.version))).scalar() or 0


def migrate(write: WriteTransaction, *, target: int | None = None,
            where: str = "the database") -> list[int]:
    """Apply the missing migrations up to ``target`` (default: all); return those applied.

    ``write`` opens a write transaction (``BEGIN IMMEDIATE`` on SQLite). The version is re-read
    inside each transaction, so two processes opening one new SQLite database at once do not
    apply a migration twice: the second waits for the lock and then finds the work done.
    (PostgreSQL has no BEGIN IMMEDIATE; its issue should serialise openers with a lock.)
    """
    target = LATEST_VERSION if target is None else target
    with write() as connection:
        schema_migrations.create(connection, checkfirst=True)
        current = schema_version(connection)
    if current > LATEST_VERSION:
        raise UserError(
            f"{where} was written by a newer mlpm (store schema version {current}); this mlpm "
            f"reads up to version {LATEST_VERSION}. Upgrade mlpm to open it."
        )
    applied: list[int] = []
    for version in range(current + 1, target + 1):
        step = MIGRATIONS[version - 1]
        with write() as connection:
            if schema_version(connection) >= version:
                continue  # another process got there first
            step(connection)
            connection.execute(schema_migrations.insert().values(
                version=version, applied_at=utc_now(),
                description=(step.__doc__ or step.__name__).strip(),
            ))
        applied.append(version)
    return applied
