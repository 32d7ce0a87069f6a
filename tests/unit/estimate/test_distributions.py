"""Tests for estimate.distributions: exactness against scipy, reproducibility, input checks.

Tolerances come from Monte Carlo standard errors (4 standard errors, a ~6e-5 false-alarm rate
per check) or from Kolmogorov-Smirnov p-values against the exact scipy distribution; seeds are
fixed, so every run is deterministic. PERT draws come from a 65,536-point quantile table whose
CDF is within 0.5/65536 = 7.6e-6 of the exact Beta CDF, ~500 times below the KS critical value
at n = 200,000 (about 4.4e-3 at p = 0.001), so exact-distribution tests apply to it unchanged.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from mlpm_core.estimate import distributions as dist
from mlpm_core.estimate import quantile_tables as quantile_tables
from mlpm_core.estimate.distributions import (
    TABLE_SIZE,
    lognormal_from_interval,
    sample_lognormal,
)
from mlpm_core.estimate.interval import sample_interval
from mlpm_core.estimate.three_point import sample_three_point, three_point_columns

KS_N = 200_000
KS_MIN_P = 0.001
Z95 = stats.norm.ppf(0.95)

# (optimistic, most likely, pessimistic): modes at r = 0, 1, 0.5 and a skewed r = 0.15.
PERT_TASKS = np.array(
    [
        [2.0, 2.0, 7.0],
        [1.0, 9.0, 9.0],
        [10.0, 15.0, 20.0],
        [3.0, 4.5, 13.0],
    ]
)


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def _split(tasks: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return tasks[:, 0].copy(), tasks[:, 1].copy(), tasks[:, 2].copy()


def _exact_pert(a: float, m: float, b: float):
    r = (m - a) / (b - a)
    return stats.beta(1 + 4 * r, 1 + 4 * (1 - r), loc=a, scale=b - a)


def _exact_triangular(a: float, m: float, b: float):
    return stats.triang((m - a) / (b - a), loc=a, scale=b - a)


# ------------------------------------------------------------------------------------------
# PERT
# ------------------------------------------------------------------------------------------


def test_pert_sample_mean_matches_three_point_formula() -> None:
    """The PERT sample mean is within 4 standard errors of (a + 4m + b) / 6 for every task."""
    a, m, b = _split(PERT_TASKS)
    x = sample_three_point(_rng(101), "pert", a, m, b, KS_N)
    exact_mean = (a + 4 * m + b) / 6
    exact_sd = np.array([_exact_pert(*task).std() for task in PERT_TASKS])
    np.testing.assert_allclose([_exact_pert(*t).mean() for t in PERT_TASKS], exact_mean)
    assert np.all(np.abs(x.mean(axis=0) - exact_mean) < 4 * exact_sd / math.sqrt(KS_N))


def test_pert_sample_variance_matches_beta_variance() -> None:
    """The PERT sample variance is within 4 standard errors of the exact Beta variance."""
    a, m, b = _split(PERT_TASKS)
    x = sample_three_point(_rng(102), "pert", a, m, b, KS_N)
    for j, task in enumerate(PERT_TASKS):
        var, kurt_excess = (float(v) for v in _exact_pert(*task).stats(moments="vk"))
        # Var(sample variance) ~ (mu4 - sigma^4) / n = sigma^4 (kurtosis - 1) / n.
        se = var * math.sqrt((kurt_excess + 2.0) / KS_N)
        assert abs(x[:, j].var(ddof=1) - var) < 4 * se


@pytest.mark.parametrize("j", range(len(PERT_TASKS)), ids=["r=0", "r=1", "r=0.5", "r=0.15"])
def test_pert_draws_pass_ks_against_exact_beta(j: int) -> None:
    """PERT draws are indistinguishable (KS p > 0.001) from scipy's Beta on [a, b]."""
    a, m, b = _split(PERT_TASKS)
    x = sample_three_point(_rng(103), "pert", a, m, b, KS_N)
    assert stats.kstest(x[:, j], _exact_pert(*PERT_TASKS[j]).cdf).pvalue > KS_MIN_P


def test_pert_with_mt19937_fallback_passes_ks() -> None:
    """A 32-bit bit generator (MT19937) takes the generic index path and is still exact."""
    rng = np.random.Generator(np.random.MT19937(104))
    a, m, b = _split(PERT_TASKS)
    x = sample_three_point(rng, "pert", a, m, b, KS_N)
    for j, task in enumerate(PERT_TASKS):
        assert stats.kstest(x[:, j], _exact_pert(*task).cdf).pvalue > KS_MIN_P


