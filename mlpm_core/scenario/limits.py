"""The bounds that keep every simulated quantity a finite number, in one place.

The engine multiplies task days by rule multipliers, divides them by FTEs, multiplies them by
day rates and adds prices times counts, in 64-bit floats (finite up to about 1.8e308). Each
bound below is far beyond any real project, yet small enough that the largest possible product
of them, tails of the sampled ranges included, stays many orders of magnitude below overflow.
Without them a scenario could pass validation and then print ``null`` or ``nan`` as its cost:
200 custom rules of x99-100 multiply the effort by 1e400.

The schema (``model.py``, ``sections.py``, ``rule_spec.py``) enforces these values with messages
that name the field; the engine still checks that every result is finite
(``mlpm_core.estimate.finite``), so that a combination missed here is a readable refusal too.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Annotated

from pydantic import AfterValidator

from mlpm_core.errors import shown_number
from mlpm_core.scenario.ranges import QUANTITY_MAX as QUANTITY_MAX  # any range end, at most
from mlpm_core.scenario.ranges import Range

MONEY_MAX = 1e13
"""Largest amount of money anywhere (budget, prices, costs, benefits), in the scenario's
currency: ten trillion, enough in any currency for one project."""

MULTIPLIER_MIN = 0.01
"""Smallest rule multiplier: a rule may shrink a phase to 1% of its estimate, not to zero."""

MULTIPLIER_MAX = 100.0
"""Largest rule multiplier: a single rule of thumb at most multiplies effort by 100."""

MULTIPLIER_PRODUCT_MAX = 1e6
"""Largest product of the highest multipliers of a scenario's custom rules and edited rules
(the largest per rule group, since only the largest of a group applies). The shipped catalogue
stays below it on its own (a test checks), so all rules together multiply by 1e12 at most."""

FTE_MIN = 0.01
"""Smallest share of a person on a role: durations are days divided by FTE."""

FTE_MAX = 100.0
"""Largest FTE of one role."""

TASK_DAYS_MAX = 1e5
"""Largest three-point estimate of one task, in person-days (400 person-years)."""

MAX_TASKS = 500
"""Tasks in one work breakdown."""

MAX_TEAM = 50
"""Team entries (one per role)."""

MAX_CUSTOM_RULES = 200
"""Custom rules in one scenario."""

COUNT_MAX = 10**12
"""Largest count of examples or labels."""


def _money(value: Range | None) -> Range | None:
    if value is not None and max(abs(value.low), abs(value.high)) > MONEY_MAX:
        raise ValueError(f"an amount of money must lie between -{MONEY_MAX:,.0f} and "
                         f"{MONEY_MAX:,.0f}")
    return value


MoneyRange = Annotated[Range, AfterValidator(_money)]
"""A range of money, each end at most ``MONEY_MAX`` in magnitude."""


def check_multiplier(value: Range) -> Range:
    """``value`` if it is a usable rule multiplier range, else ``ValueError`` saying why."""
    if value.low < MULTIPLIER_MIN or value.high > MULTIPLIER_MAX:
        raise ValueError(f"a multiplier must lie between {shown_number(MULTIPLIER_MIN)} and "
                         f"{shown_number(MULTIPLIER_MAX)}, got [{shown_number(value.low)}, "
                         f"{shown_number(value.high)}]")
    return value


def log10_multiplier_product(highs_by_group: Iterable[Iterable[float]]) -> float:
    """log10 of the product over groups of each group's largest multiplier (a sum of logs:
    checking for an overflow must not overflow)."""
    return sum(math.log10(max(group)) for group in (list(g) for g in highs_by_group) if group)


def check_multiplier_product(highs_by_group: Iterable[Iterable[float]]) -> None:
    """Refuse rules that together could multiply effort past ``MULTIPLIER_PRODUCT_MAX``."""
    exponent = log10_multiplier_product(highs_by_group)
    if exponent > math.log10(MULTIPLIER_PRODUCT_MAX) + 1e-9:
        product = f"{10 ** exponent:,.0f}" if exponent < 15 else f"about 1e{exponent:.0f}"
        raise ValueError(
            f"together, the custom rules and edited multipliers could multiply the effort by "
            f"{product} (the product of their highest multipliers, the largest per rule "
            f"group); at most {MULTIPLIER_PRODUCT_MAX:,.0f} keeps the estimate a finite number. "
            "Lower some multipliers, or put rules about the same risk in one group"
        )

DEVICES_MAX = 10**7
"""Devices or sites one model runs on: ten million, so that devices x a device's price stays
far inside ``MONEY_MAX`` x this (1e20), a finite number."""

MAX_COST_LINES = 30
"""Custom cost lines in one scenario."""
