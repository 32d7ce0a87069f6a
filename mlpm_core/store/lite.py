"""Read-only look-ups in the default SQLite store with the standard library, not SQLAlchemy.

Why: every estimate asks the store whether the user saved a reference class of the requested
name (a saved class takes precedence over a shipped one). Through the SQLAlchemy store
(``database.py``) that question costs about a quarter of a second on a command line: importing
SQLAlchemy, building the engine and running the migration check in a write transaction.
One ``SELECT`` through ``sqlite3`` answers it in a millisecond or two.

Only the plainest case is answered here: no ``$MLPM_DATABASE_URL``, and the default SQLite file
either absent (nothing is saved, so there is nothing to find; the file is not created) or at
exactly the schema version this mlpm writes. Anything else (another database, an older schema to
migrate, a newer one to refuse, a damaged file, a lock held past the timeout) raises
``UseFullStore`` so that the caller asks the SQLAlchemy store (``database.py``), which handles
and reports those cases as it always has.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from mlpm_core.paths import data_dir

DATABASE_URL_ENV = "MLPM_DATABASE_URL"
DATABASE_FILE = "mlpm.sqlite3"
BUSY_TIMEOUT_S = 10.0
SCHEMA_VERSION = 6  # schema.LATEST_VERSION; tests/store/test_reference_lookup.py keeps them equal


class UseFullStore(Exception):
    """This look-up needs the SQLAlchemy store: the database is not the plain current file."""


def default_database_file() -> Path:
    """The SQLite file the store uses when ``$MLPM_DATABASE_URL`` is not set."""
    return data_dir() / DATABASE_FILE


def _connect(path: Path) -> sqlite3.Connection:
    """An existing database file opened without creating one; autocommit, so the caller's
    explicit ``BEGIN`` is the only transaction (one snapshot for all its reads)."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True,
                           timeout=BUSY_TIMEOUT_S, isolation_level=None)


def saved_reference_document(name: str) -> str | None:
    """The JSON text of the reference class saved as ``name``, or None if none is saved.

    Raises ``UseFullStore`` when only the SQLAlchemy store can answer (see the module
    docstring).
    """
    if os.environ.get(DATABASE_URL_ENV):
        raise UseFullStore
    path = default_database_file()
    if not path.exists():
        return None
    try:
        connection = _connect(path)
    except sqlite3.Error:
        raise UseFullStore from None
    try:
        connection.execute("BEGIN")
        version = connection.execute("SELECT max(version) FROM schema_migrations").fetchone()[0]
        if version != SCHEMA_VERSION:
            raise UseFullStore
        row = connection.execute("SELECT document FROM reference_classes WHERE name = ?",
                                 (name,)).fetchone()
    except sqlite3.Error:
        raise UseFullStore from None
    finally:
        connection.close()
    return None if row is None else row[0]
