"""The cost of false positives and negatives in the value (README "The estimation model")."""

from __future__ import annotations

import json
from itertools import pairwise

import numpy as np
import pytest

from mlpm_core.assessment import run_estimate
from mlpm_core.charts import specs
from mlpm_core.estimate.value import AVOIDED_ERRORS, sample_avoided_errors
from mlpm_core.feasibility import technical_checks
from mlpm_core.feasibility.technical import inference_cost_check
from mlpm_core.scenario import Scenario, error_costs, error_costs_unusable
from tests.conftest import EXAMPLES_DIR

EXAMPLES = EXAMPLES_DIR
TRIALS, SEED = 5000, 1


def example(name: str) -> dict:
    return json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))


def errors_only(**quality: object) -> Scenario:
    """One task, no annual benefit: the value is the errors avoided against an 80% baseline."""
    document = Scenario().model_dump(mode="json")
    document["tasks"] = [{"name": "Model", "phase": "experimentation", "role": "data_scientist",
                          "optimistic": 5, "most_likely": 8, "pessimistic": 15}]
    document["quality"].update({
        "metric": "accuracy", "baseline_value": 0.8, "acceptability_threshold": 0.85,
        "target": 0.9, "cases_per_year": [5000, 20000], "false_negative_share": 0.3,
        "false_positive_cost": [5, 50], "false_negative_cost": [50, 500], **quality})
    return Scenario.model_validate(document)


def npv(scenario: Scenario) -> np.ndarray:
    return run_estimate(scenario, trials=TRIALS, seed=SEED).simulation.npv


def summaries(scenario: Scenario) -> dict:
    estimate = run_estimate(scenario, trials=TRIALS, seed=SEED).estimate
    return {name: getattr(estimate, name).model_dump()
            for name in ("effort_days", "duration_weeks", "cost", "npv")}


def test_the_arithmetic_is_cases_times_error_shares_times_cost_per_error():
    """1,000 cases, 20% wrong today, 10% with the model, a quarter of errors missed events at
    100 and the rest false alarms at 20: 100 errors avoided at 40 each."""
    scenario = errors_only(cases_per_year=1000, baseline_value=0.8, acceptability_threshold=0.9,
                           target=0.9, false_negative_share=0.25, false_negative_cost=100,
                           false_positive_cost=20)
    errors = error_costs(scenario)
    assert errors is not None and errors.enters_value
    assert errors.typical_errors_avoided == pytest.approx(100)
    assert errors.typical_cost_per_error == pytest.approx(40)
    drawn = sample_avoided_errors(np.random.default_rng(0), errors,
                                  np.random.default_rng(1).random(10))
    assert drawn == pytest.approx(np.full(10, 4000.0))


def test_avoided_errors_are_worth_what_the_same_annual_benefit_is_worth():
    """Certain error costs worth 4,000 a year give the NPV of a certain 4,000 benefit."""
    certain = {"cases_per_year": 1000, "baseline_value": 0.8, "acceptability_threshold": 0.9,
               "target": 0.9, "false_negative_share": 0.25, "false_negative_cost": 100,
               "false_positive_cost": 20}
    from_errors = errors_only(**certain)
    document = from_errors.model_dump(mode="json")
    document["quality"].update(false_negative_cost=0, false_positive_cost=0)
    document["value"]["annual_benefit"] = 4000
    assert npv(from_errors) == pytest.approx(npv(Scenario.model_validate(document)))


@pytest.mark.parametrize("lower_is_better", [False, True])
def test_npv_rises_as_the_target_improves_over_the_baseline(lower_is_better):
    """A better target means fewer errors than the baseline: on average, at the median and in
    nearly every simulated project (where a model lands between threshold and target follows
    the chance of success at 13 bars between them, so a project near a kink in that curve can
    land a little lower when the bars move). A project that lands on the same quality under
    both targets earns the same to rounding (a millionth), which counts as not lower."""
    targets = [0.85, 0.9, 0.95, 0.99]
    runs = []
    for target in targets:
        quality = {"target": target}
        if lower_is_better:  # the same answers as error rates
            quality = {"higher_is_better": False, "baseline_value": 0.2,
                       "acceptability_threshold": 0.15, "target": round(1 - target, 2)}
        runs.append(npv(errors_only(**quality)))
    for worse, better in pairwise(runs):
        not_lower = better >= worse - 1e-6 * np.abs(worse)
        assert not_lower.mean() > 0.95 and better.mean() > worse.mean()
        assert np.median(better) > np.median(worse)


def test_npv_rises_with_the_cost_of_a_false_negative():
    runs = [npv(errors_only(false_negative_cost=[low, 10 * low])) for low in (10, 50, 200)]
    for cheaper, dearer in pairwise(runs):
        assert np.all(dearer >= cheaper) and dearer.mean() > cheaper.mean()


