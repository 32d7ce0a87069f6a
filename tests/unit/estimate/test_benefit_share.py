"""The benefit entered is the target's: a working model earns its share of the gain over the
baseline, so a bar lowered towards the baseline no longer keeps the whole benefit."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from mlpm_core.assessment import run_estimate
from mlpm_core.estimate.value import ValueModel, sample_value
from mlpm_core.feasibility.technical import annual_value
from mlpm_core.scenario import (
    BenefitShare,
    QualitySection,
    Scenario,
    ValueSection,
    benefit_share,
)
from tests.conftest import EXAMPLES_DIR

FRAUD = EXAMPLES_DIR / "fraud_card_payments.json"


def quality(threshold: float | None, target: float | None, baseline: float | None,
            higher: bool = True) -> QualitySection:
    return QualitySection(acceptability_threshold=threshold, target=target,
                          baseline_value=baseline, higher_is_better=higher)


@pytest.mark.parametrize(("answers", "at_threshold"), [
    ((0.55, 0.7, 0.45, True), 0.4),     # the fraud example: recall 0.45 today
    ((0.25, 0.15, 0.35, False), 0.5),   # the bike example: a MAPE, lower is better
    ((0.85, 0.9, 0.0, True), 0.85 / 0.9),  # nothing today
    ((0.45, 0.7, 0.45, True), 0.0),     # a threshold at the baseline earns nothing
    ((0.40, 0.7, 0.45, True), 0.0)])    # below it too (a condition says so)
def test_a_model_at_the_threshold_earns_its_share_of_the_gain_over_the_baseline(
        answers, at_threshold):
    share = benefit_share(quality(*answers))
    assert share.scaled and share.at_threshold == pytest.approx(at_threshold)
    assert share.mean == pytest.approx((1 + at_threshold) / 2)


@pytest.mark.parametrize(("answers", "because"), [
    ((0.7, 0.7, 0.45, True), ""), ((None, 0.7, 0.45, True), ""), ((0.55, None, 0.45, True), ""),
    ((0.55, 0.7, 0.8, True), "no better than the 0.8 baseline"),
    ((0.2, 0.1, 0.05, False), "no better than the 0.05 baseline")])
def test_the_benefit_stays_whole_with_one_bar_or_no_gain_to_measure(answers, because):
    """One bar (no target, or the threshold is the target) has no share to take; with a target
    no better than the baseline, the gain is not measured and the report says so."""
    share = benefit_share(quality(*answers))
    assert not share.scaled and share.at_threshold == 1.0
    assert (because in share.unscaled_because) if because else share.unscaled_because == ""


def test_without_a_baseline_a_model_at_the_threshold_is_counted_at_half_the_benefit():
    """Counting it whole made a blank baseline pay better than a stated one: it is assumed to be
    a typical share, and said to be assumed."""
    share = benefit_share(quality(0.55, 0.7, None))
    assert share.assumed and share.at_threshold == 0.5 and share.mean == 0.75
    stated = benefit_share(quality(0.55, 0.7, 0.3))  # a modest bar: 64% of the gain
    assert stated.mean > share.mean and not stated.assumed


def test_working_models_earn_between_the_threshold_share_and_the_whole_benefit():
    """A certain benefit of 1,000 for one year, nothing to deliver or run, no discount: each
    working trial earns 1,000 x (0.4 + 0.6 u), u uniform; the mean is 700 within four
    standard errors of the Monte Carlo mean."""
    n = 40_000
    value = ValueSection(annual_benefit=1000.0, horizon_years=1, discount_rate=0.0,
                         adoption=[1.0])
    zeros = np.zeros(n)
    model = ValueModel(value, p_success=0.5, errors=None, share=BenefitShare(0.4))
    draws = sample_value(np.random.default_rng(7), model, zeros, zeros, zeros, zeros)
    earned = draws.npv[draws.success]
    assert earned.min() >= 400 and earned.max() <= 1000
    standard_error = 600 / math.sqrt(12) / math.sqrt(earned.size)
    assert abs(earned.mean() - 700) < 4 * standard_error
    assert np.all(draws.npv[~draws.success] == 0)


def fraud_with(threshold: float) -> Scenario:
    document = json.loads(FRAUD.read_text(encoding="utf-8"))
    document["quality"]["acceptability_threshold"] = threshold
    return Scenario.model_validate(document)


def test_lowering_the_bar_towards_the_baseline_no_longer_keeps_the_whole_benefit():
    """The fraud example's threshold moved from 0.55 down to a point above its 0.45 baseline:
    the chance of reaching it rises, but what a working model earns falls (it had stayed the
    whole benefit, so the lower bar bought a better NPV for nothing)."""
    runs = [run_estimate(fraud_with(threshold), trials=5000, seed=3).simulation
            for threshold in (0.55, 0.5, 0.46)]
    earned = [sim.npv[sim.success].mean() for sim in runs]
    assert earned[0] > earned[1] > earned[2]
    assert runs[0].success_rate <= runs[1].success_rate <= runs[2].success_rate


def test_the_value_per_request_counts_what_a_working_model_earns_on_average():
    """The inference-cost check weighs a request against the benefit a working model earns on
    average (70% of the fraud target's), not the target's whole benefit."""
    scenario = fraud_with(0.55)
    whole = scenario.model_copy(update={"quality": scenario.quality.model_copy(
        update={"target": 0.55})})
    benefit = scenario.value.annual_benefit.midpoint
    assert annual_value(whole) - annual_value(scenario) == pytest.approx(benefit * 0.3)
