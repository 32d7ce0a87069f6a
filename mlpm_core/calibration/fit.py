"""Learning estimator bias from outcomes: fit reference classes and score them on held-out work.

``fit_reference_class`` fits the distribution of ``actual / estimate`` (see
``reference_class.py`` for the model) and the between-project bias the Monte Carlo engine
shares across a trial's tasks. ``evaluate_split`` fits on the earlier part of a time-ordered
history and scores the later part for three methods:

* ``calibrated``: mlpm's spike-lognormal fit (mu and sigma depending on estimate size);
* ``pert``: the conventional uncalibrated three-point spread around a single estimate E:
  optimistic 0.75 E, most likely E, pessimistic 1.5 E, as a Beta-PERT distribution
  (lambda = 4); its central interval is the same multiple of E for every task;
* ``lognormal``: a plain lognormal fit of all log-ratios (no spike, no size terms).

Scores: coverage (share of held-out actuals inside the closed interval) and the mean Winkler
interval score ``(hi - lo) + 2/alpha * (lo - y)+ + 2/alpha * (y - hi)+`` with ``alpha = 1 -
level``, in the estimate's unit (hours for the shipped data) and on the log-ratio scale (where
every task weighs the same). Lower Winkler is better.

Model choice (chosen on an inner split of the SiP training part, then confirmed on its test
part): letting mu and sigma depend on log(estimate) cuts the Winkler score clearly; letting
sigma alone depend on size does not beat the plain lognormal in hours. The spike share is kept
constant although exact hits are far more common for small estimates: when the spike holds more
than the interval's level, a closed interval collapses onto the estimate and covers the spike
(a 50% interval then covers ~76% of tiny tasks), so a size-dependent spike over-covers the 50%
interval by 5-10 points while improving Winkler only a little.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypedDict, Unpack

import numpy as np
from numpy.typing import ArrayLike
from pydantic import BaseModel, ConfigDict
from scipy import optimize, stats

from mlpm_core.calibration.reference_class import (
    EXACT_RTOL,
    MAX_AMOUNT,
    MIN_AMOUNT,
    RatioKind,
    RatioModel,
    ReferenceClass,
    check_level,
    validate_name,
)
from mlpm_core.errors import UserError

PERT_OPTIMISTIC = 0.75
PERT_PESSIMISTIC = 1.5
MIN_SIZE_MODEL_POINTS = 50  # off-estimate tasks needed before mu/sigma may depend on size
DEFAULT_LEVELS = (0.5, 0.8, 0.9)


def validate_pairs(estimates: ArrayLike, actuals: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Estimates and actuals as equal-length float arrays of positive finite numbers."""
    out = []
    for what, values in (("estimate", estimates), ("actual", actuals)):
        try:
            arr = np.asarray(values, dtype=float).ravel()
        except (TypeError, ValueError):
            raise UserError(f"Every {what} must be a number.") from None
        bad = np.flatnonzero(~(np.isfinite(arr) & (arr >= MIN_AMOUNT) & (arr <= MAX_AMOUNT)))
        if bad.size:
            raise UserError(f"Every {what} must be a positive number from {MIN_AMOUNT:g} to "
                            f"{MAX_AMOUNT:,.0f}; item {bad[0] + 1} is {arr[bad[0]]:g} "
                            f"({bad.size} such value(s)).")
        out.append(arr)
    if out[0].size != out[1].size:
        raise UserError(f"Got {out[0].size} estimates but {out[1].size} actuals.")
    if out[0].size < 2:
        raise UserError("At least 2 finished tasks are needed to learn from actuals.")
    return out[0], out[1]


