"""A range's low and high are its 5th and 95th percentiles whatever its shape.

The range input labels them "Low (5%)" and "High (95%)", yet a PERT range (one with a most
likely value) and a uniform one were drawn with low and high as the minimum and maximum: a PERT
benefit of 250k / 500k / 1.1M held 90% of its draws between about 330k and 835k, 40%
narrower than the team said.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from mlpm_core.estimate.sampling import draw, drawn_bounds, pert_bounds
from mlpm_core.scenario import Range

DRAWS = 200_000


def _share_se(share: float) -> float:
    """The binomial standard error of a share of the draws."""
    return math.sqrt(share * (1 - share) / DRAWS)


@pytest.mark.parametrize("value", [
    Range(low=250_000, most_likely=500_000, high=1_100_000),
    Range(low=10, most_likely=10, high=40),   # the mode at the low end
    Range(low=10, most_likely=40, high=40),   # and at the high end
    Range(low=2, most_likely=5, high=8),      # symmetric
    Range(low=2, high=8, distribution="uniform"),
    Range(low=2, high=8),
    Range(low=2, high=8, distribution="normal"),
])
def test_five_percent_of_draws_fall_below_low_and_five_above_high(value):
    draws = draw(np.random.default_rng(11), value, DRAWS)
    tolerance = 4 * _share_se(0.05)
    assert abs(np.mean(draws < value.low) - 0.05) < tolerance
    assert abs(np.mean(draws > value.high) - 0.05) < tolerance


@pytest.mark.parametrize(("low", "mode", "high"), [(250.0, 500.0, 1100.0), (10.0, 10.0, 40.0),
                                                  (10.0, 40.0, 40.0), (0.0, 1.0, 9.0)])
def test_the_pert_keeps_its_most_likely_value_as_its_mode(low, mode, high):
    minimum, maximum = pert_bounds(low, mode, high)
    assert minimum < low and maximum > high
    r = (mode - minimum) / (maximum - minimum)
    alpha, beta = 1 + 4 * r, 1 + 4 * (1 - r)
    # the mode of Beta(alpha, beta) is (alpha - 1) / (alpha + beta - 2) = r
    assert minimum + (maximum - minimum) * (alpha - 1) / (alpha + beta - 2) == pytest.approx(mode)


def test_a_range_that_is_not_negative_never_draws_below_zero():
    """A cost of 0 / 1,000 / 20,000 reaches below zero once its low end is a 5th percentile:
    those draws are cut at zero, and a range whose low end is negative is not cut."""
    cost = Range(low=0, most_likely=1000, high=20_000)
    assert drawn_bounds(cost)[0] < 0
    draws = draw(np.random.default_rng(3), cost, DRAWS)
    assert draws.min() == 0.0 and np.mean(draws == 0) > 0.03
    signed = Range(low=-5, most_likely=0, high=5)
    assert draw(np.random.default_rng(3), signed, DRAWS).min() < -5


def test_a_certain_value_is_drawn_as_itself():
    assert set(draw(np.random.default_rng(1), Range(low=7, high=7), 100)) == {7.0}
