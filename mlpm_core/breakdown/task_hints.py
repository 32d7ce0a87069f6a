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
from mlpm_core.scenario import PHASE_LABELS, Scenario

TASK_HINTS_FILE = "task_hints.toml"


@dataclass(frozen=True)
class LikelyDoubleCount:
    """A task whose name says it does a fired rule group's work, and which that group's rules
    multiply because the task does not say it covers the group."""

    task: str
    group: str


@dataclass(frozen=True)
class TaskHints:
    """One whole-word pattern per rule group (``covers``), and one for ongoing work."""

    covers: dict[str, re.Pattern[str]]
    ongoing: re.Pattern[str]


def _pattern(listed: Any, where: str, path: Path) -> re.Pattern[str]:
    if not (isinstance(listed, list) and listed
            and all(isinstance(word, str) and word.strip() for word in listed)):
        raise UserError(f"{path.name}: {where} must be a list of words")
    alternatives = "|".join(re.escape(word.strip()) for word in listed)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


@lru_cache(maxsize=4)
def load_task_hints(path: Path | None = None) -> TaskHints:
    """The word lists of ``data/task_hints.toml``, as patterns; a broken file is named."""
    path = path or repo_data_dir() / TASK_HINTS_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise UserError(f"{path.name} is invalid: {error}") from None
    covers = {group: _pattern(listed, f"[covers] {group}", path)
              for group, listed in data.get("covers", {}).items()}
    ongoing = _pattern(data.get("ongoing", {}).get("words"), "[ongoing] words", path)
    return TaskHints(covers=covers, ongoing=ongoing)


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
            and patterns[group].search(task.name)]


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
    """The note naming tasks that look like all-project work but lengthen their phase;
    empty when there are none."""
    pattern = load_task_hints().ongoing
    found = [f"{task.name} ({PHASE_LABELS[task.phase].lower()})" for task in scenario.tasks
             if not task.ongoing and pattern.search(task.name)]
    if not found:
        return ""
    return (f"Tasks that look like work that goes on all project long, each lengthening its "
            f"phase by its days at its role's FTE: {'; '.join(found)}. Marked Ongoing on Team & "
            "tasks, each takes a steady share of its role's time instead.")
