"""Chart specs shared by the app and the reports: Vega-Lite dicts, and Altair charts from them.

Each chart has a ``*_spec`` function that returns a plain Vega-Lite dict (what the PDF and HTML
reports render with vl-convert, without importing Altair: a PDF must be made in about a second)
and a function of the chart's name that returns the same chart as an Altair object for the app.
Every spec carries pre-aggregated data only (about 200 quantile points, 40 histogram bins, a
dozen drivers), never the raw samples: a 100,000-row spec renders slowly in a browser and turns
into a PDF page of tens of megabytes. User text (task, rule and scenario names) only ever
appears as data values, cleaned and cut by `mlpm_core.charts.text` (never as a field name, a
title, a sort list or any other expression), so Vega draws it as plain text; charts sort by a
number in the data, and the currency code reaches axis titles only as three capital letters.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from mlpm_core.charts.text import chart_label, currency_unit, distinct_labels
from mlpm_core.scenario import (
    DELIVERY_PART_LABELS,
    DIMENSION_LABELS,
    LEVEL_COLOURS,
    LEVEL_LABELS,
    RUN_PART_LABELS,
    VALUE_PART_LABELS,
    label,
)

if TYPE_CHECKING:
    import altair as alt

    from mlpm_core.assessment import CostLine, EstimateResult

Spec = dict[str, Any]
CURVE_POINTS = 200
HISTOGRAM_BINS = 40
TORNADO_DRIVERS = 8
WIDTH = 460
HEIGHT = 220
FONT = "DejaVu Sans, Droid Sans Fallback, sans-serif"
MONEY_FORMAT = ",.3~s"  # 1.23M, 450k: from 1,000 up only, see money_label_expr


def money_label_expr(field: str = "value") -> str:
    """A Vega expression labelling the money in ``datum[field]`` (a plain name of the chart's
    data). d3's SI format alone writes EUR 0.17 as '171m', read as 171 million: so 1.23k, 450k,
    1.23M from 1,000 up, whole units below, and '<1' (or '>-1') under one unit."""
    value = f"datum.{field}"
    return (f"{value} == 0 ? '0' : abs({value}) < 1 ? ({value} > 0 ? '<1' : '>-1') : "
            f"format({value}, abs({value}) < 1000 ? ',.0f' : '{MONEY_FORMAT}')")


# tickMinStep: a money axis ticks at whole units at least (a 0-0.17 axis: only 0)
MONEY_AXIS = {"labelExpr": money_label_expr(), "tickMinStep": 1, "tickCount": 6,
              "labelOverlap": True}
MONEY_LEGEND = {"labelExpr": money_label_expr(), "tickMinStep": 1}
DELIVERY_GROUP = "Delivery (one-off)"
RUNNING_GROUP = "Running (per year)"
VALUE_GROUP = "Value (per year, full adoption)"
LOW_SIDE = "Input in its lowest tenth"
HIGH_SIDE = "Input in its highest tenth"
LINE_COLOUR, BUDGET_COLOUR = "#1f77b4", "#c62828"
LABEL_COLUMNS = 50  # user labels on an axis or in a legend, cut here rather than by Vega
TORNADO_LABEL_CHARS = 66  # "Rule: " and every built-in rule title (59 at most) whole
USER_AXIS = {"labelLimit": 0}  # Vega's pixel limit off: it would cut inside an emoji
CONFIG: Spec = {"font": FONT, "view": {"stroke": None},
                # labelSeparation: a quantitative axis drops every other label rather than
                # print two touching ones ('500550' at the end of the PDF's bridge axis).
                "axis": {"labelFontSize": 10, "titleFontSize": 11, "labelSeparation": 6},
                "legend": {"labelFontSize": 10}, "title": {"fontSize": 13, "anchor": "start"}}


def _finite(samples: np.ndarray) -> np.ndarray:
    values = np.asarray(samples, dtype=float)
    finite: np.ndarray = values[np.isfinite(values)]
    return finite


def cdf_points(samples: np.ndarray, points: int = CURVE_POINTS) -> list[dict[str, float]]:
    """The empirical CDF on ``points + 1`` evenly spaced probabilities (0 to 1)."""
    values = _finite(samples)
    if values.size == 0:
        return []
    probabilities = np.linspace(0.0, 1.0, points + 1)
    quantiles = np.quantile(values, probabilities)
    return [{"value": float(x), "probability": float(p)}
            for x, p in zip(quantiles, probabilities, strict=True)]


def histogram_bins(samples: np.ndarray, bins: int = HISTOGRAM_BINS) -> list[dict[str, float]]:
    """Bin edges and the share of samples in each bin, computed with numpy."""
    values = _finite(samples)
    if values.size == 0:
        return []
    low, high = float(values.min()), float(values.max())
    if low == high:  # a certain quantity: one bar of visible width
        low, high = low - 0.5, high + 0.5
    counts, edges = np.histogram(values, bins=bins, range=(low, high))
    return [{"start": float(edges[i]), "end": float(edges[i + 1]), "count": int(counts[i]),
             "share": float(counts[i] / values.size)} for i in range(len(counts))]


def percentile_marks(samples: np.ndarray,
                     probabilities: Sequence[float] = (0.5, 0.8)) -> list[dict[str, Any]]:
    """P50/P80 (or other) positions of a sample, labelled for a chart."""
    values = _finite(samples)
    if values.size == 0:
        return []
    return [{"value": float(np.quantile(values, p)), "probability": float(p),
             "label": f"P{round(p * 100)}"} for p in probabilities]


def _field(name: str, kind: str, title: str | None = "", **extra: Any) -> Spec:
    """An encoding channel; ``title=None`` hides the title, ``""`` keeps Vega-Lite's."""
    spec: Spec = {"field": name, "type": kind}
    if title != "":
        spec["title"] = title
    spec.update(extra)
    return spec


