"""Ranges are entered as people think: a 90% interval, a single certain number, or three points."""

import pytest
from pydantic import ValidationError

from mlpm_core.scenario.ranges import Range


def test_a_single_number_means_certain():
    """A bare number becomes a range whose low and high are that number."""
    value = Range.model_validate(7)
    assert (value.low, value.high, value.is_certain) == (7, 7, True)


def test_a_pair_is_a_90_percent_interval_and_defaults_to_lognormal():
    """[low, high] is read as a 90% interval; positive without a mode means lognormal."""
    value = Range.model_validate([2, 8])
    assert (value.low, value.high, value.kind) == (2, 8, "lognormal")


def test_three_numbers_are_low_mode_high_and_make_a_pert():
    """[low, most likely, high] gives a PERT range."""
    value = Range.model_validate([2, 3, 8])
    assert (value.most_likely, value.kind) == (3, "pert")


def test_inverted_range_is_refused_with_both_numbers_in_the_message():
    """A low end above the high end names both values."""
    with pytest.raises(ValidationError, match=r"low end \(9\) is above the high end \(3\)"):
        Range(low=9, high=3)


def test_lognormal_range_reaching_zero_is_refused_with_a_way_out():
    """A lognormal range with a bound <= 0 is refused and the message says what to do."""
    with pytest.raises(ValidationError, match="normal"):
        Range(low=0, high=10)


def test_a_range_reaching_zero_is_fine_when_the_shape_is_explicit():
    """Users who mean 'anywhere from zero' can say so with a normal or uniform shape."""
    assert Range(low=0, high=10, distribution="uniform").kind == "uniform"


def test_most_likely_outside_the_range_is_refused():
    """The most-likely value must lie inside the interval."""
    with pytest.raises(ValidationError, match="must lie between"):
        Range(low=1, high=2, most_likely=3)


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), True, "ten"])
def test_non_numbers_are_refused(bad):
    """NaN, infinities, booleans and text are not quantities."""
    with pytest.raises(ValidationError):
        Range.model_validate(bad)


def test_midpoint_is_geometric_for_lognormal_ranges():
    """The representative value of a lognormal range is its median, sqrt(low*high)."""
    assert Range(low=1, high=100).midpoint == pytest.approx(10)
