"""Progress: which of the eight steps of a scenario are answered."""

from __future__ import annotations

import pytest

from mlpm_core.scenario.document import load_scenario
from mlpm_core.scenario.field_paths import with_value
from mlpm_core.scenario.model import Scenario, Task
from mlpm_core.scenario.progress import STEPS, answered_count, step_statuses
from tests.conftest import EXAMPLES


def answered(scenario: Scenario) -> set[str]:
    return {status.id for status in step_statuses(scenario) if status.answered}


def test_there_are_eight_steps_in_page_order():
    """The workbench has eight question steps, in the order of the pages."""
    assert [step.id for step in STEPS] == ["project", "data", "difficulty", "quality",
                                          "technical", "team_tasks", "costs_value", "rules"]


def test_the_blank_template_has_nothing_answered():
    """A blank scenario counts zero of eight steps, and says what is missing for each."""
    statuses = step_statuses(Scenario())
    assert answered_count(Scenario()) == 0
    assert all(status.missing for status in statuses)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.stem)
def test_the_shipped_examples_are_fully_answered(path):
    """Each shipped example answers all eight steps."""
    assert answered_count(load_scenario(path)) == len(STEPS)


def _with_task(scenario: Scenario) -> Scenario:
    task = Task(name="Label a benchmark set", phase="planning", role="data_scientist",
                optimistic=2, most_likely=3, pessimistic=6)
    return scenario.model_copy(update={"tasks": [task]})


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"project.problem_statement": "Too many refunds", "project.rules_baseline": "no"},
         {"project"}),
        ({"data.features_at_serving": "all", "data.cleanliness": "clean"}, {"data"}),
        ({"difficulty.adversaries": True}, {"difficulty"}),
        ({"quality.acceptability_threshold": 0.8}, {"quality"}),
        ({"quality.p_reach_threshold": 0.5}, {"quality"}),
        ({"technical.platform": "batch"}, {"technical"}),
        ({"technical.latency_p95_ms": 200.0}, {"technical"}),
        ({"value.annual_benefit": {"low": 1000, "high": 5000}}, {"costs_value"}),
        ({"rules.mode": "strict"}, {"rules"}),
    ],
)
def test_each_step_counts_once_its_key_answers_are_given(changes, expected):
    """Giving a step's key answers marks exactly that step as answered."""
    scenario = Scenario()
    for path, value in changes.items():
        scenario = with_value(scenario, path, value)
    assert answered(scenario) == expected


def test_half_an_answer_does_not_count():
    """A step with two key questions is not answered when only one of them is."""
    scenario = with_value(Scenario(), "data.features_at_serving", "all")
    assert "data" not in answered(scenario)


def test_a_work_breakdown_answers_tasks_and_lets_the_rules_apply():
    """Adding a task answers the team-and-tasks step and the rules step."""
    assert answered(_with_task(Scenario())) == {"team_tasks", "rules"}
