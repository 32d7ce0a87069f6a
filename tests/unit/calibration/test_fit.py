"""Reference-class fitting, mixture quantiles, calibrated intervals and their held-out coverage.

Tolerances are 4 Monte Carlo standard errors (a false failure about once in 16,000 checks),
with the standard error computed from the known true parameters, never tuned to the output.
"""

import time

import numpy as np
import pytest
from scipy import special

from mlpm_core.calibration.evaluation import evaluate_split, pert_interval, winkler_score
from mlpm_core.calibration.fit import fit_reference_class
from mlpm_core.calibration.reference_class import (
    RatioModel,
    ReferenceClass,
    mixture_quantile,
    read_reference_file,
    shipped_reference_path,
    validate_name,
)
from mlpm_core.errors import UserError
from mlpm_core.store.reference_classes import (
    list_reference_classes,
    load_reference_class,
    save_reference_class,
)

Z = 4.0  # standard errors allowed


def synthetic(rng, n, p_exact, mu, sigma, mu_slope=0.0, sigma_slope=0.0, size_ref=4.0):
    """Estimates (lognormal sizes) and actuals from the spike-lognormal model."""
    e = np.exp(rng.normal(np.log(size_ref), 1.0, n))
    x = np.log(e / size_ref)
    m, s = mu + mu_slope * x, sigma * np.exp(sigma_slope * x)
    ratio = np.where(rng.random(n) < p_exact, 1.0, np.exp(m + s * rng.standard_normal(n)))
    return e, e * ratio


def mixture_cdf(r, p_exact, mu, sigma):
    """CDF of the spike-lognormal ratio (right-continuous)."""
    return (1 - p_exact) * special.ndtr((np.log(r) - mu) / sigma) + p_exact * (r >= 1)


def test_fit_recovers_lognormal_parameters():
    """A lognormal fit recovers mu and sigma of synthetic log-ratios within 4 standard errors."""
    rng = np.random.default_rng(1)
    n, mu, sigma = 20_000, 0.2, 0.7
    e, a = synthetic(rng, n, 0.0, mu, sigma)
    rc = fit_reference_class(e, a, kind="lognormal", size_model=False)
    assert rc.kind == "lognormal" and rc.p_exact == 0
    assert abs(rc.mu - mu) < Z * sigma / np.sqrt(n)
    assert abs(rc.sigma - sigma) < Z * sigma / np.sqrt(2 * n)


def test_fit_recovers_spike_mixture_parameters():
    """A spike-lognormal fit recovers p_exact, mu and sigma within 4 standard errors."""
    rng = np.random.default_rng(2)
    n, pe, mu, sigma = 20_000, 0.3, -0.1, 0.9
    e, a = synthetic(rng, n, pe, mu, sigma)
    rc = fit_reference_class(e, a, kind="spike_lognormal", size_model=False)
    m = n * (1 - pe)
    assert abs(rc.p_exact - pe) < Z * np.sqrt(pe * (1 - pe) / n)
    assert abs(rc.mu - mu) < Z * sigma / np.sqrt(m)
    assert abs(rc.sigma - sigma) < Z * sigma / np.sqrt(2 * m)
    assert rc.n_points == n


def test_fit_recovers_size_dependence():
    """With mu and log-sigma linear in log(estimate), the slopes are recovered (Fisher se)."""
    rng = np.random.default_rng(3)
    n, pe, mu, sigma, b, d, ref = 30_000, 0.3, 0.1, 0.8, -0.2, 0.1, 4.0
    e, a = synthetic(rng, n, pe, mu, sigma, b, d, ref)
    rc = fit_reference_class(e, a, kind="spike_lognormal")
    exact = a == e
    x = np.log(e[~exact] / rc.size_ref)
    s = sigma * np.exp(d * np.log(e[~exact] / ref))
    xc = x - np.average(x, weights=s**-2)
    se_b = 1 / np.sqrt(np.sum(xc**2 / s**2))
    se_d = 1 / np.sqrt(2 * np.sum((x - x.mean()) ** 2))
    assert abs(rc.mu_slope - b) < Z * se_b
    assert abs(rc.sigma_slope - d) < Z * se_d
    true_mu_at_ref = mu + b * np.log(rc.size_ref / ref)
    x_w = np.average(x, weights=s**-2)  # intercept se of a weighted regression, at x = 0
    assert abs(rc.mu - true_mu_at_ref) < Z * np.sqrt(1 / np.sum(s**-2) + (x_w * se_b) ** 2)


