"""Vega-Lite chart specifications shared by the app and the reports, and their images.

``text`` makes user text safe to draw. ``images`` draws specs to SVG/PNG in a helper process (a
native renderer must not take the caller down); it is imported on its own
(``from mlpm_core.charts import images``) because only exports need it.
"""

from mlpm_core.charts.specs import (
    CONFIG,
    HEIGHT,
    MONEY_AXIS,
    MONEY_FORMAT,
    MONEY_LEGEND,
    WIDTH,
    Spec,
    bridge_spec,
    cost_breakdown_spec,
    cost_s_curve_spec,
    effort_histogram_spec,
    feasibility_spec,
    money_label_expr,
    overlay_cost_curves_spec,
    report_chart_specs,
    to_altair,
    tornado_spec,
)
from mlpm_core.charts.text import chart_label, clean, currency_unit

__all__ = [
    "CONFIG",
    "HEIGHT",
    "MONEY_AXIS",
    "MONEY_FORMAT",
    "MONEY_LEGEND",
    "WIDTH",
    "Spec",
    "bridge_spec",
    "chart_label",
    "clean",
    "cost_breakdown_spec",
    "cost_s_curve_spec",
    "currency_unit",
    "effort_histogram_spec",
    "feasibility_spec",
    "money_label_expr",
    "overlay_cost_curves_spec",
    "report_chart_specs",
    "to_altair",
    "tornado_spec",
]