@pytest.mark.parametrize("r", [0.0, 1e-7, 0.15, 0.5, 0.77, 1.0])
def test_pert_table_matches_scipy_beta_quantiles(r: float) -> None:
    """The fast table builder reproduces scipy.stats.beta.ppf at every midpoint to 1e-9."""
    u = (np.arange(TABLE_SIZE) + 0.5) / TABLE_SIZE
    exact = stats.beta.ppf(u, 1 + 4 * r, 1 + 4 * (1 - r))
    table = quantile_tables.unit_pert_table(r)
    assert table.shape == (TABLE_SIZE,)
    assert np.max(np.abs(table - exact)) < 1e-9
    assert np.all(np.diff(table) >= 0)


def test_pert_small_and_large_n_use_the_same_numbers() -> None:
    """Scaling the table (n >= TABLE_SIZE) or the draws (small n) gives identical values."""
    small = sample_three_point(_rng(105), "pert", 1.0, 1.7, 4.0, 1000)
    large = sample_three_point(_rng(105), "pert", 1.0, 1.7, 4.0, TABLE_SIZE + 1000)
    np.testing.assert_array_equal(small[:, 0], large[:1000, 0])


# ------------------------------------------------------------------------------------------
# Triangular
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("j", range(len(PERT_TASKS)), ids=["r=0", "r=1", "r=0.5", "r=0.15"])
def test_triangular_draws_pass_ks_against_scipy_triang(j: int) -> None:
    """Triangular draws are indistinguishable (KS p > 0.001) from scipy.stats.triang."""
    a, m, b = _split(PERT_TASKS)
    x = sample_three_point(_rng(201), "triangular", a, m, b, KS_N)
    assert stats.kstest(x[:, j], _exact_triangular(*PERT_TASKS[j]).cdf).pvalue > KS_MIN_P


def test_triangular_matches_two_branch_inverse_cdf_exactly() -> None:
    """The branch-free triangular code equals the textbook two-branch inverse CDF bit for bit."""
    a, m, b = _split(PERT_TASKS)
    n = 10_000
    x = sample_three_point(_rng(202), "triangular", a, m, b, n)
    u = _rng(202).random((len(a), n)).T  # task t uses the t-th block of n uniforms
    w = b - a
    expected = np.where(
        u < (m - a) / w,
        a + np.sqrt(u * (w * (m - a))),
        b - np.sqrt((1 - u) * (w * (b - m))),
    )
    np.testing.assert_array_equal(x, np.clip(expected, a, b))


def test_triangular_sample_mean_matches_formula() -> None:
    """The triangular sample mean is within 4 standard errors of (a + m + b) / 3."""
    a, m, b = _split(PERT_TASKS)
    x = sample_three_point(_rng(203), "triangular", a, m, b, KS_N)
    sd = np.array([_exact_triangular(*task).std() for task in PERT_TASKS])
    assert np.all(np.abs(x.mean(axis=0) - (a + m + b) / 3) < 4 * sd / math.sqrt(KS_N))


# ------------------------------------------------------------------------------------------
# Lognormal
# ------------------------------------------------------------------------------------------


def test_lognormal_three_point_passes_ks_against_fitted_lognorm() -> None:
    """Lognormal three-point draws follow the lognormal with P5/P95 at optimistic/pessimistic."""
    a = np.array([1.0, 20.0, 0.5])
    b = np.array([4.0, 30.0, 50.0])
    m = np.sqrt(a * b)  # ignored by the lognormal kind
    x = sample_three_point(_rng(301), "lognormal", a, m, b, KS_N)
    for j in range(len(a)):
        mu, sigma = lognormal_from_interval(a[j], b[j])
        exact = stats.lognorm(s=sigma, scale=math.exp(mu))
        assert stats.kstest(x[:, j], exact.cdf).pvalue > KS_MIN_P
        assert exact.ppf(0.05) == pytest.approx(a[j], rel=1e-12)
        assert exact.ppf(0.95) == pytest.approx(b[j], rel=1e-12)


def test_lognormal_ignores_the_most_likely_value() -> None:
    """The lognormal kind depends only on the 90% interval, not on the most likely value."""
    x = sample_three_point(_rng(302), "lognormal", 2.0, 2.0, 9.0, 1000)
    y = sample_three_point(_rng(302), "lognormal", 2.0, 8.5, 9.0, 1000)
    np.testing.assert_array_equal(x, y)


