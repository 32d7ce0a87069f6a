"""Feasibility: five dimensions scored from data-file penalties, checks and the simulation."""

import json
from itertools import pairwise

import pytest
from pydantic import ValidationError

from mlpm_core.errors import UserError
from mlpm_core.feasibility.outcome import Outcome
from mlpm_core.feasibility.scoring import (
    DIMENSIONS,
    DimensionScore,
    FeasibilityModel,
    fill,
    flatten,
    level_for,
    load_feasibility_model,
    placeholders,
    score_dimensions,
    scoring_context,
)
from mlpm_core.feasibility.technical import TechnicalCheck
from mlpm_core.scenario.model import Scenario
from mlpm_core.success import success_probability
from tests.conftest import scenario_with

GOOD_OUTCOME = Outcome(p_npv_positive=0.95, cost_at_percentile=50_000,
                       duration_weeks_at_percentile=10, cost_p50=40_000, npv_p50=1e6)


def check(status: str, check_id: str = "latency") -> TechnicalCheck:
    """A technical check with a given status."""
    return TechnicalCheck(check_id, "Latency vs target", status, "It is slow.")


def test_keys_are_exactly_the_five_dimensions_in_order():
    """score_dimensions returns data, difficulty, quality, technical and cost."""
    scores = score_dimensions(Scenario(), [], GOOD_OUTCOME)
    assert list(scores) == ["data", "difficulty", "quality", "technical", "cost"]
    assert tuple(scores) == DIMENSIONS


def test_default_scenario_scores_from_its_unanswered_questions():
    """Defaults lose points for unknown features and cleanliness, no threshold, etc."""
    scores = score_dimensions(Scenario(), [], GOOD_OUTCOME)
    # data: few labels 15, features unknown 10, cleanliness unknown 10, unversioned 5
    assert scores["data"].score == 60
    # difficulty: only similar problems solved 15
    assert scores["difficulty"].score == 85
    # quality: no threshold 20, no baseline 10, error costs unknown 5
    assert scores["quality"].score == 65
    assert scores["technical"].score == 100 and scores["cost"].score == 100
    [reason] = scores["technical"].reasons
    # other dimensions' checks may warn meanwhile: the reason must not claim they passed
    assert reason.startswith("Every serving check") and "count under prediction quality" in reason


@pytest.mark.parametrize(("score", "level"), [
    (100, "green"), (70, "green"), (69, "amber"), (40, "amber"), (39, "red"), (0, "red")])
def test_traffic_light_cut_offs_come_from_the_data_file(score, level):
    """Green from 70, amber from 40, red below (feasibility.toml [levels])."""
    levels = load_feasibility_model().levels
    assert (levels.green, levels.amber) == (70, 40)
    assert level_for(score) == level


def test_penalty_reason_shows_the_numbers_and_points():
    """Labels that cannot be obtained cost the data dimension 60 points, with the gap in words."""
    s = scenario_with(data={"labels_obtainable": False, "labelled_available": 200,
                            "labelled_needed": 5000, "features_at_serving": "all",
                            "cleanliness": "clean", "versioning": True})
    data = score_dimensions(s, [], GOOD_OUTCOME)["data"]
    assert data.score == 40 and data.level == "amber"
    assert data.reasons == ["4,800 more labelled examples are needed and there is no way to "
                            "obtain them. (-60)"]


def test_score_never_drops_below_zero():
    """Many penalties together floor the score at 0 (red)."""
    s = scenario_with(data={"labels_obtainable": False, "features_at_serving": "some",
                            "personal_data": True, "legal_basis": "none", "cleanliness": "dirty"})
    data = score_dimensions(s, [], GOOD_OUTCOME)["data"]
    assert data.score == 0 and data.level == "red"


def test_percentage_placeholder_in_a_reason():
    """{difficulty.human_success_rate:%} shows 60%, not 0.6."""
    s = scenario_with(difficulty={"human_success_rate": 0.6})
    reasons = score_dimensions(s, [], GOOD_OUTCOME)["difficulty"].reasons
    assert "Done by people today, it is good enough only 60% of the time. (-15)" in reasons


def test_a_ramped_penalty_costs_points_in_proportion_to_the_answer():
    """People right 70% of the time: half the 15 points (7.5, rounded to 8); at 80% or more,
    none and no reason (the default "only similar problems solved" costs 15 either way)."""
    half = score_dimensions(scenario_with(difficulty={"human_success_rate": 0.7}), [],
                            GOOD_OUTCOME)["difficulty"]
    none = score_dimensions(scenario_with(difficulty={"human_success_rate": 0.8}), [],
                            GOOD_OUTCOME)["difficulty"]
    assert none.score - half.score == 8
    assert half.reasons[-1].endswith("(15 points in all; none at 80%, all of it at 60% or "
                                     "less). (-8)")
    assert len(none.reasons) == len(half.reasons) - 1


