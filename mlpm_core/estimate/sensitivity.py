"""Which uncertain inputs drive the spread of effort and cost: tornado data and plain words.

Shares are squared (Pearson) correlations between each independent input and the
output, normalised to sum to one: for an output that is close to a sum of independent inputs
this is each input's share of the variance. The tornado bars are the output's mean when the
input sits in its lowest and its highest tenth of trials.

An input whose correlation with both effort and cost is within sampling noise of zero is left
out: its bars would only draw noise (a low tenth above the high tenth, say) and read as a
driver. With ``n`` trials an unrelated input's correlation is about normal with standard error
``1/sqrt(n)``; ``NOISE_Z`` of those is the line.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from mlpm_core.scenario import ROLE_LABELS

if TYPE_CHECKING:
    from mlpm_core.estimate.costs import CostDraws
    from mlpm_core.estimate.engine_model import EngineModel

SAMPLE_LIMIT = 10_000
NOISE_Z = 3.0  # an unrelated input crosses it in 0.3% of runs per output
COST_ITEMS = {"labelling": "Labelling cost", "training_compute": "Training compute",
              "data_purchase": "Data purchase"}


@dataclass(frozen=True)
class Driver:
    """One input's effect on effort and on cost."""

    name: str
    kind: str
    effort_share: float
    cost_share: float
    effort_low: float
    effort_high: float
    cost_low: float
    cost_high: float


def _inputs(model: EngineModel, base: np.ndarray, bias: np.ndarray, factors: np.ndarray,
            costs: CostDraws) -> list[tuple[str, str, np.ndarray]]:
    inputs = [(f"Task: {name}", "task", base[:, index]) for index, name in enumerate(model.names)]
    inputs.append(("Estimator bias (how far estimates run over)", "bias", bias))
    inputs += [(f"Rule: {rule.title}", "rule", factors[:, index])
               for index, rule in enumerate(model.rules)]
    inputs += [(f"Day rate: {ROLE_LABELS.get(role, role)}", "rate", costs.day_rates[:, index])
               for index, role in enumerate(model.roles)]
    inputs += [(label, "cost", costs.parts[key]) for key, label in COST_ITEMS.items()]
    inputs += [(extra.driver_name, "cost", costs.parts[extra.key])
               for extra in model.costs.extras if extra.paid == "one_off"]
    return inputs


def squared_correlations(by_input: np.ndarray, by_output: np.ndarray) -> np.ndarray:
    """Squared (Pearson) correlations, shape (inputs, outputs), from sums of products.

    Arrays are (variables, trials), each variable a contiguous row. The products are summed
    with ``einsum`` rather than a matrix product: as fast at this size, but it runs on the
    calling thread, where a BLAS product wakes worker threads that then keep a second core
    busy for a while after every run.
    """
    n = by_input.shape[1]
    mean_x, mean_y = by_input.mean(axis=1), by_output.mean(axis=1)
    cov = np.einsum("ij,kj->ik", by_input, by_output) / n - np.outer(mean_x, mean_y)
    var_x = np.einsum("ij,ij->i", by_input, by_input) / n - mean_x**2
    var_y = np.einsum("ij,ij->i", by_output, by_output) / n - mean_y**2
    denominator = np.sqrt(np.clip(np.outer(var_x, var_y), 0, None))
    corr = np.divide(cov, denominator, out=np.zeros_like(cov), where=denominator > 0)
    squared: np.ndarray = corr**2
    return squared


def above_noise(squared: np.ndarray, trials: int) -> np.ndarray:
    """Per input, whether its correlation with any output is beyond sampling noise."""
    mask: np.ndarray = np.asarray((squared > NOISE_Z**2 / trials).any(axis=1))
    return mask


def _normalised(squared: np.ndarray) -> np.ndarray:
    """Each output's squared correlations scaled to sum to one over the inputs."""
    totals = squared.sum(axis=0)
    shares: np.ndarray = np.divide(squared, totals, out=np.zeros_like(squared), where=totals > 0)
    return shares


