"""The bias a project's tasks share is learnt from project totals, not from typical tasks."""

from __future__ import annotations

import numpy as np
import pytest

from mlpm_core.calibration.fit import fit_reference_class
from mlpm_core.calibration.shared_bias import MIN_GROUP_TASKS, shared_bias

Z = 4.0  # standard errors allowed


def test_the_bias_is_the_ratio_of_totals_where_most_tasks_land_below_their_estimate():
    """Four small tasks at 0.8x and one big one at 1.4x: the typical task says under, the total
    (17.2 / 14) says over, and the total is what the engine multiplies."""
    e = np.tile([1.0, 1.0, 1.0, 1.0, 10.0], 10)
    a = np.tile([0.8, 0.8, 0.8, 0.8, 14.0], 10)
    groups = np.repeat(np.arange(10), 5)
    assert np.log(a / e).mean() < 0
    bias = shared_bias(e, a, groups)
    assert bias.shared_mu == pytest.approx(np.log(17.2 / 14))
    assert bias.shared_sigma == 0.0 and bias.n_groups == 10
    fitted = fit_reference_class(e, a, kind="lognormal")  # no groups: all the work as one total
    assert fitted.shared_mu == pytest.approx(np.log(17.2 / 14))


def test_recovers_the_mean_and_spread_of_project_totals_between_projects():
    """Projects whose totals run exp(b) over, b ~ N(mu, sb): mu and sb^2 come back within
    Z standard errors of the random-effects estimates."""
    rng = np.random.default_rng(16)
    k, m, mu, sb, sw = 200, 100, 0.1, 0.3, 0.5
    groups = np.repeat(np.arange(k), m)
    e = rng.uniform(1, 10, k * m)
    b = mu + sb * rng.standard_normal(k)
    a = e * np.exp(b[groups] + sw * rng.standard_normal(k * m) - sw**2 / 2)
    bias = shared_bias(e, a, groups)
    sampling = (np.exp(sw**2) - 1) * np.mean(e**2) / (m * np.mean(e) ** 2)
    assert bias.n_groups == k
    assert abs(bias.shared_mu - mu) < Z * np.sqrt((sb**2 + sampling) / k)
    assert abs(bias.shared_sigma**2 - sb**2) < Z * np.sqrt(2 / (k - 1)) * (sb**2 + sampling)
    assert abs(bias.within_sigma - sw) < Z * sw / np.sqrt(2 * (k * m - k))


def test_projects_with_too_few_tasks_are_left_out_of_the_spread():
    """A project of fewer than MIN_GROUP_TASKS tasks says little about its total; with fewer
    than two projects left the bias is that of all the work as one total, spread 0."""
    small = MIN_GROUP_TASKS - 1
    e = np.ones(2 * MIN_GROUP_TASKS + small)
    a = np.r_[np.full(MIN_GROUP_TASKS, 1.2), np.full(MIN_GROUP_TASKS, 0.9), np.full(small, 9.0)]
    groups = np.r_[np.zeros(MIN_GROUP_TASKS), np.ones(MIN_GROUP_TASKS), np.full(small, 2)]
    assert shared_bias(e, a, groups).n_groups == 2
    rest = slice(MIN_GROUP_TASKS, None)
    alone = shared_bias(e[rest], a[rest], groups[rest])
    assert alone.n_groups == 1 and alone.shared_sigma == 0.0
    assert alone.shared_mu == pytest.approx(np.log(a[rest].sum() / e[rest].sum()))
