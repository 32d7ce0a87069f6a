"""The cost model: delivery (people, training compute, labels, data) and yearly running costs.

Delivery cost is what the project asks a budget for; running costs (serving, tokens, retraining,
storage, licences, maintenance) are paid every year the model is in use and enter the NPV. The
devices' hardware and the user's own cost lines join one or the other (``cost_lines``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from mlpm_core.estimate.cost_lines import ExtraCost, extra_costs, sample_extras
from mlpm_core.estimate.sampling import input_draw
from mlpm_core.feasibility import batch_machine_years, servers_needed
from mlpm_core.scenario import (
    Range,
    Role,
    Scenario,
    annual_predictions,
    ledger,
    relevant_ids,
    retrains_per_year,
    used,
)

DELIVERY_PARTS = ("people", "training_compute", "labelling", "data_purchase")
RUN_PARTS = ("serving", "inference", "retraining", "storage", "licences", "maintenance")


@dataclass(frozen=True)
class CostModel:
    """Every cost input of a scenario, with ledger defaults filled in."""

    roles: tuple[Role, ...]
    day_rates: tuple[Range, ...]
    gpu_hours: Range
    gpu_price: Range
    experiments: int
    retrains: int
    labels_to_buy: int
    label_cost: Range
    data_purchase: Range
    servers: float
    """Replica-years a year: online replicas for peak load, a batch job's machine time."""
    server_cost: Range
    per_1k_requests: Range
    tokens_in: int
    tokens_out: int
    price_in: Range
    price_out: Range
    annual_requests: float
    storage: Range
    licences: Range
    maintenance_share: Range
    extras: tuple[ExtraCost, ...] = ()


@dataclass(frozen=True)
class CostDraws:
    """Per-trial cost samples, aligned by trial index with every other sample."""

    parts: dict[str, np.ndarray]
    delivery: np.ndarray
    run_fixed_per_year: np.ndarray
    cost_per_request: np.ndarray
    day_rates: np.ndarray


def cost_model(scenario: Scenario, roles: tuple[Role, ...]) -> CostModel:
    """Collect cost inputs once per scenario, so sampling loops touch only numbers."""
    costs, technical = scenario.costs, scenario.technical
    needed = set(relevant_ids(scenario))

    def price(assumption_id: str) -> Range:
        """A price the scenario needs, in its currency; one multiplied by a zero quantity is
        the ledger's as it is (it adds nothing, and needs no exchange rate)."""
        if assumption_id in needed:
            return used(scenario, assumption_id).value
        return ledger()[assumption_id].value

    return CostModel(
        roles=roles,
        day_rates=tuple(scenario.team_member(role).day_rate for role in roles),
        gpu_hours=costs.training_gpu_hours,
        gpu_price=price("gpu_hour_price"),
        experiments=costs.experiments,
        retrains=retrains_per_year(scenario),
        labels_to_buy=scenario.data.labels_to_buy,
        label_cost=scenario.data.label_cost,
        data_purchase=costs.data_purchase,
        servers=servers_needed(scenario) + batch_machine_years(scenario),
        server_cost=price("server_cost_per_year"),
        per_1k_requests=costs.inference_cost_per_1k_requests,
        tokens_in=technical.tokens_in,
        tokens_out=technical.tokens_out,
        price_in=price("price_per_1m_input_tokens"),
        price_out=price("price_per_1m_output_tokens"),
        annual_requests=annual_predictions(scenario),
        storage=costs.storage_per_year,
        licences=costs.licences_per_year,
        maintenance_share=used(scenario, "maintenance_share_per_year").value,
        extras=extra_costs(scenario),
    )


def _per_request(rng: np.random.Generator, model: CostModel, n: int) -> np.ndarray:
    """Variable serving cost of one request: per-request fees plus tokens."""
    cost = input_draw(rng, "per_1k_requests", model.per_1k_requests, n) / 1000.0
    if model.tokens_in:
        cost = cost + model.tokens_in * input_draw(rng, "price_in", model.price_in, n) / 1e6
    if model.tokens_out:
        cost = cost + model.tokens_out * input_draw(rng, "price_out", model.price_out, n) / 1e6
    return cost


def _total(parts: dict[str, np.ndarray], names: Sequence[str]) -> np.ndarray:
    """``0 + parts[a] + parts[b] + ...`` left to right, as ``sum`` adds, into one array.

    ``sum`` would allocate a new array for every addition; the same additions in place give
    the same numbers.
    """
    total = 0 + parts[names[0]]
    for name in names[1:]:
        total += parts[name]
    return total


def _day_rates(rng: np.random.Generator, model: CostModel, n: int) -> np.ndarray:
    """Day rate per trial and role, shape (n, roles), each role's draws contiguous.

    Filled role by role as drawn (a Fortran-ordered array) rather than column-stacked into a
    C-ordered one, which wrote every value with a stride of one row: ~1.5 ms per 100,000
    trials with every role on the team.
    """
    rates = np.empty((n, len(model.day_rates)), order="F")
    for index, (role, rate) in enumerate(zip(model.roles, model.day_rates, strict=True)):
        rates[:, index] = input_draw(rng, f"day_rate:{role}", rate, n)
    return rates


def sample_costs(rng: np.random.Generator, model: CostModel,
                 role_effort: np.ndarray) -> CostDraws:
    """Draw every cost item for ``role_effort.shape[0]`` trials (effort in person-days by role)."""
    n = role_effort.shape[0]
    rates = _day_rates(rng, model, n)
    people = np.einsum("ij,ij->i", role_effort, rates)
    run_hours = input_draw(rng, "gpu_hours", model.gpu_hours, n)
    gpu_price = input_draw(rng, "gpu_price", model.gpu_price, n)
    parts = {
        "people": people,
        "training_compute": run_hours * gpu_price * model.experiments,
        "labelling": model.labels_to_buy * input_draw(rng, "label_cost", model.label_cost, n),
        "data_purchase": input_draw(rng, "data_purchase", model.data_purchase, n),
        "serving": model.servers * input_draw(rng, "server_cost", model.server_cost, n),
        "retraining": run_hours * gpu_price * model.retrains,
        "storage": input_draw(rng, "storage", model.storage, n),
        "licences": input_draw(rng, "licences", model.licences, n),
        "maintenance": people * input_draw(rng, "maintenance_share", model.maintenance_share,
                                           n),
    }
    cost_per_request = _per_request(rng, model, n)
    parts["inference"] = cost_per_request * model.annual_requests
    parts.update(sample_extras(rng, model.extras, n))
    delivery = _total(parts, [*DELIVERY_PARTS, *(extra.key for extra in model.extras
                                                 if extra.paid == "one_off")])
    run_fixed = _total(parts, [*(name for name in RUN_PARTS if name != "inference"),
                               *(extra.key for extra in model.extras if extra.paid == "yearly")])
    return CostDraws(parts=parts, delivery=delivery, run_fixed_per_year=run_fixed,
                     cost_per_request=cost_per_request, day_rates=rates)
