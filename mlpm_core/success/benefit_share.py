"""How much of the annual benefit a working model earns: the benefit entered is the target's.

It is the gain over today's baseline that earns the benefit, in proportion: a model that lands
at quality ``Q`` earns ``(Q - baseline) / (target - baseline)`` of it, none below the baseline
and all of it from the target (mlpm's judgement, the simplest reading of "the benefit comes
from the gain"). Where a working model lands comes from the chance of success itself: of the
models that reach the threshold, the share that the answers give a chance of reaching the
target too reach it, and the rest land where the chances at the bars between put them
(``reaching_curve``).
So lowering the bar adds models that earn only what they gain, never the whole benefit: a
threshold a point above the baseline had earned all of it while its chance rose.

The benefit is whole with one bar (no target, or the threshold is the target). An automation's
benefit is the work it takes over, earned by any model good enough to deploy, except the errors
it avoids when the benefit entered includes them (the Quality page's cost of mistakes): that
part, priced at the target, is earned in proportion to the gain as any other (counted whole, a
claims router's switch from augmenting to automating raised its NPV by 39% with no change in
what the model does).

With no baseline a model at the threshold is counted at half: the threshold is taken to lie
halfway from the baseline to the target. Taking it to allow half the baseline's error (the
typical bar the chance of success assumes then) implied a low baseline and counted more than a
typical stated one (71% of the benefit at a 0.88 threshold, 29% with the clerks' own 0.86), so
a blank paid. With a baseline at or beyond the target no model gains on the metric, and the
benefit counts nothing (the threshold-below-baseline condition says why).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from mlpm_core.scenario import QualitySection, Scenario, error_costs, metric_scale

Curve = tuple[tuple[float, ...], tuple[float, ...]]
ONE_BAR: Curve = ((0.0, 1.0), (1.0, 1.0))

NO_BASELINE_SHARE = 0.5
"""The share a model at the threshold is counted at when no baseline is given."""


@dataclass(frozen=True)
class BenefitShare:
    """What share of the target's benefit a working model earns, and why."""

    at_threshold: float
    """The share at the threshold: (threshold - baseline) / (target - baseline), negative when
    the baseline is above the threshold (those models earn nothing); 1 when not scaled."""
    curve: Curve = ((0.0, 1.0), (1.0, 0.0))
    """(positions from 0 at the threshold to 1 at the target, the share of working models
    that reach each): where working models land. The default spreads them evenly."""
    unscaled_because: str = ""
    """Why a threshold short of the target still earns the whole benefit (a clause)."""
    baseline: float | None = None
    """The baseline the share is taken from (None: none is given)."""
    no_gain: bool = False
    """The baseline is at or beyond the target: no model gains on the metric."""
    baseline_unread: bool = False
    """A baseline is given but the values mix shares and percent, so it is counted as none (a
    baseline of 0.74 beside an 82 threshold had earned a model at the threshold 93%)."""
    errors_part: float = 0.0
    """For an automation, the part of the benefit that is errors avoided, earned in proportion
    to the gain; the rest, the work taken over, is earned whole (0: all of it is)."""
    errors_at_target: float = 0.0
    """The errors avoided a year at the target, by the cost of mistakes, that set
    ``errors_part`` against ``benefit_middle`` (said, so that the split can be checked)."""
    benefit_middle: float = 0.0
    """The annual benefit's representative value (``Range.midpoint``) the errors are set against."""

    @property
    def scaled(self) -> bool:
        """Whether a model short of the target earns less than the whole benefit."""
        return self.at_threshold < 1.0  # no gain is a share of 0

    @property
    def reaching_target(self) -> float:
        """Of the working models, the share that reach the target (and earn all of it)."""
        return self.curve[1][-1]

    def landing(self, rank: np.ndarray) -> np.ndarray:
        """Where working models land, 0 at the threshold to 1 at the target, for ranks 0-1
        among them (0: the best): the first ``reaching_target`` reach the target."""
        positions, shares = self.curve
        return np.asarray(np.interp(rank, shares[::-1], positions[::-1], left=1.0, right=0.0),
                          dtype=float)

    def earned(self, position: np.ndarray) -> np.ndarray:
        """The share of the benefit a model landing at ``position`` earns."""
        if self.no_gain:
            return np.zeros_like(position)
        a = self.at_threshold
        return np.clip(a + (1.0 - a) * position, 0.0, 1.0)

    @property
    def mean(self) -> float:
        """The share a working model earns on average."""
        if not self.scaled:
            return 1.0
        ranks = (np.arange(MEAN_GRID) + 0.5) / MEAN_GRID
        return float(self.earned(self.landing(ranks)).mean())


