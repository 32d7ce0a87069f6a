"""Chart specs: small pre-aggregated data, the expected encodings, valid Vega-Lite, safe text."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from mlpm_core.assessment.run import run_estimate
from mlpm_core.charts import specs as charts
from mlpm_core.charts.text import chart_label
from mlpm_core.rules import rule_group_label
from mlpm_core.rules.catalog import load_catalog
from mlpm_core.scenario.document import load_scenario
from mlpm_core.scenario.labels import LEVEL_COLOURS
from tests.conftest import EXAMPLES_DIR

HOSTILE = "<script>alert(1)</script> & <img src=x onerror=alert(2)>"


@pytest.fixture(scope="module")
def result():
    """The fraud example (with a budget), simulated quickly."""
    return run_estimate(load_scenario(EXAMPLES_DIR / "fraud_card_payments.json"), trials=5000)


@pytest.fixture(scope="module")
def hostile_result():
    """The bike-shop example with markup in a task name, so it reaches the tornado labels."""
    scenario = load_scenario(EXAMPLES_DIR / "bike_shop_service_forecast.json")
    tasks = [task.model_copy(update={"name": f"{HOSTILE} {index}"})
             for index, task in enumerate(scenario.tasks)]
    return run_estimate(scenario.model_copy(update={"tasks": tasks}), trials=5000)


def data_rows(spec: dict) -> int:
    """Inline data rows in a spec and all its layers."""
    rows = len(spec.get("data", {}).get("values", []))
    return rows + sum(data_rows(layer) for layer in spec.get("layer", []))


def layer_with(spec: dict, mark: str) -> list[dict]:
    """The layers of ``spec`` drawn with ``mark``."""
    return [layer for layer in spec["layer"] if layer["mark"]["type"] == mark]


def test_every_report_chart_has_under_a_thousand_rows(result):
    """No chart carries the raw samples: each spec holds fewer than 1,000 data rows."""
    specs = charts.report_chart_specs(result)
    assert set(specs) == {"bridge", "feasibility", "cost_curve", "effort_histogram", "tornado",
                          "cost_breakdown"}
    for key, spec in specs.items():
        assert 0 < data_rows(spec) < 1000, key


def test_cost_curve_is_an_empirical_cdf_on_quantile_points(result):
    """The S-curve has 201 points from 0 to 1 whose amounts are the cost quantiles."""
    line = layer_with(charts.cost_s_curve_spec(result), "line")[0]
    points = line["data"]["values"]
    assert len(points) == charts.CURVE_POINTS + 1
    probabilities = [point["probability"] for point in points]
    values = [point["value"] for point in points]
    assert probabilities[0] == 0 and probabilities[-1] == 1
    assert values == sorted(values)
    assert values[100] == pytest.approx(np.quantile(result.simulation.cost, 0.5))
    assert line["encoding"]["x"]["field"] == "value"
    assert line["encoding"]["y"]["field"] == "probability"


def test_cost_curve_marks_p50_p80_and_the_budget_with_currency_in_the_title(result):
    """P50 and P80 sit on the curve, the budget is a rule, and the axis names the currency."""
    spec = charts.cost_s_curve_spec(result)
    marks = layer_with(spec, "point")[0]["data"]["values"]
    assert [mark["label"] for mark in marks] == ["P50", "P80"]
    assert marks[1]["value"] == pytest.approx(np.quantile(result.simulation.cost, 0.8))
    rule = layer_with(spec, "rule")[0]
    assert rule["data"]["values"][0]["value"] == result.scenario.project.budget
    assert "EUR" in layer_with(spec, "line")[0]["encoding"]["x"]["title"]


def test_cost_curve_without_a_budget_has_no_budget_rule(result):
    """A scenario without a budget gets no budget line."""
    project = result.scenario.project.model_copy(update={"budget": None})
    scenario = result.scenario.model_copy(update={"project": project})
    no_budget = run_estimate(scenario, trials=5000)
    assert layer_with(charts.cost_s_curve_spec(no_budget), "rule") == []


def test_effort_histogram_has_forty_numpy_bins_that_add_up_to_one(result):
    """The histogram is 40 contiguous bins whose shares sum to 1, drawn as binned bars."""
    spec = charts.effort_histogram_spec(result)
    bars = layer_with(spec, "bar")[0]
    bins = bars["data"]["values"]
    assert len(bins) == charts.HISTOGRAM_BINS
    assert sum(item["share"] for item in bins) == pytest.approx(1.0)
    assert all(a["end"] == pytest.approx(b["start"]) for a, b in itertools.pairwise(bins))
    assert bars["encoding"]["x"]["bin"] == "binned"
    assert bars["encoding"]["x2"]["field"] == "end"
    assert "person-days" in bars["encoding"]["x"]["title"]


def test_histogram_of_a_certain_quantity_is_one_visible_bar():
    """A sample with no spread still gives bins of positive width."""
    bins = charts.histogram_bins(np.full(100, 7.0))
    assert sum(item["count"] for item in bins) == 100
    assert all(item["end"] > item["start"] for item in bins)


def test_tornado_bars_run_from_the_mean_cost_to_each_drivers_low_and_high(result):
    """Two bars per top driver, both starting at the mean cost, largest share first."""
    spec = charts.tornado_spec(result)
    bars = layer_with(spec, "bar")[0]
    rows = bars["data"]["values"]
    drivers = result.estimate.sensitivity.drivers[:charts.TORNADO_DRIVERS]
    assert len(rows) == 2 * len(drivers)
    assert all(row["start"] == pytest.approx(result.estimate.cost.mean) for row in rows)
    assert rows[0]["end"] == pytest.approx(drivers[0].cost_low)
    assert rows[1]["end"] == pytest.approx(drivers[0].cost_high)
    assert bars["encoding"]["y"]["sort"] == {"field": "rank", "op": "min"}
    assert [row["rank"] for row in rows[::2]] == list(range(len(drivers)))
    assert [row["driver"] for row in rows[::2]] == [
        chart_label(driver.name, charts.TORNADO_LABEL_CHARS) for driver in drivers]
    assert bars["encoding"]["x2"]["field"] == "end"
    assert bars["encoding"]["x"]["scale"] == {"zero": False}  # the bars, not zero, set the axis


def test_every_built_in_rule_reads_whole_on_the_tornado():
    """A rule is a driver as 'Rule: <title>': the longest built-in title keeps its end
    ('... tasks that split'), which the general axis limit cut."""
    titles = [rule.title for rule in load_catalog()]
    assert all(len(f"Rule: {title}") <= charts.TORNADO_LABEL_CHARS for title in titles)
    assert any(len(f"Rule: {title}") > charts.LABEL_COLUMNS for title in titles)


def test_feasibility_bars_are_scored_0_to_100_and_coloured_by_traffic_light(result):
    """Five dimensions on a 0-100 axis, with the green/amber/red colours in that order."""
    bars = layer_with(charts.feasibility_spec(result), "bar")[0]
    assert len(bars["data"]["values"]) == 5
    assert bars["encoding"]["x"]["scale"]["domain"] == [0, 100]
    assert bars["encoding"]["color"]["scale"]["range"] == list(LEVEL_COLOURS.values())
    assert bars["encoding"]["color"]["scale"]["domain"] == ["Green", "Amber", "Red"]


def test_feasibility_legend_sits_under_the_plot_clear_of_the_score_labels(result):
    """On the right, the traffic-light legend covered the '100' beside a full bar."""
    from mlpm_core.charts import images as chart_images

    spec = charts.feasibility_spec(result)
    svg = chart_images.render([spec], "svg")[0].decode()
    legend = re.search(r'role-legend"[^>]*>\s*<g transform="translate\(([\d.-]+),([\d.-]+)\)',
                       svg)
    assert legend is not None
    assert float(legend.group(2)) > spec["height"]  # below the plot, not beside it


def test_cost_breakdown_splits_delivery_from_yearly_running_costs(result):
    """Delivery parts and running parts come from the part means, zero parts left out."""
    rows = layer_with(charts.cost_breakdown_spec(result), "bar")[0]["data"]["values"]
    by_item = {row["item"]: row for row in rows}
    assert by_item["People"]["group"] == charts.DELIVERY_GROUP
    assert by_item["People"]["amount"] == pytest.approx(result.simulation.part_means["people"])
    assert by_item["Maintenance and monitoring"]["group"] == charts.RUNNING_GROUP
    assert all(row["amount"] > 0 for row in rows)
    assert "Labelling" not in by_item  # the fraud example has no labelling cost


def _svg_texts(spec: dict) -> list[str]:
    from mlpm_core.charts import images as chart_images

    root = ET.fromstring(chart_images.render([spec], "svg")[0].decode())
    return [element.text.strip() for element in root.iter() if (element.text or "").strip()]


@pytest.mark.parametrize("amounts, labels", [
    ([0.17], {"<1"}),
    ([0.17, 640.4, 31_234.5, 1_500_000], {"<1", "640", "31.2k", "1.5M"}),
])
def test_money_labels_and_axes_never_use_si_milli(result, amounts, labels):
    """EUR 0.17 a year printed as '171m' read as 171 million: bar labels of money are whole
    units, compact from 1,000 up, '<1' under one unit, and a money axis ticks at whole units."""
    spec = charts.cost_breakdown_spec(result)
    rows = [{"item": f"Part {rank}", "rank": rank, "group": charts.RUNNING_GROUP,
             "amount": amount} for rank, amount in enumerate(amounts)]
    for layer in spec["layer"]:
        layer["data"]["values"] = rows
    texts = _svg_texts(spec)
    assert labels <= set(texts)
    assert not [text for text in texts if re.fullmatch(r"-?[\d.,]+[mµu]", text)]
    assert not [text for text in texts if re.fullmatch(r"-?0?\.\d+", text)]


def test_overlay_draws_one_coloured_curve_per_scenario(result):
    """The portfolio overlay has one curve per named scenario and stays small."""
    spec = charts.overlay_cost_curves_spec({"Build": result, "<b>Buy</b>": result})
    chart = charts.to_altair(spec)
    spec = chart.to_dict()
    values = next(iter(spec["datasets"].values()))
    assert {row["scenario"] for row in values} == {"Build", "<b>Buy</b>"}
    assert len(values) < 1000
    assert spec["encoding"]["color"]["field"] == "scenario"
    assert spec["encoding"]["x"]["title"] == "Delivery cost (EUR)"


def test_overlay_names_mixed_currencies(result, hostile_result):
    """Scenarios in different currencies say so on the axis instead of mixing silently."""
    spec = charts.overlay_cost_curves_spec({"a": result, "b": hostile_result})
    assert spec["encoding"]["x"]["title"] == "Delivery cost (mixed currencies: EUR, GBP)"


def test_altair_charts_validate_against_the_vega_lite_schema(result):
    """Every Altair chart built from the specs passes Altair's schema validation."""
    built = [charts.to_altair(spec) for spec in (
        charts.cost_s_curve_spec(result), charts.effort_histogram_spec(result),
        charts.tornado_spec(result), charts.feasibility_spec(result),
        charts.cost_breakdown_spec(result))]
    for chart in built:
        assert chart.to_dict(validate=True)["layer"]