def test_sample_lognormal_passes_ks_and_has_expected_shape() -> None:
    """sample_lognormal draws exp(mu + sigma Z) per task, shape (n, T), each column contiguous."""
    mu = np.array([0.0, 2.0])
    sigma = np.array([1.0, 0.25])
    x = sample_lognormal(_rng(303), mu, sigma, KS_N)
    assert x.shape == (KS_N, 2)
    assert x.flags.f_contiguous
    for j in range(2):
        exact = stats.lognorm(s=sigma[j], scale=math.exp(mu[j]))
        assert stats.kstest(x[:, j], exact.cdf).pvalue > KS_MIN_P


def test_sample_lognormal_with_zero_sigma_is_constant() -> None:
    """sigma == 0 gives the constant exp(mu)."""
    x = sample_lognormal(_rng(304), [math.log(3.0)], [0.0], 100)
    np.testing.assert_array_equal(x, math.exp(math.log(3.0)))


@pytest.mark.parametrize("level", [0.5, 0.8, 0.9, 0.98])
def test_lognormal_from_interval_round_trips(level: float) -> None:
    """The fitted central `level` interval is [low, high] again, and low == high gives sigma 0."""
    low = np.array([0.01, 1.0, 250.0])
    high = np.array([0.02, 1.0, 90_000.0])
    mu, sigma = lognormal_from_interval(low, high, level)
    tail = (1 - level) / 2
    assert sigma[1] == 0.0
    assert math.exp(mu[1]) == pytest.approx(1.0, rel=1e-15)
    fitted = stats.lognorm(s=sigma[[0, 2]], scale=np.exp(mu[[0, 2]]))
    np.testing.assert_allclose(fitted.ppf(tail), low[[0, 2]], rtol=1e-12)
    np.testing.assert_allclose(fitted.ppf(1 - tail), high[[0, 2]], rtol=1e-12)


def test_lognormal_from_interval_scalars_give_floats() -> None:
    """Scalar bounds give plain floats: mu is the log-midpoint, sigma the log-width / (2 z)."""
    mu, sigma = lognormal_from_interval(2.0, 8.0)
    assert type(mu) is float and type(sigma) is float  # not NumPy scalars or 0-d arrays
    assert mu == pytest.approx(math.log(4.0), rel=1e-15)
    assert sigma == pytest.approx(math.log(4.0) / (2 * Z95), rel=1e-15)


@given(
    low=st.floats(min_value=1e-6, max_value=1e6),
    ratio=st.floats(min_value=1.0, max_value=1e3),
    level=st.floats(min_value=0.05, max_value=0.995),
)
def test_lognormal_from_interval_round_trip_property(low: float, ratio: float, level: float):
    """For any positive interval and level, the fitted quantiles give back low and high."""
    high = low * ratio
    mu, sigma = lognormal_from_interval(low, high, level)
    tail = (1 - level) / 2
    assert math.exp(mu + sigma * stats.norm.ppf(tail)) == pytest.approx(low, rel=1e-9)
    assert math.exp(mu + sigma * stats.norm.ppf(1 - tail)) == pytest.approx(high, rel=1e-9)


# ------------------------------------------------------------------------------------------
# sample_interval
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "low", "high", "exact"),
    [
        ("lognormal", 3.0, 12.0, stats.lognorm(s=math.log(4) / (2 * Z95), scale=6.0)),
        ("normal", -4.0, 10.0, stats.norm(loc=3.0, scale=7.0 / Z95)),
        ("uniform", 5.0, 6.5, stats.uniform(loc=5.0, scale=1.5)),
    ],
)
def test_sample_interval_passes_ks(kind: str, low: float, high: float, exact) -> None:
    """Each interval kind draws from its exact distribution (KS p > 0.001), as a 1-D array."""
    x = sample_interval(_rng(401), low, high, KS_N, kind=kind)
    assert x.shape == (KS_N,)
    assert stats.kstest(x, exact.cdf).pvalue > KS_MIN_P


def test_sample_interval_normal_hits_the_90_percent_interval() -> None:
    """The normal kind's P5/P95 are within 4 standard errors of low/high."""
    low, high, n = 10.0, 30.0, KS_N
    x = sample_interval(_rng(402), low, high, n, kind="normal")
    sd = (high - low) / (2 * Z95)
    # Standard error of a sample p-quantile: sqrt(p (1 - p) / n) / density at the quantile.
    se = math.sqrt(0.05 * 0.95 / n) / stats.norm(loc=20.0, scale=sd).pdf(low)
    p5, p95 = np.quantile(x, [0.05, 0.95])
    assert abs(p5 - low) < 4 * se
    assert abs(p95 - high) < 4 * se