def fit_ratio_model(estimates: ArrayLike, actuals: ArrayLike, *,
                    kind: RatioKind = "spike_lognormal",
                    size_model: bool = True) -> RatioModel:
    """Maximum-likelihood ratio model for one group of tasks.

    The spike share is the share of exact hits; mu/sigma come from the other tasks. With
    ``size_model`` (and at least ``MIN_SIZE_MODEL_POINTS`` off-estimate tasks of varying size)
    mu is linear and log(sigma) is linear in log(estimate) (a heteroscedastic normal fit).
    """
    e, a = validate_pairs(estimates, actuals)
    log_ratio = np.log(a / e)
    log_e = np.log(e)
    if kind == "spike_lognormal":
        exact = np.abs(a / e - 1) <= EXACT_RTOL
    elif kind == "lognormal":
        exact = np.zeros(e.size, dtype=bool)
    else:
        raise UserError(f"Unknown reference-class kind {kind!r}; use 'lognormal' or "
                        "'spike_lognormal'.")
    y, x_raw = log_ratio[~exact], log_e[~exact]
    if y.size < 2:
        raise UserError("At least 2 tasks that missed their estimate are needed to fit the "
                        "spread of misses.")
    size_ref = float(np.exp(log_e.mean()))
    x = x_raw - np.log(size_ref)
    mu, sigma = float(y.mean()), float(max(y.std(ddof=1), 1e-6))
    mu_slope = sigma_slope = 0.0
    if size_model and y.size >= MIN_SIZE_MODEL_POINTS and np.ptp(x) > 0:
        mu, mu_slope, sigma, sigma_slope = _heteroscedastic_fit(x, y)
    return RatioModel(n_points=int(e.size), p_exact=float(exact.mean()), mu=mu, sigma=sigma,
                      size_ref=size_ref, size_min=float(e.min()), size_max=float(e.max()),
                      mu_slope=mu_slope, sigma_slope=sigma_slope)


def _heteroscedastic_fit(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float, float]:
    """MLE of y ~ Normal(a + b x, exp(c + d x)); returns (a, b, exp(c), d)."""
    b0, a0 = np.polyfit(x, y, 1)

    def nll(theta: np.ndarray) -> tuple[float, np.ndarray]:
        a, b, c, d = theta
        log_s = c + d * x
        r = (y - a - b * x) * np.exp(-log_s)
        w = r * np.exp(-log_s)
        grad = np.array([-w.sum(), -(w * x).sum(), (1 - r**2).sum(), (x * (1 - r**2)).sum()])
        return float(np.sum(log_s + 0.5 * r**2)), grad

    start = np.array([a0, b0, np.log(np.std(y - a0 - b0 * x) + 1e-12), 0.0])
    res = optimize.minimize(nll, start, jac=True, method="BFGS")
    a, b, c, d = res.x if np.all(np.isfinite(res.x)) else start
    return float(a), float(b), float(np.exp(c)), float(d)


def shared_bias(log_ratio: ArrayLike, groups: ArrayLike) -> tuple[float, float, float, int]:
    """``(shared_mu, shared_sigma, within_sigma, n_groups)`` by one-way random-effects ANOVA.

    Method of moments for unbalanced groups: ``sigma_b^2 = max(0, (MSB - MSW) / n0)`` with
    ``n0 = (N - sum n_i^2 / N) / (k - 1)``; ``shared_mu`` is the precision-weighted mean of the
    group means (weights ``1 / (sigma_b^2 + sigma_w^2 / n_i)``).
    """
    y = np.asarray(log_ratio, dtype=float)
    _, codes = np.unique(np.asarray(groups, dtype=str), return_inverse=True)
    n_i = np.bincount(codes).astype(float)
    k, n = n_i.size, y.size
    means = np.bincount(codes, weights=y) / n_i
    if k < 2 or n <= k:
        sd = float(y.std(ddof=1)) if n > 1 else 0.0
        return float(y.mean()), 0.0, sd, int(k)
    msb = np.sum(n_i * (means - y.mean()) ** 2) / (k - 1)
    msw = np.sum((y - means[codes]) ** 2) / (n - k)
    n0 = (n - np.sum(n_i**2) / n) / (k - 1)
    between = max((msb - msw) / n0, 0.0)
    weights = 1.0 / (between + msw / n_i)
    shared_mu = float(np.sum(weights * means) / weights.sum())
    return shared_mu, float(np.sqrt(between)), float(np.sqrt(msw)), int(k)


