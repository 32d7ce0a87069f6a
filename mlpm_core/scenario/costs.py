"""The cost questions: compute, serving, data and running costs, and the user's own cost lines.

Empty prices come from the assumptions ledger. A custom cost line is anything the standard
questions miss (gateways' installation, a certification, a yearly support contract): a name,
one-off or yearly, and an amount as a 90% range like every other cost. One-off lines count in
the delivery cost, yearly ones in the running costs of every year of the horizon (in the NPV).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from mlpm_core.scenario.limits import MAX_COST_LINES, MoneyRange
from mlpm_core.scenario.ranges import Range, StrictModel, certain
from mlpm_core.scenario.text import SafeLine


class CustomCostLine(StrictModel):
    """One cost the standard questions do not ask about, named by the user."""

    name: SafeLine = Field(min_length=1, max_length=100,
                           description="What the cost is, e.g. 'Gateway installation'.")
    paid: Literal["one_off", "yearly"] = Field(
        "one_off", description="One-off (counted in the delivery cost) or yearly (counted "
        "every year of the horizon, like storage and licences)."
    )
    amount: MoneyRange = Field(
        default_factory=lambda: certain(0.0),
        description="The amount (per year when yearly), as a 90% range; a most-likely value "
        "makes it a PERT shape.",
    )

    @field_validator("name")
    @classmethod
    def _named(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("give the cost line a name")
        return value

    @field_validator("amount")
    @classmethod
    def _not_negative(cls, value: Range) -> Range:
        if value.low < 0:
            raise ValueError("a cost cannot be negative; put savings in the annual benefit")
        return value


class CostsSection(StrictModel):
    """Machine, data and running costs. Empty prices come from the assumptions ledger."""

    training_gpu_hours: Range = Field(default_factory=lambda: certain(0.0),
                                      description="GPU-hours for one full training run.")
    gpu_hour_price: MoneyRange | None = Field(None, description="Price of one GPU-hour; empty: "
                                         "assumption.")
    experiments: int = Field(10, ge=0, le=100000,
                             description="Full training runs during development.")
    retrains_per_year: int | None = Field(
        None, ge=0, le=100000, description="Retraining runs per year; empty: from the "
        "retraining frequency."
    )
    inference_cost_per_1k_requests: MoneyRange = Field(
        default_factory=lambda: certain(0.0),
        description="Per-request serving cost per 1,000 requests (e.g. a hosted API), "
        "besides servers and tokens.",
    )
    server_cost_per_year: MoneyRange | None = Field(
        None, description="Cost of one serving replica (or batch worker) for a year; a batch "
        "job pays the share of it that its runs take. Empty: assumption."
    )
    price_per_1m_input_tokens: MoneyRange | None = Field(
        None, description="LLM price per million input tokens; empty: assumption."
    )
    price_per_1m_output_tokens: MoneyRange | None = Field(
        None, description="LLM price per million output tokens; empty: assumption."
    )
    storage_per_year: MoneyRange = Field(default_factory=lambda: certain(0.0),
                                    description="Data and model storage per year.")
    licences_per_year: MoneyRange = Field(default_factory=lambda: certain(0.0),
                                     description="Software and model licence fees per year.")
    data_purchase: MoneyRange = Field(default_factory=lambda: certain(0.0),
                                 description="One-off cost of buying data.")
    maintenance_share_per_year: Range | None = Field(
        None, description="Maintenance and monitoring per year as a share of the delivery "
        "people cost (0.2 = 20%); empty: assumption."
    )

    usd_exchange_rate: float | None = Field(
        None, gt=0, le=1e6,
        description="How many units of the project's currency one US dollar buys. The default "
        "prices (GPU-hours, servers, tokens) are US-dollar list prices and are converted at "
        "this rate; empty: the European Central Bank's reference rate for the currency.",
    )

    custom_lines: list[CustomCostLine] = Field(
        default_factory=list, max_length=MAX_COST_LINES,
        description="Your own cost lines (hardware installation, certification, support "
        "contracts): each one-off or yearly, with its amount as a 90% range.",
    )

    @model_validator(mode="after")
    def _distinct_names(self) -> CostsSection:
        """Each line is its own row of the cost breakdown: two with one name could not be told
        apart there."""
        seen: set[str] = set()
        for line in self.custom_lines:
            key = line.name.strip().casefold()
            if key in seen:
                raise ValueError(f"two custom cost lines are named '{line.name}'; give each "
                                 "its own name")
            seen.add(key)
        return self
