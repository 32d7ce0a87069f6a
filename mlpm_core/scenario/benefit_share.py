"""How much of the annual benefit a working model earns: the benefit entered is the target's.

A model that works lands somewhere between its acceptability threshold and its target (the
engine draws the spot per trial, uniformly, the same draw that sets its error rate for the
avoided errors). It is the gain over today's baseline that earns the benefit, so a model at the
threshold earns the threshold's share of the target's gain, in proportion: with a baseline of
0.45, a threshold of 0.55 and a target of 0.7 that is 40%, and working models earn 70% of the
benefit on average. Without this a threshold a point above the baseline earned the whole
benefit, so lowering the bar bought chance of success for free.

Proportion is mlpm's judgement, the simplest reading of "the benefit comes from the gain"; a
team whose benefit is all-or-nothing at the threshold can set the target to the threshold. The
benefit is counted whole when there is one bar only (no target, or the threshold is the target)
or when the target is no better than the baseline (the gain is not measured by this metric; the
threshold-below-baseline condition says so). With no baseline a model at the threshold is
counted at half the benefit, a typical share (the examples' run from 40% to 94%): counting it
whole made leaving the baseline blank pay better than stating it.
"""

from __future__ import annotations

from dataclasses import dataclass

from mlpm_core.scenario.sections import QualitySection

NO_BASELINE_SHARE = 0.5
"""The share a model at the threshold is counted at when no baseline says where the gain
starts (mlpm's judgement: a typical share, see the module)."""


@dataclass(frozen=True)
class BenefitShare:
    """The share of the target's benefit that a model at the threshold earns, and why."""

    at_threshold: float
    """0-1; 1 when the benefit is not scaled."""
    unscaled_because: str = ""
    """Why a threshold short of the target still earns the whole benefit (a clause), or ''
    when it is scaled or there is only one bar."""
    assumed: bool = False
    """Whether ``at_threshold`` is assumed (no baseline) rather than worked out."""

    @property
    def scaled(self) -> bool:
        """Whether a model short of the target earns less than the whole benefit."""
        return self.at_threshold < 1.0

    @property
    def mean(self) -> float:
        """The share a working model earns on average (uniform between threshold and target)."""
        return (1.0 + self.at_threshold) / 2


def threshold_short_of_target(quality: QualitySection) -> bool:
    """Whether the acceptability threshold is a lower bar than the target."""
    threshold, target = quality.acceptability_threshold, quality.target
    if threshold is None or target is None:
        return False
    return threshold < target if quality.higher_is_better else threshold > target


def benefit_share(quality: QualitySection) -> BenefitShare:
    """The threshold's share of the target's gain over the baseline (see the module)."""
    if not threshold_short_of_target(quality):
        return BenefitShare(1.0)
    threshold, target, baseline = (quality.acceptability_threshold, quality.target,
                                   quality.baseline_value)
    assert threshold is not None and target is not None  # threshold_short_of_target
    if baseline is None:
        return BenefitShare(NO_BASELINE_SHARE, assumed=True)
    gain = target - baseline
    if gain == 0 or (gain > 0) != quality.higher_is_better:
        return BenefitShare(1.0, f"the target is no better than the {baseline:g} baseline, so "
                                 "the gain is not measured by this metric")
    return BenefitShare(min(max((threshold - baseline) / gain, 0.0), 1.0))
