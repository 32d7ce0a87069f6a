"""Rare positives and task types: the answers change labels, scores, conditions, rules, tasks.

The predictive-maintenance story: vibration sensors on 40 machines, a few failures a year. A
supervised failure predictor must wait for its positive examples; an anomaly detector learns
normal behaviour and needs the failures only to check its alerts. Either way rare positives make
evaluation complicated, counted once.
"""

from __future__ import annotations

import pytest

from mlpm_core.assessment import run_estimate
from mlpm_core.breakdown import propose_tasks
from mlpm_core.feasibility import score_dimensions, technical_checks
from mlpm_core.rules import applicable_rules
from mlpm_core.scenario import Scenario, derived_facts
from tests.conftest import scenario_with

TRIALS, SEED = 5000, 7
# 700,000 sensor windows seen, 1 in 10,000 ends in a failure (70 known), 5 failures a year.
MAINTENANCE = {"labelled_available": 700_000, "labelled_needed": 1000,
               "positive_share": 0.0001, "positive_events_per_year": 5}


def maintenance(task_type: str = "classification", **data: object) -> Scenario:
    return scenario_with(project={"task_type": task_type}, data={**MAINTENANCE, **data})


def scores(scenario: Scenario) -> dict:
    return score_dimensions(scenario, technical_checks(scenario), None)


def test_a_rare_positive_class_raises_the_labels_needed():
    """To hold 100 positive examples at 1 in 10,000, a million cases must be labelled."""
    plain = scenario_with(data={"labelled_available": 0, "labelled_needed": 1000})
    rare = scenario_with(data={"labelled_available": 0, "labelled_needed": 1000,
                               "positive_share": 0.0001})
    assert (plain.data.label_gap, rare.data.label_gap) == (1000, 1_000_000)
    fewer = scenario_with(data={"labelled_available": 0, "labelled_needed": 1000,
                                "positive_share": 0.0001, "positives_needed": 20})
    assert fewer.data.label_gap == 200_000


def test_the_labelling_cost_follows_the_labels_a_rare_class_needs():
    """The labels still to obtain are paid for: the rare class multiplies the labelling cost."""
    base = {"labelled_available": 0, "labelled_needed": 1000, "label_cost": 0.5}
    costs = [run_estimate(scenario_with(data=data), trials=TRIALS, seed=SEED)
             .simulation.part_means["labelling"]
             for data in (base, {**base, "positive_share": 0.01})]
    assert costs == pytest.approx([500.0, 5000.0])


def test_years_to_collect_the_missing_positives_are_derived():
    """70 of 100 positives exist; 30 more at 5 a year take 6 years."""
    facts = derived_facts(maintenance())
    assert (facts["positives_available"], facts["positives_to_collect"],
            facts["years_to_collect_positives"], facts["rare_positives"]) == (70, 30, 6.0, True)
    assert derived_facts(Scenario())["years_to_collect_positives"] == 0.0
    assert derived_facts(Scenario())["rare_positives"] is False


def test_years_of_waiting_lower_the_data_score_and_say_why():
    """Six years of failures to wait for costs a supervised model 40 data points, in words."""
    without = scores(scenario_with(data={k: v for k, v in MAINTENANCE.items()
                                         if not k.startswith("positive")}))["data"]
    data = scores(maintenance())["data"]
    assert without.score - data.score == 40
    reason = next(reason for reason in data.reasons if "positive events at" in reason)
    assert "positive events at 5 a year" in reason and "30 more positive examples" in reason
    assert "6 years" in reason and "anomalies" in reason


def test_one_to_three_years_is_a_smaller_penalty():
    """At 15 a year the 30 missing positives take 2 years: 20 points, not 40."""
    two_years = scores(maintenance(positive_events_per_year=15))["data"]
    six_years = scores(maintenance())["data"]
    assert two_years.score - six_years.score == 20
    assert any("2 years" in reason for reason in two_years.reasons)


def test_a_supervised_model_waiting_for_positives_gets_a_pathfinder_condition():
    """Go is impossible until the missing failures are collected or the framing changes."""
    result = run_estimate(maintenance(), trials=TRIALS, seed=SEED)
    assert "positives_missing" in {blocker.id for blocker in result.decision.blockers}
    assert any("pathfinder" in condition and "anomaly detection" in condition
               for condition in result.decision.conditions)
    assert result.decision.decision != "go"