class ReferenceMetadata(TypedDict, total=False):
    """The descriptive fields ``fit_reference_class`` passes through to the class."""

    description: str
    source: str
    licence: str
    attribution: str
    estimate_unit: str


def fit_reference_class(estimates: ArrayLike, actuals: ArrayLike, *, name: str = "custom",
                        kind: RatioKind = "spike_lognormal", size_model: bool = True,
                        phases: ArrayLike | None = None, groups: ArrayLike | None = None,
                        min_phase_points: int = 200, prior: ReferenceClass | None = None,
                        **metadata: Unpack[ReferenceMetadata]) -> ReferenceClass:
    """Fit a reference class from finished tasks' estimates and actuals (same unit).

    ``phases`` (one label per task) adds per-phase parameters for phases with at least
    ``min_phase_points`` tasks. ``groups`` (project or team per task) gives the shared bias;
    without it the shared bias is copied from ``prior`` if given, else ``shared_sigma`` is 0.
    ``metadata``: description, source, licence, attribution, estimate_unit.
    """
    validate_name(name)
    e, a = validate_pairs(estimates, actuals)
    pooled = fit_ratio_model(e, a, kind=kind, size_model=size_model)
    fitted_phases: dict[str, RatioModel] = {}
    if phases is not None:
        labels = np.asarray(phases, dtype=object).ravel()
        if labels.size != e.size:
            raise UserError(f"Got {labels.size} phase labels for {e.size} tasks.")
        for label in sorted({str(v) for v in labels}):
            mask = labels.astype(str) == label
            if mask.sum() >= min_phase_points:
                fitted_phases[label] = fit_ratio_model(e[mask], a[mask], kind=kind,
                                                       size_model=size_model)
    log_ratio = np.log(a / e)
    within: float | None
    if groups is not None:
        labels = np.asarray(groups, dtype=object).ravel()
        if labels.size != e.size:
            raise UserError(f"Got {labels.size} group labels for {e.size} tasks.")
        shared_mu, shared_sigma, within, n_groups = shared_bias(log_ratio, labels.astype(str))
    elif prior is not None:
        shared_mu, shared_sigma = prior.shared_mu, prior.shared_sigma
        within, n_groups = prior.within_sigma, prior.n_groups
    else:
        shared_mu, shared_sigma, within, n_groups = float(log_ratio.mean()), 0.0, None, 0
    return ReferenceClass(name=name, kind=kind, phases=fitted_phases, shared_mu=shared_mu,
                          shared_sigma=shared_sigma, within_sigma=within, n_groups=n_groups,
                          **pooled.model_dump(), **metadata)


