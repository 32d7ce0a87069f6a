"""The bridge from the team's own numbers to the P50 effort, one factor at a time.

Starts at the sum of the tasks' PERT means, then shows the median effort as each factor joins
on the same simulated trials (common random numbers, so a step is the factor's effect, not
sampling noise): the tasks' own ranges and the phase factor, each rule group in the order the
catalogue lists them, and the estimator bias (net of the rule inflation it already covers). The
last step is the estimate's own P50.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from mlpm_core.estimate.engine import CHUNK_TRIALS, task_sums
from mlpm_core.estimate.engine_model import EngineModel
from mlpm_core.estimate.multipliers import MultiplierParts, combine, multiplier_parts
from mlpm_core.estimate.sampling import trial_rng
from mlpm_core.scenario import RULE_GROUP_LABELS


@dataclass(frozen=True)
class BridgeStep:
    """One step of the bridge: cumulative median person-days once ``label`` is included."""

    step: str
    label: str
    effort_days: float
    saved_alone: float | None = None
    """What the P50 would lose with this factor alone removed and every other in place (rule
    groups and the estimator bias; None for the other steps): a step's own size depends on its
    place, since rule groups stack in part and the bias scales them all."""


def bottom_up_days(model: EngineModel) -> float:
    """The team's own number: the sum of the tasks' PERT means, (o + 4m + p) / 6."""
    return float(((model.optimistic + 4 * model.most_likely + model.pessimistic) / 6).sum())


def _rule_groups(model: EngineModel) -> list[tuple[str, str]]:
    """(group, label) of each rule group that fires, in catalogue order: a rule's title when
    it is alone in its group, else the group's label ("Complex data: double the estimate; Data
    with some issues; Unstructured data (+63)" read as three steps, and only the largest rule
    of a group counts)."""
    seen: dict[str, list[str]] = {}
    for rule in model.rules:
        seen.setdefault(rule.group, []).append(rule.title)
    return [(group, titles[0] if len(titles) == 1
             else RULE_GROUP_LABELS.get(group, "; ".join(titles)))
            for group, titles in seen.items()]


def rule_step_labels(model: EngineModel) -> dict[str, str]:
    """Rule id -> the label of the bridge step that counts it: the rules table names it, so
    that a reader finds each rule's effect in the bridge."""
    labels = dict(_rule_groups(model))
    return {rule.id: labels[rule.group] for rule in model.rules}


ALONE_TRIALS = 20_000
"""Trials each factor's saving alone is measured on (the first of the chunk): a difference of
two medians on the same draws is steady at this many, and taking them on the chunk's 100,000
made the bridge twice as slow (78 to 144 ms an estimate)."""


def _first(parts: MultiplierParts, count: int) -> MultiplierParts:
    """The multiplier parts of the first ``count`` trials (views, nothing copied)."""
    return MultiplierParts(
        parts.log_bias[:count],
        None if parts.log_phase is None else parts.log_phase[:, :count],
        parts.log_factors[:, :count],
        tuple({group: logs[:count] for group, logs in phase.items()}
              for phase in parts.group_logs))


def effort_bridge(model: EngineModel, seed: int, trials: int, p50: float) -> list[BridgeStep]:
    """The bridge for ``model``, from ``bottom_up`` to ``p50`` (the estimate's own median).

    Intermediate steps use the first chunk of the estimate's trials, drawn in the engine's
    order, so with up to one chunk of trials the last intermediate step equals ``p50``.
    """
    steps = [BridgeStep("bottom_up", "Sum of the tasks' PERT means", bottom_up_days(model))]
    if not len(model.names):
        return [*steps, BridgeStep("p50", "P50 effort", p50)]
    n = min(trials, CHUNK_TRIALS)
    rng = trial_rng(seed, 0)
    rows, _ = task_sums(model, rng, n, 0)
    parts = multiplier_parts(model, rng, n)
    per_variant = np.zeros((len(model.variants), n))  # task days by the multiplier they get
    np.add.at(per_variant, model.slot_variant, rows)

    def median(groups: set[str], with_bias: bool) -> float:
        multipliers = combine(model, parts, groups, with_bias)
        return float(np.median((per_variant * multipliers).sum(axis=0)))

    # the savings alone on the chunk's first trials: each is a difference of two medians on
    # the same draws, steady at ALONE_TRIALS, and each more median costs a combine
    few = min(n, ALONE_TRIALS)
    first_parts, first_days = _first(parts, few), per_variant[:, :few]

    def first_median(groups: set[str], with_bias: bool) -> float:
        multipliers = combine(model, first_parts, groups, with_bias)
        return float(np.median((first_days * multipliers).sum(axis=0)))

    groups = _rule_groups(model)
    every = {group for group, _ in groups}
    with_bias = model.reference is not None
    everything = first_median(every, with_bias)
    included: set[str] = set()
    steps.append(BridgeStep("task_ranges", "Task ranges and phase uncertainty (median)",
                            median(included, with_bias=False)))
    for group, label in groups:
        included.add(group)
        steps.append(BridgeStep(f"rules:{group}", label, median(included, with_bias=False),
                                everything - first_median(every - {group}, with_bias)))
    if model.reference is not None:
        steps.append(BridgeStep("estimator_bias",
                                f"Estimator bias (reference class '{model.reference.name}')",
                                median(included, with_bias=True),
                                everything - first_median(every, with_bias=False)))
    steps.append(BridgeStep("p50", "P50 effort", p50))
    return steps


