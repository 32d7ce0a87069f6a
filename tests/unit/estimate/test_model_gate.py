"""A plan that stops at a gate when the model falls short (``value.model_gate``).

Certain tasks, certain day rates and no rules make a failed trial's spend a closed form; on an
example with every rule and the estimator bias, the gate must change nothing but what the
failed trials spend, trial by trial on the same draws.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from mlpm_core.assessment import EstimateResult, run_estimate
from mlpm_core.estimate import simulate
from mlpm_core.report import render
from mlpm_core.rules.catalog import load_catalog
from mlpm_core.scenario import Scenario
from mlpm_core.scenario.document import load_scenario
from tests.conftest import EXAMPLES_DIR

TRIALS, SEED = 5_000, 3
ALL_RULES = [rule.id for rule in load_catalog()]
RATE = 1000.0
ROLES = ("ml_pm", "data_scientist", "data_engineer", "ml_engineer")
PHASE_DAYS = {"planning": 10, "experimentation": 20, "pipeline": 30, "production": 40}


def task(name: str, days: float, phase: str, role: str,
         ongoing: bool = False) -> dict[str, Any]:
    return {"name": name, "phase": phase, "role": role, "optimistic": days,
            "most_likely": days, "pessimistic": days, "ongoing": ongoing}


def certain(gate: str, extra_tasks: tuple[dict[str, Any], ...] = (),
            **sections: dict[str, Any]) -> Scenario:
    """10 / 20 / 30 / 40 certain days in the four phases at a certain rate, half the models
    working, no rules and no correlation: a trial's spend is a closed form."""
    tasks = [task(phase, days, phase, role)
             for (phase, days), role in zip(PHASE_DAYS.items(), ROLES, strict=True)]
    team = [{"role": role, "fte": 1.0, "day_rate": RATE} for role in (*ROLES, "eng_manager")]
    return Scenario.model_validate({
        "quality": {"p_reach_threshold": 0.5},
        "team": team, "tasks": [*tasks, *extra_tasks], "rules": {"disabled": ALL_RULES},
        "value": {"annual_benefit": 200_000, "model_gate": gate},
        "simulation": {"correlation": False, "phase_sigma": 0.0},
        **sections})


def failed_spend(scenario: Scenario) -> np.ndarray:
    """What each trial whose model falls short spends: its NPV is minus that."""
    simulation = simulate(scenario, trials=TRIALS, seed=SEED)
    assert 0 < simulation.success.mean() < 1
    return -simulation.npv[~simulation.success]


@pytest.mark.parametrize(("gate", "days"), [("none", 100), ("experimentation", 30),
                                            ("pipeline", 60)])
def test_a_model_that_falls_short_spends_the_work_up_to_the_gate(gate: str, days: int):
    np.testing.assert_allclose(failed_spend(certain(gate)), days * RATE, rtol=1e-12)


def test_ongoing_work_is_spent_in_the_share_of_the_phased_work_done_by_the_gate():
    """10 days of check-ins beside 100 phased days, 30 of them by the end of Experimentation:
    a failed model spends 30 + 10 x 30/100 days."""
    checkins = (task("Check-ins", 10, "planning", "eng_manager", ongoing=True),)
    np.testing.assert_allclose(failed_spend(certain("experimentation", checkins)),
                               33 * RATE, rtol=1e-12)
    np.testing.assert_allclose(failed_spend(certain("none", checkins)), 110 * RATE,
                               rtol=1e-12)


def test_compute_and_data_are_spent_before_the_gate_and_devices_after_it():
    """Training compute (2 runs of 10 GPU-hours at 50) and bought data (5,000) are spent to
    build the model; 40 devices at 400 each are bought only to roll it out."""
    sections = {
        "costs": {"training_gpu_hours": 10, "gpu_hour_price": 50, "experiments": 2,
                  "data_purchase": 5_000},
        "technical": {"platform": "on_device", "device": {"count": 40, "unit_cost": 400}},
    }
    gated = certain("experimentation", **sections)
    np.testing.assert_allclose(failed_spend(gated), 30 * RATE + 1_000 + 5_000, rtol=1e-12)
    whole = simulate(gated, trials=TRIALS, seed=SEED).cost
    np.testing.assert_allclose(whole, 100 * RATE + 1_000 + 5_000 + 40 * 400, rtol=1e-12)


def example_with_gate(gate: str) -> Scenario:
    scenario = load_scenario(EXAMPLES_DIR / "fraud_card_payments.json")
    return scenario.model_copy(update={"value": scenario.value.model_copy(
        update={"model_gate": gate})})


def test_the_gate_changes_only_what_failed_trials_spend():
    """On the fraud example (rules, estimator bias, phase factors), trial by trial: effort,
    duration, cost and success are the same draws; a working model's NPV is unchanged; a
    failed one spends less at the end of Experimentation than at the end of Pipeline
    building, and that less than the whole delivery."""
    runs = {gate: simulate(example_with_gate(gate), trials=TRIALS, seed=SEED)
            for gate in ("none", "experimentation", "pipeline")}
    plain = runs["none"]
    for run in runs.values():
        for samples in ("effort", "duration_weeks", "cost", "success"):
            np.testing.assert_array_equal(getattr(run, samples), getattr(plain, samples))
        np.testing.assert_array_equal(run.npv[plain.success], plain.npv[plain.success])
    failed = ~plain.success
    assert failed.sum() > 100
    early, late = (-runs[gate].npv[failed] for gate in ("experimentation", "pipeline"))
    np.testing.assert_allclose(-plain.npv[failed], plain.cost[failed], rtol=1e-12)
    assert np.all(early > 0)
    assert np.all(early < late)
    assert np.all(late < plain.cost[failed])


def flat_markdown(gate: str) -> tuple[EstimateResult, str]:
    """The estimate and its Markdown report on one line, without Markdown's escapes."""
    result = run_estimate(example_with_gate(gate), trials=TRIALS, seed=SEED)
    text = render(result, "md").decode("utf-8").replace("\\", "")
    return result, " ".join(text.split())


def test_the_report_says_what_a_model_that_falls_short_spends():
    result, flat = flat_markdown("experimentation")
    failure, cost = result.estimate.npv_if_failure, result.estimate.cost
    assert failure is not None and failure.p50 is not None and cost.p50 is not None
    assert -failure.p50 < 0.8 * cost.p50
    assert ("what the plan spends up to its gate at the end of Experimentation, against a "
            "median of EUR") in flat
    assert "stops the plan at the end of Experimentation" in flat
    assert "| Stop if the model falls short | At the end of Experimentation |" in flat
    _, plain = flat_markdown("none")
    assert "the delivery cost with no benefit" in plain
    assert "stops the plan" not in plain
    assert "Stop if the model falls short" not in plain  # a row only when there is a gate


def test_the_condition_to_raise_the_chance_names_the_gate_and_what_it_costs():
    """Half the models work, so the chance caps P(NPV > 0) below the go line: the condition
    to raise it points to the plan's own gate and the 30 days a failed model spends there."""
    gated = run_estimate(certain("experimentation"), trials=TRIALS, seed=SEED)
    said = [text for text in gated.estimate.conditions if "Raise the chance" in text]
    assert len(said) == 1
    assert ("the plan's gate at the end of Experimentation is where that is shown: fund the "
            "work up to it (a median of") in said[0]
    assert "30k if the model falls short there)" in said[0]
    plain = run_estimate(certain("none"), trials=TRIALS, seed=SEED)
    assert not any("gate" in text for text in plain.estimate.conditions)
    assert gated.estimate.decision == plain.estimate.decision
