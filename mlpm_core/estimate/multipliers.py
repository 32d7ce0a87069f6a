"""Per-phase effort multipliers: estimator bias, phase factor and the rules of thumb.

How the factors combine (README, "How rules, templates and the reference class combine"):

* Rules of one group describe the same risk: only the largest of them counts.
* Different groups are different risks, but each rule of thumb was stated on its own as a
  correction to a plain estimate, and no source says to compound them. In ranged mode the
  strongest group counts in full and every further group with the catalogue's
  ``further_risks_weight`` (0.25: a further doubling adds x1.19); a factor below 1 counts in
  full. Strict mode compounds them all, as the user chose.
* A task that already budgets for a risk (``Task.covers`` names the rule group, e.g. data
  cleaning for data understanding; generated tasks carry their template block's) is not
  multiplied again by that group's rules: its phase gets a second multiplier without that group.
* The estimator bias of a reference class is the team's (or the reference data's) typical
  overrun, which already holds the risks such projects usually meet: the part of the rules'
  inflation and that median overrun combine like two risk groups (the larger in full, the
  smaller with the stacking weight), so the two never correct the same overrun twice; the
  bias's spread around its median applies in full.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from mlpm_core.estimate.distributions import lognormal_from_interval, normal_draws
from mlpm_core.estimate.sampling import input_stream
from mlpm_core.rules import ActiveRule
from mlpm_core.scenario import PHASES, Task

if TYPE_CHECKING:
    from mlpm_core.estimate.engine_model import EngineModel


def multiplier_variants(tasks: Sequence[Task]) -> tuple[tuple[tuple[int, str], ...], np.ndarray]:
    """The multipliers the engine needs, as (phase, rule group left out), and each task's.

    The first ``len(PHASES)`` are the plain phases, so a scenario whose tasks cover nothing
    has exactly one multiplier per phase; each (phase, covered group) met among the tasks adds
    one.
    """
    variants: list[tuple[int, str]] = [(phase, "") for phase in range(len(PHASES))]
    task_variant = np.empty(len(tasks), dtype=np.intp)
    for index, task in enumerate(tasks):
        key = (PHASES.index(task.phase), task.covers)
        if key not in variants:
            variants.append(key)
        task_variant[index] = variants.index(key)
    return tuple(variants), task_variant


def group_members(rules: list[ActiveRule],
                  masks: np.ndarray) -> tuple[tuple[int, tuple[int, ...]], ...]:
    """For each (phase, rule group): the rules of that group that act on that phase."""
    members: dict[tuple[int, str], list[int]] = {}
    for index, rule in enumerate(rules):
        for phase in np.flatnonzero(masks[index]):
            members.setdefault((int(phase), rule.group), []).append(index)
    return tuple((phase, tuple(indices)) for (phase, _), indices in members.items())


def rule_log_factors(rng: np.random.Generator, rules: tuple[ActiveRule, ...],
                     n: int) -> np.ndarray:
    """Log multiplier of each rule per trial, shape (rules, n): its range when it fires, else 0.

    Each rule draws from a stream of its own, keyed by its id (``input_stream``), so adding,
    editing or switching off a rule leaves every other draw as it was (a new rule can only add
    to the estimate, never reshuffle it). A rule that does
    not fire is zeroed by multiplying with the 0/1 outcome, five times cheaper than a masked
    assignment; it can leave -0.0 where the draw was negative, which adds and exponentiates
    exactly like 0.0.
    """
    logs = np.empty((len(rules), n))
    for index, rule in enumerate(rules):
        row = logs[index]
        stream = input_stream(rng, f"rule:{rule.id}")
        if rule.low < rule.high:
            mu, sigma = lognormal_from_interval(rule.low, rule.high)
            normal_draws(stream, n, float(sigma), float(mu), out=row)
        else:
            row.fill(np.log(rule.low))
        if rule.probability < 1.0:
            row *= stream.random(n) < rule.probability
    return logs


@dataclass(frozen=True)
class MultiplierParts:
    """The log factors behind the multipliers of ``n`` trials, before they are combined.

    ``group_logs[phase]`` maps each rule group acting on that phase to its largest log factor
    per trial; the bridge combines subsets of these to show each group's contribution.
    """

    log_bias: np.ndarray
    log_phase: np.ndarray | None
    log_factors: np.ndarray
    group_logs: tuple[dict[str, np.ndarray], ...]


def multiplier_parts(model: EngineModel, rng: np.random.Generator, n: int) -> MultiplierParts:
    """Draw the bias, the phase factors and every rule's factor, in the engine's fixed order."""
    log_bias = (normal_draws(rng, n, model.bias_sigma, model.bias_mu)
                if model.bias_sigma or model.bias_mu else np.zeros(n))
    log_phase = (normal_draws(rng, len(PHASES) * n, model.phase_sigma).reshape(len(PHASES), n)
                 if model.phase_sigma else None)
    log_factors = rule_log_factors(rng, model.rules, n)
    group_logs: tuple[dict[str, np.ndarray], ...] = tuple({} for _ in PHASES)
    strongest: dict[tuple[int, ...], np.ndarray] = {}
    for phase, members in model.rule_groups:
        if members not in strongest:
            strongest[members] = _group_maximum(log_factors, members)
        group_logs[phase][model.rules[members[0]].group] = strongest[members]
    return MultiplierParts(log_bias, log_phase, log_factors, group_logs)


def stacked(group_logs: list[np.ndarray], weight: float, n: int) -> np.ndarray:
    """The rules' combined log inflation of one phase: the strongest group in full, each
    further group's inflation times ``weight``, every reducing factor in full."""
    if not group_logs:
        return np.zeros(n)
    if weight == 1.0:
        total = group_logs[0].copy()
        for logs in group_logs[1:]:
            total += logs
        return total
    inflation = [np.maximum(logs, 0.0) for logs in group_logs]
    strongest = inflation[0].copy()
    total = inflation[0].copy()
    reducing = np.minimum(group_logs[0], 0.0)
    for logs, up in zip(group_logs[1:], inflation[1:], strict=True):
        np.maximum(strongest, up, out=strongest)
        total += up
        reducing += np.minimum(logs, 0.0)
    combined: np.ndarray = strongest + weight * (total - strongest) + reducing
    return combined


