"""The assumptions ledger: default prices and constants, each with its source and check date.

A scenario field left empty falls back to the ledger; `used` says which value was used and
whether it came from the user or from the ledger, so every default can be shown and challenged.
Ledger prices are US-dollar list prices (``currency = "USD"`` in the file): `used` converts them
into the scenario's currency (``exchange.py``) and says at which rate.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from mlpm_core.paths import repo_data_dir
from mlpm_core.scenario.exchange import (
    ExchangeRate,
    conversion_note,
    converted,
    missing_rate,
    rounded,
    usd_rate,
)
from mlpm_core.scenario.model import Scenario
from mlpm_core.scenario.ranges import Range, certain, span
from mlpm_core.scenario.serving import batch_compute_known

BYTES_PER_PARAMETER = {"fp32": 4.0, "fp16": 2.0, "int8": 1.0, "int4": 0.5}
RETRAINS_PER_YEAR = {"never": 0, "yearly": 1, "quarterly": 4, "monthly": 12, "weekly": 52,
                     "daily": 365}


@dataclass(frozen=True)
class Assumption:
    """One ledger entry."""

    id: str
    label: str
    field: str
    unit: str
    value: Range
    source: str
    checked: str
    cites: tuple[str, ...] = ()  # sources (data/sources.toml) that ``source`` mentions
    currency: str | None = None  # a price's currency ("USD"); None for a quantity


@dataclass(frozen=True)
class UsedValue:
    """The value a calculation used, and where it came from."""

    assumption: Assumption
    value: Range
    overridden: bool
    rate: ExchangeRate | None = None  # how a US-dollar ledger price was converted

    @property
    def converted(self) -> bool:
        return self.rate is not None and self.rate.per_usd != 1

    @property
    def shown_value(self) -> Range:
        """The value as a table shows it: a converted price to three significant digits."""
        return rounded(self.value) if self.converted else self.value

    def conversion(self, currency: str) -> str | None:
        """How a US-dollar ledger price was converted into ``currency``, if it was."""
        return conversion_note(self.rate, currency) if self.rate and self.converted else None


@lru_cache(maxsize=1)
def ledger() -> dict[str, Assumption]:
    """Every shipped assumption by id."""
    raw: dict[str, Any] = tomllib.loads(
        (repo_data_dir() / "assumptions.toml").read_text(encoding="utf-8")
    )
    entries = {}
    for key, entry in raw.items():
        value = (certain(entry["value"]) if "value" in entry
                 else span(entry["low"], entry["high"]))
        entries[key] = Assumption(
            id=key, label=entry["label"], field=entry["field"], unit=entry["unit"],
            value=value, source=entry["source"], checked=entry["checked"],
            cites=tuple(entry.get("cites", ())), currency=entry.get("currency"),
        )
    return entries


def _scenario_value(scenario: Scenario, field: str) -> Any:
    section, name = field.split(".")
    return getattr(getattr(scenario, section), name)


def device_ram_gb(scenario: Scenario) -> float | None:
    """The RAM usable per device the user gave, when predictions run on the device."""
    technical = scenario.technical
    return technical.device.ram_gb if technical.platform == "on_device" else None


def used(scenario: Scenario, assumption_id: str) -> UsedValue:
    """The scenario's own value for an assumption's field, else the ledger's.

    On a device, the RAM usable per device stands in for an empty RAM budget: the ledger's
    phone is only a guess at the device."""
    assumption = ledger()[assumption_id]
    own = _scenario_value(scenario, assumption.field)
    if own is None and assumption.field == "technical.ram_budget_gb":
        own = device_ram_gb(scenario)
    if own is None:
        return _ledger_value(scenario, assumption)
    value = own if isinstance(own, Range) else certain(float(own))
    return UsedValue(assumption, value, overridden=True)


def _ledger_value(scenario: Scenario, assumption: Assumption) -> UsedValue:
    """The ledger's value in the scenario's currency: a US-dollar price is never read as
    pounds or yen; without a rate, a readable error asks for one."""
    if assumption.currency is None:
        return UsedValue(assumption, assumption.value, overridden=False)
    rate = usd_rate(scenario)
    if rate is None:
        raise missing_rate(scenario.project.currency, assumption.label)
    return UsedValue(assumption, converted(assumption.value, rate), overridden=False, rate=rate)


def ram_assumption_id(platform: str) -> str:
    """Ledger id of the RAM a platform typically offers."""
    return f"ram_{platform}"


def relevant(scenario: Scenario) -> list[UsedValue]:
    """The ledger entries this scenario depends on, for display next to the results."""
    return [used(scenario, assumption_id) for assumption_id in relevant_ids(scenario)]


def relevant_ids(scenario: Scenario) -> list[str]:
    """The ids of the ledger entries this scenario depends on: a price whose quantity is zero
    (no GPU-hours, no servers, no tokens) is not one, and needs no exchange rate."""
    ids = ["maintenance_share_per_year", ram_assumption_id(scenario.technical.platform)]
    if scenario.costs.training_gpu_hours.high > 0:
        ids.append("gpu_hour_price")
    if scenario.technical.platform == "online" or batch_compute_known(scenario):
        ids.append("server_cost_per_year")
    if scenario.technical.platform == "online":
        ids.append("peak_utilisation")
    if scenario.technical.tokens_in or scenario.technical.tokens_out:
        ids += ["price_per_1m_input_tokens", "price_per_1m_output_tokens",
                "time_to_first_token_ms", "tokens_per_second"]
    return ids


def retrains_per_year(scenario: Scenario) -> int:
    """Explicit retrains per year, else the count implied by the retraining frequency."""
    if scenario.costs.retrains_per_year is not None:
        return scenario.costs.retrains_per_year
    return RETRAINS_PER_YEAR[scenario.technical.retraining]
