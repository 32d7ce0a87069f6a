"""The report's charts with captions that state their key figures in words, so a reader who
cannot see a chart (or prints the report in black and white) still gets the numbers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from mlpm_core.charts import report_chart_specs
from mlpm_core.report.numbers import format_days, format_money, format_simulated_money

if TYPE_CHECKING:
    from mlpm_core.assessment import EstimateResult


class ChartSpec(BaseModel):
    """A Vega-Lite spec (pre-aggregated data) with a title and a plain-text caption."""

    model_config = ConfigDict(extra="forbid")

    key: str
    title: str
    caption: str
    spec: dict[str, Any]


def captioned_charts(result: EstimateResult) -> list[ChartSpec]:
    """The report's chart specs with captions that state the key figures in words."""
    estimate, project = result.estimate, result.scenario.project
    currency = project.currency
    budget = (f" The budget is {format_money(project.budget, currency)}." if project.budget
              else " No budget is set.")
    bridge = estimate.bridge
    captions = {
        "bridge": ("From the tasks to the P50 effort",
                   f"The tasks' PERT sum of {format_days(bridge[0].effort_days)} person-days "
                   f"becomes a P50 of {format_days(bridge[-1].effort_days)} as each factor "
                   "joins: orange adds, green takes away."),
        "feasibility": ("Feasibility by dimension",
                        "Scores out of 100; green, amber and red are the traffic lights."),
        "cost_curve": ("Delivery cost",
                       f"P50 {format_simulated_money(estimate.cost.p50, currency)}, "
                       f"P80 {format_simulated_money(estimate.cost.p80, currency)}.{budget}"),
        "effort_histogram": ("Total effort", f"P50 {format_days(estimate.effort_days.p50)} "
                             f"and P80 {format_days(estimate.effort_days.p80)} person-days."),
        "tornado": ("What drives the spread in cost",
                    "Mean delivery cost when each input sits in its lowest or its highest "
                    "tenth of the simulated projects; the vertical line is the mean cost."),
        "cost_breakdown": ("Where the money goes",
                           "Mean delivery cost by item, mean running cost per year, and "
                           "the errors avoided a year when they enter the value."),
    }
    return [ChartSpec(key=key, title=captions[key][0], caption=captions[key][1], spec=spec)
            for key, spec in report_chart_specs(result).items()]
