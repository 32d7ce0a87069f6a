"""The benefit entered is the target's: a working model earns its share of the gain over the
baseline, landing where the chances of success put it, so a bar lowered towards the baseline
adds models that earn only what they gain and never keeps the whole benefit."""

from __future__ import annotations

import json
import math
from itertools import pairwise

import numpy as np
import pytest

from mlpm_core.assessment import run_estimate
from mlpm_core.estimate.value import ValueModel, sample_value
from mlpm_core.feasibility.technical import annual_value
from mlpm_core.report import benefit_bar_sentence
from mlpm_core.scenario import Scenario, ValueSection
from mlpm_core.success import BenefitShare, benefit_share, reaching_curve
from tests.conftest import EXAMPLES_DIR, scenario_with

CLAIMS = {"metric": "Routing accuracy", "target": 0.92, "acceptability_threshold": 0.85}


EVEN = ((0.0, 1.0), (1.0, 0.0))  # working models spread evenly between the bars


def share_of(threshold, target, baseline, higher=True, archetype="augment_manual",
             curve=EVEN) -> BenefitShare:
    scenario = scenario_with(project={"archetype": archetype}, quality={
        "acceptability_threshold": threshold, "target": target, "baseline_value": baseline,
        "higher_is_better": higher})
    return benefit_share(scenario, curve)


@pytest.mark.parametrize(("answers", "at_threshold", "mean"), [
    ((0.55, 0.7, 0.45), 0.4, 0.7),                  # the fraud example's bars
    ((0.25, 0.15, 0.35, False), 0.5, 0.75),         # a MAPE, lower is better
    ((0.85, 0.9, 0.0), 0.85 / 0.9, (1 + 0.85 / 0.9) / 2),  # nothing today
    ((0.45, 0.7, 0.45), 0.0, 0.5),                  # a threshold at the baseline
    ((0.85, 0.92, 0.9), -2.5, 1 / 7)])              # the baseline between the bars
def test_a_working_model_earns_its_gain_over_the_baseline(answers, at_threshold, mean):
    """With no model reaching the target for sure, models spread evenly between the bars earn
    (Q - baseline) / (target - baseline), none below the baseline: with the baseline at 0.9
    between 0.85 and 0.92 that is 14%, not the 50% a clamped share at the threshold gave."""
    share = share_of(*answers)
    assert share.scaled and share.at_threshold == pytest.approx(at_threshold)
    assert share.mean == pytest.approx(mean)
    reach = np.linspace(0, 1, 200_001)
    factor = np.clip(share.at_threshold + (1 - share.at_threshold) * reach, 0, 1)
    assert factor.mean() == pytest.approx(mean, abs=1e-4)


def test_models_that_reach_the_target_earn_all_of_it():
    """Half the working models at the target: half the benefit for them, the fraud bars' 70%
    for the rest, 85% in all."""
    assert share_of(0.55, 0.7, 0.45, curve=((0.0, 1.0), (1.0, 0.5))).mean == pytest.approx(
        0.85, abs=1e-3)


@pytest.mark.parametrize(("answers", "archetype", "because"), [
    ((0.7, 0.7, 0.45), "augment_manual", ""), ((None, 0.7, 0.45), "augment_manual", ""),
    ((0.55, None, 0.45), "augment_manual", ""),
    ((0.55, 0.7, 0.45), "automate_manual", "the work it takes over")])
def test_the_benefit_stays_whole_with_one_bar_or_for_an_automation(answers, archetype,
                                                                    because):
    share = share_of(*answers, archetype=archetype)
    assert not share.scaled and share.mean == 1.0
    assert because in share.unscaled_because


def test_a_baseline_at_or_beyond_the_target_leaves_nothing_to_gain():
    """Today's 0.95 already beats the 0.92 target: no model gains on the metric, so the
    benefit counts nothing (it had counted whole, the best of all baselines)."""
    for baseline in (0.92, 0.95):
        share = share_of(0.85, 0.92, baseline)
        assert share.no_gain and share.mean == 0.0


def test_without_a_baseline_a_model_at_the_threshold_earns_half_and_nothing_jumps():
    """No baseline: a model at the threshold is counted at half, as if the threshold lay
    halfway from the baseline to the target. Taking it to allow half the baseline's error had
    implied 0.7 under a 0.85 threshold (68% at the threshold), more than a typical stated
    baseline gives, so a blank paid (71% blank against 29% with the clerks' own 0.86). The
    share still grows smoothly to the whole benefit as the threshold nears the target."""
    share = share_of(0.85, 0.92, None)
    assert share.baseline is None and share.at_threshold == 0.5
    stated = share_of(0.88, 0.93, 0.86).at_threshold
    assert stated == pytest.approx(2 / 7) and share_of(0.88, 0.93, None).at_threshold == 0.5
    def mean(threshold: float) -> float:  # where working models land, by the chances
        scenario = scenario_with(difficulty={"human_success_rate": 0.84}, quality={
            **CLAIMS, "acceptability_threshold": threshold, "baseline_value": None})
        return benefit_share(scenario, reaching_curve(scenario)).mean
    means = [mean(threshold) for threshold in (0.85, 0.88, 0.91, 0.919)]
    assert means == sorted(means) and means[-1] > 0.99


