"""Workshop aggregation, pure: aggregate, spread, outliers, answers, input checks, adoption plan.

The hand-computed examples use six ranges whose centres (PERT means) are 7/6, 3, 4, 4.5, 5 and
13; numpy's linear quartiles of those are Q1 = 3.25, median = 4.25, Q3 = 4.875.
"""

from __future__ import annotations

import math
import typing

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from mlpm_core.errors import UserError
from mlpm_core.scenario.model import Scenario
from mlpm_core.workshop.aggregate import (
    RISK_QUESTIONS,
    RiskAnswers,
    TaskEstimate,
    ThreePoint,
    aggregate,
    checked_display_name,
    checked_estimates,
    checked_key,
    checked_title,
    outliers,
    question_text,
    spread,
    summarise_answers,
)
from mlpm_core.workshop.rounds import SubmittedRange, plan_adoption, summarise_round

SIX = [ThreePoint(1, 1, 2), ThreePoint(3, 4, 5), ThreePoint(3, 4, 8), ThreePoint(4, 5, 6),
       ThreePoint(10, 12, 20), ThreePoint(2, 3, 4)]


def test_aggregate_is_the_median_of_each_point():
    """Six ranges aggregate to the medians 3 / 4 / 5.5, whatever their order."""
    assert aggregate(SIX) == ThreePoint(3, 4, 5.5)
    assert aggregate(SIX[::-1]) == ThreePoint(3, 4, 5.5)
    assert aggregate(SIX[:5]) == ThreePoint(3, 4, 6)
    assert aggregate([ThreePoint(2, 3, 9)]) == ThreePoint(2, 3, 9)
    with pytest.raises(ValueError):
        aggregate([])


def test_one_wild_range_does_not_drag_the_aggregate():
    """Adding a 100x range to four close ones moves each median to the next order statistic."""
    close = [ThreePoint(2, 3, 5), ThreePoint(2, 3, 6), ThreePoint(3, 4, 6), ThreePoint(3, 4, 7)]
    assert aggregate([*close, ThreePoint(200, 300, 500)]) == ThreePoint(3, 4, 6)


def test_spread_of_the_six_ranges():
    """Envelope 1-20, most likely 1-12, quartiles of centres 3.25 / 4.25 / 4.875: 'some'."""
    result = spread(SIX)
    assert (result.low, result.high) == (1, 20)
    assert (result.most_likely_low, result.most_likely_high) == (1, 12)
    assert result.q1 == pytest.approx(3.25)
    assert result.median == pytest.approx(4.25)
    assert result.q3 == pytest.approx(4.875)
    assert result.relative == pytest.approx(1.625 / 4.25)
    assert result.agreement == "some"
    assert spread([ThreePoint(4, 5, 6)] * 3).agreement == "close"
    assert spread([ThreePoint(0, 0, 0)] * 2).relative == 0


def test_outliers_miss_the_middle_range_of_centres():
    """In the six, (1, 1, 2) ends below Q1 = 3.25 (low) and (10, 12, 20) starts above Q3 (high)."""
    assert outliers(SIX) == {0: "low", 4: "high"}


def test_a_range_touching_the_middle_range_is_not_an_outlier():
    """With centres 3, 4, 4.5, 5, 13, Q1 is exactly 4: a range ending at 4 touches it."""
    five = [ThreePoint(2, 3, 4), ThreePoint(3, 4, 5), ThreePoint(3, 4, 8), ThreePoint(4, 5, 6),
            ThreePoint(10, 12, 20)]
    assert spread(five).q1 == 4
    assert outliers(five) == {4: "high"}


def test_fewer_than_three_ranges_have_no_outliers():
    """Two far-apart people are not outliers; with three, the odd one out is."""
    assert outliers([ThreePoint(1, 1, 1), ThreePoint(50, 60, 70)]) == {}
    assert outliers([ThreePoint(1, 1, 1), ThreePoint(1, 1, 1), ThreePoint(10, 10, 10)]) == {
        2: "high"}
    assert outliers([ThreePoint(5, 5, 5)] * 4) == {}


ordered = st.lists(st.floats(0, 1e5, allow_nan=False), min_size=3, max_size=3).map(
    lambda points: ThreePoint(*sorted(points)))


@given(st.lists(ordered, min_size=1, max_size=30))
def test_aggregate_lies_within_the_submissions_and_stays_ordered(ranges):
    """Each aggregated point is within the min and max of that point, and o <= m <= p."""
    result = aggregate(ranges)
    for point in ("optimistic", "most_likely", "pessimistic"):
        values = [getattr(r, point) for r in ranges]
        assert min(values) <= getattr(result, point) <= max(values)
    assert result.optimistic <= result.most_likely <= result.pessimistic
    assert aggregate(ranges[::-1]) == result


