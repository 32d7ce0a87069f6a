"""Saved scenarios as the rest of mlpm sees them: the repository contract, not a database.

The app and the domain depend on ``ScenarioRepository``; the store package implements it with
SQLAlchemy (``Store``) and in memory for unit tests (``InMemoryScenarioRepository``). The
contract:

* Two people editing one scenario must conflict visibly, never overwrite silently: every save
  states the version it was based on (``expected_version``) and fails with ``ConflictError`` if
  someone else saved in between.
* History is append-only: restoring an old version writes a new version equal to it.
"""

from __future__ import annotations

import abc
import builtins
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from mlpm_core.errors import UserError
from mlpm_core.safe_json import parse_json_text
from mlpm_core.scenario.document import scenario_from_document
from mlpm_core.scenario.model import Scenario
from mlpm_core.scenario.stale_rules import switch_off_stale_rules
from mlpm_core.scenario.text import checked_text
from mlpm_core.wording import shown_time

MAX_NAME = 200  # as ProjectSection.name


class NotFoundError(UserError):
    """The scenario (or version, or reference class) does not exist or was deleted."""


class ConflictError(UserError):
    """Someone else saved the scenario after the caller loaded it; nothing was written."""

    def __init__(self, message: str, current_version: int) -> None:
        super().__init__(message)
        self.current_version = current_version


@dataclass(frozen=True)
class StoredScenario:
    """A scenario's row: what a list shows and what the next save must quote as its version."""

    id: str
    name: str
    version: int
    updated_at: str


@dataclass(frozen=True)
class VersionInfo:
    """One entry of a scenario's history."""

    version: int
    saved_at: str
    note: str
    name: str


# ------------------------------------------------------------------ rules shared by both stores
def checked_name(name: Any) -> str:
    """A scenario's name as stored: 1 to ``MAX_NAME`` characters of one line of text."""
    if not isinstance(name, str) or not 1 <= len(name) <= MAX_NAME:
        raise UserError(f"A scenario name must be 1 to {MAX_NAME} characters long.")
    return checked_text(name, "scenario name")


def distinct_name(name: str, taken: Iterable[str]) -> str:
    """``name``, or ``name (2)``, ``(3)``... when a saved scenario already has it: two rows
    that read the same on Home cannot be told apart (starting an example twice)."""
    names = set(taken)
    if name not in names:
        return name
    number = 2
    while True:
        suffix = f" ({number})"
        candidate = name[:MAX_NAME - len(suffix)] + suffix
        if candidate not in names:
            return candidate
        number += 1


def with_name(scenario: Scenario, name: str) -> Scenario:
    document = scenario.model_dump(mode="json")
    document["project"]["name"] = checked_name(name)
    return scenario_from_document(document)


def parse_stored(document: str, name: str, version: int) -> Scenario:
    """A stored document back as a Scenario; a damaged row is a readable error, not a crash."""
    what = f"the stored scenario '{name}' (version {version})"
    try:
        raw = switch_off_stale_rules(parse_json_text(document, "the document"))
        return scenario_from_document(raw)
    except UserError as error:
        raise UserError(f"{what} cannot be read: {error}") from None


def not_found(scenario_id: str) -> NotFoundError:
    return NotFoundError(f"There is no saved scenario with id {scenario_id!r:.80} "
                         "(it may have been deleted).")


def conflict(name: str, expected: int, current: int, saved_at: str) -> ConflictError:
    return ConflictError(
        f"'{name}' was saved by someone else while you were editing it: you started from "
        f"version {expected}, it is now at version {current} (saved {shown_time(saved_at)}). Your "
        "changes were not saved; reload the scenario, apply them again and save.",
        current_version=current,
    )


# ------------------------------------------------------------------------------ the protocol
class ScenarioRepository(abc.ABC):
    """Saved scenarios with history and optimistic concurrency: what the app depends on."""

    @abc.abstractmethod
    def create(self, scenario: Scenario, note: str = "created") -> StoredScenario:
        """Save a new scenario as version 1, named after ``scenario.project.name``."""

    @abc.abstractmethod
    def save(self, scenario_id: str, scenario: Scenario, expected_version: int,
             note: str = "") -> StoredScenario:
        """Save a new version, unless someone else saved since ``expected_version``.

        Raises ``ConflictError`` (nothing written) on a version mismatch. Saving a document
        equal to the latest version writes nothing and returns the current row, whatever the
        expected version: nothing can be lost, and a retried save is harmless.
        """

    @abc.abstractmethod
    def load(self, scenario_id: str) -> tuple[Scenario, StoredScenario]:
        """The latest version and the row to quote when saving it."""

    @abc.abstractmethod
    def list(self) -> builtins.list[StoredScenario]:
        """Live scenarios, most recently saved first."""

    @abc.abstractmethod
    def rename(self, scenario_id: str, name: str) -> StoredScenario:
        """Rename, as a new version whose ``project.name`` is ``name`` (applies to the latest)."""

    @abc.abstractmethod
    def duplicate(self, scenario_id: str, new_name: str) -> StoredScenario:
        """A new scenario (new id, own history) copied from the latest version of another."""

    @abc.abstractmethod
    def delete(self, scenario_id: str) -> None:
        """Hide a scenario from list and load; its history stays in the database."""

    @abc.abstractmethod
    def history(self, scenario_id: str) -> builtins.list[VersionInfo]:
        """Every saved version, newest first."""

    @abc.abstractmethod
    def load_version(self, scenario_id: str, version: int) -> Scenario:
        """One old version of a scenario."""

    @abc.abstractmethod
    def restore(self, scenario_id: str, version: int, expected_version: int) -> StoredScenario:
        """Make an old version the latest by saving a copy of it; history is never rewritten."""
