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
    Boolean,
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
    UniqueConstraint,
    func,
    inspect,
    select,
    text,
)

from mlpm_core.access import LOCAL_OWNER
from mlpm_core.errors import UserError

ID = String(32)  # uuid4().hex
TIMESTAMP = String(32)  # utc_now()
SHA256 = String(64)  # hashlib.sha256(secret).hexdigest(): secrets are never stored
EMAIL = String(320)  # an owner or grantee: a lower-cased e-mail, "local" or "*" (the team)


def _owner() -> Column[str]:
    """Who owns the row (added by migration 6): rows written before team mode, or without a
    sign-in, belong to ``local``, whom team mode hands over to its admin."""
    return Column("owner", EMAIL, nullable=False, server_default=LOCAL_OWNER)

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
    _owner(),
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
    _owner(),
    Index("ix_actuals_scenario_id", "scenario_id"),
)

reference_classes = Table(
    "reference_classes", metadata,
    Column("name", String(200), primary_key=True),
    Column("document", Text, nullable=False),
    Column("saved_at", TIMESTAMP, nullable=False),
    _owner(),
)


# Workshop rooms (README "Running a workshop"): see mlpm_core/store/rooms.py for how they are
# used.
rooms = Table(
    "rooms", metadata,
    Column("id", ID, primary_key=True),
    Column("scenario_id", ID, ForeignKey("scenarios.id", ondelete="CASCADE"), nullable=False),
    Column("scenario_version", Integer, nullable=False),  # the version the tasks come from
    Column("token_sha256", SHA256, nullable=False, unique=True),  # the participants' link
    Column("facilitator_sha256", SHA256, nullable=False, unique=True),  # the facilitator's key
    Column("title", Text, nullable=False),
    Column("tasks", Text, nullable=False),  # JSON snapshot of the tasks estimated in the room
    Column("created_at", TIMESTAMP, nullable=False),
    Column("expires_at", TIMESTAMP, nullable=False),
    Column("closed_at", TIMESTAMP, nullable=True),
    Column("current_round", Integer, nullable=False),
    Column("names_revealed", Boolean, nullable=False),
    # Added by migration 4 (see _v4_room_questions_and_lifecycle).
    Column("questions", Text, nullable=True),  # JSON list of RiskAnswers fields; NULL: all
    Column("archived_at", TIMESTAMP, nullable=True),
    Column("deleted_at", TIMESTAMP, nullable=True),  # participants' input removed; row kept
    # Added by migration 5: the short room code's hash (room_codes.py); NULL for older rooms.
    Column("code_sha256", SHA256, nullable=True),
    _owner(),
    Index("ix_rooms_scenario_id", "scenario_id"),
    Index("ix_rooms_code_sha256", "code_sha256", unique=True),
)

participants = Table(
    "participants", metadata,
    Column("id", ID, primary_key=True),
    Column("room_id", ID, ForeignKey("rooms.id", ondelete="CASCADE"), nullable=False),
    Column("number", Integer, nullable=False),  # 1, 2, ... in joining order: "Participant 3"
    Column("display_name", Text, nullable=False),  # user text, stored exactly as given
    Column("joined_at", TIMESTAMP, nullable=False),
    Column("secret_sha256", SHA256, nullable=False, unique=True),
    UniqueConstraint("room_id", "number", name="uq_participants_room_number"),
)

# One row per submit() call: the idempotency log. A retry with a key already here changes
# nothing, even after a later call overwrote the estimates this one wrote.
submission_requests = Table(
    "submission_requests", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),  # also the order of arrival
    Column("idempotency_key", String(100), nullable=False, unique=True),
    Column("room_id", ID, ForeignKey("rooms.id", ondelete="CASCADE"), nullable=False),
    Column("participant_id", ID, ForeignKey("participants.id", ondelete="CASCADE"),
           nullable=False),
    Column("round", Integer, nullable=False),
    Column("fingerprint", SHA256, nullable=False),  # of the payload: a reused key is refused
    Column("answers", Text, nullable=True),  # RiskAnswers JSON, NULL when none were given
    Column("task_count", Integer, nullable=False),
    Column("submitted_at", TIMESTAMP, nullable=False),
    Index("ix_submission_requests_participant_round", "participant_id", "round"),
)