def _layer(rows: Iterable[Mapping[str, Any]], mark: Spec, encoding: Spec) -> Spec:
    return {"data": {"values": [dict(row) for row in rows]}, "mark": mark,
            "encoding": encoding}


def _chart(title: str, width: int, height: int, layers: list[Spec]) -> Spec:
    return {"config": CONFIG, "title": title, "width": width, "height": height,
            "layer": layers}


def cost_s_curve_spec(result: EstimateResult) -> Spec:
    """Chance that the delivery cost stays at or below each amount, with P50/P80 and budget."""
    currency = currency_unit(result.scenario.project.currency)
    budget = result.scenario.project.budget
    cost_title = f"Delivery cost ({currency})"
    encoding = {"x": _field("value", "quantitative", cost_title,
                            axis=MONEY_AXIS),
                "y": _field("probability", "quantitative", "Chance the cost is at most this",
                            axis={"format": "%"}, scale={"domain": [0, 1]})}
    marks = percentile_marks(result.simulation.cost)
    layers = [
        _layer(cdf_points(result.simulation.cost),
               {"type": "line", "color": LINE_COLOUR, "strokeWidth": 2}, encoding),
        _layer(marks, {"type": "point", "filled": True, "size": 60, "color": LINE_COLOUR},
               {**encoding, "tooltip": [_field("label", "nominal", "Percentile"),
                                        _field("value", "quantitative", cost_title,
                                               format=",.0f")]}),
        _layer(marks, {"type": "text", "align": "right", "dx": -8, "dy": -8, "fontSize": 11},
               {**encoding, "text": _field("label", "nominal")}),
    ]
    if budget:
        budget_rows = [{"value": float(budget), "label": "Budget"}]
        x = {"x": _field("value", "quantitative")}
        layers.append(_layer(budget_rows, {"type": "rule", "color": BUDGET_COLOUR,
                                           "strokeDash": [6, 4], "strokeWidth": 2}, x))
        layers.append(_layer(budget_rows, {"type": "text", "align": "left", "dx": 4, "y": 8,
                                           "color": BUDGET_COLOUR, "fontSize": 11},
                             {**x, "text": _field("label", "nominal")}))
    return _chart("Delivery cost: cumulative chance", WIDTH, HEIGHT, layers)


