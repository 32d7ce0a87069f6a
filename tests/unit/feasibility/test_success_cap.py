"""The chance of reaching the acceptability threshold caps P(NPV > 0): value is only earned in a
simulated project whose model succeeds. At or near the go line, the condition names that chance,
not benefit or cost, as the lever."""

import pytest

from mlpm_core.assessment.run import run_estimate
from mlpm_core.scenario.document import load_scenario
from mlpm_core.success.probability import success_probability
from tests.conftest import EXAMPLES_DIR
from tests.unit.feasibility.test_decision import healthy, outcome, run


@pytest.mark.parametrize("p_success", [0.6, 0.7, 0.72])
def test_a_success_chance_at_or_near_the_go_line_names_it_as_the_lever(p_success):
    """Value is only earned when the model succeeds, so P(NPV > 0) <= P(success): at or just
    above the 70% line, no benefit or cost change reaches it; the condition says so and names
    the chance of reaching the acceptability threshold instead."""
    decision = run(healthy(), outcome(p_npv_positive=0.67, p_success=p_success))
    assert decision.decision == "conditional"
    condition = decision.conditions[0]
    capped = p_success <= 0.7
    opening = "Raise the chance of reaching the acceptability threshold"
    assert condition.startswith(f"{opening} above its current {p_success:.0%}" if capped
                                else f"{opening} ({p_success:.0%})"), condition
    assert ("go needs P(NPV > 0) of at least 70%" in condition) == capped
    assert "pathfinder sprint that shows the model reaching it" in condition
    assert "P(NPV > 0) cannot exceed" in condition
    assert not any("confirm the benefit" in text for text in decision.conditions)


def test_few_successful_projects_paying_off_names_only_paying_off():
    """2% against a 45% chance of success (the RAG example, whose working model loses more
    than a failed one): only 4% of working models pay off, so no chance of success reaches
    70%, and raising it first would fund more losing models: paying off is the only lever."""
    decision = run(healthy(), outcome(p_npv_positive=0.02, p_success=0.45))
    levers = [text for text in decision.conditions if "P(NPV > 0)" in text]
    assert len(levers) == 1
    assert levers[0].startswith("Make a working model pay off: only 4% of the simulated "
                                "projects whose model reaches its acceptability threshold "
                                "have a positive NPV")
    assert "no chance of success lifts P(NPV > 0) from 2% to 70%" in levers[0]
    assert not any(text.startswith("Raise the chance of reaching") for text in levers)


def test_a_high_chance_whose_working_models_seldom_pay_off_names_only_paying_off():
    """90% chance of success but P(NPV > 0) 50%: a working model pays off 56% of the time, so
    raising the chance cannot reach 70% and the chance is not named as a lever."""
    decision = run(healthy(), outcome(p_npv_positive=0.5, p_success=0.9))
    levers = [text for text in decision.conditions if "P(NPV > 0)" in text]
    assert len(levers) == 1 and levers[0].startswith("Make a working model pay off")
    assert levers[0].startswith("Make a working model pay off: only 56% of the simulated")


def test_a_success_chance_well_above_the_go_line_keeps_the_money_levers():
    """With a 90% chance of success, 70% is reachable by benefit and cost: the usual text."""
    decision = run(healthy(), outcome(p_npv_positive=0.67, p_success=0.9))
    assert decision.conditions[0].startswith("Raise the chance of a positive NPV from 67% to "
                                             "at least 70%: confirm the benefit")


def test_the_bike_shop_example_names_its_chance_of_success():
    """The engine hands the decision its chance of success: the bike shop's (65% from the
    answers) at or below the 70% go line gets the capped condition, not 'confirm the
    benefit'."""
    scenario = load_scenario(EXAMPLES_DIR / "bike_shop_service_forecast.json")
    chance = success_probability(scenario).p
    assert chance <= scenario.project.thresholds.min_p_npv_positive
    conditions = run_estimate(scenario, trials=5000, seed=1).decision.conditions
    assert any(text.startswith("Raise the chance of reaching the acceptability threshold above "
                               f"its current {chance:.0%}") for text in conditions), conditions
    assert not any("confirm the benefit" in text for text in conditions)