# The current three-point estimate of each participant for each task and round.
submissions = Table(
    "submissions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("room_id", ID, ForeignKey("rooms.id", ondelete="CASCADE"), nullable=False),
    Column("participant_id", ID, ForeignKey("participants.id", ondelete="CASCADE"),
           nullable=False),
    Column("round", Integer, nullable=False),
    Column("task_name", String(200), nullable=False),
    Column("optimistic", Float, nullable=False),
    Column("most_likely", Float, nullable=False),
    Column("pessimistic", Float, nullable=False),
    Column("request_id", Integer, ForeignKey("submission_requests.id", ondelete="CASCADE"),
           nullable=False),  # the call that wrote these values
    Column("submitted_at", TIMESTAMP, nullable=False),
    UniqueConstraint("participant_id", "round", "task_name",
                     name="uq_submissions_participant_round_task"),
    Index("ix_submissions_room_round", "room_id", "round"),
)

# Provenance: what a room's round put into which scenario version.
adoptions = Table(
    "adoptions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("room_id", ID, ForeignKey("rooms.id", ondelete="CASCADE"), nullable=False),
    Column("round", Integer, nullable=False),
    Column("kind", String(8), nullable=False),  # "task" or "answer"
    Column("item", String(200), nullable=False),  # task name, or answer path (data.complexity)
    Column("optimistic", Float, nullable=True),  # task rows
    Column("most_likely", Float, nullable=True),
    Column("pessimistic", Float, nullable=True),
    Column("value", Text, nullable=True),  # answer rows: the adopted value as JSON
    Column("participants", Integer, nullable=False),  # how many answered it in that round
    Column("scenario_id", ID, ForeignKey("scenarios.id", ondelete="CASCADE"), nullable=False),
    Column("scenario_version", Integer, nullable=False),  # the version it was written into
    Column("adopted_at", TIMESTAMP, nullable=False),
    Index("ix_adoptions_room_id", "room_id"),
)


# Team mode (migration 6): who a scenario is shared with, and the sponsors' read-only links.
scenario_shares = Table(
    "scenario_shares", metadata,
    Column("scenario_id", ID, ForeignKey("scenarios.id", ondelete="CASCADE"), primary_key=True),
    Column("grantee", EMAIL, primary_key=True),  # an e-mail, or "*": the whole team
    Column("can_edit", Boolean, nullable=False),
    Column("shared_by", EMAIL, nullable=False),
    Column("shared_at", TIMESTAMP, nullable=False),
)

