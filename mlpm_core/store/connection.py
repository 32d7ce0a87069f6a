"""How the store's connections behave: SQLite pragmas, write transactions that take the lock at
once, and telling a busy database from a broken one.

SQLite runs in WAL mode (readers never block the writer) with a busy timeout, and every write
transaction starts with ``BEGIN IMMEDIATE``: a deferred transaction that reads first and then
writes cannot wait for the lock, so it would fail at once with "database is locked".
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL
from sqlalchemy.exc import OperationalError

from mlpm_core.errors import UserError
from mlpm_core.store.lite import BUSY_TIMEOUT_S

WRITE_OPTION = "mlpm_write"  # execution option marking a write transaction


class StoreBusyError(UserError):
    """The database stayed locked by other writers for longer than the busy timeout."""


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        # busy_timeout first: switching to WAL needs a lock another connection may hold.
        cursor.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        while True:
            try:
                cursor.execute("PRAGMA journal_mode = WAL")
                break
            except Exception as error:  # sqlite3.OperationalError, without importing sqlite3
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
    finally:
        cursor.close()


def _sqlite_on_begin(connection: Connection) -> None:
    # pysqlite runs with isolation_level=None, so it emits no BEGIN of its own; this is the only
    # one, and write transactions take the write lock at once (see the module docstring).
    write = connection.get_execution_options().get(WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def make_engine(url: URL) -> Engine:
    if url.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(url, connect_args={
        "isolation_level": None, "timeout": BUSY_TIMEOUT_S, "check_same_thread": False,
    })
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def is_busy(error: OperationalError) -> bool:
    text = str(error.orig).lower()
    return "database is locked" in text or "database is busy" in text