def test_sample_interval_pert_matches_three_point_sampler() -> None:
    """A PERT range is the same draw as a one-task three-point PERT estimate."""
    x = sample_interval(_rng(403), 2.0, 11.0, 5000, kind="pert", most_likely=3.0)
    y = sample_three_point(_rng(403), "pert", [2.0], [3.0], [11.0], 5000)
    np.testing.assert_array_equal(x, y[:, 0])


@pytest.mark.parametrize("kind", ["lognormal", "normal", "uniform", "pert"])
def test_sample_interval_degenerate_range_is_constant(kind: str) -> None:
    """A range with low == high returns that value exactly."""
    x = sample_interval(_rng(404), 7.25, 7.25, 500, kind=kind, most_likely=7.25)
    assert x.shape == (500,)
    np.testing.assert_array_equal(x, 7.25)


# ------------------------------------------------------------------------------------------
# Degenerate tasks, layout, dtype, reproducibility
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["pert", "triangular", "lognormal"])
def test_degenerate_tasks_return_the_constant(kind: str) -> None:
    """A task with optimistic == pessimistic returns that value exactly, next to normal tasks."""
    a = np.array([0.3, 1.0, 4.4, 1e-3])
    b = np.array([0.3, 2.0, 4.4, 5.0])
    m = np.array([0.3, 1.5, 4.4, 1.0])
    for n in (10, TABLE_SIZE + 1):
        x = sample_three_point(_rng(501), kind, a, m, b, n)
        np.testing.assert_array_equal(x[:, 0], 0.3)
        np.testing.assert_array_equal(x[:, 2], 4.4)
        assert np.unique(x[:, 1]).size > 1


@pytest.mark.parametrize("kind", ["pert", "triangular", "lognormal"])
def test_same_seed_gives_identical_arrays(kind: str) -> None:
    """The same seed gives bit-identical samples; a different seed gives different ones."""
    a, m, b = _split(PERT_TASKS)
    first = sample_three_point(_rng(601), kind, a, m, b, 3000)
    again = sample_three_point(_rng(601), kind, a, m, b, 3000)
    other = sample_three_point(_rng(602), kind, a, m, b, 3000)
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)


@pytest.mark.parametrize("kind", ["pert", "triangular", "lognormal"])
def test_appending_a_task_keeps_earlier_draws(kind: str) -> None:
    """Adding a task at the end leaves the draws of the existing tasks unchanged."""
    a, m, b = _split(PERT_TASKS)
    fewer = sample_three_point(_rng(603), kind, a[:2], m[:2], b[:2], 2000)
    more = sample_three_point(_rng(603), kind, a, m, b, 2000)
    np.testing.assert_array_equal(fewer, more[:, :2])


@pytest.mark.parametrize("kind", ["pert", "triangular", "lognormal"])
def test_shape_layout_and_float32(kind: str) -> None:
    """Output is (n, T) with contiguous task columns; float32 is the float64 result rounded."""
    a, m, b = _split(PERT_TASKS)
    for n in (0, 7, TABLE_SIZE + 7):
        x64 = sample_three_point(_rng(604), kind, a, m, b, n)
        x32 = sample_three_point(_rng(604), kind, a, m, b, n, dtype=np.float32)
        assert x64.shape == x32.shape == (n, len(a))
        assert x64.dtype == np.float64 and x32.dtype == np.float32
        assert x64.flags.f_contiguous and x32.flags.f_contiguous
        np.testing.assert_array_equal(x32, x64.astype(np.float32))


def test_scalar_inputs_are_one_task() -> None:
    """Scalar optimistic / most likely / pessimistic describe a single task."""
    x = sample_three_point(_rng(605), "pert", 1.0, 2.0, 3.0, 50)
    assert x.shape == (50, 1)


