"""Calendar waits: weeks with no work (an approval, a pilot's forecasts coming due) lengthen
the duration, and nothing else; a scenario without them draws exactly what it drew before."""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import ValidationError

from mlpm_core.assessment import run_estimate
from mlpm_core.estimate import WORK_DAYS_PER_WEEK
from mlpm_core.estimate.engine import simulate
from mlpm_core.feasibility.decision import stage_gate
from mlpm_core.report.inputs import inputs_appendix
from mlpm_core.scenario import Scenario
from mlpm_core.scenario.document import load_scenario
from tests.conftest import EXAMPLES_DIR

TRIALS, SEED = 5_000, 11


def bike(wait: object = 0) -> Scenario:
    scenario = load_scenario(EXAMPLES_DIR / "bike_shop_service_forecast.json")
    raw = scenario.model_dump(mode="json")
    raw["project"]["wait_weeks"] = wait
    return Scenario.model_validate(raw)


def test_a_certain_wait_adds_exactly_its_weeks_to_every_trial_and_no_effort_or_cost():
    before = simulate(bike(), trials=TRIALS, seed=SEED)
    after = simulate(bike(8), trials=TRIALS, seed=SEED)
    np.testing.assert_allclose(after.duration_weeks, before.duration_weeks + 8)
    np.testing.assert_array_equal(after.effort, before.effort)
    np.testing.assert_array_equal(after.cost, before.cost)  # a certain wait draws nothing
    assert after.pace.wait_days == pytest.approx(8 * WORK_DAYS_PER_WEEK)
    assert after.npv.mean() < before.npv.mean()  # the value starts eight weeks later


def test_an_uncertain_wait_adds_its_mean_and_spreads_the_duration():
    before = simulate(bike(), trials=TRIALS, seed=SEED)
    after = simulate(bike([6, 10]), trials=TRIALS, seed=SEED)
    added = after.duration_weeks - before.duration_weeks
    assert added.min() > 0
    # a lognormal 90% range of 6-10 weeks has its median at sqrt(60), about 7.75
    standard_error = added.std() / np.sqrt(TRIALS)
    assert abs(np.median(added) - np.sqrt(60)) < 6 * standard_error + 0.05
    np.testing.assert_array_equal(after.effort, before.effort)
    # drawn from a stream of their own: every other draw stays, so the cost is the same and
    # each simulated project's value only starts later (the wait had shifted the cost and
    # value draws after it, and a wait could raise the NPV)
    np.testing.assert_array_equal(after.cost, before.cost)
    np.testing.assert_array_equal(after.success, before.success)
    assert after.npv.mean() < before.npv.mean()


def test_the_pace_sentence_and_the_team_notes_say_the_waits():
    result = run_estimate(bike(8), trials=TRIALS, seed=SEED)
    assert "; calendar waits 8.0; a mean of" in result.pace_note
    assert "less 8.0 weeks of calendar waits" in result.team_cost_note
    plain = run_estimate(bike(), trials=TRIALS, seed=SEED)
    assert "calendar waits" not in plain.pace_note + plain.team_cost_note
    # the team is paid for the weeks it works: the same dedicated cost with or without waits
    assert result.team_cost_note.split("about")[1] == plain.team_cost_note.split(
        "about")[1]


def test_a_forecasts_gate_asks_for_the_wait_until_it_is_given():
    assert "enter it as calendar waits" in stage_gate(bike())
    gate = stage_gate(bike([6, 10]))
    assert "calendar waits of 6" in gate and "enter it" not in gate


def test_the_inputs_appendix_lists_waits_only_when_there_are_some():
    def rows(scenario: Scenario) -> list[str]:
        return [row.question for row in inputs_appendix(scenario).answers]
    assert "Calendar waits (weeks)" not in rows(bike())
    assert "Calendar waits (weeks)" in rows(bike([6, 10]))


@pytest.mark.parametrize("wait", [-1, [2, 600], [1, 2000]])
def test_waits_outside_zero_to_ten_years_are_refused(wait):
    with pytest.raises(ValidationError, match="calendar waits must lie between 0 and 520"):
        bike(wait)