MEAN_GRID = 4000
"""Ranks at which the mean share is taken (midpoints: exact to about 1e-4)."""


def threshold_short_of_target(quality: QualitySection) -> bool:
    """Whether the acceptability threshold is a lower bar than the target."""
    threshold, target = quality.acceptability_threshold, quality.target
    if threshold is None or target is None:
        return False
    return threshold < target if quality.higher_is_better else threshold > target


def benefit_share(scenario: Scenario, curve: Curve = ONE_BAR) -> BenefitShare:
    """The share of the target's benefit working models earn (see the module); ``curve``
    says where they land (``mlpm_core.success.reaching_curve``)."""
    if not threshold_short_of_target(scenario.quality):
        return BenefitShare(1.0, curve)
    proportional = _proportional(scenario.quality, curve)
    if scenario.project.archetype != "automate_manual":
        return proportional
    avoided, middle = _errors_at_target(scenario), scenario.value.annual_benefit.midpoint
    errors = _part_of(avoided, middle)
    if errors == 0:
        return BenefitShare(1.0, curve, unscaled_because="an automation's benefit is the work it "
                            "takes over, earned by any model good enough to deploy")
    gained = 0.0 if proportional.no_gain else proportional.at_threshold
    return replace(proportional, at_threshold=1 - errors * (1 - gained), no_gain=False,
                   errors_part=errors, errors_at_target=avoided, benefit_middle=middle)


def _proportional(quality: QualitySection, curve: Curve) -> BenefitShare:
    """The share when the whole benefit comes from the gain over the baseline."""
    threshold, target = quality.acceptability_threshold, quality.target
    assert threshold is not None and target is not None  # threshold_short_of_target
    baseline = quality.baseline_value
    if baseline is None:
        return BenefitShare(NO_BASELINE_SHARE, curve)
    if metric_scale(quality) == "mixed":
        return BenefitShare(NO_BASELINE_SHARE, curve, baseline_unread=True)
    gain = target - baseline
    if gain == 0 or (gain > 0) != quality.higher_is_better:
        return BenefitShare(0.0, curve, baseline=baseline, no_gain=True)
    return BenefitShare((threshold - baseline) / gain, curve, baseline=baseline)


def errors_in_benefit(scenario: Scenario) -> float:
    """The part of the benefit entered that is errors avoided: their typical cost a year at
    the target over the benefit's midpoint, at most all of it; 0 when the cost of mistakes is
    not given, or is counted apart from the benefit."""
    return _part_of(_errors_at_target(scenario), scenario.value.annual_benefit.midpoint)


def _errors_at_target(scenario: Scenario) -> float:
    """The errors avoided a year at the target that the benefit entered holds, by the cost of
    mistakes; 0 when that cost is not given or is counted apart from the benefit."""
    errors = error_costs(scenario)
    if errors is None or errors.enters_value:
        return 0.0
    return errors.avoided_cost_at_target


def _part_of(avoided: float, benefit: float) -> float:
    """``avoided`` as a part of ``benefit``, 0 to 1 (0 for a benefit not above 0)."""
    if benefit <= 0:
        return 0.0
    return float(min(max(avoided / benefit, 0.0), 1.0))
