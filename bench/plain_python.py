"""The engine's model written as a plain-Python loop, one trial at a time: the speed baseline.

It draws the same distributions (PERT via the Beta distribution, lognormal bias, phase factors,
Bernoulli rules, FTE, day rates, costs, value) but with the standard library's ``random``, so the
benchmark can report how much the vectorised engine gains.
"""

from __future__ import annotations

import math
import random

from mlpm_core.estimate.distributions import lognormal_from_interval
from mlpm_core.estimate.engine_model import EngineModel
from mlpm_core.estimate.value import adoption_by_year
from mlpm_core.scenario.model import PHASES, Range


def _draw(rng: random.Random, value: Range) -> float:
    if value.is_certain:
        return value.low
    if value.kind == "lognormal":
        mu, sigma = lognormal_from_interval(value.low, value.high)
        return math.exp(rng.gauss(mu, sigma))
    if value.kind == "uniform":
        return rng.uniform(value.low, value.high)
    if value.kind == "normal":
        return rng.gauss((value.low + value.high) / 2, (value.high - value.low) / 3.29)
    return _pert(rng, value.low, value.most_likely or value.midpoint, value.high)


def _pert(rng: random.Random, a: float, m: float, b: float) -> float:
    if a == b:
        return a
    alpha = 1 + 4 * (m - a) / (b - a)
    return a + (b - a) * rng.betavariate(alpha, 6 - alpha)


def _multiplier(model: EngineModel, log_bias: float, log_phase: float,
                group_logs: dict[str, float], left_out: str) -> float:
    """Bias x phase factor x the rules: the strongest group in full, the others at the stacking
    weight, less the part of the inflation the bias already holds (see estimate.multipliers)."""
    chosen = [value for group, value in group_logs.items() if group != left_out]
    up = [max(value, 0.0) for value in chosen]
    strongest = max(up, default=0.0)
    rules = (strongest + model.stacking_weight * (sum(up) - strongest)
             + sum(min(value, 0.0) for value in chosen))
    rules -= min(max(log_bias, 0.0), max(rules, 0.0))
    return math.exp(log_bias + log_phase + rules)


def one_trial(model: EngineModel, rng: random.Random) -> tuple[float, float, float, float]:
    """Effort, duration (weeks), delivery cost and NPV of one simulated project."""
    log_bias = rng.gauss(model.bias_mu, model.bias_sigma) if model.bias_sigma else 0.0
    log_phase = [rng.gauss(0, model.phase_sigma) if model.phase_sigma else 0.0 for _ in PHASES]
    logs = []
    for rule in model.rules:
        value = math.log(rule.low) if rule.low == rule.high else rng.gauss(
            *lognormal_from_interval(rule.low, rule.high))
        logs.append(value if rng.random() < rule.probability else 0.0)
    group_logs: list[dict[str, float]] = [{} for _ in PHASES]
    for p, members in model.rule_groups:
        group_logs[p][model.rules[members[0]].group] = max(logs[index] for index in members)
    factor = [_multiplier(model, log_bias, log_phase[p], group_logs[p], left_out)
              for p, left_out in model.variants]
    work = [[0.0] * len(model.roles) for _ in PHASES]
    for t in range(len(model.names)):
        days = _pert(rng, model.optimistic[t], model.most_likely[t], model.pessimistic[t])
        p = int(model.task_phase[t])
        variant = int(model.slot_variant[model.task_slot[t]])
        work[p][int(model.task_role[t])] += days * factor[variant]
    fte = [_draw(rng, share) for share in model.fte]
    weeks = sum(max((w / f for w, f in zip(row, fte, strict=True)), default=0.0)
                for row in work) / 5
    by_role = [sum(row[r] for row in work) for r in range(len(model.roles))]
    people = sum(e * _draw(rng, rate) for e, rate in zip(by_role, model.costs.day_rates,
                                                        strict=True))
    costs = model.costs
    hours, price = _draw(rng, costs.gpu_hours), _draw(rng, costs.gpu_price)
    delivery = (people + hours * price * costs.experiments
                + costs.labels_to_buy * _draw(rng, costs.label_cost)
                + _draw(rng, costs.data_purchase))
    run = (costs.servers * _draw(rng, costs.server_cost) + hours * price * costs.retrains
           + _draw(rng, costs.storage) + _draw(rng, costs.licences)
           + people * _draw(rng, costs.maintenance_share))
    value, earned = model.value.value, model.value.share
    success = rng.random() < model.value.p_success
    benefit = _draw(rng, value.annual_benefit)
    benefit *= earned.at_threshold + (1 - earned.at_threshold) * rng.random()
    npv = -delivery
    for year, share in enumerate(adoption_by_year(value), start=1):
        if success:
            discount = (1 + value.discount_rate) ** -(weeks / 52 + year - 0.5)
            npv += (benefit * share - run) * discount
    return sum(by_role), weeks, delivery, npv


def run(model: EngineModel, trials: int, seed: int = 1) -> list[tuple[float, float, float, float]]:
    """``trials`` plain-Python trials."""
    rng = random.Random(seed)
    return [one_trial(model, rng) for _ in range(trials)]
