"""Goodness of fit of a reference class: the fit summary's numbers and the CDF chart spec."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from mlpm_core.calibration import charts as cc
from mlpm_core.calibration.fit import fit_reference_class
from mlpm_core.calibration.reference_class import RatioModel, ReferenceClass, mixture_quantile
from mlpm_core.charts.specs import to_altair
from mlpm_core.errors import UserError

Z90 = stats.norm.ppf(0.9)


def plain_lognormal(mu: float = 0.0, sigma: float = 1.0, **extra) -> ReferenceClass:
    """A hand-made class: log(actual / estimate) ~ Normal(mu, sigma), no spike, no size terms."""
    return ReferenceClass(name="hand", kind="lognormal", n_points=10, mu=mu, sigma=sigma,
                          **extra)


def synthetic(n: int, p_exact: float, mu: float, sigma: float, seed: int = 7):
    """Estimates of varied size and actuals drawn from a spike-lognormal ratio."""
    rng = np.random.default_rng(seed)
    estimates = np.exp(rng.normal(1.0, 1.0, n))
    ratio = np.where(rng.random(n) < p_exact, 1.0, np.exp(rng.normal(mu, sigma, n)))
    return estimates, estimates * ratio


def curve(rows, name):
    points = [row for row in rows if row["curve"] == name]
    return np.array([p["ratio"] for p in points]), np.array([p["share"] for p in points])


def test_fit_summary_numbers_on_hand_made_data():
    """Ten tasks: 3 exact hits, median 1.125, P10 0.77, P90 3.1, and 8 of 10 inside the 80%
    interval exp(+-1.2816) = 0.278 to 3.60 of a lognormal(0, 1)."""
    ratios = np.array([0.2, 0.5, 1.0, 1.0, 1.0, 1.25, 1.5, 2.0, 3.0, 5.0])
    estimates = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], dtype=float)
    summary = cc.fit_summary(plain_lognormal(shared_mu=np.log(1.2), shared_sigma=0.3,
                                             n_groups=4),
                             estimates, estimates * ratios)
    assert summary.n == 10 and summary.share_exact == pytest.approx(0.3)
    assert summary.median_ratio == pytest.approx(1.125)
    assert summary.p10_ratio == pytest.approx(0.2 + 0.9 * 0.3)
    assert summary.p90_ratio == pytest.approx(3.0 + 0.1 * 2.0)
    assert np.exp(-Z90) < 0.5 and 3.0 < np.exp(Z90) < 5.0  # 0.2 and 5.0 fall outside
    assert summary.coverage == pytest.approx(0.8) and summary.level == 0.8
    assert (summary.bias_median, summary.bias_sigma, summary.n_groups) == (
        pytest.approx(1.2), 0.3, 4)
    assert summary.sentences()[0] == "10 finished tasks; 30% took exactly their estimate."


def test_fit_summary_of_a_fit_on_its_own_model_recovers_the_truth():
    """20,000 tasks from spike 30% + lognormal(0.2, 0.5): the fitted class's summary shows
    the spike, the mixture's true median and about 80% in-sample coverage."""
    estimates, actuals = synthetic(20_000, 0.3, 0.2, 0.5)
    reference = fit_reference_class(estimates, actuals, name="synthetic")
    summary = cc.fit_summary(reference, estimates, actuals)
    assert summary.share_exact == pytest.approx(0.3, abs=0.01)
    true_median = float(mixture_quantile(0.5, 0.3, 0.2, 0.5))
    assert summary.median_ratio == pytest.approx(true_median, abs=0.02)
    assert summary.p90_ratio == pytest.approx(float(mixture_quantile(0.9, 0.3, 0.2, 0.5)),
                                              rel=0.03)
    assert summary.coverage == pytest.approx(0.8, abs=0.015)


def test_a_badly_fitting_class_shows_in_the_in_sample_coverage():
    """Tasks that overrun 3x fall outside the interval of a class centred on the estimate."""
    estimates, actuals = synthetic(2_000, 0.0, np.log(3.0), 0.1)
    summary = cc.fit_summary(plain_lognormal(sigma=0.2), estimates, actuals)
    assert summary.coverage < 0.05 and summary.median_ratio == pytest.approx(3.0, rel=0.02)


def test_the_chart_data_is_small_and_both_cdfs_rise_from_near_0_to_1():
    """Even for 20,000 tasks the spec carries at most 300 rows; both CDFs never decrease."""
    estimates, actuals = synthetic(20_000, 0.3, 0.2, 0.5)
    reference = fit_reference_class(estimates, actuals, name="synthetic")
    rows = cc.goodness_of_fit_rows(reference, estimates, actuals)
    assert len(rows) <= 300
    for name in (cc.EMPIRICAL, cc.FITTED):
        x, share = curve(rows, name)
        assert np.all(np.diff(x) > 0) and np.all(np.diff(share) >= -1e-12)
        assert share[0] < 0.01 and share[-1] > 0.99
    spec = cc.goodness_of_fit_spec(reference, estimates, actuals)
    assert sum(len(layer["data"]["values"]) for layer in spec["layer"]) <= 302