def test_the_rank_among_working_models_says_where_each_lands():
    """Half reach the target; the rest spread evenly down to the threshold."""
    share = share_of(0.55, 0.7, 0.45, curve=((0.0, 1.0), (1.0, 0.5)))
    assert share.reaching_target == 0.5
    reach = share.landing(np.array([0.0, 0.3, 0.5, 0.75, 1.0]))
    assert reach == pytest.approx([1.0, 1.0, 1.0, 0.5, 0.0])


def test_working_models_earn_their_share_in_the_simulation():
    """A certain benefit of 1,000 for one year, nothing to deliver or run, no discount: the
    working trials earn the share's mean within four Monte Carlo standard errors."""
    n = 40_000
    value = ValueSection(annual_benefit=1000.0, horizon_years=1, discount_rate=0.0,
                         adoption=[1.0])
    zeros = np.zeros(n)
    model = ValueModel(value, p_success=0.5, errors=None,
                       share=BenefitShare(0.4, ((0.0, 1.0), (1.0, 0.25))))
    draws = sample_value(np.random.default_rng(7), model, zeros, zeros, zeros, zeros)
    earned = draws.npv[draws.success]
    assert earned.min() >= 400 and earned.max() <= 1000
    at_target = (earned == 1000).mean()
    assert at_target == pytest.approx(0.25, abs=4 * math.sqrt(0.25 * 0.75 / earned.size))
    standard_error = earned.std() / math.sqrt(earned.size)
    assert abs(earned.mean() - 1000 * model.share.mean) < 4 * standard_error
    assert np.all(draws.npv[~draws.success] == 0)


def claims(threshold: float, **quality: object) -> Scenario:
    return scenario_with(difficulty={"human_success_rate": 0.9}, quality={
        **CLAIMS, "acceptability_threshold": threshold, "baseline_value": 0.7, **quality},
        value={"annual_benefit": {"low": 150_000, "high": 450_000}})


def test_lowering_the_bar_never_lowers_the_benefit_and_never_buys_the_whole_of_it():
    """With the chance from the answers, a lower bar raises the chance and adds models that
    earn only what they gain: the expected benefit (chance x what a working model earns)
    grows as the bar falls towards the baseline, but by less than the chance does. (The NPV
    may still fall: a model that gains little pays the running costs in full.)"""
    benefit, chances = [], []
    for threshold in (0.92, 0.9, 0.88, 0.85, 0.8, 0.75):
        model = run_estimate(claims(threshold), trials=5000, seed=3).simulation.model
        benefit.append(model.value.p_success * model.value.share.mean)
        chances.append(model.value.p_success)
    assert all(lower >= higher - 1e-3 for higher, lower in pairwise(benefit))
    assert chances == sorted(chances)
    assert benefit[-1] / benefit[0] < chances[-1] / chances[0]


def test_where_models_land_comes_from_the_chances_at_the_bars_between():
    """People right 90% of the time: a 0.98 target (a fifth of their errors) is far harder
    than a 0.85 threshold below them, so fewer than half the working models reach it (x0.40
    against none); the shares fall from 1 and never rise; one bar, all."""
    positions, shares = reaching_curve(claims(0.85, target=0.98))
    assert positions[0] == 0 and positions[-1] == 1 and shares[0] == 1
    assert shares[-1] == pytest.approx(0.4)
    assert list(shares) == sorted(shares, reverse=True)
    assert reaching_curve(claims(0.85, target=0.85))[1] == (1.0, 1.0)


def test_the_value_per_request_counts_what_a_working_model_earns_on_average():
    """The inference-cost check weighs a request against the benefit a working model earns on
    average, not the target's whole benefit."""
    document = json.loads((EXAMPLES_DIR / "fraud_card_payments.json").read_text("utf-8"))
    scenario = Scenario.model_validate(document)
    whole = scenario.model_copy(update={"quality": scenario.quality.model_copy(
        update={"target": 0.55})})
    share = benefit_share(scenario, reaching_curve(scenario)).mean
    benefit = scenario.value.annual_benefit.midpoint
    assert share < 1
    assert annual_value(whole) - annual_value(scenario) == pytest.approx(benefit * (1 - share))


