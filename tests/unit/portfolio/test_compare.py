"""Portfolio review: comparison rows, ranking, the impact x feasibility matrix, what-if copies."""

from __future__ import annotations

import statistics

import pytest
import vl_convert

from mlpm_core.assessment.run import run_estimate
from mlpm_core.charts.specs import to_altair
from mlpm_core.errors import UserError
from mlpm_core.portfolio import compare as portfolio
from mlpm_core.portfolio.charts import impact_feasibility_matrix_spec
from mlpm_core.portfolio.compare import (
    QUADRANTS,
    checked_selection,
    matrix_points,
    portfolio_rows,
    quadrant,
    ranked,
    unique_labels,
    what_if,
)
from mlpm_core.scenario.document import load_scenario
from mlpm_core.store.memory import InMemoryScenarioRepository
from tests.conftest import EXAMPLES, EXAMPLES_DIR

HOSTILE = "<script>alert(1)</script> & \"quotes\" {{datum.x}}"


@pytest.fixture(scope="module")
def results():
    """The three shipped examples, simulated quickly, keyed by name."""
    found = {}
    for path in EXAMPLES:
        scenario = load_scenario(path)
        found[scenario.project.name] = run_estimate(scenario, trials=5000, seed=7)
    assert len(found) == 3
    return found


@pytest.fixture(scope="module")
def rows(results):
    return portfolio_rows(results, ids={name: f"id-{n}" for n, name in enumerate(results)})


def layers_with(spec: dict, mark: str) -> list[dict]:
    return [layer for layer in spec["layer"] if layer["mark"]["type"] == mark]


# ------------------------------------------------------------------------------ rows
def test_rows_carry_each_estimates_key_figures(results, rows):
    """Each row has the estimate's decision, P50/P80 effort, duration and cost, NPV and P(NPV>0)."""
    assert [row.label for row in rows] == list(results)
    for row, result in zip(rows, results.values(), strict=True):
        estimate = result.estimate
        assert row.decision == estimate.decision and row.name == result.scenario.project.name
        assert (row.effort_p50, row.effort_p80) == (estimate.effort_days.p50,
                                                    estimate.effort_days.p80)
        assert (row.duration_p50, row.duration_p80) == (estimate.duration_weeks.p50,
                                                        estimate.duration_weeks.p80)
        assert (row.cost_p50, row.cost_p80) == (estimate.cost.p50, estimate.cost.p80)
        assert row.npv_mean == estimate.npv.mean and row.p_npv_positive == estimate.p_npv_positive
        assert row.currency == result.scenario.project.currency
    assert rows[0].scenario_id == "id-0"


def test_feasibility_is_the_mean_of_the_five_dimensions_and_the_weakest_is_named(results, rows):
    """The feasibility score is the plain mean of the five scores; the lowest one is reported."""
    for row, result in zip(rows, results.values(), strict=True):
        scores = {name: d.score for name, d in result.estimate.feasibility.items()}
        assert len(scores) == 5
        assert row.feasibility == pytest.approx(statistics.fmean(scores.values()), abs=1e-9)
        assert row.weakest_score == min(scores.values())
        assert scores[row.weakest_dimension] == row.weakest_score


def test_quadrants_split_at_the_green_cut_off_and_zero_npv():
    """Feasible from the green cut-off (inclusive) and valuable above zero expected NPV only."""
    assert quadrant(70, 1.0, 70) == "Prioritise"
    assert quadrant(69.9, 1.0, 70) == "De-risk first"
    assert quadrant(70, 0.0, 70) == "Low value"
    assert quadrant(10, -5.0, 70) == "Deprioritise"
    assert quadrant(90, None, 70) == "Low value"
    # a no-go is not feasible, whatever its mean score: its own report rules it out
    assert quadrant(90, 1.0, 70, "no-go") == "De-risk first"
    assert quadrant(90, -1.0, 70, "no-go") == "Deprioritise"
    assert quadrant(90, 1.0, 70, "conditional") == "Prioritise"
    assert portfolio.feasible_score() == 70


def test_ranking_puts_feasible_valuable_projects_first_then_by_expected_npv(rows):
    """Prioritise before the other quadrants; within a quadrant the larger expected NPV wins."""
    order = ranked(rows)
    positions = [QUADRANTS.index(row.quadrant) for row in order]
    assert positions == sorted(positions)
    assert order[0].name == "Real-time card fraud scoring" and order[-1].decision == "no-go"
    same = [row for row in order if row.quadrant == order[0].quadrant]
    assert [row.npv_mean for row in same] == sorted((row.npv_mean for row in same), reverse=True)


def test_a_no_go_what_if_never_ranks_above_the_go_it_was_copied_from(results):
    """The fraud example at the MVP stage with a EUR 400k budget is a no-go (its P80 cost is
    above the budget) while its mean NPV is larger than the original's: the ranking put it
    first, in "Prioritise", contradicting its own report."""
    original = results["Real-time card fraud scoring"]
    what_if = original.scenario.model_copy(deep=True)
    what_if.project.budget = 400_000
    what_if.project.stage = "mvp"
    blocked = run_estimate(what_if, trials=5000, seed=1)
    assert blocked.estimate.decision == "no-go"
    rows = portfolio_rows({"original": original, "what-if": blocked})
    by_label = {row.label: row for row in rows}
    assert by_label["what-if"].quadrant != "Prioritise"
    assert [row.label for row in ranked(rows)] == ["original", "what-if"]