def test_a_model_worse_than_the_baseline_costs_money_and_says_so():
    scenario = errors_only(baseline_value=0.95)
    assert npv(scenario).mean() < npv(errors_only(false_negative_cost=0,
                                                  false_positive_cost=0)).mean()
    check = next(check for check in technical_checks(scenario) if check.id == "error_costs")
    assert check.status == "warn" and "more errors than the baseline" in check.summary


@pytest.mark.parametrize("name", ["bike_shop_service_forecast", "fraud_card_payments",
                                  "genai_support_assistant"])
def test_the_examples_numbers_do_not_depend_on_unused_error_costs(name):
    """Without error costs (or with a benefit that includes them) the examples draw exactly
    what they drew before the error costs existed: same effort, duration, cost and NPV."""
    document = example(name)
    shipped = summaries(Scenario.model_validate(document))
    document["quality"].update(false_positive_cost=0, false_negative_cost=0)
    document["quality"].pop("cases_per_year", None)
    document["quality"].pop("false_negative_share", None)
    assert summaries(Scenario.model_validate(document)) == shipped


def test_the_fraud_benefit_already_includes_the_fraud_it_stops():
    """The fraud example's benefit is its avoided fraud: the errors are compared with it, not
    added, unless the scenario says the benefit leaves them out."""
    document = example("fraud_card_payments")
    shipped = Scenario.model_validate(document)
    errors = error_costs(shipped)
    assert errors is not None and not errors.enters_value
    check = next(check for check in technical_checks(shipped) if check.id == "error_costs")
    assert check.status == "ok" and "not added" in check.summary
    assert 0.3 < errors.typical_avoided_cost / shipped.value.annual_benefit.midpoint < 3
    document["value"]["error_costs_in_benefit"] = False
    added = Scenario.model_validate(document)
    assert npv(added).mean() > npv(shipped).mean()
    assert "added to the annual benefit" in next(
        check.summary for check in technical_checks(added) if check.id == "error_costs")


def test_without_a_benefit_the_errors_avoided_are_the_value():
    document = example("fraud_card_payments")
    document["value"]["annual_benefit"] = 0
    scenario = Scenario.model_validate(document)
    assert error_costs(scenario).enters_value  # the flag says "included", but in nothing
    assert npv(scenario).mean() > 0


@pytest.mark.parametrize(("change", "reason"), [
    ({"cases_per_year": None}, "no number of cases"),
    ({"baseline_value": None}, "no baseline value"),
    ({"target": None, "acceptability_threshold": None}, "neither a target nor"),
    ({"baseline_value": 350.0, "acceptability_threshold": 400.0, "target": 500.0},
     "neither shares between 0 and 1 nor percent"),
    ({"baseline_value": 35.0, "acceptability_threshold": 40.0, "target": 50.0,
      "scale": "other"}, "neither shares between 0 and 1 nor percent"),
    ({"metric": "Macro F1"}, "Macro F1 is not a share of cases"),
    ({"metric": "AUC", "metric_counts": "other"}, "AUC is not a share of cases"),
    ({"metric": "MAPE", "higher_is_better": False, "baseline_value": 0.3,
      "acceptability_threshold": 0.2, "target": 0.15}, "MAPE is not a share of cases"),
])
def test_error_costs_that_cannot_be_counted_say_why(change, reason):
    scenario = errors_only(**change)
    assert error_costs(scenario) is None
    assert reason in error_costs_unusable(scenario)
    check = next(check for check in technical_checks(scenario) if check.id == "error_costs")
    assert check.status == "n/a" and reason in check.summary
    assert AVOIDED_ERRORS not in run_estimate(scenario, trials=TRIALS,
                                              seed=SEED).simulation.part_means


@pytest.mark.parametrize("change", [
    {"metric": "Recall of fraud", "false_negative_share": 1.0},
    {"metric": "Precision of the alerts", "false_negative_share": 0.0},
    {"metric": "Error rate", "higher_is_better": False, "baseline_value": 0.2,
     "acceptability_threshold": 0.15, "target": 0.1},
    {"metric": "Macro F1", "metric_counts": "cases_right"},  # the team says what it counts
])
def test_a_share_of_cases_is_counted_whatever_its_name_says(change):
    """A recall or a precision counts the events or the alerts missed, an error rate the cases
    wrong; a name that does not say it is counted when the team says it does."""
    assert error_costs(errors_only(**change)) is not None


def test_an_automation_with_a_score_of_no_cases_earns_its_benefit_as_work_taken_over():
    """An automation's report had split its benefit 0% work taken over, 100% errors avoided
    (1 - Macro F1 costed as claims wrong), while its error check said none could be counted."""
    from mlpm_core.success.benefit_share import errors_in_benefit

    document = errors_only(metric="Macro F1").model_dump(mode="json")
    document["project"]["archetype"] = "automate_manual"
    document["value"].update(annual_benefit=[100_000, 300_000], error_costs_in_benefit=True)
    assert errors_in_benefit(Scenario.model_validate(document)) == 0.0
    document["quality"]["metric"] = "accuracy"
    assert errors_in_benefit(Scenario.model_validate(document)) > 0.0


