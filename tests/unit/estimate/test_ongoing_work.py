"""Ongoing tasks (management, check-ins) share their role's time over the whole project
instead of lengthening their phase: checked against closed forms on certain tasks, and on the
examples, whose numbers stay as they were without ongoing tasks."""

from __future__ import annotations

import numpy as np
import pytest

from mlpm_core.assessment import run_estimate
from mlpm_core.estimate import WORK_DAYS_PER_WEEK
from mlpm_core.estimate.engine import simulate
from mlpm_core.rules.catalog import load_catalog
from mlpm_core.scenario import Scenario
from mlpm_core.scenario.document import load_scenario
from tests.conftest import EXAMPLES_DIR

TRIALS, SEED = 5_000, 5
ALL_RULES = [rule.id for rule in load_catalog()]


def certain(tasks: list[dict[str, object]], team: list[dict[str, object]]) -> Scenario:
    """Certain tasks, no rules and no correlation: every trial is the closed form."""
    return Scenario.model_validate({
        "team": team, "tasks": tasks, "rules": {"disabled": ALL_RULES},
        "simulation": {"correlation": False, "phase_sigma": 0.0}})


def task(name: str, days: float, phase: str, role: str, ongoing: bool = False) -> dict[str, object]:
    return {"name": name, "phase": phase, "role": role, "optimistic": days,
            "most_likely": days, "pessimistic": days, "ongoing": ongoing}


def weeks(scenario: Scenario) -> np.ndarray:
    return simulate(scenario, trials=TRIALS, seed=SEED).duration_weeks


TEAM = [{"role": "eng_manager", "fte": 0.5}, {"role": "data_scientist", "fte": 1.0}]


def test_ongoing_work_of_a_role_without_phased_work_does_not_lengthen_the_project():
    """A half-time manager's 20 days of check-ins fit in the scientist's 100-day phase."""
    tasks = [task("Model", 100, "experimentation", "data_scientist"),
             task("Check-ins", 20, "planning", "eng_manager", ongoing=True)]
    np.testing.assert_allclose(weeks(certain(tasks, TEAM)), 100 / WORK_DAYS_PER_WEEK)
    tasks[1]["ongoing"] = False  # paced as planning: 20 days at half time come first
    np.testing.assert_allclose(weeks(certain(tasks, TEAM)), (100 + 40) / WORK_DAYS_PER_WEEK)


def test_ongoing_work_that_outlasts_the_phases_sets_the_date():
    """80 days at half time need 160 days, longer than the 100-day phase."""
    tasks = [task("Model", 100, "experimentation", "data_scientist"),
             task("Check-ins", 80, "planning", "eng_manager", ongoing=True)]
    simulation = simulate(certain(tasks, TEAM), trials=TRIALS, seed=SEED)
    np.testing.assert_allclose(simulation.duration_weeks, 160 / WORK_DAYS_PER_WEEK, rtol=1e-5)
    assert simulation.pace.overrun_days == pytest.approx(60, rel=1e-4)


def test_ongoing_work_slows_its_roles_phased_work_by_the_share_it_takes():
    """A manager (0.5 FTE) plans for 10 days and runs 20 days of check-ins beside a
    100-day phase: D = 10 / (0.5 - 20 / D) + 100, whose root is 80 + sqrt(2400)."""
    tasks = [task("Plan", 10, "planning", "eng_manager"),
             task("Model", 100, "experimentation", "data_scientist"),
             task("Check-ins", 20, "planning", "eng_manager", ongoing=True)]
    expected = 80 + np.sqrt(2400)
    simulation = simulate(certain(tasks, TEAM), trials=TRIALS, seed=SEED)
    np.testing.assert_allclose(simulation.duration_weeks, expected / WORK_DAYS_PER_WEEK,
                               rtol=1e-5)
    shares = simulation.pace.ongoing_share
    assert shares is not None
    manager = simulation.model.roles.index("eng_manager")
    assert shares[manager] == pytest.approx(20 / 0.5 / expected, rel=1e-4)
    # between running alongside nothing (a plain 120-day plan) and a phase of its own (160)
    assert 120 < expected < 160


def test_a_plan_split_by_the_risk_its_tasks_cover_is_still_one_roles_time():
    """The same closed form with the manager's 10 planning days in two tasks, one tagged as
    covering a risk (no rule is on, so the tag changes no days): the two share the manager's
    time, and the date is the one above."""
    tasks = [task("Plan", 6, "planning", "eng_manager"),
             {**task("Stakeholder review", 4, "planning", "eng_manager"), "covers": "governance"},
             task("Model", 100, "experimentation", "data_scientist"),
             task("Check-ins", 20, "planning", "eng_manager", ongoing=True)]
    np.testing.assert_allclose(weeks(certain(tasks, TEAM)),
                               (80 + np.sqrt(2400)) / WORK_DAYS_PER_WEEK, rtol=1e-5)