def test_mixture_quantile_inverts_the_cdf():
    """Q(p) is the smallest ratio whose CDF reaches p, including on the spike at 1."""
    pe, mu, sigma = 0.35, -0.2, 0.9
    p = np.linspace(0.001, 0.999, 999)
    q = mixture_quantile(p, pe, mu, sigma)
    assert np.all(np.diff(q) >= 0)
    assert np.all(mixture_cdf(q, pe, mu, sigma) >= p - 1e-12)
    assert np.all(mixture_cdf(q * (1 - 1e-9), pe, mu, sigma) <= p + 1e-12)
    on_spike = (p > mixture_cdf(1 - 1e-12, pe, mu, sigma)) & (p <= mixture_cdf(1, pe, mu, sigma))
    assert on_spike.any() and np.all(q[on_spike] == 1.0)


def test_sample_ratio_matches_the_model():
    """Sampled ratios hit 1 with probability p_exact and have the fitted log mean elsewhere."""
    rc = ReferenceClass(name="t", n_points=10, p_exact=0.3, mu=0.2, sigma=0.8)
    n = 50_000
    r = rc.sample_ratio(np.random.default_rng(4), n)
    exact = r == 1.0
    assert abs(exact.mean() - 0.3) < Z * np.sqrt(0.3 * 0.7 / n)
    assert abs(np.log(r[~exact]).mean() - 0.2) < Z * 0.8 / np.sqrt(0.7 * n)
    f = rc.sample_shared_factor(np.random.default_rng(5), 10)
    assert f.shape == (10,) and np.all(f == 1.0)  # shared_sigma 0, shared_mu 0


def test_interval_is_vectorised_ordered_and_fast():
    """interval() on 10,000 estimates is elementwise, ordered low <= median <= high, and fast."""
    rc = ReferenceClass(name="t", n_points=10, p_exact=0.35, mu=0.0, sigma=0.9, size_ref=3.0,
                        mu_slope=-0.2, sigma_slope=0.1, size_min=0.1, size_max=500.0)
    e = np.exp(np.random.default_rng(6).normal(1, 1.5, 10_000))
    start = time.perf_counter()
    low, med, high = rc.interval(e, 0.8)
    elapsed = time.perf_counter() - start
    assert low.shape == med.shape == high.shape == e.shape
    assert np.all((low <= med) & (med <= high) & (low > 0))
    lo90, _, hi90 = rc.interval(e, 0.9)
    assert np.all((lo90 <= low) & (hi90 >= high))
    for i in (0, 17, 9_999):
        one = rc.interval(e[i : i + 1], 0.8)
        assert [v[0] for v in one] == pytest.approx([low[i], med[i], high[i]], rel=1e-12)
    assert elapsed < 0.25, f"interval took {elapsed:.3f}s for 10,000 rows"


def test_interval_rejects_bad_input():
    """Non-positive estimates and levels outside (0, 1) give a readable UserError."""
    rc = ReferenceClass(name="t", n_points=10, p_exact=0.3, mu=0.0, sigma=1.0)
    for bad in ([1.0, 0.0], [-2.0], [np.nan], [np.inf], ["abc"]):
        with pytest.raises(UserError):
            rc.interval(bad, 0.8)
    for level in (0, 1, 80, -0.5, "high"):
        with pytest.raises(UserError):
            rc.interval([1.0], level)


def test_phase_parameters_are_used_and_unknown_phases_fall_back():
    """A known phase uses its own parameters; an unknown phase uses the pooled ones."""
    wide = RatioModel(n_points=500, p_exact=0.0, mu=0.0, sigma=2.0)
    rc = ReferenceClass(name="t", n_points=10, p_exact=0.0, mu=0.0, sigma=0.5,
                        phases={"data": wide})
    e = np.array([10.0, 10.0, 10.0])
    _, _, high = rc.interval(e, 0.8, phase=np.array(["data", "other", "data"]))
    pooled = rc.interval(e[:1], 0.8)
    assert high[0] == high[2] > high[1] == pytest.approx(pooled[2][0])
    assert rc.interval(e, 0.8, phase="data")[2] == pytest.approx(high[0])


