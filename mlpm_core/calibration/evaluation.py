"""Held-out checks of reference classes: does a fitted class's interval hold on later work?

``evaluate_split`` fits on the earlier part of a time-ordered history and scores the later part
for these methods:

* ``conformal``: mlpm's default fit, conformalised quantiles of the log-ratio by estimate size
  with recency weights (``conformal.py``);
* ``spike_lognormal``: the parametric spike-at-1 plus lognormal fit with size-dependent centre
  and spread (mlpm's earlier method, still the shipped default class's form);
* ``size_buckets``: empirical quantiles of the log-ratio in ``SIZE_BUCKETS`` buckets of equal
  task counts by estimate (a baseline a spreadsheet could do);
* ``lognormal``: a plain lognormal fit of all log-ratios (no spike, no size terms);
* ``pert``: the conventional uncalibrated three-point spread around a single estimate E:
  optimistic 0.75 E, most likely E, pessimistic 1.5 E, as a Beta-PERT distribution
  (lambda = 4); its central interval is the same multiple of E for every task.

Scores: coverage (share of held-out actuals inside the closed interval) and the mean Winkler
interval score ``(hi - lo) + 2/alpha * (lo - y)+ + 2/alpha * (y - hi)+`` with ``alpha = 1 -
level``, in the estimate's unit and on the log-ratio scale (where every task weighs the same).
Lower Winkler is better; the table also gives each Winkler score as a multiple of the plain
lognormal's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import ArrayLike
from pydantic import BaseModel, ConfigDict
from scipy import stats

from mlpm_core.calibration.conformal import DEFAULT_HALF_LIFE_DAYS
from mlpm_core.calibration.fit import fit_reference_class, to_days, validate_pairs
from mlpm_core.calibration.reference_class import EXACT_RTOL, check_level
from mlpm_core.errors import UserError

PERT_OPTIMISTIC = 0.75
PERT_PESSIMISTIC = 1.5
SIZE_BUCKETS = 5
DEFAULT_LEVELS = (0.5, 0.8, 0.9)
METHOD_LABELS = {
    "conformal": "mlpm conformal quantiles",
    "spike_lognormal": "spike at 1 + lognormal",
    "size_buckets": "size-bucket quantiles",
    "lognormal": "plain lognormal",
    "pert": "PERT 0.75E-1.5E",
}
Interval = tuple[np.ndarray, np.ndarray, np.ndarray]


def pert_interval(estimates: ArrayLike, level: float, optimistic: float = PERT_OPTIMISTIC,
                  pessimistic: float = PERT_PESSIMISTIC
                  ) -> Interval:
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


def size_bucket_interval(train_e: np.ndarray, train_a: np.ndarray, estimates: ArrayLike,
                         level: float, buckets: int = SIZE_BUCKETS) -> Interval:
    """``(low, median, high)`` from the training log-ratios of the estimate's size bucket.

    Bucket edges are training quantiles of log(estimate); an empty bucket uses all tasks.
    """
    level = check_level(level)
    ratio = train_a / train_e
    y = np.where(np.abs(ratio - 1) <= EXACT_RTOL, 0.0, np.log(ratio))
    x = np.log(train_e)
    edges = np.unique(np.quantile(x, np.arange(1, buckets) / buckets))
    e = np.asarray(estimates, dtype=float)
    where = np.searchsorted(edges, np.log(e), side="right")
    home = np.searchsorted(edges, x, side="right")
    probs = np.array([(1 - level) / 2, 0.5, (1 + level) / 2])
    out = np.empty((3, e.size))
    for bucket in np.unique(where):
        members = y[home == bucket]
        out[:, where == bucket] = np.quantile(members if members.size else y, probs)[:, None]
    low, median, high = (e * np.exp(row) for row in out)
    return low, median, high


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
        """A plain-text table for people: per level, each method's coverage and Winkler scores,
        and the Winkler score as a multiple of the plain lognormal's (below 1: better)."""
        lines = [f"held-out evaluation: fit on {self.n_train:,} earlier tasks, "
                 f"tested on {self.n_test:,} later ones",
                 f"{'method':<36}{'level':>6}{'coverage':>10}{'winkler':>10}{'x plain':>9}"
                 f"{'winkler_log':>13}{'x plain':>9}"]
        for s in self.scores:
            plain = self.score("lognormal", s.level)
            lines.append(f"{METHOD_LABELS.get(s.method, s.method):<36}{s.level:>6.0%}"
                         f"{s.coverage:>10.1%}{_number(s.winkler):>10}"
                         f"{s.winkler / plain.winkler:>9.2f}"
                         f"{s.winkler_log:>13.3f}{s.winkler_log / plain.winkler_log:>9.2f}")
        return "\n".join(lines)


def _number(value: float) -> str:
    """Two decimals, or three significant digits with an exponent when that is too wide."""
    return f"{value:.2f}" if abs(value) < 1e6 else f"{value:.3g}"


def evaluate_split(estimates: ArrayLike, actuals: ArrayLike, order_key: ArrayLike,
                   train_fraction: float = 0.7, levels: Sequence[float] = DEFAULT_LEVELS,
                   phases: ArrayLike | None = None, size_model: bool = True,
                   dates: ArrayLike | None = None,
                   half_life_days: float | None = DEFAULT_HALF_LIFE_DAYS) -> SplitEvaluation:
    """Fit on the earliest ``train_fraction`` of tasks by ``order_key``; score the rest.

    Ties in ``order_key`` keep their input order. ``phases`` (optional, one per task) lets the
    fitted methods use per-phase parameters; ``dates`` (optional, one per task) gives the
    conformal fit its recency weights.
    """
    e, a = validate_pairs(estimates, actuals)
    key = np.asarray(order_key).ravel()
    if key.size != e.size:
        raise UserError(f"Got {key.size} order keys for {e.size} tasks.")
    if not 0 < train_fraction < 1:
        raise UserError(f"train_fraction must be between 0 and 1, got {train_fraction}.")
    days = to_days(dates, e.size)
    order = np.argsort(key, kind="stable")
    n_train = round(train_fraction * e.size)
    if n_train < 2 or e.size - n_train < 1:
        raise UserError("Too few tasks to split into a training and a test part.")
    train, test = order[:n_train], order[n_train:]
    ph = None if phases is None else np.asarray(phases, dtype=object).ravel()
    fitted = {kind: fit_reference_class(
        e[train], a[train], kind=kind, size_model=size_model,
        phases=None if ph is None else ph[train], dates=None if days is None else days[train],
        half_life_days=half_life_days) for kind in ("conformal", "spike_lognormal")}
    plain = fit_reference_class(e[train], a[train], kind="lognormal", size_model=False)
    e_test, y = e[test], a[test]
    test_phase = None if ph is None else ph[test]
    methods: dict[str, Callable[[float], Interval]] = {
        "conformal": lambda lv: fitted["conformal"].interval(e_test, lv, test_phase),
        "spike_lognormal": lambda lv: fitted["spike_lognormal"].interval(e_test, lv, test_phase),
        "size_buckets": lambda lv: size_bucket_interval(e[train], a[train], e_test, lv),
        "lognormal": lambda lv: plain.interval(e_test, lv),
        "pert": lambda lv: pert_interval(e_test, lv),
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
