"""The key ranges every report opens with: effort, duration, cost, NPV, ROI and payback, each
as P10/P50/P80/P90 and mean, raw and formatted once for every renderer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from mlpm_core.report.base import ReportModel
from mlpm_core.report.numbers import (
    MISSING,
    format_days,
    format_simulated_money,
    format_weeks,
)

if TYPE_CHECKING:
    from mlpm_core.assessment import Estimate, Summary

SUMMARY_KEYS = ("p10", "p50", "p80", "p90", "mean")
Kind = Literal["days", "weeks", "money", "years", "share"]
NEVER = "never"
"""A payback percentile that falls among the simulated projects that never pay back."""


class RangeRow(ReportModel):
    """One key output as P10/P50/P80/P90 and mean, raw and formatted."""

    key: str
    label: str
    values: dict[str, float | None]
    shown: dict[str, str]


def format_value(value: float | None, kind: Kind, currency: str = "") -> str:
    """A summary figure formatted for its kind: person-days, weeks, money, years or a share
    (an ROI of 1.3 is 130%, one of -1 is -100%)."""
    if kind == "money":
        return format_simulated_money(value, currency)
    if kind == "share":
        return MISSING if value is None else f"{value:.0%}"
    return format_days(value) if kind == "days" else format_weeks(value)


def range_row(key: str, text: str, summary: Summary, kind: Kind, currency: str) -> RangeRow:
    """A key output's five numbers and their display strings; money without its currency
    code, which the row's label carries ("NPV (EUR)": "EUR -667,000" said it twice). A
    payback percentile that is not a number is among the projects that never pay back."""
    values = {name: getattr(summary, name) for name in SUMMARY_KEYS}
    shown = {name: format_value(value, kind, currency).removeprefix(f"{currency} ")
             for name, value in values.items()}
    if kind == "years":
        shown |= {name: NEVER for name, value in values.items()
                  if value is None and name != "mean"}
    return RangeRow(key=key, label=text, values=values, shown=shown)


def key_ranges(estimate: Estimate, currency: str) -> list[RangeRow]:
    """The rows in the order the reports show them."""
    return [
        range_row("effort_days", "Effort (person-days)", estimate.effort_days, "days", currency),
        range_row("duration_weeks", "Duration (weeks)", estimate.duration_weeks, "weeks",
                  currency),
        range_row("cost", f"Delivery cost ({currency})", estimate.cost, "money", currency),
        range_row("npv", f"NPV, all outcomes ({currency})", estimate.npv, "money", currency),
        range_row("roi", "ROI (NPV / money in)", estimate.roi, "share", currency),
        range_row("payback_years", "Payback (years from start)", estimate.payback_years,
                  "years", currency),
    ]


RETURNS_BASIS = ("ROI: the NPV over the money put in (the delivery cost and the running costs, "
                 "discounted). Payback: the years from the start until the money put in is "
                 "back; never when it is not back within the horizon, as for every model that "
                 "misses its threshold.")
"""What the ROI and payback rows mean, where there is room to say it (the PDF's labels say it
in short: its first page has none to spare)."""


def returns_sentence(estimate: Estimate) -> str:
    """The ROI's and the payback's middle and spread in a line, with what they mean, for the
    app's key figures (the reports give them as rows of the key ranges)."""
    roi = range_row("roi", "", estimate.roi, "share", "")
    payback = range_row("payback_years", "", estimate.payback_years, "years", "")
    years = payback.shown["p50"]
    years = years if years == NEVER else f"{years} years"
    return (f"ROI P10 to P90: {roi.shown['p10']} to {roi.shown['p90']}; payback P50: "
            f"{years}. {RETURNS_BASIS}")