@pytest.mark.parametrize(("available", "said"), [
    (0, "None of the 600 labelled examples needed exist yet; all of them must be labelled "
        "first. (-15)"),
    (100, "Only 100 of the 600 labelled examples needed exist; the rest must be labelled "
          "first. (-15)")])
def test_no_labels_at_all_reads_none_not_only_zero(available, said):
    """'Only 0 of the 600 labelled examples needed exist' (the RAG example) read as a slip:
    nothing in hand is said as none, at the same points as a few."""
    s = scenario_with(data={"labelled_available": available, "labelled_needed": 600})
    assert said in score_dimensions(s, [], GOOD_OUTCOME)["data"].reasons


@pytest.mark.parametrize(("dimension", "answer", "lo", "hi"), [
    ("difficulty", lambda x: {"difficulty": {"human_success_rate": x}}, 0.5, 0.9),
    ("difficulty", lambda x: {"difficulty": {"research_share": x}}, 0.0, 0.6),
    ("quality", lambda x: {"quality": {"p_reach_threshold": x}}, 0.1, 0.6),
    ("quality", lambda x: {"quality": {"acceptability_threshold": x, "baseline_value": 0.8}},
     0.81, 0.95),
    ("data", lambda x: {"data": {"labelled_available": int(x), "labelled_needed": 1000}},
     300, 700),
])
def test_no_answer_costs_a_dimension_more_than_two_points_per_step(dimension, answer, lo, hi):
    """Across 100 even steps of each ramped answer the score moves by at most 2 points a step
    (the steepest, research at 30 points over 0.5, moves 0.36 a step, so 2 allows for rounding)
    and covers its whole penalty: where a line used to cost 15 or 30 points at once."""
    scores = [score_dimensions(scenario_with(**answer(lo + (hi - lo) * i / 100)), [],
                               GOOD_OUTCOME)[dimension].score for i in range(101)]
    assert max(abs(a - b) for a, b in pairwise(scores)) <= 2
    assert max(scores) - min(scores) >= 15


def test_failed_and_warned_checks_cost_the_technical_dimension():
    """A failed check costs 35 points and a warning 10, each with the check's summary."""
    scores = score_dimensions(Scenario(), [check("fail"), check("warn", "servers"),
                                           check("ok", "memory")], GOOD_OUTCOME)
    assert scores["technical"].score == 100 - 35 - 10
    assert scores["technical"].reasons[0] == "Latency vs target failed: It is slow. (-35)"


def test_inference_cost_check_counts_against_cost_not_technical():
    """Inference that costs more than it earns is a cost problem (check_dimension mapping)."""
    scores = score_dimensions(Scenario(), [check("fail", "inference_cost")], GOOD_OUTCOME)
    assert scores["technical"].score == 100
    assert scores["cost"].score == 65


def cost_lost(p_npv: float = 0.95, budget_ratio: float = 0.5,
              deadline_ratio: float = 0.5) -> int:
    """Points the cost dimension loses for these three figures (budget 100k, deadline 10 weeks)."""
    s = scenario_with(project={"budget": 100_000, "deadline_weeks": 10})
    outcome = Outcome(p_npv, 100_000 * budget_ratio, 10 * deadline_ratio, 1.0, 0.0)
    return 100 - score_dimensions(s, [], outcome)["cost"].score


@pytest.mark.parametrize(("measure", "steps"), [
    ("p_npv", [(0.7, 0, 15), (0.5, 15, 30), (0.3, 30, 50)]),
    ("budget_ratio", [(0.9, 0, 5), (1.0, 5, 30), (1.5, 30, 45)]),
    ("deadline_ratio", [(0.9, 0, 5), (1.0, 5, 20), (1.5, 20, 35)])])
def test_the_cost_score_passes_through_the_middle_of_each_step_it_replaced(measure, steps):
    """P(NPV > 0) under 0.7 / 0.5 / 0.3 cost 15 / 30 / 50 points, the budget ratio over
    0.9 / 1.0 / 1.5 cost 5 / 30 / 45 and the deadline's 5 / 20 / 35. At each old line the curve
    gives the middle of the step (to the whole point), so on average it costs what it did."""
    for line, before, after in steps:
        assert abs(cost_lost(**{measure: line}) - (before + after) / 2) <= 0.5, line


