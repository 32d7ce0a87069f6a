"""The store back ends every store test runs on.

The SQL store runs on SQLite always and on PostgreSQL when ``$MLPM_TEST_POSTGRES_URL`` is set
(``scripts/start-postgres.sh`` prints one); each PostgreSQL test gets a fresh schema of that
database, dropped afterwards, so tests never see each other's rows. Contract tests of the
scenario repository also run on the in-memory fake that callers' unit tests use.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from mlpm_core.scenario.repository import ScenarioRepository
from mlpm_core.store.database import DATABASE_URL_ENV, Store, open_store
from mlpm_core.store.memory import InMemoryScenarioRepository

POSTGRES_ENV = "MLPM_TEST_POSTGRES_URL"
BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(autouse=True)
def _no_database_url_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """A store test opens the URL it is given, never one from the environment."""
    monkeypatch.delenv(DATABASE_URL_ENV, raising=False)


@contextmanager
def database(backend: str, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty database: a SQLite file, or a fresh PostgreSQL schema (then dropped)."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.sqlite3'}"
        return
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"{POSTGRES_ENV} is not set; CI sets it from scripts/start-postgres.sh")
    schema = f"test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(base)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        yield make_url(base).update_query_dict(
            {"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def sqlite_only(reason: str):
    """Run a test on SQLite only; on PostgreSQL it is reported as skipped with the reason."""
    return pytest.mark.parametrize("url", ["sqlite", pytest.param(
        "postgresql", marks=pytest.mark.skip(reason=f"SQLite only: {reason}"))], indirect=True)


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database on each SQL back end."""
    with database(request.param, tmp_path) as found:
        yield found


@pytest.fixture
def store(url: str) -> Iterator[Store]:
    """The SQL store, opened (and migrated) on each back end's empty database."""
    with open_store(url) as opened:
        yield opened


@pytest.fixture(params=[*BACKENDS, "fake"])
def repo(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ScenarioRepository]:
    """A scenario repository: the SQL store on each back end, and the in-memory fake."""
    if request.param == "fake":
        yield InMemoryScenarioRepository()
        return
    with database(request.param, tmp_path) as found, open_store(found) as opened:
        yield opened
