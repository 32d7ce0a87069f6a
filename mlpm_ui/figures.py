"""Numbers of an estimate as short display strings (no arithmetic: formatting only)."""

from __future__ import annotations

from mlpm_core.feasibility import money, number

MISSING = "n/a"


def amount(value: float | None, currency: str) -> str:
    """A money figure, or ``n/a`` when the summary has none."""
    return MISSING if value is None else money(value, currency)


def quantity(value: float | None, unit: str = "") -> str:
    """A plain figure with its unit, or ``n/a``."""
    if value is None:
        return MISSING
    return f"{number(value)} {unit}".strip()


def whole_days(value: float | None) -> str:
    """Effort as the report's key ranges show it: whole person-days ("78", not "77.8" beside
    "63"), the unit in the label (a metric cuts "505 person-…" in a four-column row)."""
    return MISSING if value is None else f"{value:,.0f}"


def share(value: float) -> str:
    """A probability as a whole percentage."""
    return f"{value:.0%}"