def test_anomaly_detection_waits_only_to_check_its_alerts():
    """An anomaly detector loses 10 data points instead of 40 and gets no pathfinder condition,
    but its difficulty says unsupervised learning is still hard."""
    supervised, anomaly = scores(maintenance()), scores(maintenance("anomaly_detection"))
    assert anomaly["data"].score - supervised["data"].score == 30
    assert any("checking its alerts" in reason for reason in anomaly["data"].reasons)
    assert any("unsupervised learning is still hard" in reason
               for reason in anomaly["difficulty"].reasons)
    assert not any("unsupervised" in reason for reason in supervised["difficulty"].reasons)
    result = run_estimate(maintenance("anomaly_detection"), trials=TRIALS, seed=SEED)
    assert "positives_missing" not in {blocker.id for blocker in result.decision.blockers}


def test_anomaly_detection_fires_its_rule_and_proposes_its_tasks():
    """The unsupervised rule (mlpm's judgement, said so) and the normal-behaviour tasks."""
    rules = {rule.id: rule for rule in applicable_rules(maintenance("anomaly_detection"))}
    assert rules["unsupervised_learning"].range_basis == "judgement"
    names = {task.name for task in propose_tasks(maintenance("anomaly_detection"))}
    assert "Alert thresholds tuned with domain experts" in names
    assert "Alert thresholds tuned with domain experts" not in {
        task.name for task in propose_tasks(maintenance())}


def test_time_series_forecasting_proposes_backtests():
    names = {task.name for task in propose_tasks(scenario_with(
        project={"task_type": "forecasting"}))}
    assert "Rolling-origin backtests (time-based splits)" in names
    assert "Rolling-origin backtests (time-based splits)" not in {
        task.name for task in propose_tasks(Scenario())}


@pytest.mark.parametrize("complexity", ["simple", "moderate", "complicated"])
def test_rare_positives_make_evaluation_complicated_counted_once(complexity):
    """Whatever the evaluation answer, rare positives cost the quality score exactly what a
    complicated evaluation costs, never both."""
    quality = {"evaluation_complexity": complexity}
    rare = scores(scenario_with(data={"positive_share": 0.001}, quality=quality))["quality"]
    complicated = scores(scenario_with(quality={"evaluation_complexity": "complicated"}))[
        "quality"]
    assert rare.score == complicated.score
    swing = [reason for reason in rare.reasons if "precision and recall swing" in reason]
    assert len(swing) == (0 if complexity == "complicated" else 1)
    if complexity == "moderate":  # on top of "moderate" only what complicated adds
        assert swing[0].endswith("complicated, not moderate. (-10)")


def test_rare_positives_share_the_evaluation_rule_group():
    """The rare-positives rule and the complicated-evaluation rule are one risk: same group,
    so the engine applies only the larger."""
    rules = {rule.id: rule for rule in applicable_rules(scenario_with(
        data={"positive_share": 0.001}, quality={"evaluation_complexity": "complicated"}))}
    assert rules["rare_positive_evaluation"].group == rules["complicated_evaluation"].group
    assert rules["rare_positive_evaluation"].range_basis == "judgement"


def test_a_common_positive_class_changes_no_score():
    """One case in five is not rare and a share alone sets no waiting time."""
    balanced = scores(scenario_with(data={"positive_share": 0.2}))
    assert {name: score.score for name, score in balanced.items()} == {
        name: score.score for name, score in scores(Scenario()).items()}


def test_a_share_either_side_of_one_percent_moves_the_estimate_a_little():
    """0.0101 against 0.0099 added 5% to the P50 effort and 7k to the P80 cost, cost 10 quality
    points and added a rule: rarity now fades in on a logarithmic ramp (half at 1%), so the
    two differ by under half a percent and a point, and a rarer class never scores better."""
    def estimate(share):
        document = scenario_with(data={"positive_share": share, "labelled_available": 20_000,
                                       "labelled_needed": 20_000}).model_dump(mode="json")
        document["tasks"] = [{"name": "Model", "phase": "experimentation",
                              "role": "data_scientist", "optimistic": 10, "most_likely": 20,
                              "pessimistic": 40}]
        return run_estimate(Scenario.model_validate(document), trials=5000, seed=2).estimate
    above, below = estimate(0.0101), estimate(0.0099)
    assert below.effort_days.p50 == pytest.approx(above.effort_days.p50, rel=0.005)
    assert abs(below.feasibility["quality"].score - above.feasibility["quality"].score) <= 1
    quality = [estimate(share).feasibility["quality"].score
               for share in (0.03, 0.02, 0.015, 0.01, 0.007, 0.005, 0.001)]
    assert quality == sorted(quality, reverse=True) and quality[0] - quality[-1] == 15