def test_user_text_reaches_the_svg_only_as_escaped_text(hostile_result):
    """Markup in a task name is drawn as text: no script or image element in the chart SVG."""
    from mlpm_core.charts import images as chart_images

    svg = chart_images.render([charts.tornado_spec(hostile_result)], "svg")[0].decode()
    root = ET.fromstring(svg)
    tags = {element.tag.rsplit("}", 1)[-1] for element in root.iter()}
    assert not tags & {"script", "img", "foreignObject", "iframe", "a"}
    texts = "".join(element.text or "" for element in root.iter())
    assert "<script>alert(1)</script>" in texts  # shown literally, as text
    assert "<script" not in svg


def test_chart_helper_draws_in_order_and_survives_a_bad_spec(result):
    """The helper process returns one image per spec; a broken spec raises, the next works."""
    from mlpm_core.charts import images as chart_images

    specs = [charts.feasibility_spec(result), charts.effort_histogram_spec(result)]
    images = chart_images.render(specs, "svg")
    assert [b"Feasibility" in image for image in images] == [True, False]
    with pytest.raises(chart_images.ChartRenderError):
        chart_images.render([{"mark": {"type": "no-such-mark"}, "data": {"values": []}}])
    pngs = chart_images.render(specs, "png")
    assert all(png.startswith(b"\x89PNG") for png in pngs)


