"""A technical check as every check module returns it, and the figures its sentences use."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

import numpy as np

Status = Literal["ok", "warn", "fail", "n/a"]


@dataclass(frozen=True)
class TechnicalCheck:
    """One computed check: a status, a plain sentence with the numbers, and the figures."""

    id: str
    title: str
    status: Status
    summary: str
    value: float | None = None
    limit: float | None = None
    blocker: bool = False
    action_key: str = ""
    """The ``check_action`` entry for a failed check's condition, when not the id's."""
    detail: str = ""
    """A word that entry's ``{detail}`` names (the precision a model fits at)."""

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict for reports and the app."""
        return asdict(self)


def number(value: float) -> str:
    """A figure for a sentence: thousands separated, at most three significant decimals."""
    if value == 0:
        return "0"
    if abs(value) >= 100 or float(value).is_integer():
        return f"{value:,.0f}"
    return np.format_float_positional(value, precision=3, unique=False, fractional=False,
                                      trim="-")


def gigabytes(value: float) -> str:
    """Memory as people say it: '14 GB', but '4.8 MB' rather than '0.0048 GB'."""
    return f"{number(value * 1000)} MB" if 0 < value < 1 else f"{number(value)} GB"


def hours_text(value: float) -> str:
    """A duration as people say it: '3.4 hours', '12 minutes', '20 seconds' (not '0.00556
    hours')."""
    amount, unit = ((value * 3600, "second") if value * 60 < 1 else
                    (value * 60, "minute") if value < 1 else (value, "hour"))
    shown = number(amount)
    return f"{shown} {unit}" if shown == "1" else f"{shown} {unit}s"


def money(value: float, currency: str = "") -> str:
    """A compact amount (412k, 1.2M, 0.0035) with the currency in front when given."""
    size = abs(value)
    if size >= 1e6:
        text = f"{value / 1e6:.3g}M"
    elif size >= 1e4:
        text = f"{value / 1e3:.0f}k"
    elif size >= 1e3:
        text = f"{value / 1e3:.3g}k"
    else:
        text = number(value)
    return f"{currency} {text}" if currency else text
