"""Where working models land between the acceptability threshold and the target.

Of the models that reach the threshold, the share that reach each bar on the way to the target
is the answers' chance with that bar as the threshold, over the chance at the threshold: the
benefit a working model earns (``benefit_share``) follows from it. Kept apart from the chance
itself, which it only re-reads at other bars.
"""

from __future__ import annotations

from mlpm_core.rules import condition_context
from mlpm_core.scenario import Scenario, bar_facts, bar_unmeasured
from mlpm_core.success.benefit_share import ONE_BAR, Curve
from mlpm_core.success.probability import (
    adjustments_in,
    clamped_chance,
    load_success_model,
    unclamped_chance,
)

CURVE_POINTS = 12
"""Bars between threshold and target at which the chance is taken, for where models land."""


def reaching_curve(scenario: Scenario) -> Curve:
    """Of the models that reach the acceptability threshold, the share that reach each bar
    on the way to the target: (positions 0 at the threshold to 1 at the target, shares from 1
    down), from the answers' chance with each bar as the threshold (also when the team gives
    its own chance, which is at the threshold), measured from the threshold when no answer
    measures the bar. ``ONE_BAR`` with one bar. The
    curve does not depend on where the threshold sits, only where it starts, so a lower bar
    moves no model's quality."""
    quality = scenario.quality
    threshold, target = quality.acceptability_threshold, quality.target
    if threshold is None or target is None or threshold == target:
        return ONE_BAR
    if bar_unmeasured(quality):
        return UNMEASURED_CURVE
    context = condition_context(scenario)  # once: only the bar changes between the points
    if any(item.entry.stands_in for item in adjustments_in(context)):
        # nothing answered measures the bar: the threshold is the only one known, so each
        # bar beyond it counts as a cut in the threshold's error (a stand-in is the same at
        # every bar, and every working model had reached a 0.999 target)
        quality = quality.model_copy(update={"baseline_value": threshold})
        context["quality"]["baseline_value"] = threshold
    base = load_success_model().base[scenario.difficulty.solved_before].p
    people = scenario.difficulty.human_success_rate
    positions = tuple(index / CURVE_POINTS for index in range(CURVE_POINTS + 1))
    chances = []
    for position in positions:
        bar = threshold + (target - threshold) * position
        context["quality"]["acceptability_threshold"] = bar
        context["derived"].update(bar_facts(
            quality.model_copy(update={"acceptability_threshold": bar}), people))
        chances.append(clamped_chance(unclamped_chance(base, adjustments_in(context))))
    shares, lowest = [], 1.0
    for chance in chances:  # a harder bar never raises the chance; the clamp could
        lowest = min(lowest, chance / chances[0])
        shares.append(lowest)
    return positions, tuple(shares)


UNMEASURED_CURVE: Curve = ((0.0, 1.0), (1.0, 0.5))
"""Where working models land when no scale measures the bar: half reach the target and the
rest spread evenly below it (mlpm's judgement, as a model at the threshold earns half of the
benefit without a baseline); every one of them had reached it, so a typo paid."""
