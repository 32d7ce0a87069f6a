"""Learning estimator bias from outcomes: fit reference classes from finished tasks.

``fit_reference_class`` fits the distribution of ``actual / estimate`` (see
``reference_class.py`` for the kinds) and the between-project bias the Monte Carlo engine
shares across a trial's tasks. The default kind, ``conformal``, assumes no shape (see
``conformal.py``); the parametric kinds are fitted here. ``evaluation.py`` scores them on
held-out work.

Parametric model choice (chosen on an inner split of the SiP training part, then confirmed on
its test part): letting mu and sigma depend on log(estimate) cuts the Winkler score clearly; letting
sigma alone depend on size does not beat the plain lognormal in hours. The spike share is kept
constant although exact hits are far more common for small estimates: when the spike holds more
than the interval's level, a closed interval collapses onto the estimate and covers the spike
(a 50% interval then covers ~76% of tiny tasks), so a size-dependent spike over-covers the 50%
interval by 5-10 points while improving Winkler only a little.
"""

from __future__ import annotations

from typing import TypedDict, Unpack

import numpy as np
from numpy.typing import ArrayLike
from scipy import optimize

from mlpm_core.calibration.conformal import DEFAULT_HALF_LIFE_DAYS, fit_conformal_model
from mlpm_core.calibration.reference_class import (
    EXACT_RTOL,
    MAX_AMOUNT,
    MIN_AMOUNT,
    RatioKind,
    RatioModel,
    ReferenceClass,
    validate_name,
)
from mlpm_core.calibration.shared_bias import SharedBias, pooled_total_bias, shared_bias
from mlpm_core.errors import UserError

MIN_SIZE_MODEL_POINTS = 50  # off-estimate tasks needed before mu/sigma may depend on size


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
        raise UserError(f"Unknown parametric reference-class kind {kind!r}; use 'lognormal' "
                        "or 'spike_lognormal'.")
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


class ReferenceMetadata(TypedDict, total=False):
    """The descriptive fields ``fit_reference_class`` passes through to the class."""

    description: str
    source: str
    licence: str
    attribution: str
    estimate_unit: str


def to_days(values: ArrayLike | None, n: int) -> np.ndarray | None:
    """Dates (numpy datetimes, ``datetime.date`` objects or day numbers) as float days."""
    if values is None:
        return None
    arr = np.asarray(values).ravel()
    if arr.size != n:
        raise UserError(f"Got {arr.size} dates for {n} tasks.")
    if arr.dtype.kind == "O":
        try:
            arr = arr.astype("datetime64[D]")
        except (TypeError, ValueError):
            raise UserError("Every date must be a calendar date.") from None
    if arr.dtype.kind == "M":
        if np.isnat(arr).any():
            raise UserError("Every task needs a date to weigh recent work more.")
        return np.asarray((arr - np.datetime64(0, "D")) / np.timedelta64(1, "D"), dtype=float)
    try:
        days = np.asarray(arr, dtype=float)
    except (TypeError, ValueError):
        raise UserError("Every date must be a calendar date or a day number.") from None
    if not np.all(np.isfinite(days)):
        raise UserError("Every date must be a finite day number.")
    return days


def _fit_model(e: np.ndarray, a: np.ndarray, kind: RatioKind, size_model: bool,
               days: np.ndarray | None, half_life_days: float | None) -> RatioModel:
    if kind == "conformal":
        if np.sum(np.abs(a / e - 1) > EXACT_RTOL) < 2:
            raise UserError("At least 2 tasks that missed their estimate are needed to fit the "
                            "spread of misses.")
        return fit_conformal_model(e, a, days, half_life_days)
    return fit_ratio_model(e, a, kind=kind, size_model=size_model)


def fit_reference_class(estimates: ArrayLike, actuals: ArrayLike, *, name: str = "custom",
                        kind: RatioKind = "conformal", size_model: bool = True,
                        phases: ArrayLike | None = None, groups: ArrayLike | None = None,
                        min_phase_points: int = 200, prior: ReferenceClass | None = None,
                        dates: ArrayLike | None = None,
                        half_life_days: float | None = DEFAULT_HALF_LIFE_DAYS,
                        **metadata: Unpack[ReferenceMetadata]) -> ReferenceClass:
    """Fit a reference class from finished tasks' estimates and actuals (same unit).

    ``phases`` (one label per task) adds per-phase parameters for phases with at least
    ``min_phase_points`` tasks. ``groups`` (project or team per task) give the shared bias and
    its spread between projects (``shared_bias.py``); without them the bias is that of all the
    tasks' totals and its spread is copied from ``prior`` if given, else 0.
    ``dates`` (one per task) order the tasks and, for the ``conformal`` kind, weigh recent
    work more (``half_life_days``; None weighs all alike); without dates the input order is
    the time order. ``size_model`` applies to the parametric kinds only.
    ``metadata``: description, source, licence, attribution, estimate_unit.
    """
    validate_name(name)
    e, a = validate_pairs(estimates, actuals)
    days = to_days(dates, e.size)
    pooled = _fit_model(e, a, kind, size_model, days, half_life_days)
    fitted_phases: dict[str, RatioModel] = {}
    if phases is not None:
        labels = np.asarray(phases, dtype=object).ravel()
        if labels.size != e.size:
            raise UserError(f"Got {labels.size} phase labels for {e.size} tasks.")
        for label in sorted({str(v) for v in labels}):
            mask = labels.astype(str) == label
            if mask.sum() >= min_phase_points:
                fitted_phases[label] = _fit_model(e[mask], a[mask], kind, size_model,
                                                  None if days is None else days[mask],
                                                  half_life_days)
    if groups is not None:
        labels = np.asarray(groups, dtype=object).ravel()
        if labels.size != e.size:
            raise UserError(f"Got {labels.size} group labels for {e.size} tasks.")
        bias = shared_bias(e, a, labels.astype(str))
    elif prior is not None:
        bias = SharedBias(pooled_total_bias(e, a), prior.shared_sigma, prior.within_sigma,
                          prior.n_groups)
    else:
        bias = SharedBias(pooled_total_bias(e, a), 0.0, None, 0)
    return ReferenceClass(name=name, kind=kind, phases=fitted_phases, **bias._asdict(),
                          **pooled.model_dump(), **metadata)