def effort_histogram_spec(result: EstimateResult) -> Spec:
    """Distribution of total effort in person-days, with P50 and P80 rules."""
    effort = result.simulation.effort
    bars = _layer(histogram_bins(effort), {"type": "bar", "color": "#6a8caf"}, {
        "x": _field("start", "quantitative", "Total effort (person-days)", bin="binned",
                    axis={"format": ",.0f", "labelOverlap": True}),
        "x2": {"field": "end"},
        "y": _field("share", "quantitative", "Share of simulated projects",
                    axis={"format": "%"}),
        "tooltip": [_field("start", "quantitative", "From (person-days)", format=",.0f"),
                    _field("end", "quantitative", "To (person-days)", format=",.0f"),
                    _field("share", "quantitative", "Share", format=".1%")]})
    marks = percentile_marks(effort)
    x = {"x": _field("value", "quantitative")}
    rules = _layer(marks, {"type": "rule", "color": "#333333", "strokeDash": [4, 3]}, x)
    # P50 to the left of its line and P80 to the right, so close lines keep readable labels
    texts = [_layer(marks[index:index + 1], {"type": "text", "align": align, "dx": dx, "y": 8,
                                             "fontSize": 11},
                    {**x, "text": _field("label", "nominal")})
             for index, (align, dx) in enumerate((("right", -3), ("left", 3))[:len(marks)])]
    return _chart("Total effort", WIDTH, HEIGHT, [bars, rules, *texts])


def tornado_rows(result: EstimateResult, top: int = TORNADO_DRIVERS) -> list[dict[str, Any]]:
    """Two bars per driver, from the mean cost to the mean cost when the input is low / high."""
    mean_cost = float(result.estimate.cost.mean or 0.0)
    drivers = sorted(result.estimate.sensitivity.drivers, key=lambda d: d.cost_share,
                     reverse=True)[:top]
    labels = distinct_labels([driver.name for driver in drivers], TORNADO_LABEL_CHARS)
    return [{"driver": labels[rank], "rank": rank, "side": side, "start": mean_cost,
             "end": float(end), "share": float(driver.cost_share)}
            for rank, driver in enumerate(drivers)
            for side, end in ((LOW_SIDE, driver.cost_low), (HIGH_SIDE, driver.cost_high))]


def tornado_spec(result: EstimateResult, top: int = TORNADO_DRIVERS) -> Spec:
    """Tornado of the inputs that drive the spread in delivery cost, largest first."""
    currency = currency_unit(result.scenario.project.currency)
    rows = tornado_rows(result, top)
    bars = _layer(rows, {"type": "bar", "height": 12}, {
        "y": _field("driver", "nominal", None, sort={"field": "rank", "op": "min"},
                    axis=USER_AXIS),
        "x": _field("start", "quantitative", f"Mean delivery cost ({currency})",  # around the
                    axis=MONEY_AXIS, scale={"zero": False}),  # mean, not squeezed from zero
        "x2": {"field": "end"},
        "color": _field("side", "nominal", None,
                        scale={"domain": [LOW_SIDE, HIGH_SIDE],
                               "range": ["#4c9a6a", "#d0743c"]},
                        legend={"orient": "bottom", "direction": "vertical"}),
        "tooltip": [_field("driver", "nominal", "Input"), _field("side", "nominal", "When"),
                    _field("end", "quantitative", f"Mean cost ({currency})", format=",.0f"),
                    _field("share", "quantitative", "Share of the spread", format=".0%")]})
    mean_rule = _layer([{"value": float(result.estimate.cost.mean or 0.0)}],
                       {"type": "rule", "color": "#333333"},
                       {"x": _field("value", "quantitative")})
    drivers = len({row["rank"] for row in rows})
    return _chart("What drives the spread in cost", WIDTH - 140, max(60, 20 * drivers),
                  [bars, mean_rule])


def feasibility_rows(result: EstimateResult) -> list[dict[str, Any]]:
    """One row per dimension: label, score and traffic light."""
    return [{"dimension": label(DIMENSION_LABELS, name), "score": score.score,
             "level": label(LEVEL_LABELS, score.level)}
            for name, score in result.estimate.feasibility.items()]


def feasibility_spec(result: EstimateResult) -> Spec:
    """Feasibility score (0-100) per dimension, coloured by its traffic light."""
    rows = feasibility_rows(result)
    base = {"y": _field("dimension", "nominal", None, sort=[row["dimension"] for row in rows],
                        axis={"labelLimit": 200}),
            "x": _field("score", "quantitative", "Feasibility score (0-100)",
                        scale={"domain": [0, 100]})}
    # the legend goes under the chart: on the right it covered the '100' beside a full bar
    colour = _field("level", "nominal", "Traffic light",
                    scale={"domain": [LEVEL_LABELS[key] for key in LEVEL_COLOURS],
                           "range": list(LEVEL_COLOURS.values())},
                    legend={"orient": "bottom"})
    bars = _layer(rows, {"type": "bar", "height": 16}, {
        **base, "color": colour,
        "tooltip": [_field("dimension", "nominal", "Dimension"),
                    _field("score", "quantitative", "Score"),
                    _field("level", "nominal", "Traffic light")]})
    texts = _layer(rows, {"type": "text", "align": "left", "dx": 4, "fontSize": 11},
                   {**base, "text": _field("score", "quantitative")})
    return _chart("Feasibility by dimension", WIDTH - 100, 150, [bars, texts])


