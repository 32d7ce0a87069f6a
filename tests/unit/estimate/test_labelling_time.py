"""Labels that are paid for take calendar time the duration leaves out: the estimate says so,
with the count and the cost, unless a task of the plan gets them."""

from __future__ import annotations

import pytest

from mlpm_core.assessment import run_estimate
from mlpm_core.scenario import Scenario
from tests.conftest import scenario_with

TRIALS, SEED = 2_000, 4


def labelling(**data: object) -> Scenario:
    task = {"name": "Train a model", "phase": "experimentation", "role": "data_scientist",
            "optimistic": 5, "most_likely": 8, "pessimistic": 12}
    scenario = scenario_with(data={"labelled_available": 40_000, "labelled_needed": 60_000,
                                   "label_cost": {"low": 1, "high": 2}, **data},
                             project={"wait_weeks": {"low": 2, "high": 5}})
    return Scenario.model_validate({**scenario.model_dump(), "tasks": [task]})


def said(scenario: Scenario) -> list[str]:
    warnings = run_estimate(scenario, trials=TRIALS, seed=SEED).estimate.warnings
    return [warning for warning in warnings if "calendar time" in warning]


def test_labels_to_obtain_are_said_with_their_count_cost_and_the_waits_to_add_them_to():
    [sentence] = said(labelling())
    assert sentence.startswith("The 20,000 labels to obtain (a mean ")
    assert "of the cost) take calendar time the duration leaves out" in sentence
    assert sentence.endswith("add that time to the calendar waits on Team & tasks "
                             "(now 2-5 weeks).")


@pytest.mark.parametrize("change", [
    {"labelled_available": 60_000},  # nothing to obtain
    {"labels_obtainable": False},  # nothing can be obtained: a blocker, not a cost
])
def test_nothing_to_obtain_says_nothing(change):
    assert said(labelling(**change)) == []


def test_a_task_that_gets_the_labels_puts_their_time_in_the_plan():
    scenario = labelling()
    tasks = [*scenario.tasks, scenario.tasks[0].model_copy(update={
        "name": "Clerks label 20,000 e-mails", "covers": "data_acquisition"})]
    assert said(scenario.model_copy(update={"tasks": tasks})) == []


def test_history_to_recover_is_worded_as_history():
    [sentence] = said(labelling(labelled_available=100, labelled_needed=500).model_copy(
        update={"project": labelling().project.model_copy(update={"task_type": "forecasting"})}))
    assert sentence.startswith("The 400 observations of history to recover")