def test_chart_images_arrive_one_by_one_and_a_bad_one_spoils_only_itself(result):
    """`Pending.image(i)` is spec i's image; a broken spec raises for its own index only, and
    the helper stays in step for the next request."""
    from mlpm_core.charts import images as chart_images

    good = [charts.feasibility_spec(result), charts.effort_histogram_spec(result)]
    bad = {"mark": {"type": "no-such-mark"}, "data": {"values": []}}
    with chart_images.submit([good[0], bad, good[1]], "svg") as pending:
        assert b"Feasibility" in pending.image(0)
        with pytest.raises(chart_images.ChartRenderError):
            pending.image(1)
        assert pending.image(2).startswith(b"<svg") and b"Feasibility" not in pending.image(2)
    again = chart_images.render(good, "svg")
    assert b"Feasibility" in again[0] and b"Feasibility" not in again[1]


def test_every_built_in_rule_title_and_group_label_fits_the_bridge_chart_whole():
    """The PDF's bridge cut "Scope growth: work discovered mid-project, tasks th…": a step
    label is cut only for a user's own longer rule (the text beside the chart has it whole)."""
    scenario = load_scenario(EXAMPLES_DIR / "genai_support_assistant.json")
    labels = {rule.title for rule in load_catalog()}
    labels |= {rule_group_label(scenario, rule.group) for rule in load_catalog() if rule.group}
    assert labels
    for label in labels:
        assert chart_label(label, charts.BRIDGE_LABEL_CHARS) == label, label