def cost_breakdown_rows(part_means: Mapping[str, float],
                        lines: Sequence[CostLine] | None = None) -> list[dict[str, Any]]:
    """Mean cost of each delivery part and each yearly running part, and the value parts the
    simulation draws per year (the errors avoided); zero parts left out.

    ``lines`` are the estimate's named cost parts (devices and the user's own lines among
    them); without them, the standard parts of ``part_means``."""
    costs: list[tuple[str, str, float]] = []
    if lines is None:
        for group, labels in ((DELIVERY_GROUP, DELIVERY_PART_LABELS),
                              (RUNNING_GROUP, RUN_PART_LABELS)):
            costs += [(text, group, float(part_means.get(key, 0.0)))
                      for key, text in labels.items()]
    else:
        costs += [(line.label, DELIVERY_GROUP if line.paid == "one_off" else RUNNING_GROUP,
                   line.mean) for line in lines]
    costs += [(text, VALUE_GROUP, float(part_means.get(key, 0.0)))
              for key, text in VALUE_PART_LABELS.items()]
    kept = [(text, group, amount) for text, group, amount in costs
            if np.isfinite(amount) and amount > 0]
    items = distinct_labels([text for text, _, _ in kept], LABEL_COLUMNS)
    return [{"item": item, "rank": rank, "group": group, "amount": amount}
            for rank, (item, (_, group, amount)) in enumerate(zip(items, kept, strict=True))]


def cost_breakdown_spec(result: EstimateResult) -> Spec:
    """Mean delivery cost by part and mean running cost per year by part."""
    currency = currency_unit(result.scenario.project.currency)
    rows = cost_breakdown_rows(result.simulation.part_means, result.estimate.cost_breakdown)
    valued = any(row["group"] == VALUE_GROUP for row in rows)
    axis_title = (f"Mean ({currency}; running costs and value per year)" if valued
                  else f"Mean cost ({currency}; running costs per year)")
    # own cost lines are user text, already cut to LABEL_COLUMNS: Vega must not cut them again,
    # and they are sorted by a number, never named in the sort
    base = {"y": _field("item", "nominal", None, sort={"field": "rank", "op": "min"},
                        axis=USER_AXIS),
            "x": _field("amount", "quantitative", axis_title, axis=MONEY_AXIS)}
    groups = [DELIVERY_GROUP, RUNNING_GROUP] + ([VALUE_GROUP] if valued else [])
    bars = _layer(rows, {"type": "bar", "height": 14}, {
        **base,
        "color": _field("group", "nominal", None,
                        scale={"domain": groups,
                               "range": [LINE_COLOUR, "#9467bd", "#2e7d32"][:len(groups)]},
                        legend={"orient": "bottom"}),
        "tooltip": [_field("item", "nominal", "Item"), _field("group", "nominal", "Kind"),
                    _field("amount", "quantitative", f"Mean ({currency})", format=",.0f")]})
    texts = _layer(rows, {"type": "text", "align": "left", "dx": 4, "fontSize": 10},
                   {**base, "text": _field("label", "nominal")})
    texts["transform"] = [{"calculate": money_label_expr("amount"), "as": "label"}]
    return _chart("Where the money goes", WIDTH - 100, max(60, 22 * len(rows)), [bars, texts])