sponsor_links = Table(
    "sponsor_links", metadata,
    Column("id", ID, primary_key=True),
    Column("token_sha256", SHA256, nullable=False, unique=True),  # the link's secret, hashed
    Column("scenario_id", ID, ForeignKey("scenarios.id", ondelete="CASCADE"), nullable=False),
    Column("scenario_version", Integer, nullable=False),  # the one version the link shows
    Column("created_by", EMAIL, nullable=False),
    Column("created_at", TIMESTAMP, nullable=False),
    Column("revoked_at", TIMESTAMP, nullable=True),
    Index("ix_sponsor_links_scenario_id", "scenario_id"),
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


def _v3_workshops(connection: Connection) -> None:
    """Workshop rooms, participants, submissions (idempotency keys) and adoptions."""
    _create(connection, rooms, participants, submission_requests, submissions, adoptions)


def _v4_room_questions_and_lifecycle(connection: Connection) -> None:
    """Workshop rooms: the risk questions asked, and when a room was archived or deleted."""
    # Migration 3 creates ``rooms`` as declared above, so a database it created with this
    # mlpm already has these columns; one created by an older mlpm gets them here.
    present = {column["name"] for column in inspect(connection).get_columns("rooms")}
    for name, kind in (("questions", "TEXT"), ("archived_at", "VARCHAR(32)"),
                       ("deleted_at", "VARCHAR(32)")):
        if name not in present:
            connection.execute(text(f"ALTER TABLE rooms ADD COLUMN {name} {kind}"))


def _v5_room_codes(connection: Connection) -> None:
    """Workshop rooms: the hash of a short room code (NULL: the room has none)."""
    present = {column["name"] for column in inspect(connection).get_columns("rooms")}
    if "code_sha256" not in present:  # else migration 3 created it, with its index
        connection.execute(text("ALTER TABLE rooms ADD COLUMN code_sha256 VARCHAR(64)"))
        connection.execute(text(
            "CREATE UNIQUE INDEX ix_rooms_code_sha256 ON rooms (code_sha256)"))


def _v6_owners_and_shares(connection: Connection) -> None:
    """Team mode: an owner on every scenario, actual, reference class and room (existing rows
    belong to the local user until team mode hands them to its admin), shares, sponsor links."""
    for table in ("scenarios", "actuals", "reference_classes", "rooms"):
        present = {column["name"] for column in inspect(connection).get_columns(table)}
        if "owner" not in present:  # migrations 1-3 create the tables as declared above
            connection.execute(text(f"ALTER TABLE {table} ADD COLUMN owner VARCHAR(320) "
                                    f"NOT NULL DEFAULT '{LOCAL_OWNER}'"))
    _create(connection, scenario_shares, sponsor_links)


# MIGRATIONS[n - 1] brings a version n - 1 database to version n. Append only.
Migration = Callable[[Connection], None]
MIGRATIONS: list[Migration] = [_v1_scenarios, _v2_calibration, _v3_workshops,
                               _v4_room_questions_and_lifecycle, _v5_room_codes,
                               _v6_owners_and_shares]
LATEST_VERSION = len(MIGRATIONS)

WriteTransaction = Callable[[], AbstractContextManager[Connection]]


def schema_version(connection: Connection) -> int:
    """The highest applied migration (0 for a database without any)."""
    return connection.execute(select(func.max(schema_migrations.c.version))).scalar() or 0


# Any fixed 64-bit number, the same in every mlpm process: "mlpm" in ASCII.
MIGRATION_LOCK_KEY = 0x6D6C706D


def _lock_migrations(connection: Connection) -> None:
    """Serialise schema changes between processes until this transaction ends.

    SQLite's write transactions already hold the database's single write lock from their first
    statement. PostgreSQL lets two transactions run ``CREATE TABLE`` for one table at once and
    fails the second on its catalogue's unique index, so there a transaction-scoped advisory lock
    (released at commit or rollback, also when the process dies) makes the others wait.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                           {"key": MIGRATION_LOCK_KEY})


def migrate(write: WriteTransaction, *, target: int | None = None,
            where: str = "the database") -> list[int]:
    """Apply the missing migrations up to ``target`` (default: all); return those applied.

    ``write`` opens a write transaction (``BEGIN IMMEDIATE`` on SQLite). Each transaction here
    first takes the migration lock (see ``_lock_migrations``) and re-reads the version, so any
    number of processes may open one new database at once (replicas starting together, a rolling
    upgrade): the others wait for the lock and then find the work done.
    """
    target = LATEST_VERSION if target is None else target
    with write() as connection:
        _lock_migrations(connection)
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
            _lock_migrations(connection)
            if schema_version(connection) >= version:
                continue  # another process got there first
            step(connection)
            connection.execute(schema_migrations.insert().values(
                version=version, applied_at=utc_now(),
                description=(step.__doc__ or step.__name__).strip(),
            ))
        applied.append(version)
    return applied