def _decile_means(by_input: np.ndarray,
                  by_output: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean outputs when each input is in its lowest / highest tenth: (inputs, outputs) each.

    The decile cut points come from every tenth trial: their sampling error is far below the
    width of a tornado bar, and it makes this ten times cheaper. Arrays are (variables,
    trials), as in ``squared_correlations``, and the masked sums use ``einsum`` for the same reason.
    """
    sample = by_input[:, ::10]
    n = sample.shape[1]
    low_rank, high_rank = int(0.1 * (n - 1)), int(np.ceil(0.9 * (n - 1)))
    cuts = np.partition(sample, [low_rank, high_rank], axis=1)
    chosen = np.empty(by_input.shape, dtype=bool)
    mask = np.empty(by_input.shape)  # one 0/1 buffer for both tails: less fresh memory
    means = []
    for compare, rank in ((np.less_equal, low_rank), (np.greater_equal, high_rank)):
        compare(by_input, cuts[:, rank : rank + 1], out=chosen)
        np.copyto(mask, chosen)
        counts = np.count_nonzero(chosen, axis=1)
        means.append(np.einsum("ij,kj->ik", mask, by_output) / np.maximum(counts, 1)[:, None])
    return means[0], means[1]


def drivers_for(model: EngineModel, base: np.ndarray, effort: np.ndarray, bias: np.ndarray,
                factors: np.ndarray, costs: CostDraws) -> list[Driver]:
    """Effects of every uncertain input, from the first trials of a chunk.

    ``base`` holds the task draws before any multiplier, so a task and the bias factor count
    as separate inputs instead of sharing credit.
    """
    limit = min(SAMPLE_LIMIT, base.shape[0])
    inputs = [item for item in _inputs(model, base[:limit], bias[:limit], factors[:limit],
                                       _head(costs, limit)) if np.ptp(item[2]) > 0]
    if not inputs:
        return []
    by_input = np.stack([values for _, _, values in inputs])
    by_output = np.stack([effort[:limit], costs.delivery[:limit]])
    squared = squared_correlations(by_input, by_output)
    kept = above_noise(squared, limit)
    shares = _normalised(squared)[kept]  # shares of all inputs, noise included: they add up
    low, high = _decile_means(by_input[kept], by_output)
    named = [(name, kind) for (name, kind, _), keep in zip(inputs, kept, strict=True) if keep]
    drivers = [
        Driver(name, kind, effort_share=float(shares[i, 0]), cost_share=float(shares[i, 1]),
               effort_low=float(low[i, 0]), effort_high=float(high[i, 0]),
               cost_low=float(low[i, 1]), cost_high=float(high[i, 1]))
        for i, (name, kind) in enumerate(named)
    ]
    return sorted(drivers, key=lambda driver: driver.cost_share, reverse=True)


def _head(costs: CostDraws, limit: int) -> CostDraws:
    return replace(
        costs,
        parts={key: values[:limit] for key, values in costs.parts.items()},
        delivery=costs.delivery[:limit],
        run_fixed_per_year=costs.run_fixed_per_year[:limit],
        cost_per_request=costs.cost_per_request[:limit],
        day_rates=costs.day_rates[:limit],
    )


def summary_sentence(drivers: list[Driver], output: str = "cost") -> str:
    """The top driver in plain words, e.g. '62% of the spread in cost comes from ...'."""
    if not drivers:
        return f"Nothing uncertain drives the {output}: every input is a single number."
    key = "cost_share" if output == "cost" else "effort_share"
    top = max(drivers, key=lambda driver: getattr(driver, key))
    share = round(100 * getattr(top, key))
    return f"{share}% of the spread in {output} comes from {_lower_first(top.name)}."


def spread_sentences(drivers: list[Driver]) -> list[str]:
    """The cost's and the effort's top drivers in words: one sentence when the same input
    leads both ('37% of the spread in cost and 43% in effort come from estimator bias'),
    which the report had said twice, line for line."""
    if not drivers:
        return ["Nothing uncertain drives the cost or the effort: every input is a single "
                "number."]
    cost = max(drivers, key=lambda driver: driver.cost_share)
    effort = max(drivers, key=lambda driver: driver.effort_share)
    if cost.name != effort.name:
        return [summary_sentence(drivers, "cost"), summary_sentence(drivers, "effort")]
    return [f"{round(100 * cost.cost_share)}% of the spread in cost and "
            f"{round(100 * cost.effort_share)}% in effort come from {_lower_first(cost.name)}."]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