def test_an_automation_earns_the_errors_it_avoids_in_proportion_to_the_gain():
    """An automation's benefit is the work it takes over, earned whole, except the errors it
    avoids when the benefit entered includes them: 1,000 cases a year at EUR 100 an error,
    0.45 today and 0.7 at the target, are EUR 25,000 of a EUR 100,000 benefit, earned as an
    augmenting model earns its gain (40% at the 0.55 threshold). Counted whole, switching from
    augmenting to automating had raised a claims router's NPV by 39%."""
    def share(archetype: str, **quality: object) -> BenefitShare:
        scenario = scenario_with(project={"archetype": archetype}, quality={
            "metric": "accuracy", "acceptability_threshold": 0.55, "target": 0.7,
            "baseline_value": 0.45, "cases_per_year": 1000, "false_positive_cost": 100,
            "false_negative_cost": 100, **quality}, value={"annual_benefit": 100_000})
        return benefit_share(scenario, EVEN)
    automated = share("automate_manual")
    assert automated.errors_part == pytest.approx(0.25)
    assert automated.at_threshold == pytest.approx(0.75 + 0.25 * 0.4)
    assert share("augment_manual").at_threshold == pytest.approx(0.4)
    # errors counted apart from the benefit, or not priced: the benefit is the work, whole
    assert share("automate_manual", cases_per_year=None).mean == 1.0
    apart = scenario_with(project={"archetype": "automate_manual"}, quality={
        "metric": "accuracy", "acceptability_threshold": 0.55, "target": 0.7,
        "baseline_value": 0.45, "cases_per_year": 1000, "false_positive_cost": 100},
        value={"annual_benefit": 100_000, "error_costs_in_benefit": False})
    assert benefit_share(apart, EVEN).mean == 1.0


def automation(cost: float, **value: object) -> Scenario:
    """1,000 cases a year, 0.45 today, 0.55 to deploy and 0.7 at the target, each error
    costing ``cost``; a EUR 100,000 benefit unless ``value`` says otherwise."""
    return scenario_with(project={"archetype": "automate_manual"}, quality={
        "metric": "accuracy", "acceptability_threshold": 0.55, "target": 0.7,
        "baseline_value": 0.45, "cases_per_year": 1000, "false_positive_cost": cost,
        "false_negative_cost": cost, "p_reach_threshold": 0.6},
        value={"annual_benefit": 100_000, **value})


def test_the_split_of_an_automations_benefit_is_said_with_the_figures_that_set_it():
    """The errors' EUR 25,000 at the target against the EUR 100,000 benefit are named, and the
    sentence says how to set the split instead: a review read 97% as quality-dependent with
    no figure to check it against, and saw cheaper mistakes raise the NPV."""
    scenario = automation(100)
    said = benefit_bar_sentence(scenario.quality, benefit_share(scenario, EVEN), "EUR")
    assert ("the errors it avoids (the other 25%: EUR 25,000 a year at the target by the cost "
            "of mistakes, of a benefit of EUR 100,000) in proportion") in said
    assert said.endswith("to set it yourself, enter only the work taken over as the annual "
                         "benefit and say it does not include the errors avoided, which are "
                         "then drawn and added.")
    apart = automation(100, annual_benefit=75_000, error_costs_in_benefit=False)
    assert "set it yourself" not in benefit_bar_sentence(
        apart.quality, benefit_share(apart, EVEN), "EUR")


def test_entered_as_two_lines_cheaper_mistakes_lower_the_value():
    """With the work taken over as the benefit and the errors drawn and added, the value falls
    as each mistake gets cheaper, on the same draws."""
    means = [run_estimate(automation(cost, annual_benefit=75_000, error_costs_in_benefit=False),
                          trials=5000, seed=3).estimate.npv.mean for cost in (100, 50, 10)]
    assert means[0] > means[1] > means[2]


def test_with_nothing_to_measure_the_bar_the_target_is_measured_from_the_threshold():
    """No baseline and no people's rate: a stand-in counted the same at every bar, so every
    working model reached even a 0.999 target. The threshold is then the one bar known, and a
    target that allows half its error is reached by 85% of the working models, a tenth by 25%
    and a hundredth by 10%."""
    def reaching(target: float) -> float:
        scenario = scenario_with(quality={"metric": "accuracy", "acceptability_threshold": 0.9,
                                          "target": target, "baseline_value": None})
        return reaching_curve(scenario)[1][-1]
    assert reaching(0.95) == pytest.approx(0.85)
    assert reaching(0.99) == pytest.approx(0.25)
    assert reaching(0.999) == pytest.approx(0.1)
