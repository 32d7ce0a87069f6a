"""Common random numbers: each uncertain input draws from a stream of its own, keyed by its
name, so changing, adding or leaving out one input moves no other input's draws. A review saw a
licence fee made certain move the devices' cost (the next draws in one shared stream) and the
NPV's P50 go the wrong way; a rule switched off moved every rule after it."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from mlpm_core.estimate import simulate
from mlpm_core.estimate.costs import sample_costs
from mlpm_core.estimate.engine_model import build_model
from mlpm_core.estimate.multipliers import rule_log_factors
from mlpm_core.estimate.sampling import trial_rng
from mlpm_core.rules import applicable_rules
from mlpm_core.scenario import Range, Scenario
from mlpm_core.scenario.document import load_scenario
from tests.conftest import EXAMPLES_DIR

N, SEED = 4000, 11


def fraud() -> Scenario:
    return load_scenario(EXAMPLES_DIR / "fraud_card_payments.json")


def test_a_rule_left_out_or_reordered_leaves_the_others_draws():
    rules = applicable_rules(fraud())
    assert len(rules) >= 3
    every = rule_log_factors(trial_rng(SEED, 0), tuple(rules), N)
    fewer = rule_log_factors(trial_rng(SEED, 0), tuple(rules[1:]), N)
    backwards = rule_log_factors(trial_rng(SEED, 0), tuple(reversed(rules)), N)
    np.testing.assert_array_equal(fewer, every[1:])
    np.testing.assert_array_equal(backwards, every[::-1])


def test_a_cost_made_certain_leaves_every_other_cost_draw():
    """Licences from a range to a certain fee: every other part, the day rates included, is
    drawn exactly as before."""
    model = build_model(fraud()).costs
    effort = np.full((N, len(model.day_rates)), 20.0)
    ranged = replace(model, licences=Range(low=5_000, high=20_000))
    fixed = replace(model, licences=Range(low=9_000, high=9_000))
    before = sample_costs(trial_rng(SEED, 0), ranged, effort)
    after = sample_costs(trial_rng(SEED, 0), fixed, effort)
    for name, values in before.parts.items():
        if name != "licences":
            np.testing.assert_array_equal(after.parts[name], values, err_msg=name)
    np.testing.assert_array_equal(after.delivery, before.delivery)
    np.testing.assert_array_equal(after.day_rates, before.day_rates)
    assert np.all(after.parts["licences"] == 9_000)


def test_a_running_cost_changed_moves_no_delivery_cost_and_no_success():
    """On the whole engine: the yearly licence range made a certain fee leaves the delivery
    cost, the effort and which models work exactly as they were, trial by trial (drawn from
    one stream, the draws after it had moved)."""
    scenario = fraud()
    assert not scenario.costs.licences_per_year.is_certain
    changed = scenario.model_copy(update={"costs": scenario.costs.model_copy(update={
        "licences_per_year": Range(low=90_000, high=90_000)})})
    before, after = (simulate(s, trials=N, seed=SEED) for s in (scenario, changed))
    for samples in ("cost", "effort", "duration_weeks", "success"):
        np.testing.assert_array_equal(getattr(after, samples), getattr(before, samples))
    assert after.npv.mean() < before.npv.mean()


def test_a_rule_switched_off_moves_no_cost_input_and_no_success():
    """Switching a rule off changes the effort it multiplied and what that costs, never which
    models work or the value drawn."""
    scenario = fraud()
    rule = applicable_rules(scenario)[0].id
    off = scenario.model_copy(update={"rules": scenario.rules.model_copy(update={
        "disabled": [*scenario.rules.disabled, rule]})})
    before, after = (simulate(s, trials=N, seed=SEED) for s in (scenario, off))
    np.testing.assert_array_equal(after.success, before.success)
    assert after.effort.mean() < before.effort.mean()
