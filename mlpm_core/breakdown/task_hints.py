"""Tasks whose names hint at an answer they do not give: the risk they cover, or that they go
on all project long.

A rule of thumb multiplies every task of its phases. "Dirty data: cleaning work in
experimentation and pipelines" stands for the cleaning a plain estimate leaves out; a team that
estimated that cleaning as a task of its own has it counted twice unless the task names the risk
it covers (``Task.covers``). Check-ins and project management estimated as a planning task
lengthen planning by their days at their role's FTE, where marked ``ongoing`` they would share
the role's time over the project. Only the team knows what a task holds, so nothing is changed:
the reports and the Team & tasks page name such tasks (words in ``data/task_hints.toml``).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from mlpm_core.errors import UserError
from mlpm_core.paths import repo_data_dir
from mlpm_core.rules import applicable_rules, rule_group_label
from mlpm_core.scenario import PHASE_LABELS, Scenario, Task

TASK_HINTS_FILE = "task_hints.toml"


@dataclass(frozen=True)
class LikelyDoubleCount:
    """A task whose name says it does a fired rule group's work, and which that group's rules
    multiply because the task does not say it covers the group."""

    task: str
    group: str


@dataclass(frozen=True)
class CoverHint:
    """The words that say a task does a rule group's work, and the roles whose tasks they
    are read in (empty: every role)."""

    words: re.Pattern[str]
    roles: frozenset[str]

    def matches(self, task: Task) -> bool:
        """Whether the task's name (and role) say it does the group's work."""
        return (not self.roles or task.role in self.roles) and bool(self.words.search(task.name))


@dataclass(frozen=True)
class TaskHints:
    """The hints of ``data/task_hints.toml``: per rule group (``covers``), and for ongoing
    work the phrases that say it and those that say a task is phase work after all."""

    covers: dict[str, CoverHint]
    ongoing: re.Pattern[str]
    phase_work: re.Pattern[str] | None


def _pattern(listed: Any, where: str, path: Path) -> re.Pattern[str]:
    if not (isinstance(listed, list) and listed
            and all(isinstance(word, str) and word.strip() for word in listed)):
        raise UserError(f"{path.name}: {where} must be a list of words")
    alternatives = "|".join(re.escape(word.strip()) for word in listed)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def _cover(entry: Any, group: str, path: Path) -> CoverHint:
    if not isinstance(entry, dict):
        raise UserError(f"{path.name}: [covers.{group}] must be a table with words")
    roles = entry.get("roles", [])
    if not isinstance(roles, list) or not all(isinstance(role, str) for role in roles):
        raise UserError(f"{path.name}: [covers.{group}] roles must be a list of roles")
    return CoverHint(words=_pattern(entry.get("words"), f"[covers.{group}] words", path),
                     roles=frozenset(roles))


@lru_cache(maxsize=4)
def load_task_hints(path: Path | None = None) -> TaskHints:
    """The hints of ``data/task_hints.toml``, as patterns; a broken file is named."""
    path = path or repo_data_dir() / TASK_HINTS_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise UserError(f"{path.name} is invalid: {error}") from None
    covers = {group: _cover(entry, group, path)
              for group, entry in data.get("covers", {}).items()}
    ongoing = data.get("ongoing", {})
    phase_work = ongoing.get("not_with")
    return TaskHints(covers=covers, ongoing=_pattern(ongoing.get("words"), "[ongoing] words", path),
                     phase_work=None if phase_work is None
                     else _pattern(phase_work, "[ongoing] not_with", path))


def likely_double_counts(scenario: Scenario) -> list[LikelyDoubleCount]:
    """Every task that a fired rule multiplies while its name says it does that rule's work,
    once per task and group, in task order."""
    patterns = load_task_hints().covers
    phases_of: dict[str, set[str]] = {}
    whole_project: set[str] = set()
    for rule in applicable_rules(scenario):
        if rule.group in patterns:
            phases_of.setdefault(rule.group, set()).update(rule.phases)
            if not rule.phases:
                whole_project.add(rule.group)
    return [LikelyDoubleCount(task=task.name, group=group)
            for task in scenario.tasks for group, phases in phases_of.items()
            if task.covers != group and (group in whole_project or task.phase in phases)
            and patterns[group].matches(task)]


def double_count_sentence(scenario: Scenario) -> str:
    """The note naming those tasks (under the rules table); empty when there are none."""
    found = likely_double_counts(scenario)
    if not found:
        return ""
    named = "; ".join(f"{item.task} ({rule_group_label(scenario, item.group).lower()})"
                      for item in found)
    return (f"Tasks that look like the work an applied rule of thumb stands for, which the "
            f"rule multiplies too: {named}. If such a task already holds that work, mark the "
            "risk it covers on Team & tasks (Covers risk), and the rule leaves it alone.")


def ongoing_sentence(scenario: Scenario) -> str:
    """The note naming tasks that may be all-project work but lengthen their phase; empty
    when there are none. Said as a question: marked Ongoing, a task takes its role's time
    over the whole project, which can move the date either way."""
    hints = load_task_hints()
    found = [f"{task.name} ({PHASE_LABELS[task.phase].lower()})" for task in scenario.tasks
             if not task.ongoing and hints.ongoing.search(task.name)
             and not (hints.phase_work and hints.phase_work.search(task.name))]
    if not found:
        return ""
    return (f"Tasks that may go on all project long, each now lengthening its phase by its "
            f"days at its role's FTE: {'; '.join(found)}. If one does, mark it Ongoing on Team "
            "& tasks: it then takes a steady share of its role's time over the project instead, "
            "which can move the date either way.")
