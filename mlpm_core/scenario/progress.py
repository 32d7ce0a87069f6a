"""How far a scenario has been answered: eight steps, each answered or not, with what is missing.

A step counts as answered when its key questions have an answer that is not the blank
template's "unknown" or empty value. Steps whose every question has a usable default count once
any of their answers differs from the blank template, or, for the rules of thumb (which apply on
their own), once there is a work breakdown for them to apply to.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from mlpm_core.scenario.model import RulesSection, Scenario
from mlpm_core.scenario.sections import DifficultySection


@dataclass(frozen=True)
class Step:
    """One question step of the workbench."""

    id: str
    title: str
    missing: str
    answered: Callable[[Scenario], bool]


@dataclass(frozen=True)
class StepStatus:
    """Whether a step is answered, and what to do if not."""

    id: str
    title: str
    answered: bool
    missing: str


def _project(s: Scenario) -> bool:
    return bool(s.project.problem_statement.strip()) and s.project.rules_baseline != "unknown"


def _data(s: Scenario) -> bool:
    return s.data.features_at_serving != "unknown" and s.data.cleanliness != "unknown"


def _difficulty(s: Scenario) -> bool:
    return s.difficulty != DifficultySection()


def _quality(s: Scenario) -> bool:
    return (s.quality.acceptability_threshold is not None
            or s.quality.p_reach_threshold is not None)


def _technical(s: Scenario) -> bool:
    return s.technical.platform == "batch" or s.technical.latency_p95_ms is not None


def _team_tasks(s: Scenario) -> bool:
    return bool(s.tasks)


def _costs_value(s: Scenario) -> bool:
    return s.value.annual_benefit.high > 0


def _rules(s: Scenario) -> bool:
    return bool(s.tasks) or s.rules != RulesSection()


STEPS: tuple[Step, ...] = (
    Step("project", "Project", "describe the problem and say whether simple rules could solve it",
         _project),
    Step("data", "Data", "say whether features exist at serving time and how clean the data is",
         _data),
    Step("difficulty", "Difficulty", "answer at least one difficulty question", _difficulty),
    Step("quality", "Quality",
         "give an acceptability threshold or your chance of reaching it", _quality),
    Step("technical", "Technical", "give a latency target, or choose offline batch", _technical),
    Step("team_tasks", "Team & tasks", "add at least one task to the work breakdown",
         _team_tasks),
    Step("costs_value", "Costs & value", "estimate the annual benefit", _costs_value),
    Step("rules", "Rules", "add tasks for the rules of thumb to apply to, or adjust a rule",
         _rules),
)


def step_statuses(scenario: Scenario) -> list[StepStatus]:
    """Every step, in order, answered or not."""
    return [StepStatus(step.id, step.title, step.answered(scenario), step.missing)
            for step in STEPS]


def answered_count(scenario: Scenario) -> int:
    """How many of the eight steps are answered."""
    return sum(status.answered for status in step_statuses(scenario))

ESTIMATE_NEEDS = ("team_tasks", "costs_value")
"""Steps without which an estimate means nothing: no tasks is zero effort, no benefit is no
value. A blank scenario shows what is missing instead of a "no-go" at zero cost."""


def missing_for_estimate(scenario: Scenario) -> list[StepStatus]:
    """The steps still to answer before the estimate and its decision are worth showing."""
    return [status for status in step_statuses(scenario)
            if status.id in ESTIMATE_NEEDS and not status.answered]


def missing_sentence(missing: list[StepStatus]) -> str:
    """``"No estimate yet: answer Team & tasks (add ...) and Costs & value (...)."``"""
    parts = [f"{status.title} ({status.missing})" for status in missing]
    joined = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"No estimate yet: answer {joined} to see one."
