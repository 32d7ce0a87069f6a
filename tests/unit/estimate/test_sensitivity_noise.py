"""Inputs whose link to effort and cost is within sampling noise are not drawn as drivers."""

from __future__ import annotations

import numpy as np

from mlpm_core.estimate.sensitivity import NOISE_Z, above_noise, squared_correlations

TRIALS = 10_000


def test_an_unrelated_input_is_noise_and_a_small_real_one_is_kept():
    """Output = a + 0.1 b + noise, c unrelated: a and b pass the line, c does not. b's
    correlation (about 0.1) is three times the line (3 / sqrt(10,000) = 0.03)."""
    rng = np.random.default_rng(5)
    a, b, c, noise = rng.standard_normal((4, TRIALS))
    output = a + 0.1 * b + 0.2 * noise
    squared = squared_correlations(np.stack([a, b, c]), np.stack([output]))
    assert list(above_noise(squared, TRIALS)) == [True, True, False]
    assert squared[1, 0] > 9 * NOISE_Z**2 / TRIALS


def test_unrelated_inputs_rarely_cross_the_line():
    """Of 2,000 unrelated inputs against two outputs, the share kept is near the two-sided
    normal tail at NOISE_Z for two outputs (about 0.54%); binomial sd about 0.16 points."""
    rng = np.random.default_rng(6)
    outputs = rng.standard_normal((2, TRIALS))
    kept = np.concatenate([  # in chunks of 500 inputs: 40 MB at a time
        above_noise(squared_correlations(rng.standard_normal((500, TRIALS)), outputs), TRIALS)
        for _ in range(4)]).mean()
    assert kept < 0.0054 + 4 * 0.0016, kept


def test_an_input_that_matters_for_cost_only_is_kept():
    """A day rate moves cost, not effort: one output beyond the line is enough."""
    rng = np.random.default_rng(7)
    rate, effort = rng.standard_normal((2, TRIALS))
    cost = effort + rate
    squared = squared_correlations(np.stack([rate]), np.stack([effort, cost]))
    assert above_noise(squared, TRIALS).tolist() == [True]
    assert squared[0, 0] < NOISE_Z**2 / TRIALS < squared[0, 1]