def test_ongoing_work_counts_its_effort_and_cost_in_full():
    fraud = load_scenario(EXAMPLES_DIR / "fraud_card_payments.json")
    raw = fraud.model_dump(mode="json")
    raw["tasks"].append(task("Steering and check-ins", 30, "planning", "eng_manager"))
    serial = Scenario.model_validate(raw)
    raw["tasks"][-1]["ongoing"] = True
    alongside = Scenario.model_validate(raw)
    before = simulate(serial, trials=TRIALS, seed=SEED)
    after = simulate(alongside, trials=TRIALS, seed=SEED)
    np.testing.assert_allclose(np.sort(after.effort), np.sort(before.effort))
    np.testing.assert_allclose(np.sort(after.cost), np.sort(before.cost))
    assert np.median(after.duration_weeks) < np.median(before.duration_weeks)
    plain = simulate(fraud, trials=TRIALS, seed=SEED)
    # the manager's own planning task now gets less of their time, so the date still moves
    assert np.median(after.duration_weeks) > np.median(plain.duration_weeks)


def test_more_ongoing_work_never_shortens_the_project():
    base = [task("Plan", 10, "planning", "eng_manager"),
            task("Model", 100, "experimentation", "data_scientist")]
    lengths = [weeks(certain([*base, task("Check-ins", days, "planning", "eng_manager",
                                          ongoing=True)], TEAM))[0]
               for days in (0, 10, 20, 40, 60, 80)]
    assert lengths == sorted(lengths)


def test_the_pace_sentence_names_the_share_ongoing_work_takes():
    tasks = [task("Plan", 10, "planning", "eng_manager"),
             task("Model", 100, "experimentation", "data_scientist"),
             task("Check-ins", 20, "planning", "eng_manager", ongoing=True)]
    note = run_estimate(certain(tasks, TEAM), trials=TRIALS, seed=SEED).pace_note
    share = 20 / 0.5 / (80 + np.sqrt(2400))
    assert (f"run alongside the phases and take {share:.0%} of the engineering manager's 0.5 "
            "FTE") in note
    # the phase the manager paces names what the ongoing work leaves of their FTE
    assert (f"Ideation and planning {10 / (0.5 * (1 - share)) / WORK_DAYS_PER_WEEK:.1f} "
            f"(engineering manager, {0.5 * (1 - share):.2f} of 0.5 FTE left by ongoing work)"
            in note)
    # the phases, the ongoing work's overrun and the waits add up to the mean
    plain = run_estimate(load_scenario(EXAMPLES_DIR / "bike_shop_service_forecast.json"),
                         trials=TRIALS, seed=SEED).pace_note
    assert "Ongoing" not in plain


def test_a_phase_with_only_ongoing_tasks_is_not_listed_as_a_phase():
    tasks = [task("Model", 100, "experimentation", "data_scientist"),
             task("Check-ins", 20, "planning", "eng_manager", ongoing=True)]
    note = run_estimate(certain(tasks, TEAM), trials=TRIALS, seed=SEED).pace_note
    assert "Ideation and planning" not in note
    assert "Experimentation 20.0" in note


def test_the_report_lists_an_ongoing_task_with_its_phase_and_says_ongoing():
    from mlpm_core.report.inputs import inputs_appendix

    tasks = [task("Model", 100, "experimentation", "data_scientist"),
             task("Check-ins", 20, "planning", "eng_manager", ongoing=True)]
    rows = inputs_appendix(certain(tasks, TEAM)).tasks
    assert [row.phase for row in rows] == ["Experimentation", "Ideation and planning, ongoing"]


def test_ongoing_work_that_takes_most_of_a_roles_time_is_a_warning_with_what_to_change():
    tasks = [task("Plan", 10, "planning", "eng_manager"),
             task("Model", 100, "experimentation", "data_scientist"),
             task("Check-ins", 150, "planning", "eng_manager", ongoing=True)]
    warnings = run_estimate(certain(tasks, TEAM), trials=TRIALS, seed=SEED).estimate.warnings
    (warning,) = [text for text in warnings if text.startswith("Ongoing tasks set")]
    # D = 10 / (0.5 - 150 / D) + 100 has its root at 210 + sqrt(14100)
    share = 150 / 0.5 / (210 + np.sqrt(14100))
    assert f"the engineering manager's take {share:.0%} of their 0.5 FTE" in warning
    assert "Raise that role's FTE" in warning
    light = [task("Model", 100, "experimentation", "data_scientist"),
             task("Check-ins", 20, "planning", "eng_manager", ongoing=True)]
    assert not [text for text in run_estimate(certain(light, TEAM), trials=TRIALS,
                                              seed=SEED).estimate.warnings
                if text.startswith("Ongoing tasks set")]
