"""What the cost-of-errors check says about the mistakes it prices and those it cannot.

A review's pump-failure model (a recall, 120 failures a year) found that a false alarm's cost
changed no figure at all, that a share of 50% missed priced half of the missed failures as
false alarms the model avoids, and that EUR 789k of avoided failures passed as "OK" inside a
benefit whose middle was EUR 500k.
"""

from __future__ import annotations

import pytest

from mlpm_core.feasibility import technical_checks
from mlpm_core.scenario import (
    Scenario,
    cost_unpriced,
    error_costs,
    share_contradicts_metric,
)
from mlpm_core.scenario.metric_reading import mistakes_counted
from mlpm_core.scenario.quality import QualitySection
from tests.unit.estimate.test_error_costs import errors_only


@pytest.mark.parametrize(("metric", "counted"), [
    ("recall", "missed"),
    ("Recall of failures within 14 days (at precision >= 0.2)", "missed"),
    ("Sensitivity", "missed"),
    ("miss rate", "missed"),
    ("precision of alerts", "false_alarms"),
    ("Precision at 80% recall", "false_alarms"),
    ("false positive rate", "false_alarms"),
    ("accuracy", None),
    ("Macro F1", None),
])
def test_the_name_says_which_mistakes_alone_the_metric_counts(metric, counted):
    assert mistakes_counted(QualitySection(metric=metric)) == counted


def test_a_share_of_all_cases_counts_both_kinds_whatever_its_name():
    quality = QualitySection(metric="recall", metric_counts="cases_right")
    assert mistakes_counted(quality) is None


def _recall(share: float, **quality: object) -> Scenario:
    return errors_only(metric="recall", false_negative_share=share, **quality)


@pytest.mark.parametrize("share", [0.0, 0.5, 0.99])
def test_a_recall_priced_as_false_alarms_warns(share):
    scenario = _recall(share)
    said = share_contradicts_metric(scenario.quality)
    assert f"{1 - share:.0%} of its mistakes are priced as false alarms" in said
    check = next(check for check in technical_checks(scenario) if check.id == "error_costs")
    assert check.status == "warn" and said in check.summary


def test_a_precision_priced_as_missed_events_warns():
    scenario = errors_only(metric="precision", false_negative_share=0.3)
    assert "counts false alarms only, yet 30%" in share_contradicts_metric(scenario.quality)
    assert share_contradicts_metric(errors_only(metric="precision",
                                                false_negative_share=0.0).quality) == ""


def test_a_cost_the_share_weighs_at_nothing_is_said_without_a_warning():
    """With every mistake a missed event, a false alarm's cost moves no figure: the check
    says so and where to count it instead, but the estimate's numbers are not at fault."""
    scenario = _recall(1.0)
    assert share_contradicts_metric(scenario.quality) == ""
    said = cost_unpriced(scenario)
    assert said.startswith("A false positive's cost (USD 5–50) counts for nothing")
    check = next(check for check in technical_checks(scenario) if check.id == "error_costs")
    assert check.status == "ok" and said in check.summary
    free = _recall(1.0, false_positive_cost=0)
    assert cost_unpriced(free) == ""
    alarms = errors_only(metric="precision", false_negative_share=0.0)
    assert cost_unpriced(alarms).startswith("A false negative's cost (USD 50–500)")
    # a share that contradicts the metric gets its own advice, not this one too
    assert cost_unpriced(errors_only(metric="precision", false_negative_share=1.0)) == ""


def test_the_cost_said_to_count_for_nothing_truly_moves_nothing():
    from mlpm_core.assessment import run_estimate

    cheap, dear = (_recall(1.0, false_positive_cost=cost) for cost in (5, 5000))
    runs = [run_estimate(s, trials=5000, seed=1).estimate for s in (cheap, dear)]
    assert runs[0].npv == runs[1].npv


@pytest.mark.parametrize(("benefit", "status"), [
    ((0.4, 1.6), "warn"),  # its middle, 0.8x the errors avoided: nothing left for the rest
    ((1.2, 4.8), "ok"),    # its middle, 2.4x: room for the rest
])
def test_errors_above_the_middle_of_a_benefit_said_to_include_them_warn(benefit, status):
    scenario = _recall(1.0, false_positive_cost=0)
    avoided = error_costs(scenario)
    assert avoided is not None
    document = scenario.model_dump(mode="json")
    document["value"].update(error_costs_in_benefit=True, annual_benefit={
        "low": benefit[0] * avoided.typical_avoided_cost,
        "high": benefit[1] * avoided.typical_avoided_cost})
    check = next(check for check in technical_checks(Scenario.model_validate(document))
                 if check.id == "error_costs")
    assert check.status == status
    assert ("more than the annual benefit said to include it" in check.summary) is (
        status == "warn")


def test_a_report_gives_a_warned_check_whole_once():
    """The long cost-of-errors warning was printed three times (the quality dimension, the
    risks, the technical checks) and pushed a review's PDF to a seventh page: the report gives
    it whole in the technical checks and points to it elsewhere; the JSON keeps it whole."""
    from mlpm_core.assessment import run_estimate
    from mlpm_core.report.model import build_report

    scenario = _recall(0.5)  # warns: a recall priced as false alarms
    result = run_estimate(scenario, trials=5000, seed=1)
    check = next(check for check in result.checks if check.id == "error_costs")
    assert check.status == "warn"
    report = build_report(result, with_charts=False)
    quality = next(row for row in report.feasibility if row.key == "quality")
    assert ("Cost of errors vs the baseline warns: explained with the technical checks (-10)"
            in quality.reasons)
    assert "Cost of errors vs the baseline: warning, explained with the technical checks." in (
        report.risks)
    assert [row.summary for row in report.checks if row.title == check.title] == [check.summary]
    assert any(check.summary in reason for reason in result.estimate.feasibility["quality"].reasons)
