"""What drives the spread, as the reports and the Report page say it: the cost's and the
effort's top drivers (once when one input leads both), the NPV's, and the tornado's rows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlpm_core.estimate import spread_sentences
from mlpm_core.report.base import ReportModel
from mlpm_core.report.numbers import format_percent, format_simulated_money

if TYPE_CHECKING:
    from mlpm_core.assessment import EstimateResult


class DriverRow(ReportModel):
    """One row of the sensitivity table."""

    name: str
    cost_share: str
    effort_share: str
    cost_low: str
    cost_high: str


class SensitivityBlock(ReportModel):
    """What drives the spread, in words and as a table."""

    lines: list[str]
    """What drives the spread of cost and effort, then of the NPV: what every report shows."""
    drivers: list[DriverRow]


def spread_lines(result: EstimateResult) -> list[str]:
    """What drives the spread of cost and effort (once when one input leads both), then of the
    NPV."""
    npv = result.estimate.sensitivity.npv_summary
    return [*spread_sentences(result.simulation.drivers), *([npv] if npv else [])]


def sensitivity_block(result: EstimateResult, currency: str) -> SensitivityBlock:
    """The report's view of the estimate's sensitivity."""
    return SensitivityBlock(
        lines=spread_lines(result),
        drivers=[DriverRow(name=driver.name, cost_share=format_percent(driver.cost_share),
                           effort_share=format_percent(driver.effort_share),
                           cost_low=format_simulated_money(driver.cost_low, currency),
                           cost_high=format_simulated_money(driver.cost_high, currency))
                 for driver in result.estimate.sensitivity.drivers])
