"""Number formatting for reports: thousands separators, the currency code, no false precision.

Every renderer and every report test goes through these functions, so a figure printed in the
PDF is the same string a test builds from the JSON estimate.
"""

from __future__ import annotations

import math

MISSING = "n/a"


def format_number(value: float | None, decimals: int = 0, missing: str = MISSING) -> str:
    """``12345.6`` -> ``'12,346'``; ``None`` or a non-finite value -> ``missing``."""
    if value is None or not math.isfinite(value):
        return missing
    text = f"{value:,.{decimals}f}"
    return text[1:] if text.startswith("-") and not any(c in "123456789" for c in text) else text


def format_money(value: float | None, currency: str, missing: str = MISSING) -> str:
    """``'EUR 1,234,567'``: whole units, thousands separated, the currency code in front."""
    if value is None or not math.isfinite(value):
        return missing
    return f"{currency} {format_number(value)}".strip()


SIMULATED_DIGITS = 3
"""Significant digits of a simulated amount: a percentile of 5,000 trials moves by about a
percent between seeds, so 'EUR 1,878,413' claims four digits the run does not have."""


def format_simulated_money(value: float | None, currency: str, missing: str = MISSING) -> str:
    """A simulated amount to three significant digits: ``'EUR 1,880,000'``, ``'USD 2,530'``;
    below 100 whole units as they are. Budgets, prices and other typed amounts keep
    :func:`format_money`."""
    if value is None or not math.isfinite(value):
        return missing
    if abs(value) >= 100:
        value = float(f"{value:.{SIMULATED_DIGITS}g}")
    return format_money(value, currency)


def format_days(value: float | None, missing: str = MISSING) -> str:
    """Person-days: whole days from 10 up, one decimal below."""
    if value is None or not math.isfinite(value):
        return missing
    return format_number(value, 0 if abs(value) >= 10 else 1)


def format_weeks(value: float | None, missing: str = MISSING) -> str:
    """Calendar weeks with one decimal."""
    return format_number(value, 1, missing)


def format_percent(share: float | None, missing: str = MISSING) -> str:
    """A share 0-1 as a whole percentage; never rounds a non-zero share to 0% or 100%."""
    if share is None or not math.isfinite(share):
        return missing
    percent = 100 * share
    if 0 < percent < 0.5:
        return "<1%"
    if 99.5 <= percent < 100:
        return ">99%"
    return f"{percent:.0f}%"


def format_plain(value: float) -> str:
    """A value as typed: ``5`` not ``5.0``, thousands separated, up to three decimals."""
    if float(value).is_integer():
        return format_number(value)
    text = f"{value:,.3f}".rstrip("0").rstrip(".")
    return text


def format_span(low: float, high: float, currency: str = "") -> str:
    """``'EUR 500–900'``: the two ends of a range as typed, the currency code in front."""
    prefix = f"{currency} " if currency else ""
    return f"{prefix}{format_plain(low)}–{format_plain(high)}"