@pytest.mark.parametrize("measure", ["p_npv", "budget_ratio", "deadline_ratio"])
def test_a_point_more_of_a_cost_figure_never_moves_the_score_by_a_step(measure):
    """Across 0 to 2 in steps of 0.01 the cost score moves by at most 2 points a step (it
    jumped 15 to 25 at each line), and it never rises as the figure gets worse."""
    values = [step / 100 for step in range(201)]
    lost = [cost_lost(**{measure: value}) for value in values]
    if measure == "p_npv":
        lost.reverse()  # a lower chance is worse
    assert max(abs(b - a) for a, b in pairwise(lost)) <= 2
    assert lost == sorted(lost)


def test_cost_dimension_from_budget_and_deadline_at_the_percentile():
    """P80 cost 1.2x the budget costs 26 points and P80 duration 2x the deadline 35 (the
    curve's flat end); the reasons say how far over each is."""
    s = scenario_with(project={"budget": 300_000, "deadline_weeks": 10})
    outcome = Outcome(p_npv_positive=0.9, cost_at_percentile=360_000,
                      duration_weeks_at_percentile=20, cost_p50=250_000, npv_p50=1.0)
    cost = score_dimensions(s, [], outcome)["cost"]
    assert cost.score == 100 - 26 - 35
    assert cost.reasons == [
        "P80 cost USD 360k is above the USD 300k budget (120% of it). (-26)",
        "P80 duration 20 weeks is more than 1.5 times the 10-week deadline. (-35)",
    ]


def test_cost_with_room_in_the_budget_costs_nothing_and_says_nothing():
    """Under 85% of the budget and the deadline, and P(NPV > 0) of 80% or more, no points are
    lost, so no reason is listed: the cost dimension shows its all-clear."""
    assert cost_lost(p_npv=0.8, budget_ratio=0.85, deadline_ratio=0.85) == 0
    s = scenario_with(project={"budget": 100_000, "deadline_weeks": 10})
    cost = score_dimensions(s, [], Outcome(0.8, 85_000, 8.5, 1.0, 0.0))["cost"]
    assert cost.reasons == [load_feasibility_model().ok_reason["cost"]]


def test_without_an_outcome_the_cost_dimension_says_it_is_not_simulated():
    """No simulation yet: no outcome penalties, and the reason says why."""
    cost = score_dimensions(Scenario(), [], None)["cost"]
    assert cost.score == 100 and cost.reasons[0].startswith("Not simulated yet")


def test_dimension_score_serialises_to_json():
    """to_json gives exactly score, level and reasons."""
    score = score_dimensions(Scenario(), [], GOOD_OUTCOME)["data"]
    assert set(score.to_json()) == {"score", "level", "reasons"}
    json.dumps(score.to_json())


def test_outcome_reasons_are_ordered_severest_first():
    """Per measure the first matching reason is said, so limits must run from the severest."""
    entries = load_feasibility_model().outcome_reason
    for measure in ("p_npv_positive", "budget_ratio", "deadline_ratio"):
        rows = [entry for entry in entries if entry.measure == measure]
        assert rows, measure
        limits = [entry.below if entry.below is not None else -entry.above for entry in rows]
        assert limits == sorted(limits)


@pytest.mark.parametrize(("corners", "error"), [
    ([[0.5, 10]], "at least two corners"), ([[0.5, 10], [0.4, 0]], "rise along the measure"),
    ([[0.5, 10], [0.6, 120]], "0 to 100")])
def test_a_malformed_outcome_curve_is_refused_with_its_reason(corners, error):
    """An edited data file with a curve that cannot be read says what is wrong with it."""
    data = load_feasibility_model().model_dump(mode="json")
    data["outcome_curve"]["budget_ratio"] = corners
    with pytest.raises(ValidationError, match=error):
        FeasibilityModel.model_validate(data)


def test_every_reason_placeholder_names_a_known_field():
    """Scenario placeholders exist in the condition context; outcome ones are the listed names."""
    known = set(flatten(scoring_context(Scenario())))
    model = load_feasibility_model()
    for entry in model.penalty:
        assert set(placeholders(entry.reason)) <= known, entry.id
    outcome_names = {"p_npv_positive", "percentile", "cost", "budget", "weeks", "deadline",
                     "ratio"}
    for entry in model.outcome_reason:
        assert set(placeholders(entry.reason)) <= outcome_names, entry.reason


def test_fill_refuses_an_unknown_placeholder():
    """A typo in a data-file placeholder is reported, never shown to the user as braces."""
    with pytest.raises(UserError, match="unknown placeholder"):
        fill("{data.labeled_needed} labels", {"data.labelled_needed": 5})


@pytest.mark.parametrize(("threshold", "baseline", "shown"), [
    (0.9, 0.6, "0.1 against the least known today, 0.4"),
    (0.95, 0.8, "0.05 against the least known today, 0.2")])