@pytest.mark.parametrize("level", [0.5, 0.8, 0.9])
def test_held_out_coverage_is_nominal_on_synthetic_data(level):
    """On data from the model itself, held-out coverage is within Monte Carlo error of nominal.

    The tolerance adds the test sample's binomial variance L(1-L)/n_test and a conservative
    bound for the fit's own error: that of two empirical quantiles, 2 (a/2)(1-a/2)/n_train.
    """
    rng = np.random.default_rng(7)
    n = 40_000
    e, a = synthetic(rng, n, 0.3, 0.0, 1.0, -0.05, 0.05)  # interval ends stay off the spike
    ev = evaluate_split(e, a, order_key=rng.random(n), train_fraction=0.5)
    alpha = 1 - level
    sd = np.sqrt(level * (1 - level) / ev.n_test + 2 * alpha / 2 * (1 - alpha / 2) / ev.n_train)
    assert abs(ev.score("spike_lognormal", level).coverage - level) < Z * sd


def test_evaluate_split_orders_by_key_and_reports_all_methods():
    """The split trains on the earliest tasks by order key and scores all five methods."""
    rng = np.random.default_rng(8)
    e, a = synthetic(rng, 2_000, 0.3, 0.0, 0.8)
    key = np.arange(2_000)[::-1]  # reversed: the last rows are the earliest
    ev = evaluate_split(e, a, key, train_fraction=0.7)
    assert (ev.n_train, ev.n_test) == (1_400, 600)
    assert {s.method for s in ev.scores} == {"conformal", "spike_lognormal", "size_buckets",
                                             "pert", "lognormal"}
    assert all(0 <= s.coverage <= 1 and s.winkler > 0 for s in ev.scores)
    assert "conformal quantiles" in ev.table() and "size-bucket quantiles" in ev.table()


def test_fit_rejects_bad_values():
    """Zero, negative, NaN, infinite, text or mismatched inputs give a readable UserError."""
    good = [1.0, 2.0, 3.0]
    for bad in ([1.0, 0.0, 3.0], [1.0, -2.0, 3.0], [np.nan, 1, 2], [np.inf, 1, 2], ["x", 1, 2]):
        with pytest.raises(UserError):
            fit_reference_class(bad, good)
        with pytest.raises(UserError):
            fit_reference_class(good, bad)
    with pytest.raises(UserError, match="3 estimates but 2 actuals"):
        fit_reference_class(good, [1.0, 2.0])
    with pytest.raises(UserError, match="missed their estimate"):
        fit_reference_class(good, good)  # all exact: no spread to fit
    with pytest.raises(UserError):
        fit_reference_class(good, [2.0, 3.0, 4.0], name="../evil")


def test_pert_baseline_is_the_fixed_three_point_spread():
    """PERT intervals are the same multiple of every estimate, inside [0.75E, 1.5E]."""
    e = np.array([1.0, 10.0, 100.0])
    low, med, high = pert_interval(e, 0.9)
    assert np.allclose(low / e, low[0]) and np.allclose(high / e, high[0])
    assert 0.75 < low[0] < med[0] < high[0] < 1.5


def test_winkler_score_penalises_misses():
    """Winkler = width inside, width + 2/alpha * distance outside."""
    s = winkler_score(np.array([1.0, 1.0, 1.0]), np.array([3.0, 3.0, 3.0]),
                      np.array([2.0, 0.5, 4.0]), 0.8)
    assert s == pytest.approx([2.0, 2.0 + 10 * 0.5, 2.0 + 10 * 1.0])


def test_save_and_load_round_trip(data_dir):
    """A user reference class saved into the store loads back identical and is listed."""
    rc = ReferenceClass(name="team-a_2024", n_points=10, p_exact=0.2, mu=0.1, sigma=0.7,
                        shared_sigma=0.2, phases={"build": RatioModel(n_points=5, mu=0, sigma=1)})
    assert "store" in save_reference_class(rc)
    assert load_reference_class("team-a_2024") == rc
    assert list_reference_classes()["team-a_2024"] == "user"
    assert shipped_reference_path("x").parent.name == "reference"


def test_reference_names_and_files_are_validated(tmp_path, data_dir):
    """Bad names, missing classes, corrupt JSON and unknown fields give a UserError."""
    for name in ("", "../evil", "a" * 65, "a b", "x.json", "é"):
        with pytest.raises(UserError):
            validate_name(name)
    with pytest.raises(UserError, match="No reference class"):
        load_reference_class("no-such-class")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(UserError, match="not valid JSON"):
        read_reference_file(bad)
    bad.write_text('{"name": "x", "n_points": 1, "mu": 0, "sigma": 1, "extra": 1}')
    with pytest.raises(UserError, match="extra"):
        read_reference_file(bad)
    bad.write_text('{"name": "x", "n_points": 1, "mu": 0, "sigma": 1, "kind": "lognormal", '
                   '"p_exact": 0.3}')
    with pytest.raises(UserError, match="p_exact"):
        read_reference_file(bad)