def overlay_cost_curves_spec(results: Mapping[str, EstimateResult]) -> Spec:
    """Cost S-curves of several scenarios on one chart, one colour per scenario name."""
    labels = distinct_labels(list(results), LABEL_COLUMNS)
    rows = [{"scenario": label, **point} for label, result in zip(labels, results.values(),
                                                                  strict=True)
            for point in cdf_points(result.simulation.cost)]
    currencies = sorted({currency_unit(result.scenario.project.currency)
                         for result in results.values()})
    unit = (currencies[0] if len(currencies) == 1
            else "mixed currencies: " + ", ".join(currencies))
    line = _layer(rows, {"type": "line", "strokeWidth": 2}, {
        "x": _field("value", "quantitative", f"Delivery cost ({unit})",
                    axis=MONEY_AXIS),
        "y": _field("probability", "quantitative", "Chance the cost is at most this",
                    axis={"format": "%"}, scale={"domain": [0, 1]}),
        "color": _field("scenario", "nominal", "Scenario", legend={"labelLimit": 0}),
        "tooltip": [_field("scenario", "nominal", "Scenario"),
                    _field("value", "quantitative", f"Cost ({unit})", format=",.0f"),
                    _field("probability", "quantitative", "Chance", format=".0%")]})
    spec = {"config": CONFIG, "title": "Delivery cost by scenario", "width": WIDTH,
            "height": HEIGHT}
    return {**spec, **line}


BRIDGE_COLOURS = {"total": "#4a6fa5", "up": "#d0743c", "down": "#4c9a6a"}
# Step labels are cut here, in columns on grapheme boundaries, rather than by Vega's labelLimit:
# measuring each label to fit a pixel limit took half of the chart's drawing time (and Vega's cut
# can split an emoji).
BRIDGE_LABEL_CHARS = 60  # every built-in rule title (59 at most) whole


def bridge_rows(result: EstimateResult) -> list[dict[str, Any]]:
    """One bar per bridge step: the totals from zero, every other step from the previous
    cumulative value to its own."""
    rows, previous = [], 0.0
    for order, step in enumerate(result.estimate.bridge):
        total = step.step in ("bottom_up", "p50")
        start = 0.0 if total else previous
        kind = "total" if total else ("up" if step.effort_days >= previous else "down")
        text = chart_label(step.label, BRIDGE_LABEL_CHARS)
        rows.append({"order": order, "step": f"{order + 1}. {text}", "start": start,
                     "end": float(step.effort_days), "kind": kind,
                     # shown to one decimal: a tiny cut reads +0.0, never -0.0
                     "change": round(step.effort_days - (0.0 if total else previous), 1) + 0.0})
        previous = float(step.effort_days)
    return rows


def bridge_spec(result: EstimateResult) -> Spec:
    """Waterfall from the tasks' PERT sum to the P50 effort, one factor at a time."""
    rows = bridge_rows(result)
    order = {"field": "order", "op": "min"}
    bars = _layer(rows, {"type": "bar", "height": 12}, {
        "y": _field("step", "nominal", None, sort=order, axis=USER_AXIS),
        "x": _field("start", "quantitative", "Effort (person-days)",
                    axis={"format": ",.0f", "labelOverlap": True}),
        "x2": {"field": "end"},
        "color": _field("kind", "nominal", None,
                        scale={"domain": list(BRIDGE_COLOURS),
                               "range": list(BRIDGE_COLOURS.values())}, legend=None),
        "tooltip": [_field("step", "nominal", "Step"),
                    _field("end", "quantitative", "Person-days after it", format=",.1f"),
                    _field("change", "quantitative", "Change", format="+,.1f")]})
    labels = _layer(rows, {"type": "text", "align": "left", "dx": 4, "fontSize": 10}, {
        "y": _field("step", "nominal", None, sort=order),
        "x": _field("end", "quantitative"),
        "text": _field("end", "quantitative", format=",.0f")})
    return _chart("From the tasks to the P50 effort", WIDTH - 140, max(60, 20 * len(rows)),
                  [bars, labels])


def report_chart_specs(result: EstimateResult) -> dict[str, Spec]:
    """The report's charts in reading order, by a stable key."""
    return {
        "bridge": bridge_spec(result),
        "feasibility": feasibility_spec(result),
        "cost_curve": cost_s_curve_spec(result),
        "effort_histogram": effort_histogram_spec(result),
        "tornado": tornado_spec(result),
        "cost_breakdown": cost_breakdown_spec(result),
    }


def to_altair(spec: Spec) -> alt.Chart | alt.LayerChart:
    """An Altair chart from one of these specs, validated against the Vega-Lite schema.

    For checks and for callers who want Altair; the app draws the specs directly
    (``st.vega_lite_chart``): validating a spec through Altair costs far more than drawing it.
    """
    import altair as alt

    if "layer" in spec:
        return alt.LayerChart.from_dict(spec)
    return alt.Chart.from_dict(spec)