# ------------------------------------------------------------------------------------------
# Invalid input
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "a", "m", "b", "message"),
    [
        ("pert", [1.0], [0.5], [2.0], "most likely"),
        ("triangular", [1.0], [2.5], [2.0], "most likely"),
        ("pert", [3.0], [3.0], [2.0], "must not exceed"),
        ("pert", [1.0], [np.nan], [2.0], "finite"),
        ("triangular", [1.0], [1.0], [np.inf], "finite"),
        ("pert", [-1e308], [0.0], [1e308], "too wide"),
        ("lognormal", [0.0], [1.0], [2.0], "optimistic > 0"),
        ("lognormal", [-1.0], [1.0], [2.0], "optimistic > 0"),
        ("pert", [1.0, 2.0], [1.5], [2.0, 3.0], "one value per task"),
        ("pert", [[1.0]], [[1.5]], [[2.0]], "1-D"),
        ("beta", [1.0], [1.5], [2.0], "kind must be one of"),
        ("pert", ["x"], [1.5], [2.0], "numbers"),
    ],
)
def test_invalid_three_point_input_raises_value_error(kind, a, m, b, message) -> None:
    """Out-of-order, non-finite, mis-shaped or unknown-kind estimates raise a readable error."""
    with pytest.raises(ValueError, match=message):
        sample_three_point(_rng(0), kind, np.array(a), np.array(m), np.array(b), 10)


@pytest.mark.parametrize(
    ("n", "dtype"), [(-1, np.float64), (2.5, np.float64), (10, np.int64), (10, np.float16)]
)
def test_invalid_count_or_dtype_raises_value_error(n, dtype) -> None:
    """A negative or fractional trial count, or a non-float32/64 dtype, is refused."""
    with pytest.raises(ValueError):
        sample_three_point(_rng(0), "pert", 1.0, 2.0, 3.0, n, dtype=dtype)


@pytest.mark.parametrize(
    ("low", "high", "level", "message"),
    [
        (0.0, 1.0, 0.9, "low > 0"),
        (-2.0, 1.0, 0.9, "low > 0"),
        (3.0, 2.0, 0.9, "must not exceed"),
        (1.0, 2.0, 1.0, "level"),
        (1.0, 2.0, 0.0, "level"),
        (1.0, np.nan, 0.9, "finite"),
        ([1.0, 2.0], [3.0, 4.0, 5.0], 0.9, "same length"),
    ],
)
def test_invalid_interval_raises_value_error(low, high, level, message) -> None:
    """lognormal_from_interval refuses non-positive, reversed, non-finite bounds or a bad level."""
    with pytest.raises(ValueError, match=message):
        lognormal_from_interval(low, high, level)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"low": 1.0, "high": 2.0, "kind": "pert"}, "most_likely"),
        ({"low": 1.0, "high": 2.0, "kind": "gamma"}, "kind must be one of"),
        ({"low": 2.0, "high": 1.0, "kind": "uniform"}, "must not exceed"),
        ({"low": 2.0, "high": 1.0, "kind": "normal"}, "must not exceed"),
        ({"low": 0.0, "high": 1.0, "kind": "lognormal"}, "low > 0"),
        ({"low": 1.0, "high": 2.0, "kind": "pert", "most_likely": 3.0}, "most likely"),
        ({"low": [1.0, 2.0], "high": 3.0, "kind": "uniform"}, "single range"),
    ],
)
def test_invalid_sample_interval_raises_value_error(kwargs, message) -> None:
    """sample_interval refuses reversed ranges, unknown kinds and a PERT range without a mode."""
    with pytest.raises(ValueError, match=message):
        sample_interval(_rng(0), n=10, **kwargs)


def test_negative_sigma_raises_value_error() -> None:
    """sample_lognormal refuses a negative sigma."""
    with pytest.raises(ValueError, match="sigma"):
        sample_lognormal(_rng(0), [0.0], [-0.1], 10)


# ------------------------------------------------------------------------------------------
# Properties
# ------------------------------------------------------------------------------------------

_task = st.tuples(
    st.floats(min_value=-1e6, max_value=1e6),
    st.floats(min_value=0.0, max_value=1e6),
    st.floats(min_value=0.0, max_value=1.0),
)


@settings(max_examples=40, deadline=None)
@given(
    tasks=st.lists(_task, min_size=1, max_size=3),
    kind=st.sampled_from(["pert", "triangular"]),
    n=st.sampled_from([1, 257, TABLE_SIZE + 3]),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
)
def test_samples_stay_in_range_and_quantiles_are_ordered(tasks, kind, n, seed) -> None:
    """PERT and triangular samples always lie in [a, b], and their quantiles are ordered."""
    a = np.array([t[0] for t in tasks])
    b = a + np.array([t[1] for t in tasks])
    m = np.clip(a + (b - a) * np.array([t[2] for t in tasks]), a, b)
    x = sample_three_point(_rng(seed), kind, a, m, b, n)
    assert x.shape == (n, len(tasks))
    assert np.all(x >= a) and np.all(x <= b)
    q = np.quantile(x, [0.05, 0.5, 0.95], axis=0)
    assert np.all(a <= q[0]) and np.all(q[0] <= q[1]) and np.all(q[1] <= q[2])
    assert np.all(q[2] <= b)