def test_labels_needed_for_a_rare_class_are_said_where_they_are_counted():
    """100 positives at a 0.5% share take 20,000 labelled cases, not the 8,000 answered: the
    labelling cost counted 20,000 while the reasons said 8,000. The data reasons now say
    where the figure comes from and use it."""
    reasons = scores(scenario_with(data={"positive_share": 0.005, "labelled_available": 6000,
                                         "labelled_needed": 8000}))["data"].reasons
    assert ("20,000 labelled cases are needed, not 8,000: at a positive share of 0.005 it "
            "takes that many cases labelled at random to hold the 100 positive examples "
            "needed (give the positive events a year if they can be picked out where they "
            "happen).") in reasons
    assert any(reason.startswith("Only 6,000 of the 20,000 labelled examples needed exist")
               for reason in reasons)


def test_positives_counted_a_year_are_picked_out_not_found_at_random():
    """A defect inspection: 20,000 labelled images needed, 1,000 defects among them needed,
    1 part in 200 defective, 10,000 defects a year in the reject bin. Labelled at random it
    takes 200,000 images to hold 1,000 defects; picked out where they happen it takes the
    20,000 (holding 100 defects) and the 900 more defects beside them."""
    inspection = {"labelled_available": 3000, "labelled_needed": 20_000,
                  "positive_share": 0.005, "positives_needed": 1000}
    at_random = scenario_with(data=inspection)
    picked = scenario_with(data={**inspection, "positive_events_per_year": 10_000})
    assert (at_random.data.labels_needed, picked.data.labels_needed) == (200_000, 20_900)
    assert picked.data.labels_to_buy == 17_900
    assert derived_facts(picked)["positives_picked_out"] is True
    assert derived_facts(at_random)["positives_picked_out"] is False
    reasons = scores(picked)["data"].reasons
    assert ("20,900 labelled cases are needed, not 20,000: the positive examples that cases "
            "labelled at random would lack (of the 1,000 needed, at a share of 0.005) are picked "
            "out as they happen (positive events a year: 10,000) and labelled beside them."
            ) in reasons
    assert not any("it takes that many cases" in reason for reason in reasons)


def test_positives_missing_from_more_labels_than_needed_are_still_labelled_and_paid():
    """25,000 labelled in hand, more than the 20,000 needed, hold 125 of the 3,000 defects
    needed: the 2,875 others are picked out and labelled (they had been left unpaid, the
    gap being counted against the 20,000 alone)."""
    plenty = scenario_with(data={"labelled_available": 25_000, "labelled_needed": 20_000,
                                 "positive_share": 0.005, "positives_needed": 3000,
                                 "positive_events_per_year": 10_000})
    assert plenty.data.labels_needed == 27_875
    assert plenty.data.labels_to_buy == 2_875


def test_positives_that_cannot_be_labelled_are_not_said_to_be_picked_out():
    """With no way to obtain labels, the reasons say so, not that positives are labelled."""
    stuck = scenario_with(data={"labelled_available": 3000, "labelled_needed": 20_000,
                                "positive_share": 0.005, "positives_needed": 1000,
                                "positive_events_per_year": 10_000,
                                "labels_obtainable": False})
    reasons = scores(stuck)["data"].reasons
    assert not any("picked out" in reason for reason in reasons)


def test_picked_out_positives_already_held_by_the_examples_add_no_labels():
    """At a 10% share 20,000 examples hold 2,000 positives, more than the 1,000 needed."""
    common = scenario_with(data={"labelled_available": 0, "labelled_needed": 20_000,
                                 "positive_share": 0.1, "positives_needed": 1000,
                                 "positive_events_per_year": 500})
    assert common.data.labels_needed == 20_000
