"""Class balance and rare events: how often the thing the model must catch happens.

A failure predictor on a few machines sees a handful of failures a year; a fraud model sees one
payment in a thousand. Both change what the data can give: a supervised model needs enough
positive examples to learn from and to be checked on, and finding them by labelling cases at
random means labelling ``positives needed / positive share`` cases. Google's guide asks for the
quantity of labels (google-managing-ml, "Quantity: labels") and the consequences of false
positives and negatives; none of the sources gives a number of positives, so the default
``positives_needed`` and the "rare" cut-offs below are mlpm's judgement, said so wherever shown.

The questions are a base class of ``DataSection`` so that they stay ``data.*`` answers (one
place in the form, the report and the conditions) while living in their own module.
"""

from __future__ import annotations

import math

from pydantic import Field

from mlpm_core.scenario.limits import COUNT_MAX
from mlpm_core.scenario.ranges import StrictModel

POSITIVES_NEEDED_DEFAULT = 100
"""Positive examples a supervised model needs to learn from and be checked on (mlpm's judgement:
a few dozen for a test set, the rest to train on)."""
RARE_SHARE = 0.01
"""Below one positive case in a hundred, a test set holds too few positives for a stable
precision or recall (mlpm's judgement)."""
RARE_YEARS = 1.0
"""Positives that take more than a year to accumulate are rare events (mlpm's judgement)."""


class ClassBalanceQuestions(StrictModel):
    """How common the positive class is and how fast new positive examples arrive."""

    positive_share: float | None = Field(
        None, gt=0, le=1, description="Share of cases that are the event the model must catch "
        "(the positive class): 0.5 balanced, 0.001 one in a thousand. The labelled examples "
        "needed then include enough cases to hold the positive examples needed: cases labelled "
        "at random, or, when the events a year are given too, the positives picked out where "
        "they happen beside them. Empty: not known, or no positive class.",
    )
    positive_events_per_year: float | None = Field(
        None, gt=0, le=COUNT_MAX, description="How many positive events (failures, frauds, "
        "defects) happen a year across everything observed, e.g. 5 machine failures a year. "
        "Sets how long collecting the missing positive examples takes; counted, they can be "
        "picked out to be labelled rather than found at random. Empty: not known.",
    )
    positives_needed: int = Field(
        POSITIVES_NEEDED_DEFAULT, ge=1, le=COUNT_MAX, description="Positive examples needed "
        f"to train and check a supervised model ({POSITIVES_NEEDED_DEFAULT} by default: mlpm's "
        "judgement, no source gives a number). For anomaly detection only the ones to check "
        "its alerts, e.g. 20. Counts only when the share or the events a year are given.",
    )

    @property
    def describes_positives(self) -> bool:
        """Whether the answers say anything about the positive class."""
        return self.positive_share is not None or self.positive_events_per_year is not None

    @property
    def positives_found_where_they_happen(self) -> bool:
        """Whether the positives can be picked out to be labelled, rather than found by
        labelling cases at random: a team that counts its events a year (failures in the logs,
        defects in the reject bin, chargebacks) knows where they are."""
        return self.positive_share is not None and self.positive_events_per_year is not None

    def labels_for_positives(self, labelled_needed: int, labelled_available: int) -> int:
        """Cases to label to hold the positives needed beside ``labelled_needed`` examples
        (0 without a share): found at random, ``positives_needed / share`` cases; picked out
        where they happen, the cases labelled at random (those needed, or those in hand when
        more) plus the positives they would lack, which a review saw left unlabelled and
        unpaid when the labels in hand passed the examples needed."""
        if self.positive_share is None:
            return 0
        if self.positives_found_where_they_happen:
            at_random = max(labelled_needed, labelled_available)
            held = round(at_random * self.positive_share)
            return min(at_random + max(self.positives_needed - held, 0), COUNT_MAX)
        return min(math.ceil(self.positives_needed / self.positive_share), COUNT_MAX)


def positives_available(data: ClassBalanceQuestions, labelled_available: int) -> int:
    """Positive examples among the labelled ones: available x share (0 without a share)."""
    if data.positive_share is None:
        return 0
    return round(labelled_available * data.positive_share)


def positives_to_collect(data: ClassBalanceQuestions, labelled_available: int) -> int:
    """Positive examples still missing; 0 when nothing is said about the positive class."""
    if not data.describes_positives:
        return 0
    return max(data.positives_needed - positives_available(data, labelled_available), 0)


def years_to_collect(data: ClassBalanceQuestions, labelled_available: int) -> float:
    """Years until the missing positives have happened; 0 without events a year."""
    if data.positive_events_per_year is None:
        return 0.0
    return positives_to_collect(data, labelled_available) / data.positive_events_per_year


RARITY_SPAN = 2.0
"""How far either side of the line, as a factor, rarity fades in: none at twice the share or
half the years, all of it at half the share or twice the years (mlpm's judgement)."""


def _log_ramp(value: float, line: float) -> float:
    """0 at ``line / RARITY_SPAN``, 1/2 at ``line``, 1 at ``line * RARITY_SPAN``, in proportion
    to the logarithm: rarity is a matter of factors (0.5% is as far below 1% as 2% is above)."""
    if value <= 0:
        return 0.0
    spread = math.log(RARITY_SPAN)
    return min(max((math.log(value / line) + spread) / (2 * spread), 0.0), 1.0)


def rare_positives_strength(data: ClassBalanceQuestions, labelled_available: int) -> float:
    """How rare the positives are, 0-1, by share of cases or by years to collect the missing
    ones, whichever is rarer: a share of 1% or a year is half of it, so that 0.0099 and 0.0101
    no longer differ by a whole rule."""
    by_share = (0.0 if data.positive_share is None
                else _log_ramp(RARE_SHARE / data.positive_share, 1.0))
    return max(by_share, _log_ramp(years_to_collect(data, labelled_available), RARE_YEARS))


def rare_positives(data: ClassBalanceQuestions, labelled_available: int) -> bool:
    """Positives below one case in a hundred, or missing ones more than a year away: rarer
    than half on :func:`rare_positives_strength` (where a proposed task list still switches)."""
    return rare_positives_strength(data, labelled_available) > 0.5