# ---------------------------------------------------------------------- baselines and scores
def pert_interval(estimates: ArrayLike, level: float, optimistic: float = PERT_OPTIMISTIC,
                  pessimistic: float = PERT_PESSIMISTIC
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(low, median, high)`` of Beta-PERT(optimistic*E, E, pessimistic*E), lambda = 4."""
    level = check_level(level)
    e = np.asarray(estimates, dtype=float)
    span = pessimistic - optimistic
    alpha, beta = 1 + 4 * (1 - optimistic) / span, 1 + 4 * (pessimistic - 1) / span
    q = stats.beta.ppf([(1 - level) / 2, 0.5, (1 + level) / 2], alpha, beta)
    low, median, high = (e * (optimistic + span * v) for v in q)
    return low, median, high


def winkler_score(low: ArrayLike, high: ArrayLike, actual: ArrayLike, level: float
                  ) -> np.ndarray:
    """Winkler interval score per task (lower is better); same unit as the inputs."""
    alpha = 1 - check_level(level)
    low, high, y = (np.asarray(v, dtype=np.float64) for v in (low, high, actual))
    return (high - low) + (2 / alpha) * (np.maximum(low - y, 0) + np.maximum(y - high, 0))


def inside(low: np.ndarray, high: np.ndarray, actual: ArrayLike) -> np.ndarray:
    """Closed-interval membership, tolerant of rounding when an end is exactly the estimate."""
    y = np.asarray(actual, dtype=float)
    return (y >= low * (1 - EXACT_RTOL)) & (y <= high * (1 + EXACT_RTOL))


class MethodScore(BaseModel):
    """Held-out coverage and mean Winkler score of one method at one level."""

    model_config = ConfigDict(extra="forbid")

    method: str
    level: float
    coverage: float
    winkler: float
    winkler_log: float


class SplitEvaluation(BaseModel):
    """Result of ``evaluate_split``: one score per method and level."""

    model_config = ConfigDict(extra="forbid")

    n_train: int
    n_test: int
    scores: list[MethodScore]

    def score(self, method: str, level: float) -> MethodScore:
        """The score of ``method`` at ``level``."""
        for s in self.scores:
            if s.method == method and abs(s.level - level) < 1e-12:
                return s
        raise KeyError((method, level))

    def table(self) -> str:
        """A plain-text table for people."""
        lines = [f"held-out evaluation: fit on {self.n_train} earlier tasks, "
                 f"tested on {self.n_test} later ones",
                 f"{'method':<11}{'level':>6}{'coverage':>10}{'winkler':>10}{'winkler_log':>13}"]
        lines += [f"{s.method:<11}{s.level:>6.0%}{s.coverage:>10.1%}{s.winkler:>10.2f}"
                  f"{s.winkler_log:>13.3f}" for s in self.scores]
        return "\n".join(lines)


def evaluate_split(estimates: ArrayLike, actuals: ArrayLike, order_key: ArrayLike,
                   train_fraction: float = 0.7, levels: Sequence[float] = DEFAULT_LEVELS,
                   phases: ArrayLike | None = None, size_model: bool = True
                   ) -> SplitEvaluation:
    """Fit on the earliest ``train_fraction`` of tasks by ``order_key``; score the rest.

    Ties in ``order_key`` keep their input order. ``phases`` (optional, one per task) lets the
    calibrated method use per-phase parameters.
    """
    e, a = validate_pairs(estimates, actuals)
    key = np.asarray(order_key).ravel()
    if key.size != e.size:
        raise UserError(f"Got {key.size} order keys for {e.size} tasks.")
    if not 0 < train_fraction < 1:
        raise UserError(f"train_fraction must be between 0 and 1, got {train_fraction}.")
    order = np.argsort(key, kind="stable")
    n_train = round(train_fraction * e.size)
    if n_train < 2 or e.size - n_train < 1:
        raise UserError("Too few tasks to split into a training and a test part.")
    train, test = order[:n_train], order[n_train:]
    ph = None if phases is None else np.asarray(phases, dtype=object).ravel()
    calibrated = fit_reference_class(e[train], a[train], size_model=size_model,
                                     phases=None if ph is None else ph[train])
    plain = fit_reference_class(e[train], a[train], kind="lognormal", size_model=False)
    e_test, y = e[test], a[test]
    methods: dict[str, Callable[[float], tuple[np.ndarray, np.ndarray, np.ndarray]]] = {
        "calibrated": lambda lv: calibrated.interval(e_test, lv,
                                                     None if ph is None else ph[test]),
        "pert": lambda lv: pert_interval(e_test, lv),
        "lognormal": lambda lv: plain.interval(e_test, lv),
    }
    scores = []
    for method, interval in methods.items():
        for level in levels:
            low, _, high = interval(level)
            scores.append(MethodScore(
                method=method, level=level, coverage=float(inside(low, high, y).mean()),
                winkler=float(winkler_score(low, high, y, level).mean()),
                winkler_log=float(winkler_score(np.log(low / e_test), np.log(high / e_test),
                                                np.log(y / e_test), level).mean())))
    return SplitEvaluation(n_train=int(n_train), n_test=int(test.size), scores=scores)
