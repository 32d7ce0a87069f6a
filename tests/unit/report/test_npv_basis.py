"""Every report says what its NPV counts, with the scenario's own horizon and discount rate:
the benefit starts when delivery ends, and a model that misses its threshold earns nothing."""

from __future__ import annotations

import html
import io
import re

import pytest
from pypdf import PdfReader

from mlpm_core.assessment.run import run_estimate
from mlpm_core.report import benefit_bar_sentence, npv_basis
from mlpm_core.report.render import render
from mlpm_core.scenario import Range, Scenario
from mlpm_core.scenario.document import load_scenario
from tests.conftest import EXAMPLES_DIR


def bike(**value: object) -> Scenario:
    scenario = load_scenario(EXAMPLES_DIR / "bike_shop_service_forecast.json")
    raw = scenario.model_dump(mode="json")
    raw["value"].update(value)
    return Scenario.model_validate(raw)


def test_the_sentence_names_the_scenarios_horizon_and_rate():
    sentence = npv_basis(bike(horizon_years=5, discount_rate=0.12).value)
    assert "for 5 years from the end of delivery" in sentence
    assert "discounted at 12% a year" in sentence
    assert "for 1 year from" in npv_basis(bike(horizon_years=1).value)


@pytest.mark.parametrize("kind", ["md", "html", "pdf"])
def test_every_report_says_it(kind):
    scenario = bike(horizon_years=4, discount_rate=0.07)
    data = render(run_estimate(scenario, trials=500), kind)
    if kind == "pdf":
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    else:
        text = html.unescape(data.decode("utf-8")).replace("\\", "")  # and Markdown's escapes
    flat = re.sub(r"\s+", "", text)
    assert re.sub(r"\s+", "", npv_basis(scenario.value)) in flat


def bar_sentence(scenario: Scenario) -> str:
    """The sentence for a scenario, with the share the engine would draw with."""
    from mlpm_core.success import benefit_share, reaching_curve

    return benefit_bar_sentence(scenario.quality,
                                benefit_share(scenario, reaching_curve(scenario)))


def with_bars(threshold, target, baseline, higher=True) -> Scenario:
    scenario = bike()
    return scenario.model_copy(update={"quality": scenario.quality.model_copy(update={
        "acceptability_threshold": threshold, "target": target, "higher_is_better": higher,
        "baseline_value": baseline, "metric_counts": "other"})})


@pytest.mark.parametrize(("threshold", "target", "higher", "said"), [
    (0.85, 0.95, True, "a model at the 0.85 threshold earns 50% of it;"),
    (0.95, 0.95, True, ""), (None, 0.95, True, ""),
    (0.2, 0.1, False, "a model at the 0.2 threshold earns 33% of it;"), (0.1, 0.2, False, "")])
def test_a_threshold_short_of_the_target_says_what_a_model_at_it_earns(
        threshold, target, higher, said):
    """Lowering the threshold raises the chance of reaching it: when the threshold is short of
    the target, the NPV's basis says the benefit entered is the target's, what share of it a
    model at the threshold earns (the gain over the baseline, 0.75 here, or 0.25 as an
    error), how many working models reach the target and what they earn on average."""
    from mlpm_core.success import benefit_share, reaching_curve

    scenario = with_bars(threshold, target, 0.75 if higher else 0.25, higher)
    sentence = bar_sentence(scenario)
    assert (said in sentence) if said else sentence == ""
    if said:
        share = benefit_share(scenario, reaching_curve(scenario))
        assert sentence.startswith(f"The benefit entered is the {target:g} target's, earned in "
                                   "proportion to the gain over the baseline of ")
        assert sentence.endswith(f"of the working models {share.reaching_target:.0%} reach "
                                 "the target, by the chances of success, and together they "
                                 f"earn {share.mean:.0%} of it on average.")


def test_without_a_baseline_the_implied_one_is_said():
    """No baseline: a model at the threshold is counted at half, and the sentence says so."""
    sentence = bar_sentence(with_bars(0.85, 0.95, None))
    assert ("over the baseline (none is given, so a model at the 0.85 threshold is counted at "
            "50%, as if the threshold lay halfway from the baseline to the target): a model at "
            "the 0.85 threshold earns 50% of it;") in sentence


@pytest.mark.parametrize(("baseline", "said"), [
    (0.97, "the baseline already reaches the target, so no model gains on the metric and the "
           "benefit counts nothing."),
    (0.9, "a model at the 0.85 threshold earns nothing, being below the baseline;")])
def test_a_baseline_above_a_bar_is_said(baseline, said):
    assert said in bar_sentence(with_bars(0.85, 0.95, baseline))


def test_an_automation_keeps_the_whole_benefit_and_says_why():
    scenario = with_bars(0.85, 0.95, 0.75)
    scenario = scenario.model_copy(update={"project": scenario.project.model_copy(
        update={"archetype": "automate_manual"})})
    assert bar_sentence(scenario).endswith(
        "since an automation's benefit is the work it takes over, earned by any model good "
        "enough to deploy.")


