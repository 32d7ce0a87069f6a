"""The confirmation before replacing a task table compares the two sizes in days."""

from __future__ import annotations

from mlpm_core.breakdown import days_by_scope, proposal_against_table, propose
from mlpm_core.scenario.document import load_scenario
from mlpm_core.scenario.model import Scenario, Task
from tests.conftest import ROOT, scenario_with

EXAMPLES = ROOT / "data" / "examples"


def _bike() -> Scenario:
    return load_scenario(EXAMPLES / "bike_shop_service_forecast.json")


def _with_tasks_scaled(scenario: Scenario, factor: float) -> Scenario:
    tasks = [task.model_copy(update={"optimistic": task.optimistic * factor,
                                     "most_likely": task.most_likely * factor,
                                     "pessimistic": task.pessimistic * factor})
             for task in scenario.tasks]
    return scenario.model_copy(update={"tasks": tasks})


def _days(tasks: list[Task]) -> float:
    return sum(task.most_likely for task in tasks)


def test_a_proposal_far_smaller_than_the_table_says_so_with_both_totals_and_the_full_scope():
    """The Bike Shop's table made four times larger (54 days) against a proposal sized from a
    0.6-FTE team: the sentence gives both totals, the share, that replacing starts from the
    smaller figure, and what the proposal is at full scope."""
    scenario = _with_tasks_scaled(_bike(), 4)
    proposed = _days(propose(scenario).tasks)
    own = _days(scenario.tasks)
    assert proposed < 0.75 * own
    sentence = proposal_against_table(scenario, propose(scenario))
    assert sentence is not None
    assert sentence.startswith(f"Your task table adds up to {own:g} person-days most likely; "
                               f"the proposal to {proposed:g}, {proposed / own:.0%} of it.")
    assert "start the estimate from the smaller figure" in sentence
    full = days_by_scope(scenario)["full"]
    assert f"Sized at full scope (above) the proposal adds up to {full:g} person-days." in sentence


def test_a_proposal_far_larger_than_the_table_asks_to_compare_the_lists():
    """The Bike Shop as shipped: 13.5 days of tasks against a 17.5-day proposal."""
    scenario = _bike()
    sentence = proposal_against_table(scenario, propose(scenario))
    ratio = _days(propose(scenario).tasks) / _days(scenario.tasks)
    assert ratio > 1.25
    assert sentence is not None and f"{ratio:.1f} times it" in sentence
    assert "compare the two lists" in sentence and "full scope" not in sentence


def test_a_proposal_within_a_quarter_of_the_table_is_called_close():
    """The fraud example: 197 days of tasks against a 168-day proposal."""
    scenario = load_scenario(EXAMPLES / "fraud_card_payments.json")
    sentence = proposal_against_table(scenario, propose(scenario))
    assert sentence is not None and sentence.endswith("close to it.")


def test_no_table_means_nothing_to_compare():
    """An empty task table: the proposal replaces nothing, so there is no sentence."""
    scenario = scenario_with()
    assert not scenario.tasks
    assert proposal_against_table(scenario, propose(scenario)) is None
