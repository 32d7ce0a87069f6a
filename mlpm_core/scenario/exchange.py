"""Exchange rates for the ledger's prices, which are US-dollar list prices.

A scenario keeps its money in one currency (``project.currency``). The ledger's default prices
(GPU-hours, serving replicas, LLM tokens) come from public US-dollar price lists, so a scenario
in pounds or yen must not read them as pounds or yen: :func:`usd_rate` gives the rate to
convert them at, the scenario's own (``costs.usd_exchange_rate``) or else the European Central
Bank's reference rate of the day ``data/exchange_rates.toml`` was written from. A currency the
ECB does not quote and no rate of the user's: no rate, and the estimate asks for one rather
than treat dollars as that currency.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from mlpm_core.errors import UserError
from mlpm_core.paths import repo_data_dir
from mlpm_core.scenario.currency_symbols import SYMBOLS
from mlpm_core.scenario.model import Scenario
from mlpm_core.scenario.ranges import Range

RATES_FILE = "exchange_rates.toml"
LEDGER_CURRENCY = "USD"


@dataclass(frozen=True)
class ExchangeRate:
    """Units of the scenario's currency per US dollar, and where the rate comes from."""

    per_usd: float
    origin: str  # "the ECB reference rate of 2026-10-30" or "your rate"
    given: bool  # the scenario's own rate


@lru_cache(maxsize=1)
def _rates() -> dict[str, Any]:
    return tomllib.loads((repo_data_dir() / RATES_FILE).read_text(encoding="utf-8"))


def rates_date() -> str:
    """The day the shipped rates are from."""
    return str(_rates()["date"])


def rates_source() -> str:
    """Who publishes the shipped rates, with a link."""
    return str(_rates()["source"])


def currency_code(currency: str) -> str | None:
    """The ISO code of a currency as typed (``eur``, ``€``, ``US$``), if the ECB quotes it."""
    typed = currency.strip().upper()
    code = SYMBOLS.get(typed, typed)
    return code if code in _rates()["per_usd"] else None


def usd_rate(scenario: Scenario) -> ExchangeRate | None:
    """The rate the ledger's US-dollar prices are converted at; ``None`` when none is known."""
    own = scenario.costs.usd_exchange_rate
    if own is not None:
        return ExchangeRate(own, "your rate", given=True)
    code = currency_code(scenario.project.currency)
    if code is None:
        return None
    return ExchangeRate(float(_rates()["per_usd"][code]),
                        f"the ECB reference rate of {rates_date()}", given=False)


def converted(value: Range, rate: ExchangeRate) -> Range:
    """A US-dollar range in the scenario's currency (a positive factor keeps its shape)."""
    if rate.per_usd == 1:
        return value
    likely = None if value.most_likely is None else value.most_likely * rate.per_usd
    return value.model_copy(update={"low": value.low * rate.per_usd,
                                    "high": value.high * rate.per_usd,
                                    "most_likely": likely})


def shown_rate(per_usd: float) -> str:
    """A rate as people quote it: four significant digits (0.7463, 157.3, 18,148)."""
    return f"{per_usd:,.0f}" if per_usd >= 1000 else f"{per_usd:.4g}"


def rounded(value: Range) -> Range:
    """A converted price to three significant digits, for display only (GBP 1,119.495 is
    false precision from a rate of a ballpark US-dollar price)."""
    def three(number: float) -> float:
        return float(f"{number:.3g}")
    likely = None if value.most_likely is None else three(value.most_likely)
    return value.model_copy(update={"low": three(value.low), "high": three(value.high),
                                    "most_likely": likely})


def conversion_note(rate: ExchangeRate, currency: str) -> str:
    """How a ledger price was converted, for the ledger table and the report."""
    return (f"US-dollar price converted at {shown_rate(rate.per_usd)} {currency} per USD "
            f"({rate.origin})")


class MissingExchangeRate(UserError):
    """A ledger price is needed in a currency without a known rate."""


def missing_rate(currency: str, label: str) -> MissingExchangeRate:
    label = label if label[:2].isupper() else label[:1].lower() + label[1:]  # GPU stays GPU
    return MissingExchangeRate(
        f"The default {label} is a US-dollar price and mlpm has no exchange rate for "
        f"'{currency}'. Give how many {currency} one US dollar buys ('1 US dollar in "
        f"{currency}', at the top of Costs & value) or your own {label}; or write the "
        "currency as an ISO code such as EUR or GBP, for which the ECB's reference rate is used.")