def net_of_bias(log_rules: np.ndarray, median_log_bias: float, weight: float) -> np.ndarray:
    """The rules' log inflation less the part the class's typical overrun already covers.

    The median overrun and the rules' inflation are two corrections of the same plain
    estimate, combined like two risk groups: the larger counts in full, the smaller with
    ``weight`` (strict mode, weight 1: compounded). A team that runs over more than another
    thus still gets a larger estimate, without the two multiplying.
    Only the median is netted: the spread of the bias around it is the uncertainty of one
    project's bias and widens the range both ways. Netting each trial's own draw would
    swallow the high draws in the rules and keep the low ones, lowering the P50.
    """
    overlap = np.minimum(max(median_log_bias, 0.0), np.maximum(log_rules, 0.0))
    covered = (1.0 - weight) * overlap
    net: np.ndarray = log_rules - covered
    return net


def combine(model: EngineModel, parts: MultiplierParts, groups: set[str] | None = None,
            with_bias: bool = True) -> np.ndarray:
    """Multiplier per variant (``EngineModel.variants``: each phase, then each phase without a
    covered group), shape (variants, n), from ``parts``: all factors by default, or only the
    rule ``groups`` named and (``with_bias=False``) no estimator bias."""
    n = parts.log_bias.shape[0]
    log_multipliers = np.zeros((len(model.variants), n))
    for variant, (phase, left_out) in enumerate(model.variants):
        if parts.log_phase is not None:
            log_multipliers[variant] += parts.log_phase[phase]
        by_group = parts.group_logs[phase]
        chosen = [logs for group, logs in by_group.items()
                  if group != left_out and (groups is None or group in groups)]
        log_rules = stacked(chosen, model.stacking_weight, n)
        if with_bias:
            log_rules = net_of_bias(log_rules, model.bias_mu, model.stacking_weight)
        log_multipliers[variant] += log_rules
    if with_bias:
        log_multipliers += parts.log_bias
    return np.exp(log_multipliers)


def phase_multipliers(model: EngineModel, rng: np.random.Generator,
                      n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-phase effort multiplier, shape (phases, n): estimator bias x phase factor x rules,
    with the log bias and every rule's log factor (for the drivers)."""
    parts = multiplier_parts(model, rng, n)
    return combine(model, parts), parts.log_bias, parts.log_factors


def _group_maximum(log_factors: np.ndarray, members: tuple[int, ...]) -> np.ndarray:
    """The largest log factor of a rule group per trial (a row view for a single rule).

    Computed once per group and reused for every phase the group acts on; pairwise
    ``np.maximum`` gives exactly ``log_factors[members].max(axis=0)`` without the copy.
    """
    largest: np.ndarray = log_factors[members[0]]
    for member in members[1:]:
        largest = np.maximum(largest, log_factors[member])
    return largest
