"""The portfolio's impact x feasibility matrix as a Vega-Lite spec and an Altair chart.

What the axes mean is stated in ``portfolio.py``. As in ``charts.specs``, scenario names only
appear as data values, cleaned and cut on grapheme boundaries (never as a field name, title or
expression), so Vega draws them as text; currency codes reach the axis title only as three
capital letters.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mlpm_core.charts import (
    CONFIG,
    MONEY_AXIS,
    MONEY_LEGEND,
    WIDTH,
    Spec,
    chart_label,
    clean,
    currency_unit,
)
from mlpm_core.portfolio.compare import (
    QUADRANTS,
    PortfolioRow,
    currencies,
    feasible_score,
    matrix_points,
)
from mlpm_core.scenario import DECISION_LABELS

DECISION_COLOURS = {"go": "#2e7d32", "conditional": "#ef8f00", "no-go": "#c62828"}
GUIDE_COLOUR = "#888888"
MATRIX_HEIGHT = 320
BUBBLE_LABEL_COLUMNS = 32  # a scenario name above its bubble, cut here rather than by Vega
# A bubble's label sits just above it: its radius from the shared size scale (area in px²).
LABEL_ABOVE_BUBBLE = "-sqrt(scale('size', datum.cost_p80) / PI) - 2"


def _unit(rows: Sequence[PortfolioRow]) -> str:
    found = sorted({currency_unit(code) for code in currencies(rows)})
    return found[0] if len(found) == 1 else "mixed currencies, not converted: " + ", ".join(found)


def _quadrant_names(points: Sequence[dict[str, Any]]) -> list[Spec]:
    """The quadrants' names in the plot's corners (top ones if any NPV is above zero, bottom
    ones if any is below, so each name sits in its quadrant)."""
    corners = []
    if any(point["expected_npv"] > 0 for point in points):
        corners += [(QUADRANTS[0], "right", "top"), (QUADRANTS[1], "left", "top")]
    if any(point["expected_npv"] < 0 for point in points):
        corners += [(QUADRANTS[2], "right", "bottom"), (QUADRANTS[3], "left", "bottom")]
    return [{"data": {"values": [{"quadrant": name}]},
             "mark": {"type": "text", "align": align, "baseline": baseline, "color": GUIDE_COLOUR,
                      "fontSize": 11, "fontStyle": "italic",
                      "x": WIDTH - 4 if align == "right" else 4,
                      "y": 4 if baseline == "top" else MATRIX_HEIGHT - 4},
             "encoding": {"text": {"field": "quadrant", "type": "nominal"}}}
            for name, align, baseline in corners]


def impact_feasibility_matrix_spec(rows: Sequence[PortfolioRow]) -> Spec:
    """Expected NPV against feasibility score; bubble size P80 cost, colour the decision."""
    unit = _unit(rows)
    points = [{**point, "scenario": clean(point["scenario"]),
               "label": chart_label(point["scenario"], BUBBLE_LABEL_COLUMNS)}
              for point in matrix_points(rows)]
    x = {"field": "feasibility", "type": "quantitative", "title": "Feasibility score "
         "(mean of the dimension scores, 0-100)", "scale": {"domain": [0, 100]}}
    y = {"field": "expected_npv", "type": "quantitative", "title": f"Expected NPV ({unit})",
         "axis": MONEY_AXIS, "scale": {"zero": True, "nice": True}}
    colour = {"field": "decision", "type": "nominal", "title": "Decision",
              "scale": {"domain": list(DECISION_LABELS.values()),
                        "range": [DECISION_COLOURS[code] for code in DECISION_LABELS]}}
    size = {"field": "cost_p80", "type": "quantitative", "title": "P80 delivery cost",
            "scale": {"range": [80, 1600], "zero": True},
            "legend": MONEY_LEGEND}
    tooltip: list[dict[str, Any]] = [
        {"field": "scenario", "type": "nominal", "title": "Scenario"},
        {"field": "decision", "type": "nominal", "title": "Decision"},
        {"field": "quadrant", "type": "nominal", "title": "Quadrant"},
        {"field": "feasibility", "type": "quantitative", "title": "Feasibility score",
         "format": ".0f"},
        {"field": "weakest", "type": "nominal", "title": "Weakest dimension"},
        {"field": "expected_npv", "type": "quantitative", "title": "Expected NPV",
         "format": ",.0f"},
        {"field": "cost_p80", "type": "quantitative", "title": "P80 cost", "format": ",.0f"},
        {"field": "currency", "type": "nominal", "title": "Currency"},
    ]
    guide = {"type": "rule", "color": GUIDE_COLOUR, "strokeDash": [4, 4]}
    layers = [
        {"data": {"values": [{"expected_npv": 0.0}]}, "mark": guide,
         "encoding": {"y": y}},
        {"data": {"values": [{"feasibility": float(feasible_score())}]}, "mark": guide,
         "encoding": {"x": x}},
        {"data": {"values": points},
         "mark": {"type": "circle", "opacity": 0.75, "stroke": "#333333", "strokeWidth": 1},
         "encoding": {"x": x, "y": y, "color": colour, "size": size, "tooltip": tooltip}},
        {"data": {"values": points},
         "mark": {"type": "text", "align": "center", "baseline": "bottom", "fontSize": 11,
                  "dy": {"expr": LABEL_ABOVE_BUBBLE}},
         "encoding": {"x": x, "y": y, "text": {"field": "label", "type": "nominal"}}},
    ]
    layers += _quadrant_names(points)
    return {"config": CONFIG, "title": "Impact x feasibility", "width": WIDTH,
            "height": MATRIX_HEIGHT, "layer": layers}
