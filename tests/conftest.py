"""Shared paths, data and fixtures of the whole suite.

Everything a test reads is in the repository, except the source texts the product quotes
(``../shared/seeds/``) and the SiP dataset (``../shared/data/sip/``), whose licences keep them out
of it: tests that check against those find them with :func:`shared_source`, which skips the test
with the reason when they are not beside the repository (a fresh clone, for instance). A checkout
elsewhere (a git worktree) points at that folder with ``MLPM_SHARED_DIR``.

Test modules import the plain values and helpers from here (``from tests.conftest import ...``);
the fixtures reach them by name.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

import pytest

from mlpm_core.paths import DATA_DIR_ENV
from mlpm_core.scenario.model import Scenario
from mlpm_core.sources import load_sources
from mlpm_core.store.database import DATABASE_URL_ENV

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
DATA = ROOT / "data"
EXAMPLES_DIR = DATA / "examples"
EXAMPLES = sorted(EXAMPLES_DIR.glob("*.json"))
NAUGHTY_STRINGS_FILE = TESTS / "data" / "naughty-strings" / "blns.json"
# A seed file name (the local copy of a source's text): no user ever sees one.
SEED_NAME = re.compile(r"[0-9]{3}_[0-9a-f]{16}")
# The only links a report may hold: the bibliography's own (data/sources.toml).
BIBLIOGRAPHY_URLS = frozenset(source.url for source in load_sources().values() if source.url)

# Beside the repository, never copied into it: see shared_source().
SHARED_DIR_ENV = "MLPM_SHARED_DIR"
_SHARED = Path(os.environ.get(SHARED_DIR_ENV) or ROOT.parent / "shared")


@cache
def naughty_strings() -> tuple[str, ...]:
    """The Big List of Naughty Strings (vendored under tests/data/naughty-strings/)."""
    return tuple(json.loads(NAUGHTY_STRINGS_FILE.read_text(encoding="utf-8")))


def shared_source(relative: str, what: str) -> Path:
    """``../shared/<relative>`` (or under ``$MLPM_SHARED_DIR``), a source the repository may not
    redistribute, read in place.

    Skips the calling test (or fixture) with a reason naming what is missing when it is absent.
    """
    path = _SHARED / relative
    if not path.exists():
        pytest.skip(f"../shared/{relative} ({what}) is not beside the repository nor under "
                    f"${SHARED_DIR_ENV}; it is read in place, never copied into it")
    return path


def scenario_with(**sections: dict) -> Scenario:
    """A default scenario with some sections' fields replaced."""
    document = Scenario().model_dump()
    for section, fields in sections.items():
        document[section].update(fields)
    return Scenario.model_validate(document)


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The folder of the product's source texts that data files quote (skips when absent)."""
    return shared_source("seeds", "the seed source texts")


@pytest.fixture(scope="session")
def source_text(seeds_dir: Path) -> Callable[[str], str]:
    """The text of a bibliography source by its id: the local copy data/sources.toml names in
    ``seed`` (only tests read that field), for checking quotes word for word."""
    bibliography = tomllib.loads((DATA / "sources.toml").read_text(encoding="utf-8"))

    def read(source_id: str) -> str:
        return (seeds_dir / bibliography[source_id]["seed"]).read_text(encoding="utf-8")
    return read


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty user data folder (so an empty SQLite store) for this test and any interpreter it
    starts; a database URL from the environment is ignored."""
    folder = tmp_path / "mlpm"
    monkeypatch.setenv(DATA_DIR_ENV, str(folder))
    monkeypatch.delenv(DATABASE_URL_ENV, raising=False)
    return folder


CHART_HELPER_CRASH = "import os, sys\nsys.stdin.readline()\nos.abort()\n"
"""A chart helper that aborts on its first request: a stand-in for a vl-convert panic."""


@pytest.fixture
def crashing_helper(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The chart helper aborts on every request (a stand-in for a vl-convert panic)."""
    from mlpm_core.charts import images

    images._stop_worker()
    monkeypatch.setattr(images, "HELPER_SCRIPT", CHART_HELPER_CRASH)
    yield
    images._stop_worker()