def test_no_error_costs_no_check():
    assert "error_costs" not in {check.id for check in technical_checks(Scenario())}
    assert error_costs_unusable(Scenario()) is None


def test_cases_cannot_be_negative():
    with pytest.raises(ValueError, match="cannot be negative"):
        errors_only(cases_per_year={"low": -5, "high": 5, "distribution": "uniform"})


def test_the_breakdown_shows_the_errors_avoided_as_value():
    result = run_estimate(errors_only(), trials=TRIALS, seed=SEED)
    rows = specs.cost_breakdown_rows(result.simulation.part_means)
    value = [row for row in rows if row["group"] == specs.VALUE_GROUP]
    assert len(value) == 1 and value[0]["amount"] == pytest.approx(
        result.simulation.part_means[AVOIDED_ERRORS])
    bars = specs.cost_breakdown_spec(result)["layer"][0]
    assert specs.VALUE_GROUP in bars["encoding"]["color"]["scale"]["domain"]


def test_the_inference_check_counts_the_errors_avoided_as_value():
    """With no annual benefit, the value per request comes from the errors avoided."""
    document = errors_only().model_dump(mode="json")
    document["costs"]["inference_cost_per_1k_requests"] = 0.01
    check = inference_cost_check(Scenario.model_validate(document))
    assert check.status != "n/a" and "annual benefit and avoided errors" in check.summary


@pytest.mark.parametrize(("benefit_high", "status"), [(1_000, "warn"), (1_000_000, "ok")])
def test_errors_worth_more_than_the_benefit_said_to_include_them_are_questioned(benefit_high,
                                                                                 status):
    """A EUR 300k benefit 'taken to include' EUR 2.65M of avoided errors read as settled: the
    check warns and says what to look at; a benefit large enough to include them passes."""
    document = errors_only().model_dump(mode="json")
    document["value"]["annual_benefit"] = {"low": benefit_high / 10, "high": benefit_high}
    document["value"]["error_costs_in_benefit"] = True
    scenario = Scenario.model_validate(document)
    errors = error_costs(scenario)
    assert errors is not None and not errors.enters_value
    assert 1_000 < errors.typical_avoided_cost < 1_000_000
    check = next(check for check in technical_checks(scenario) if check.id == "error_costs")
    assert check.status == status
    assert ("cannot include it" in check.summary) is (status == "warn")


@pytest.mark.parametrize(("benefit_high", "status"), [(1_000, "warn"), (1_000_000, "ok")])
def test_errors_added_to_a_much_smaller_benefit_are_questioned(benefit_high, status):
    """A forecaster's WAPE read as a share of forecasts missing turned a EUR 1-4M benefit into
    a EUR 48M NPV without a word: errors added to a benefit and worth more than its high end
    warn, naming the misread metric as the likely cause."""
    document = errors_only().model_dump(mode="json")
    document["value"]["annual_benefit"] = {"low": benefit_high / 10, "high": benefit_high}
    document["value"]["error_costs_in_benefit"] = False
    scenario = Scenario.model_validate(document)
    errors = error_costs(scenario)
    assert errors is not None and errors.enters_value
    assert 1_000 < errors.typical_avoided_cost < 1_000_000
    check = next(check for check in technical_checks(scenario) if check.id == "error_costs")
    assert check.status == status
    assert ("nearly all of the value" in check.summary) is (status == "warn")
    assert ("WAPE or MAPE is not" in check.summary) is (status == "warn")


def test_errors_added_to_a_smaller_benefit_may_be_its_larger_part():
    """Entered as two lines, as the report advises an automation, the errors may outweigh the
    work taken over: twice the benefit's high end passes, over three times warns."""
    document = errors_only().model_dump(mode="json")
    document["value"]["error_costs_in_benefit"] = False
    statuses = []
    for factor in (2.0, 3.5):
        document["value"]["annual_benefit"] = 1.0  # set below from the errors themselves
        avoided = error_costs(Scenario.model_validate(document))
        assert avoided is not None
        high = avoided.typical_avoided_cost / factor
        document["value"]["annual_benefit"] = {"low": high / 2, "high": high}
        scenario = Scenario.model_validate(document)
        check = next(check for check in technical_checks(scenario) if check.id == "error_costs")
        statuses.append(check.status)
    assert statuses == ["ok", "warn"]


@pytest.mark.parametrize("task_type", ["forecasting", "regression", "classification"])
def test_an_average_error_is_not_costed_as_cases_that_miss(task_type):
    """A WAPE of 0.4 had been read as 40% of forecasts missing, with a note to undo it by hand:
    an average error counts no cases, so its mistakes are not costed, and the check says why."""
    document = errors_only(metric="WAPE", baseline_value=0.4, acceptability_threshold=0.35,
                           target=0.3, higher_is_better=False).model_dump(mode="json")
    document["project"]["task_type"] = task_type
    scenario = Scenario.model_validate(document)
    assert error_costs(scenario) is None
    check = next(check for check in technical_checks(scenario) if check.id == "error_costs")
    assert check.status == "n/a" and "WAPE is not a share of cases" in check.summary
