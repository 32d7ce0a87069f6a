"""Scenarios in memory: the repository unit tests use instead of a database."""

from __future__ import annotations

import builtins
import threading
import uuid
from dataclasses import dataclass

from mlpm_core.scenario import (
    NotFoundError,
    Scenario,
    ScenarioRepository,
    StoredScenario,
    VersionInfo,
    checked_name,
    conflict,
    not_found,
    parse_stored,
    scenario_to_json,
    with_name,
)
from mlpm_core.store.checks import checked_note
from mlpm_core.store.schema import utc_now


@dataclass
class _FakeRecord:
    name: str
    created_at: str
    versions: builtins.list[tuple[VersionInfo, str]]
    deleted: bool = False

    def row(self, scenario_id: str) -> StoredScenario:
        latest = self.versions[-1][0]
        return StoredScenario(scenario_id, self.name, latest.version, latest.saved_at)


class InMemoryScenarioRepository(ScenarioRepository):
    """A dictionary behaving like the SQL store, for fast unit tests of callers.

    Documents are kept as JSON text, so a caller mutating a Scenario after saving it cannot
    change what was saved (as with the real store).
    """

    def __init__(self) -> None:
        self._records: dict[str, _FakeRecord] = {}
        self._lock = threading.Lock()

    def _live(self, scenario_id: str) -> _FakeRecord:
        record = self._records.get(scenario_id)
        if record is None or record.deleted:
            raise not_found(scenario_id)
        return record

    def _append(self, scenario_id: str, scenario: Scenario, expected: int | None,
                note: str) -> StoredScenario:
        record = self._live(scenario_id)
        latest, current = record.versions[-1]
        document = scenario_to_json(scenario)
        if document == current:
            return record.row(scenario_id)
        if expected is not None and expected != latest.version:
            raise conflict(record.name, expected, latest.version, latest.saved_at)
        record.name = scenario.project.name
        info = VersionInfo(latest.version + 1, utc_now(), note, record.name)
        record.versions.append((info, document))
        return record.row(scenario_id)

    def create(self, scenario: Scenario, note: str = "created") -> StoredScenario:
        name, note = checked_name(scenario.project.name), checked_note(note)
        now = utc_now()
        scenario_id = uuid.uuid4().hex
        with self._lock:
            self._records[scenario_id] = _FakeRecord(
                name, now, [(VersionInfo(1, now, note, name), scenario_to_json(scenario))])
            return self._records[scenario_id].row(scenario_id)

    def save(self, scenario_id: str, scenario: Scenario, expected_version: int,
             note: str = "") -> StoredScenario:
        note = checked_note(note)
        with self._lock:
            return self._append(scenario_id, scenario, expected_version, note)

    def load(self, scenario_id: str) -> tuple[Scenario, StoredScenario]:
        with self._lock:
            record = self._live(scenario_id)
            info, document = record.versions[-1]
            return parse_stored(document, info.name, info.version), record.row(scenario_id)

    def list(self) -> builtins.list[StoredScenario]:
        with self._lock:
            rows = [r.row(i) for i, r in self._records.items() if not r.deleted]
        return sorted(rows, key=lambda row: (row.updated_at, row.id), reverse=True)

    def rename(self, scenario_id: str, name: str) -> StoredScenario:
        with self._lock:
            record = self._live(scenario_id)
            info, document = record.versions[-1]
            renamed = with_name(parse_stored(document, info.name, info.version), name)
            return self._append(scenario_id, renamed, None, f"renamed from {record.name}")

    def duplicate(self, scenario_id: str, new_name: str) -> StoredScenario:
        with self._lock:
            record = self._live(scenario_id)
            info, document = record.versions[-1]
            source = parse_stored(document, info.name, info.version)
        return self.create(with_name(source, new_name),
                           note=f"duplicated from {info.name} (version {info.version})")

    def delete(self, scenario_id: str) -> None:
        with self._lock:
            self._live(scenario_id).deleted = True

    def history(self, scenario_id: str) -> builtins.list[VersionInfo]:
        with self._lock:
            return [info for info, _ in reversed(self._live(scenario_id).versions)]

    def _version(self, scenario_id: str, version: int) -> Scenario:
        for info, document in self._live(scenario_id).versions:
            if info.version == version:
                return parse_stored(document, info.name, info.version)
        raise NotFoundError(f"Version {version} of this scenario does not exist.")

    def load_version(self, scenario_id: str, version: int) -> Scenario:
        with self._lock:
            return self._version(scenario_id, version)

    def restore(self, scenario_id: str, version: int, expected_version: int) -> StoredScenario:
        with self._lock:
            old = self._version(scenario_id, version)
            return self._append(scenario_id, old, expected_version, f"restored version {version}")