def test_a_threshold_halving_the_error_names_both_errors_not_the_baseline_value(
        threshold, baseline, shown):
    """For a 0-1 score where higher is better the error is 1 - value: 0.95 against a baseline
    of 0.8 allows an error of 0.05 against the baseline's 0.2 (the reason used to call the
    baseline's value its error)."""
    s = scenario_with(quality={"acceptability_threshold": threshold, "baseline_value": baseline})
    reasons = score_dimensions(s, [], GOOD_OUTCOME)["quality"].reasons
    halving = [reason for reason in reasons if "allows an error" in reason]
    assert len(halving) == 1, reasons
    assert f"error (1 - its share) of {shown} (the baseline's or people's by hand)." in halving[
        0].replace("\u2212", "-"), halving[0]


@pytest.mark.parametrize(("people", "penalised"), [(None, True), (0.95, False), (0.85, True)])
def test_the_quality_score_measures_the_bar_against_the_least_error_known_today(people,
                                                                                penalised):
    """A 0.92 threshold over keyword rules at 0.80 took 15 points where analysts are right 95%
    of the time by hand, a bar the chance of success counts as none: the score now measures it,
    as the chance does, against the least error known today (people's 0.05 allow the
    threshold's 0.08 in full; analysts at 0.85, an error of 0.15, still make it a bar)."""
    s = scenario_with(difficulty={"human_success_rate": people},
                      quality={"acceptability_threshold": 0.92, "baseline_value": 0.8,
                               "metric": "accuracy"})
    reasons = score_dimensions(s, [], GOOD_OUTCOME)["quality"].reasons
    assert any("allows an error" in reason for reason in reasons) is penalised, reasons


def test_a_clean_technical_score_names_the_checks_that_could_not_run():
    """'Every serving check passed' only when each one ran: a check without its inputs (n/a)
    is named, so a green light is not read as a latency that was checked."""
    def check(check_id: str, status: str) -> TechnicalCheck:
        return TechnicalCheck(id=check_id, title=f"Check {check_id}", status=status, summary="")

    ran = score_dimensions(Scenario(), [check("latency", "ok"), check("memory", "ok")], None)
    assert ran["technical"].reasons[0].startswith("Every serving check")
    partly = score_dimensions(Scenario(), [check("latency", "ok"), check("memory", "n/a"),
                                           check("error_costs", "n/a")], None)
    [reason] = partly["technical"].reasons
    assert reason == ("No serving check failed or warned; not checked, for want of the inputs "
                      "they need: Check memory.")
    assert partly["technical"].score == 100


@pytest.mark.parametrize("baseline", [0.0, 0.01])
def test_a_baseline_of_nothing_is_a_bar_like_a_baseline_of_almost_nothing(baseline):
    """A baseline of 0 (nothing today) had escaped the comparison that 0.01 met in full, so
    stating 0 beat both 0.01 and a blank: a threshold of 0.85 allows 15% of its error either
    way, and costs the same points."""
    s = scenario_with(quality={"acceptability_threshold": 0.85, "baseline_value": baseline})
    reasons = score_dimensions(s, [], GOOD_OUTCOME)["quality"].reasons
    [halving] = [reason for reason in reasons if "allows an error" in reason]
    assert halving.endswith("(-15)"), halving

def test_a_cost_a_hair_over_the_budget_does_not_read_as_the_budget_itself():
    """'P80 cost EUR 128k is above the EUR 128k budget (100% of it)' read as a contradiction:
    the share gets a decimal where a whole percent would say 100."""
    s = scenario_with(project={"budget": 128_000})
    cost = score_dimensions(s, [], Outcome(0.95, 128_400, 10, 100_000, 1.0))["cost"]
    assert any("(100.3% of it)" in reason for reason in cost.reasons), cost.reasons


def test_a_teams_chance_costs_only_what_it_falls_below_the_answers():
    """The same chance scores the same whether the answers give it or the team writes it
    down: the answers' own risks already cost their dimensions, so the team's chance loses
    quality points only for how far it falls below the answers' (30 points at 50 below)."""
    difficulty = {"adversaries": True, "solved_before": "public_solution"}
    derived = success_probability(scenario_with(difficulty=difficulty)).p
    def quality(own: float | None) -> DimensionScore:
        scenario = scenario_with(difficulty=difficulty, quality={"p_reach_threshold": own})
        return score_dimensions(scenario, [], GOOD_OUTCOME)["quality"]
    assert quality(round(derived, 2)).score == quality(None).score
    assert quality(0.95).score == quality(None).score  # above the answers: no points
    lower = quality(derived - 0.25)
    assert lower.score == quality(None).score - 15
    assert (f"below the {derived:.0%} the answers alone give: a risk the answers do not name"
            ) in lower.reasons[-1]
    assert derived > 0.6 and quality(derived - 0.6).score == quality(None).score - 30