@example([ThreePoint(1.4, 1.4, 1.4)] * 3)  # the PERT mean rounded above 1.4: all outliers
@given(st.lists(ordered, min_size=1, max_size=30))
def test_a_range_containing_the_median_centre_is_never_an_outlier(ranges):
    """Outliers are a strict subset of ranges missing [Q1, Q3], which holds the median centre."""
    median = spread(ranges).median
    for index in outliers(ranges):
        r = ranges[index]
        assert not r.optimistic <= median <= r.pessimistic
    assert len(outliers(ranges)) < len(ranges)


def test_answers_summarise_to_a_mode_a_median_or_no_consensus():
    """Categorical answers take the single most common choice, a tie none; numbers the median."""
    sets = [RiskAnswers(data_complexity="complex", data_cleanliness="dirty",
                        quality_p_reach_threshold=0.5, difficulty_adversaries=True),
            RiskAnswers(data_complexity="complex", data_cleanliness="clean",
                        quality_p_reach_threshold=0.9),
            RiskAnswers(data_complexity="simple", quality_p_reach_threshold=0.6)]
    by_field = {s.field: s for s in summarise_answers(sets)}
    assert set(by_field) == {"data_complexity", "data_cleanliness",
                             "quality_p_reach_threshold", "difficulty_adversaries"}
    assert by_field["data_complexity"].consensus == "complex"
    assert by_field["data_complexity"].counts == (("complex", 2), ("simple", 1))
    assert by_field["data_cleanliness"].consensus is None  # one "dirty", one "clean"
    assert by_field["quality_p_reach_threshold"].consensus == 0.6
    assert by_field["difficulty_adversaries"].answered == 1
    assert by_field["difficulty_adversaries"].path == "difficulty.adversaries"
    assert summarise_answers([RiskAnswers()]) == []


def _choices(annotation: object) -> set[object]:
    """The values an annotation allows (None left out): literals, both booleans, or 'number'."""
    if typing.get_origin(annotation) is typing.Literal:
        return set(typing.get_args(annotation))
    if annotation is bool:
        return {True, False}
    if annotation is float:
        return {"number"}
    return set().union(*(_choices(arg) for arg in typing.get_args(annotation)))


def test_every_risk_question_is_a_scenario_field_with_the_same_choices():
    """Each RiskAnswers field names a scenario field and allows exactly its values."""
    scenario = Scenario()
    for field, path in RISK_QUESTIONS.items():
        section, name = path.split(".")
        model = type(getattr(scenario, section))
        assert name in model.model_fields, path
        ours = _choices(RiskAnswers.model_fields[field].annotation)
        theirs = _choices(model.model_fields[name].annotation)
        assert ours == theirs, path
        assert question_text(field)


def test_estimate_checks_give_readable_errors():
    """Unknown, repeated, misordered, negative, NaN, boolean and huge estimates are refused."""
    tasks = ["Label data", "Train"]
    assert checked_estimates([TaskEstimate("Train", 1, 2, 3)], tasks) == [
        TaskEstimate("Train", 1.0, 2.0, 3.0)]
    assert checked_estimates((), tasks) == []
    cases = {
        "no task 'Deploy'": [TaskEstimate("Deploy", 1, 2, 3)],
        "estimated twice": [TaskEstimate("Train", 1, 2, 3), TaskEstimate("Train", 1, 2, 3)],
        "optimistic <= most likely <= pessimistic, got 5 / 3 / 9": [
            TaskEstimate("Label data", 5, 3, 9)],
        "between 0 and 100,000 days, got -1": [TaskEstimate("Train", -1, 2, 3)],
        "got nan": [TaskEstimate("Train", 1, 2, math.nan)],
        "got 1e+06": [TaskEstimate("Train", 1, 2, 1e6)],
        "must be a number": [TaskEstimate("Train", True, 2, 3)],  # type: ignore[arg-type]
        "must be a TaskEstimate": [("Train", 1, 2, 3)],
    }
    for message, estimates in cases.items():
        with pytest.raises(UserError, match=message.replace("(", r"\(").replace("+", r"\+")):
            checked_estimates(estimates, tasks)
    with pytest.raises(UserError, match="list"):
        checked_estimates("Train", tasks)


def test_user_text_is_kept_exactly_or_refused():
    """Names and titles come back unchanged; blank, over-long or control characters are refused."""
    for name in ("  Ada  ", "<script>alert(1)</script>", "Robert'); DROP TABLE rooms;--", "名前"):
        assert checked_display_name(name) == name
    assert checked_title("Q3 estimate: churn") == "Q3 estimate: churn"
    for bad in ("", "   ", "x" * 61, "a\nb", "nul\x00", "\ud800", None, 7):
        with pytest.raises(UserError):
            checked_display_name(bad)
    with pytest.raises(UserError, match="at most 200"):
        checked_title("t" * 201)
    assert checked_key("0f1e2d3c") == "0f1e2d3c"
    for bad in ("", "k" * 101, "tab\tkey", 12):
        with pytest.raises(UserError):
            checked_key(bad)