def test_repeated_names_get_numbered_labels_that_never_collide():
    """Equal names become "A", "A (2)", ...; a number already taken by another name is skipped."""
    assert unique_labels(["A", "B", "A", "A"]) == ["A", "B", "A (2)", "A (3)"]
    assert unique_labels(["A", "A (2)", "A"]) == ["A", "A (2)", "A (3)"]
    assert unique_labels([]) == []


def test_between_two_and_six_distinct_scenarios_can_be_compared():
    """One or seven scenarios are refused with a readable message; repeats are dropped."""
    assert checked_selection(["a", "b", "a"]) == ["a", "b"]
    assert checked_selection(list("abcdef")) == list("abcdef")
    for bad in (["a"], ["a", "a"], list("abcdefg"), []):
        with pytest.raises(UserError, match="Pick 2 to 6"):
            checked_selection(bad)


# ------------------------------------------------------------------------------ matrix
def test_matrix_points_place_each_scenario_by_feasibility_and_expected_npv(rows):
    """One point per scenario: x feasibility, y expected NPV, size P80 cost, colour decision."""
    points = matrix_points(rows)
    assert [p["scenario"] for p in points] == [row.label for row in rows]
    for point, row in zip(points, rows, strict=True):
        assert point["feasibility"] == round(row.feasibility, 1)
        assert point["expected_npv"] == row.npv_mean and point["cost_p80"] == row.cost_p80
        assert point["decision"] == row.decision_label and point["quadrant"] == row.quadrant
    infinite = rows[0].__class__(**{**vars(rows[0]), "npv_mean": None})
    assert matrix_points([infinite]) == []


def test_matrix_spec_encodes_the_documented_axes_and_renders(rows):
    """The spec's bubbles use the documented fields, decision colours, and render to SVG."""
    spec = impact_feasibility_matrix_spec(rows)
    bubbles = layers_with(spec, "circle")[0]
    encoding = bubbles["encoding"]
    assert encoding["x"]["field"] == "feasibility" and encoding["y"]["field"] == "expected_npv"
    assert encoding["size"]["field"] == "cost_p80" and encoding["color"]["field"] == "decision"
    assert encoding["color"]["scale"]["domain"] == ["Go", "Conditional go", "No-go"]
    assert "mixed currencies" in encoding["y"]["title"]  # GBP, EUR and USD: not converted
    assert len(bubbles["data"]["values"]) == 3
    svg = vl_convert.vegalite_to_svg(spec)
    assert "Real-time card fraud scoring" in svg and "Prioritise" in svg
    assert to_altair(spec).to_dict()["title"] == "Impact x feasibility"


def test_scenario_names_are_only_data_in_the_matrix(results):
    """A hostile scenario name is a data value drawn as escaped text, never markup or a field."""
    result = next(iter(results.values()))
    spec = impact_feasibility_matrix_spec(portfolio_rows({HOSTILE: result}))
    texts = layers_with(spec, "text")
    assert texts[0]["data"]["values"][0]["scenario"] == HOSTILE
    for layer in spec["layer"]:
        for channel in layer["encoding"].values():
            assert HOSTILE not in str(channel)
    currency = result.scenario.project.currency
    assert spec["layer"][2]["encoding"]["y"]["title"] == f"Expected NPV ({currency})"
    svg = vl_convert.vegalite_to_svg(spec)
    assert "<script>" not in svg and "&lt;script&gt;" in svg


# ------------------------------------------------------------------------------ what-if
def test_what_if_copies_a_scenario_under_a_new_name_and_stage_leaving_the_source():
    """A what-if is a new scenario with its own name and stage; the source is unchanged."""
    repository = InMemoryScenarioRepository()
    source = repository.create(load_scenario(EXAMPLES_DIR / "bike_shop_service_forecast.json"))
    copy = what_if(repository, source.id, "  Bike shop: growth  ", stage="growth")
    scenario, row = repository.load(copy.id)
    assert copy.id != source.id and row == copy
    assert scenario.project.name == "Bike shop: growth" and scenario.project.stage == "growth"
    assert repository.history(copy.id)[0].note == "what-if for the Growth stage"
    original, _ = repository.load(source.id)
    assert original.project.stage == "mvp" and len(repository.history(source.id)) == 1
    plain = what_if(repository, source.id, "Bike shop: buy a forecasting service")
    assert repository.load(plain.id)[0].project.stage == "mvp" and plain.version == 1


def test_a_what_if_with_a_bad_stage_or_name_writes_nothing():
    """An unknown stage or an empty name is refused before anything is saved."""
    repository = InMemoryScenarioRepository()
    source = repository.create(load_scenario(EXAMPLES_DIR / "bike_shop_service_forecast.json"))
    with pytest.raises(UserError):
        what_if(repository, source.id, "Copy", stage="someday")
    with pytest.raises(UserError):
        what_if(repository, source.id, "   ", stage="growth")
    assert [row.id for row in repository.list()] == [source.id]
