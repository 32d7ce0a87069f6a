"""The duration with phases overlapped as far as the team's time allows: the other end from
phases in order, checked against closed forms on certain tasks, against phases in order on
every trial of the examples, and where the reports show it."""

from __future__ import annotations

import numpy as np
import pytest

from mlpm_core.assessment import run_estimate
from mlpm_core.estimate import WORK_DAYS_PER_WEEK
from mlpm_core.estimate.engine import simulate
from mlpm_core.report.model import build_report
from mlpm_core.scenario.document import load_scenario
from tests.conftest import EXAMPLES_DIR
from tests.unit.estimate.test_ongoing_work import certain, task

TRIALS, SEED = 5_000, 7
TEAM = [{"role": "ml_pm", "fte": 0.5}, {"role": "data_engineer", "fte": 1.0},
        {"role": "data_scientist", "fte": 1.0}]


def test_the_busiest_role_sets_the_overlapped_length_and_phases_in_order_add_up():
    """Planning is 10 days at half time (20 calendar days), modelling 25 (5 of them the
    engineer's beside the scientist), the pipeline 15: in order 20 + 25 + 15 = 60 days;
    overlapped, the engineer's 20 days and the scientist's 25 run beside the manager's 20, so
    25 days."""
    tasks = [task("Scope", 10, "planning", "ml_pm"),
             task("Pipeline", 15, "pipeline", "data_engineer"),
             task("Model", 25, "experimentation", "data_scientist"),
             task("Features", 5, "experimentation", "data_engineer")]
    simulation = simulate(certain(tasks, TEAM), trials=TRIALS, seed=SEED)
    np.testing.assert_allclose(simulation.duration_weeks, 60 / WORK_DAYS_PER_WEEK)
    np.testing.assert_allclose(simulation.overlapped_weeks, 25 / WORK_DAYS_PER_WEEK)


def test_ongoing_work_counts_in_its_roles_overlapped_time():
    """The manager's 10 days of planning and 20 of ongoing check-ins at half time need 60
    calendar days even overlapped: more than the scientist's 40."""
    tasks = [task("Scope", 10, "planning", "ml_pm"),
             task("Check-ins", 20, "planning", "ml_pm", ongoing=True),
             task("Model", 40, "experimentation", "data_scientist")]
    simulation = simulate(certain(tasks, TEAM), trials=TRIALS, seed=SEED)
    np.testing.assert_allclose(simulation.overlapped_weeks, 60 / WORK_DAYS_PER_WEEK)
    assert (simulation.duration_weeks >= simulation.overlapped_weeks - 1e-9).all()


@pytest.mark.parametrize("name", ["bike_shop_service_forecast", "fraud_card_payments",
                                  "genai_support_assistant"])
def test_no_trial_is_longer_overlapped_than_in_order(name):
    """Overlapping can only shorten a trial (uncertain FTEs and waits included); the bike
    shop's one person has nothing to overlap, so its two figures are the same."""
    simulation = simulate(load_scenario(EXAMPLES_DIR / f"{name}.json"), trials=TRIALS,
                          seed=SEED)
    assert (simulation.overlapped_weeks <= simulation.duration_weeks + 1e-9).all()
    if name == "bike_shop_service_forecast":
        np.testing.assert_allclose(simulation.overlapped_weeks, simulation.duration_weeks)
    else:
        assert np.median(simulation.overlapped_weeks) < 0.8 * np.median(
            simulation.duration_weeks)


def test_the_duration_basis_says_the_overlapped_duration_only_where_it_differs():
    """After the phases' pace, in the app and in every report format, with the JSON key; the
    bike shop's single person has nothing to overlap and gets the JSON key only."""
    fraud = run_estimate(load_scenario(EXAMPLES_DIR / "fraud_card_payments.json"),
                         trials=TRIALS, seed=SEED)
    overlapped = fraud.estimate.duration_weeks_overlapped
    assert overlapped.p50 is not None and overlapped.p50 < (fraud.estimate.duration_weeks.p50
                                                            or 0)
    said = (f"With phases overlapped so that no role waits for the previous one to end, the "
            f"P50 would be {overlapped.p50:.1f} weeks at best (P80 {overlapped.p80:.1f}).")
    assert fraud.pace_note.endswith(said)
    assert said in build_report(fraud, with_charts=False).duration_basis
    bike = run_estimate(load_scenario(EXAMPLES_DIR / "bike_shop_service_forecast.json"),
                        trials=TRIALS, seed=SEED)
    assert "overlapped" not in bike.pace_note
    assert bike.estimate.model_dump()["duration_weeks_overlapped"]["p50"] == pytest.approx(
        bike.estimate.duration_weeks.p50)


def test_a_no_go_from_the_overlapped_median_names_the_role_that_sets_it():
    """A 0.3-FTE product manager's 20 days take 67 calendar days even with phases overlapped,
    longer than anyone else's: the no-go says so and names first more of that manager's time,
    with about the weeks it saves within a quarter of a second simulation (the lever of
    phases in order had named a data scientist, which left the no-go in place), at the least
    time that meets the date."""
    team = [{"role": "ml_pm", "fte": 0.3}, {"role": "data_engineer", "fte": 1.0},
            {"role": "data_scientist", "fte": 1.0}]
    tasks = [task("Scope", 12, "planning", "ml_pm"), task("Roll-out", 8, "production", "ml_pm"),
             task("Pipeline", 30, "pipeline", "data_engineer"),
             task("Model", 35, "experimentation", "data_scientist")]
    scenario = certain(tasks, team)
    scenario = scenario.model_copy(update={"project": scenario.project.model_copy(
        update={"deadline_weeks": 10.0})})
    result = run_estimate(scenario, trials=TRIALS, seed=SEED)
    assert result.estimate.decision == "no-go"
    [reason] = [r for r in result.estimate.reasons if r.startswith("P80 duration")]
    assert reason.endswith("(13.3 weeks, set by the ML product manager's 0.3 FTE).")
    conditions = result.decision.conditions
    [first] = [c for c in conditions if c.startswith("Give the ML product manager")]
    [in_order] = [c for c in conditions if c.startswith("Cut scope, move the deadline")]
    assert conditions.index(first) < conditions.index(in_order)
    assert first.startswith("Give the ML product manager more time, cut scope or move the "
                            "deadline: even with phases overlapped the median duration is 13.3 "
                            "weeks, 3.3 weeks beyond the 10-week deadline")
    # full time would take 6.3 weeks off (13.3 to the scientist's 7), so the least time that
    # meets the date is asked for: 0.4 FTE, 20 days in 10 weeks
    assert "FTE sets it; at 0.4 FTE they would take about" in first
    raised = certain(tasks, [{**team[0], "fte": 0.4}, *team[1:]])
    faster = simulate(raised, trials=TRIALS, seed=SEED).overlapped_weeks
    saved = 20 / 0.3 / 5 - float(np.median(faster))
    said = float(first.split("would take about ")[1].split(" weeks")[0])
    assert said == pytest.approx(saved, abs=0.15)  # measured on the same trials
    assert first.endswith("enough on its own") and not first.endswith("not enough on its own")