def _row(pid: str, number: int, name: str, task: str, o: float, m: float, p: float):
    return SubmittedRange(pid, number, name, task, o, m, p)


def test_round_summary_labels_orders_and_marks_the_viewer():
    """Entries follow joining order, say 'Participant N' unless names are shown, mark the viewer."""
    rows = [_row("b", 2, "Bob", "Train", 2, 3, 4), _row("a", 1, "Ada", "Train", 1, 2, 3),
            _row("c", 3, "Cy", "Train", 9, 10, 11)]
    answers = [("a", RiskAnswers(data_size="big")), ("d", RiskAnswers())]
    hidden = summarise_round(1, ["Train", "Deploy"], rows, answers, names=False, viewer_id="b")
    train, deploy = hidden.tasks
    assert [e.label for e in train.entries] == ["Participant 1", "Participant 2", "Participant 3"]
    assert [e.is_you for e in train.entries] == [False, True, False]
    assert [e.outlier for e in train.entries] == [None, None, "high"]
    assert train.aggregate == ThreePoint(2, 3, 4)
    assert deploy.entries == () and deploy.aggregate is None and deploy.spread is None
    # one person's answer is not the group's: counted, but no consensus to adopt
    assert hidden.participants == 3 and hidden.answers[0].counts == (("big", 1),)
    assert hidden.answers[0].consensus is None
    two = summarise_round(1, ["Train"], rows, [*answers, ("b", RiskAnswers(data_size="big"))],
                          names=False)
    assert two.answers[0].consensus == "big"
    shown = summarise_round(1, ["Train"], rows, [], names=True)
    assert [e.label for e in shown.tasks[0].entries] == ["Ada", "Bob", "Cy"]


def _scenario(*names: str) -> Scenario:
    return Scenario.model_validate({"tasks": [
        {"name": n, "phase": "planning", "role": "ml_engineer", "optimistic": 1,
         "most_likely": 1, "pessimistic": 1} for n in names]})


def test_adoption_plan_writes_aggregates_and_consensus_answers_only():
    """Estimated tasks take the medians, missing ones are skipped, tied answers stay unchanged."""
    rows = [_row("a", 1, "Ada", "Train", 2, 4, 8), _row("b", 2, "Bob", "Train", 4, 6, 12),
            _row("a", 1, "Ada", "Gone", 1, 2, 3)]
    answers = [("a", RiskAnswers(data_size="big", data_cleanliness="dirty")),
               ("b", RiskAnswers(data_size="big", data_cleanliness="clean"))]
    round_view = summarise_round(2, ["Train", "Label", "Gone"], rows, answers, names=False)
    plan = plan_adoption(_scenario("Label", "Train"), round_view)
    label, train = plan.scenario.tasks
    assert (train.optimistic, train.most_likely, train.pessimistic) == (3, 5, 10)
    assert (label.optimistic, label.most_likely, label.pessimistic) == (1, 1, 1)
    assert [(t.name, t.participants) for t in plan.tasks] == [("Train", 2)]
    assert plan.skipped_tasks == ("Gone",)
    assert [(a.path, a.value) for a in plan.answers] == [("data.size", "big")]
    assert plan.scenario.data.size == "big" and plan.scenario.data.cleanliness == "unknown"
    assert plan_adoption(_scenario("Train"), round_view, include_answers=False).answers == ()
    with pytest.raises(UserError, match="2 tasks named 'Train'"):
        plan_adoption(_scenario("Train", "Train"), round_view)


def test_in_a_room_of_three_a_range_apart_from_the_other_two_is_an_outlier():
    """12-18-30, 10-15-25 and 40-60-90: the wild range pulled Q3 up to 40.3 and so touched the
    middle range; it touches neither other range, which do touch each other: it is flagged."""
    three = [ThreePoint(12, 18, 30), ThreePoint(10, 15, 25), ThreePoint(40, 60, 90)]
    assert spread(three).q3 > 40  # the quartile rule alone misses it
    assert outliers(three) == {2: "high"}
    low = [ThreePoint(40, 50, 60), ThreePoint(45, 55, 70), ThreePoint(2, 3, 5)]
    assert outliers(low) == {2: "low"}


def test_ranges_that_all_stand_apart_or_pair_up_are_not_outliers():
    """Nobody is out of line with a majority that does not exist: when most ranges touch no
    other, or the room splits into two camps, the isolation rule flags nobody."""
    apart = [ThreePoint(1, 3, 5), ThreePoint(5.5, 6, 7), ThreePoint(7.5, 9, 11)]
    assert outliers(apart) == {}  # each touches the middle range, none touches another
    camps = [ThreePoint(1, 1, 2), ThreePoint(1, 2, 2), ThreePoint(10, 10, 11),
             ThreePoint(10, 11, 11)]
    assert outliers(camps) == {}