INFLATION_NOTE_ABOVE = 2.0  # P50 over the bottom-up sum beyond which the estimate warns why


def inflated(bottom_up: float, p50: float) -> bool:
    """Whether the factors take the tasks' own sum past ``INFLATION_NOTE_ABOVE`` times: then
    the estimate names the largest steps and says how not to count a risk twice."""
    return bottom_up > 0 and p50 / bottom_up > INFLATION_NOTE_ABOVE


ALREADY_BUDGETED = ("Where a task's own estimate already budgets for a step's risk (a data "
                    "cleaning task sized for this data), set its Covers risk on Team & tasks, "
                    "or switch the rule off with a note on the Rules page: the rules of thumb "
                    "correct estimates that leave the risk out, and must not count it twice.")
PERT_MEAN = "(optimistic + 4 x most likely + pessimistic) / 6"


def _largest_steps(steps: list[BridgeStep], top: int) -> str:
    rises = sorted(((later.effort_days - earlier.effort_days, later.label)
                    for earlier, later in pairwise(steps[1:-1])),
                   reverse=True)
    return ", ".join(f"{label} (+{rise:,.0f})" for rise, label in rises[:top] if rise > 0)


def inflation_sentence(steps: list[BridgeStep], top: int = 3) -> str | None:
    """One sentence when the factors more than double the team's own number, naming the
    largest steps; None otherwise."""
    start, end = steps[0].effort_days, steps[-1].effort_days
    if not inflated(start, end):
        return None
    return (f"The rules of thumb and the estimator bias take the tasks' {start:,.0f} "
            f"person-days to a median of {end:,.0f} (x{end / start:.1f}); the largest steps: "
            f"{_largest_steps(steps, top)}. {ALREADY_BUDGETED}")


def bridge_sentence(steps: list[BridgeStep], most_likely_days: float, top: int = 3) -> str:
    """The bridge in words for every estimate with tasks: the team's own most-likely total,
    the PERT sum the bridge starts from (and what a PERT mean is), the overall factor to the
    P50, and past a doubling the largest steps. A sponsor met 'PERT means 35' with no link to
    the 31.5 days the team typed, and no factor."""
    start, end = steps[0].effort_days, steps[-1].effort_days
    if start <= 0:
        return ""
    shown = f"{most_likely_days:,.1f}".removesuffix(".0")
    text = (f"The tasks' {start:,.0f} person-days ({shown} most likely; PERT means, "
            f"{PERT_MEAN}) become a median of {end:,.0f} (x{end / start:.1f})")
    largest = _largest_steps(steps, top) if inflated(start, end) else ""
    text = f"{text}; the largest steps: {largest}." if largest else f"{text}."
    alone = _saved_alone(steps)
    if alone:
        return f"{text} {STEP_CAVEAT} {alone}"
    return f"{text} {STEP_CAVEAT}" if len(steps) > 3 else text


STEP_CAVEAT = "Each step is measured with the steps above it in place."
"""Factors overlap (rules of several groups stack in part, the bias scales them all), so a
step's size depends on its place; a sponsor reads a step as a saving and must be told."""

ALONE_DIFFERS_BY = 0.1
"""A step said again as its saving alone once the two differ by more than a tenth of it (and a
person-day): a review switched scope growth off expecting the +40 the bridge showed and saved
28."""


def _saved_alone(steps: list[BridgeStep]) -> str:
    """'Removed alone, with every other factor in place: Size and scope growth would save 28
    person-days, not 40' for the steps whose saving alone differs from their size in the
    bridge; empty when none does."""
    said = []
    for earlier, later in pairwise(steps[1:-1]):
        alone, step = later.saved_alone, later.effort_days - earlier.effort_days
        if alone is not None and abs(alone - step) > max(ALONE_DIFFERS_BY * abs(step), 1.0):
            said.append(f"{later.label} would save {alone:,.0f} person-days, not {step:,.0f}")
    if not said:
        return ""
    return f"Removed alone, with every other factor in place: {'; '.join(said)}."