def test_an_automation_says_which_part_is_errors_avoided_earned_by_the_gain():
    """With the cost of mistakes inside the benefit, the sentence splits the benefit into the
    work taken over (whole) and the errors avoided (by the gain), with their shares."""
    scenario = with_bars(0.85, 0.95, 0.75)
    scenario = scenario.model_copy(update={
        "project": scenario.project.model_copy(update={"archetype": "automate_manual"}),
        "quality": scenario.quality.model_copy(update={
            "metric_counts": "cases_right",  # 1 - value is a share of cases wrong
            "cases_per_year": Range(low=1000, high=1000),
            "false_positive_cost": Range(low=10, high=10),
            "false_negative_cost": Range(low=10, high=10)}),
        "value": scenario.value.model_copy(update={
            "annual_benefit": Range(low=4000, high=4000)})})
    sentence = bar_sentence(scenario)
    # 1,000 cases x (0.25 - 0.05) wrong fewer x 10 = 2,000 of the 4,000 benefit
    assert ("For an automation the work it takes over (50% of it) is earned by any model good "
            "enough to deploy, and the errors it avoids (the other 50%: 2,000 a year at the "
            "target by the cost of mistakes, of a benefit of 4,000) in proportion to the gain "
            "over the baseline of 0.75: a model at the 0.85 threshold earns 75% of it;"
            ) in sentence


@pytest.mark.parametrize(("cost", "at_threshold", "avoided"),
                         [(50, "50%", "10,000"), (19.94, "50%", "3,990")])
def test_an_automation_whose_errors_are_the_whole_benefit_takes_over_no_work_said(
        cost, at_threshold, avoided):
    """When the errors avoided come to the whole benefit entered, or to all of it as shown
    (99.7% read "the work it takes over (0% of it)"), the sentence no longer speaks of the
    work it takes over: all of it is earned by the gain."""
    scenario = with_bars(0.85, 0.95, 0.75)
    scenario = scenario.model_copy(update={
        "project": scenario.project.model_copy(update={"archetype": "automate_manual"}),
        "quality": scenario.quality.model_copy(update={
            "metric_counts": "cases_right",
            "cases_per_year": Range(low=1000, high=1000),
            "false_positive_cost": Range(low=cost, high=cost),
            "false_negative_cost": Range(low=cost, high=cost)}),
        "value": scenario.value.model_copy(update={
            "annual_benefit": Range(low=4000, high=4000)})})
    sentence = bar_sentence(scenario)
    # 1,000 cases x 0.2 wrong fewer x 50 = 10,000, over the 4,000 benefit; x 19.94, 99.7% of it
    # (3,988, shown to three figures as simulated money is)
    assert "(0% of it)" not in sentence and "work it takes over" not in sentence
    assert (f"the errors it avoids ({avoided} a year at the target by the cost of mistakes, of "
            "a benefit of 4,000) come to all of it, so none of it is counted as work taken over "
            "and all of it is earned in proportion to the gain over the baseline of 0.75: a "
            f"model at the 0.85 threshold earns {at_threshold} of it;") in sentence


def test_the_sentence_says_what_the_engine_does_with_adoption():
    """The sentence said every running cost scaled with adoption; the engine pays the fixed
    ones (servers, licences, upkeep) in full from the first year and scales only the
    usage-driven inference. At 50% adoption for one year, no discount and no benefit, fixed
    costs of 1,000 cost 1,000 and inference of 1,000 at full use costs 500."""
    import numpy as np

    from mlpm_core.estimate.value import ValueModel, sample_value
    from mlpm_core.scenario import ValueSection
    from mlpm_core.success import BenefitShare

    value = ValueSection(annual_benefit=0.0, horizon_years=1, discount_rate=0.0, adoption=[0.5])
    model = ValueModel(value, p_success=1.0, errors=None, share=BenefitShare(1.0))
    zeros, thousand = np.zeros(4), np.full(4, 1000.0)
    fixed = sample_value(np.random.default_rng(0), model, zeros, thousand, zeros, zeros)
    used = sample_value(np.random.default_rng(0), model, zeros, zeros, thousand, zeros)
    assert fixed.npv == pytest.approx(np.full(4, -1000.0))
    assert used.npv == pytest.approx(np.full(4, -500.0))
    assert "the usage-driven costs (inference) times each year's adoption" in npv_basis(value)


@pytest.mark.parametrize(("answer", "said"), [
    ("good_enough", "the rules would earn most of it without a model"),
    ("partly", "the part the rules can reach is not the model's"),
    ("no", None), ("unknown", None)])
def test_rules_that_meet_the_target_are_said_beside_the_npv(answer, said):
    """"Rules may be enough" above an NPV that credited the model with the whole benefit: the
    NPV's basis now says what rules that solve some or all of it mean for that figure."""
    scenario = bike()
    scenario = scenario.model_copy(update={"project": scenario.project.model_copy(update={
        "rules_baseline": answer})})
    text = html.unescape(render(run_estimate(scenario, trials=500), "md").decode()).replace(
        "\\", "")
    basis = next(line for line in text.splitlines() if "NPV: the benefit less" in line)
    if said is None:
        assert "simple rules" not in basis
    else:
        assert said in basis and "enter" in basis.lower()


@pytest.mark.parametrize(("answer", "said"), [
    ("good_enough", "most of it is the rules', which you say would already meet"),
    ("partly", "part of it is the rules', which you say solve part of the problem"),
    ("no", None), ("unknown", None)])
def test_rules_that_solve_the_problem_are_said_in_the_decisions_p_npv_line(answer, said):
    """The decision list read "P(NPV > 0) is 77%, at least the 70% needed for go" under "rules
    may be enough": the line itself now says it counts the whole benefit entered."""
    scenario = bike()
    scenario = scenario.model_copy(update={"project": scenario.project.model_copy(update={
        "rules_baseline": answer})})
    reasons = run_estimate(scenario, trials=500).estimate.reasons
    [line] = [reason for reason in reasons if reason.startswith("P(NPV > 0) is")]
    if said is None:
        assert "rules" not in line
    else:
        assert f"counting the whole benefit entered: measured against today's process, {said}" \
            in line
        assert line.endswith(".") and ".," not in line