def test_fast_standard_normal_passes_kolmogorov_smirnov():
    """The table-based normal sampler is indistinguishable from N(0, 1) at 200,000 draws."""
    from mlpm_core.estimate.distributions import standard_normal

    draws = standard_normal(np.random.default_rng(11), 200_000)
    assert stats.kstest(draws, "norm").pvalue > 0.001


def test_fast_standard_normal_keeps_exact_far_tails():
    """Draws beyond the table's outermost quantile still occur, at the normal tail's rate."""
    from mlpm_core.estimate.distributions import TABLE_SIZE, standard_normal

    n = 2_000_000
    draws = standard_normal(np.random.default_rng(12), n)
    edge = stats.norm.ppf(1 - 1 / TABLE_SIZE)
    beyond = np.count_nonzero(np.abs(draws) > edge)
    expected = n * 2 * stats.norm.sf(edge)
    assert abs(beyond - expected) < 4 * np.sqrt(expected)
    assert np.abs(draws).max() > stats.norm.ppf(1 - 0.5 / TABLE_SIZE)


# ------------------------------------------------------------------------------------------
# Fast paths that must give exactly the numbers of the straightforward computation
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["pert", "triangular", "lognormal"])
@pytest.mark.parametrize("n", [1, 7, 5000, TABLE_SIZE + 3])
def test_three_point_columns_are_the_columns_of_sample_three_point(kind: str, n: int) -> None:
    """Task-by-task draws (into a buffer or into given rows) equal sample_three_point's."""
    a, m, b = _split(np.vstack([PERT_TASKS, [[4.0, 4.0, 4.0]]]))
    whole = sample_three_point(_rng(701), kind, a, m, b, n)
    buffered = [c.copy() for c in three_point_columns(_rng(701), kind, a, m, b, n)]
    rows = np.empty((len(a), n))
    into = [rows[t] if t % 2 == 0 else None for t in range(len(a))]
    for t, column in enumerate(three_point_columns(_rng(701), kind, a, m, b, n, into=into)):
        rows[t] = column
    for t in range(len(a)):
        np.testing.assert_array_equal(buffered[t], whole[:, t])
        np.testing.assert_array_equal(rows[t], whole[:, t])


@pytest.mark.parametrize("bit_generator", [np.random.PCG64, np.random.MT19937])
@pytest.mark.parametrize(("n", "blocks"), [(1, 5), (3, 7), (4, 3), (1001, 4), (0, 2)])
def test_index_blocks_are_one_draw_cut_into_blocks(bit_generator, n: int, blocks: int) -> None:
    """Drawing PERT indices task by task gives the one up-front draw and the same end state."""
    first = np.random.Generator(bit_generator(5))
    second = np.random.Generator(bit_generator(5))
    whole = quantile_tables.table_indices(first, n * blocks)
    parts = [block.copy() for block in quantile_tables.index_blocks(second, n, blocks)]
    assert [part.shape for part in parts] == [(n,)] * blocks
    np.testing.assert_array_equal(np.concatenate(parts), whole)
    np.testing.assert_array_equal(first.random(4), second.random(4))


@pytest.mark.parametrize("n", [5, 20_000, TABLE_SIZE * 6])
@pytest.mark.parametrize("mu", [None, -0.4, 1.3])
def test_normal_draws_equal_mu_plus_sigma_times_standard_normal(n: int, mu) -> None:
    """The cached-table path gives exactly mu + sigma * standard_normal, tails included."""
    fast = dist.normal_draws(_rng(n), n, 0.37, mu)
    z = dist.standard_normal(_rng(n), n)
    np.testing.assert_array_equal(fast, 0.37 * z if mu is None else mu + 0.37 * z)


@pytest.mark.parametrize("n", [5, 20_000, TABLE_SIZE * 6])
def test_lognormal_table_path_equals_exponentiated_normal_draws(n: int) -> None:
    """sample_lognormal from cached tables equals exp(mu + sigma * standard_normal)."""
    x = sample_lognormal(_rng(n + 1), [0.3, -1.0], [0.6, 0.0], n)
    rng = _rng(n + 1)
    for j, (mu, sigma) in enumerate([(0.3, 0.6), (-1.0, 0.0)]):
        z = dist.standard_normal(rng, n)
        np.testing.assert_array_equal(x[:, j], np.exp(mu + sigma * z))