@pytest.mark.parametrize(("kind", "tolerance"), [("spike_lognormal", 1e-3), ("conformal", 0.02)])
def test_both_curves_jump_at_one_by_the_share_of_exact_hits(kind, tolerance):
    """Between 'just below 1' and 1 the empirical CDF jumps by the data's exact-hit share and
    the fitted CDF by the class's spike (a conformal table holds the spike to within its grid
    of probabilities, 0.01 at each edge)."""
    estimates, actuals = synthetic(5_000, 0.35, 0.1, 0.6)
    reference = fit_reference_class(estimates, actuals, name="synthetic", kind=kind)
    rows = cc.goodness_of_fit_rows(reference, estimates, actuals)
    exact_share = np.mean(np.isclose(actuals / estimates, 1.0))
    for name, jump, allowed in ((cc.EMPIRICAL, exact_share, 1e-3),
                                (cc.FITTED, reference.p_exact, tolerance)):
        x, share = curve(rows, name)
        below, at_one = np.searchsorted(x, [cc.JUST_BELOW_ONE, 1.0])
        assert x[at_one] == 1.0 and x[below] == cc.JUST_BELOW_ONE
        assert share[at_one] - share[below] == pytest.approx(jump, abs=allowed)


def test_with_few_tasks_the_empirical_steps_sit_on_the_data():
    """Five tasks: every ratio is an x value and the empirical CDF there is k/5."""
    estimates = np.array([2.0, 4.0, 8.0, 1.0, 5.0])
    actuals = np.array([3.0, 4.0, 6.0, 2.5, 10.0])  # ratios 1.5, 1, 0.75, 2.5, 2
    rows = cc.goodness_of_fit_rows(plain_lognormal(), estimates, actuals)
    x, share = curve(rows, cc.EMPIRICAL)
    for ratio, expected in ((0.75, 0.2), (1.0, 0.4), (1.5, 0.6), (2.0, 0.8), (2.5, 1.0)):
        assert share[np.flatnonzero(np.isclose(x, ratio, rtol=1e-12))[0]] == pytest.approx(expected)
    assert x.min() < 0.75 and x.max() > 2.5


def test_the_fitted_cdf_averages_the_tasks_own_distributions():
    """With size-dependent parameters the fitted curve is the mean of each estimate's own
    lognormal CDF (checked against scipy), phases included."""
    slow = RatioModel(n_points=5, mu=1.0, sigma=0.3)
    reference = plain_lognormal(mu=0.1, sigma=0.5, mu_slope=0.2, sigma_slope=-0.1,
                                size_ref=4.0, phases={"slow": slow})
    estimates = np.array([1.0, 4.0, 16.0, 2.0])
    task_phases = ["", "", "", "slow"]
    grid = np.array([0.5, 1.0, 2.0, 4.0])
    x = np.log(estimates[:3] / 4.0)
    mus = [*(0.1 + 0.2 * x), 1.0]
    sigmas = [*(0.5 * np.exp(-0.1 * x)), 0.3]
    expected = np.mean([stats.lognorm.cdf(grid, s, scale=np.exp(m))
                        for m, s in zip(mus, sigmas, strict=True)], axis=0)
    got = cc.model_cdf(reference, grid, estimates, task_phases)
    assert got == pytest.approx(expected, rel=1e-9)


def test_the_spec_encodes_ratio_on_a_log_axis_and_labels_the_spike():
    """Steps for the data, a dashed line for the fit, a rule and a label at ratio 1, shares
    from 0 to 1; the Altair version passes the Vega-Lite schema."""
    estimates, actuals = synthetic(300, 0.3, 0.2, 0.5)
    reference = fit_reference_class(estimates, actuals, name="synthetic")
    spec = cc.goodness_of_fit_spec(reference, estimates, actuals)
    empirical, fitted, rule, label = spec["layer"]
    assert empirical["mark"]["interpolate"] == "step-after"
    assert fitted["mark"]["strokeDash"] and "interpolate" not in fitted["mark"]
    for layer in (empirical, fitted):
        assert layer["encoding"]["x"]["field"] == "ratio"
        assert layer["encoding"]["x"]["scale"]["type"] == "log"
        assert layer["encoding"]["y"]["field"] == "share"
        assert layer["encoding"]["y"]["scale"]["domain"] == [0, 1]
        assert layer["encoding"]["color"]["scale"]["domain"] == [cc.EMPIRICAL, cc.FITTED]
    assert {row["curve"] for row in empirical["data"]["values"]} == {cc.EMPIRICAL}
    assert rule["mark"]["type"] == "rule" and rule["data"]["values"][0]["ratio"] == 1.0
    share = np.mean(np.isclose(actuals / estimates, 1.0))
    assert label["data"]["values"][0]["label"] == f"Exactly on estimate: {share:.0%} of tasks"
    chart = to_altair(cc.goodness_of_fit_spec(reference, estimates, actuals))
    assert chart.to_dict(validate=True)["layer"]


def test_mismatched_or_invalid_tasks_are_a_readable_error():
    """Different numbers of estimates and actuals, or a zero actual, are a UserError."""
    with pytest.raises(UserError, match="3 estimates but 2 actuals"):
        cc.fit_summary(plain_lognormal(), [1, 2, 3], [1, 2])
    with pytest.raises(UserError, match="positive"):
        cc.goodness_of_fit_spec(plain_lognormal(), [1, 2], [1, 0])
