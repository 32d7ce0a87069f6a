"""Question wording by task type, from ``data/question_wording.toml``.

The scenario has one set of fields for every task type; their default labels speak of labels
and false positives. Where a task type names the same thing differently (a forecast's labels
are its recorded history), the pages and the report's key answers say it that way. Only words
change: the field, its checks and its effect stay the same.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import get_args

from pydantic import ValidationError

from mlpm_core.errors import UserError
from mlpm_core.paths import repo_data_dir
from mlpm_core.scenario.field_paths import value_at
from mlpm_core.scenario.model import Scenario
from mlpm_core.scenario.ranges import StrictModel
from mlpm_core.scenario.sections import ProjectSection

WORDING_FILE = "question_wording.toml"
POSITIVE_CLASS_TASK_TYPES = frozenset({"classification", "anomaly_detection"})
"""Task types with a positive class: the event the model must catch, its share and rarity."""
LABELS_HEADING = {"forecasting": "History", "generation": "Examples"}
"""The Data page's "Labels" section as a task type calls it (its questions: the TOML)."""


class Wording(StrictModel):
    """One field's words for one task type."""

    label: str
    help: str = ""
    answer: str = ""
    """The row's name among the report's key answers (empty: the default)."""


def _task_types() -> tuple[str, ...]:
    return get_args(ProjectSection.model_fields["task_type"].annotation)


@lru_cache(maxsize=1)
def load_wording(path: Path | None = None) -> dict[str, dict[str, Wording]]:
    """Task type -> field path -> wording; refuses an unknown task type or field."""
    source = path or repo_data_dir() / WORDING_FILE
    try:
        raw = tomllib.loads(source.read_text(encoding="utf-8"))
        table = {task: {field: Wording.model_validate(entry) for field, entry in fields.items()}
                 for task, fields in raw.items()}
    except (tomllib.TOMLDecodeError, ValidationError, AttributeError) as error:
        raise UserError(f"{source.name} is invalid: {error}") from None
    unknown = sorted(set(table) - set(_task_types()))
    if unknown:
        raise UserError(f"{source.name} names unknown task types: {', '.join(unknown)}")
    for task, fields in table.items():
        for field in fields:
            try:
                value_at(Scenario(), field)
            except KeyError:
                raise UserError(f"{source.name}: {task} words an unknown field {field!r}") from None
    return table


def wording(task_type: str, path: str) -> Wording | None:
    """The words for the field at ``path`` in a project of ``task_type``, if they differ."""
    return load_wording().get(task_type, {}).get(path)
