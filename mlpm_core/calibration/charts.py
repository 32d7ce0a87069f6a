"""How well a fitted reference class matches the finished tasks it was fitted on.

``fit_summary`` gives the numbers people check first (how many tasks, how many landed exactly on
their estimate, the median and P10/P90 of ``actual / estimate``, and how many actuals fall
inside the fitted 80% interval of their own estimate, in-sample). ``goodness_of_fit_spec``
draws the empirical CDF of the ratios against the fitted class's CDF on a log axis.

The fitted CDF is the class's distribution *averaged over the tasks' own estimates (and
phases)*: with size-dependent parameters every task has its own distribution, so this marginal
is what the empirical CDF of the pooled ratios should match. Both curves jump at ratio 1: the
share of tasks booked at exactly their estimate (the spike of a ``spike_lognormal`` class).

As in ``charts.py`` the spec carries pre-aggregated data only (at most ``MAX_X_VALUES`` points
per curve) and no user text: the class name is shown by the caller, not inside the chart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from scipy import special

from mlpm_core.calibration.evaluation import inside
from mlpm_core.calibration.fit import validate_pairs
from mlpm_core.calibration.reference_class import EXACT_RTOL, ReferenceClass, check_level
from mlpm_core.charts import CONFIG, HEIGHT, WIDTH, Spec

MAX_X_VALUES = 150  # per curve: two curves stay at or under 300 data rows
MAX_EXACT_STEPS = 100  # up to this many distinct ratios, the empirical CDF is drawn exactly
JUST_BELOW_ONE = 1 - 1e-6  # the point just left of the spike, so both curves show the jump
MODEL_ROWS_PER_CHUNK = 4096
EMPIRICAL = "Finished tasks (empirical)"
FITTED = "Fitted reference class"
EMPIRICAL_COLOUR = "#1f77b4"
FITTED_COLOUR = "#d0743c"
SPIKE_COLOUR = "#777777"


@dataclass(frozen=True)
class FitSummary:
    """The fit in a few numbers: the data's ratios and the fitted interval's in-sample hits."""

    n: int
    share_exact: float
    median_ratio: float
    p10_ratio: float
    p90_ratio: float
    level: float
    coverage: float
    bias_median: float
    bias_sigma: float
    n_groups: int

    def sentences(self) -> list[str]:
        """The summary as short sentences for people (no user text)."""
        return [
            f"{self.n:,} finished tasks; {self.share_exact:.0%} took exactly their estimate.",
            f"Actual / estimate: median {self.median_ratio:.2f}, P10 {self.p10_ratio:.2f}, "
            f"P90 {self.p90_ratio:.2f}.",
            f"The fitted {self.level:.0%} interval of each task's estimate holds "
            f"{self.coverage:.0%} of the actuals (in-sample; {self.level:.0%} is ideal).",
        ]


def _ratios(estimates: ArrayLike, actuals: ArrayLike) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Estimates, actuals, and ``actual / estimate`` with exact hits set to exactly 1."""
    e, a = validate_pairs(estimates, actuals)
    ratio = a / e
    ratio[np.abs(ratio - 1) <= EXACT_RTOL] = 1.0
    return e, a, ratio


def fit_summary(reference: ReferenceClass, estimates: ArrayLike, actuals: ArrayLike,
                phases: ArrayLike | None = None, level: float = 0.8) -> FitSummary:
    """Summary of ``reference`` against the finished tasks (usually those it was fitted on).

    ``phases`` (one label per task, optional) makes the interval use per-phase parameters, as
    the fit did; ``level`` is the central interval whose in-sample coverage is reported.
    """
    level = check_level(level)
    e, a, ratio = _ratios(estimates, actuals)
    p10, median, p90 = np.quantile(ratio, [0.1, 0.5, 0.9])
    low, _, high = reference.interval(e, level, _phase_array(phases, e.size))
    return FitSummary(
        n=int(e.size), share_exact=float(np.mean(ratio == 1.0)), median_ratio=float(median),
        p10_ratio=float(p10), p90_ratio=float(p90), level=level,
        coverage=float(inside(low, high, a).mean()),
        bias_median=reference.bias_median, bias_sigma=float(reference.shared_sigma),
        n_groups=int(reference.n_groups))


def _phase_array(phases: ArrayLike | None, n: int) -> np.ndarray | None:
    if phases is None:
        return None
    labels = np.asarray(phases, dtype=object).ravel()
    if labels.size != n:
        raise ValueError(f"got {labels.size} phase labels for {n} tasks")
    return np.array(["" if label is None else str(label) for label in labels], dtype=object)


def model_cdf(reference: ReferenceClass, ratios: ArrayLike, estimates: ArrayLike,
              phases: ArrayLike | None = None) -> np.ndarray:
    """The fitted class's CDF at each ratio, averaged over the tasks' estimates (and phases)."""
    grid = np.asarray(ratios, dtype=float)
    e = np.asarray(estimates, dtype=float).ravel()
    if reference.kind == "conformal":
        return _table_cdf(reference, grid, e, _phase_array(phases, e.size))
    p_exact, mu, sigma = (np.broadcast_to(v, e.shape)
                          for v in reference.params(e, _phase_array(phases, e.size)))
    params, counts = np.unique(np.column_stack([p_exact, mu, sigma]), axis=0,
                               return_counts=True)
    log_grid = np.log(grid)[None, :]
    on_or_above_one = (grid >= 1.0)[None, :]
    total = np.zeros(grid.shape)
    for start in range(0, len(params), MODEL_ROWS_PER_CHUNK):
        pe, m, s = (params[start:start + MODEL_ROWS_PER_CHUNK, i, None] for i in range(3))
        cdf = pe * on_or_above_one + (1 - pe) * special.ndtr((log_grid - m) / s)
        total += counts[start:start + MODEL_ROWS_PER_CHUNK] @ cdf
    return total / e.size


def _table_cdf(reference: ReferenceClass, grid: np.ndarray, e: np.ndarray,
               phases: np.ndarray | None) -> np.ndarray:
    """``model_cdf`` of a conformal class: each table row's CDF, weighted by its tasks."""
    labels = np.full(e.size, "", dtype=object) if phases is None else phases
    total = np.zeros(grid.shape)
    for name in set(labels.tolist()):
        model = reference.phases.get(name, reference)
        if model.table is None:
            raise ValueError("a conformal class needs a table for every model")
        rows, counts = np.unique(model.table.row_of(e[labels == name]), return_counts=True)
        for row, count in zip(rows, counts, strict=True):
            total += count * model.table.cdf(np.log(grid), int(row))
    return total / e.size


def _x_values(ratio: np.ndarray) -> np.ndarray:
    """Where both curves are evaluated: a log-spaced grid, ratio 1 and just below it, and
    every distinct ratio when there are few (so the empirical steps sit where the data is)."""
    lo = min(float(ratio.min()), 0.9) / 1.15
    hi = max(float(ratio.max()), 1.1) * 1.15
    distinct = np.unique(ratio)
    exact = distinct if distinct.size <= MAX_EXACT_STEPS else np.empty(0)
    grid = np.geomspace(lo, hi, MAX_X_VALUES - 2 - exact.size)
    return np.unique(np.concatenate([grid, exact, [JUST_BELOW_ONE, 1.0]]))


def goodness_of_fit_rows(reference: ReferenceClass, estimates: ArrayLike, actuals: ArrayLike,
                         phases: ArrayLike | None = None) -> list[dict[str, Any]]:
    """Both CDFs on shared x values: ``{"ratio", "share", "curve"}`` rows, empirical first."""
    e, _, ratio = _ratios(estimates, actuals)
    x = _x_values(ratio)
    empirical = np.searchsorted(np.sort(ratio), x, side="right") / ratio.size
    fitted = model_cdf(reference, x, e, phases)
    return ([{"ratio": float(v), "share": float(f), "curve": EMPIRICAL}
             for v, f in zip(x, empirical, strict=True)]
            + [{"ratio": float(v), "share": float(f), "curve": FITTED}
               for v, f in zip(x, fitted, strict=True)])


def goodness_of_fit_spec(reference: ReferenceClass, estimates: ArrayLike, actuals: ArrayLike,
                         phases: ArrayLike | None = None) -> Spec:
    """Empirical CDF of ``actual / estimate`` against the fitted class, with the exact-hit spike.

    Log x axis; the empirical CDF is drawn as steps, the fitted one as a dashed line; a grey
    rule at ratio 1 is labelled with the share of tasks that took exactly their estimate.
    """
    rows = goodness_of_fit_rows(reference, estimates, actuals, phases)
    ratios = [row["ratio"] for row in rows]
    share_exact = float(np.mean(_ratios(estimates, actuals)[2] == 1.0))
    x = {"field": "ratio", "type": "quantitative", "title": "Actual / estimate (log scale)",
         "scale": {"type": "log", "domain": [min(ratios), max(ratios)], "nice": False},
         "axis": {"format": "~g", "labelOverlap": True}}
    y = {"field": "share", "type": "quantitative",
         "title": "Share of tasks with a ratio at most this", "axis": {"format": "%"},
         "scale": {"domain": [0, 1]}}
    colour = {"field": "curve", "type": "nominal", "title": None,
              "scale": {"domain": [EMPIRICAL, FITTED],
                        "range": [EMPIRICAL_COLOUR, FITTED_COLOUR]},
              "legend": {"orient": "bottom"}}
    tooltip = [{"field": "curve", "type": "nominal", "title": "Curve"},
               {"field": "ratio", "type": "quantitative", "title": "Actual / estimate",
                "format": ".3~g"},
               {"field": "share", "type": "quantitative", "title": "Share at most this",
                "format": ".1%"}]
    encoding = {"x": x, "y": y, "color": colour, "tooltip": tooltip}
    spike = [{"ratio": 1.0, "label": f"Exactly on estimate: {share_exact:.0%} of tasks"}]
    layers = [
        {"data": {"values": [row for row in rows if row["curve"] == EMPIRICAL]},
         "mark": {"type": "line", "interpolate": "step-after", "strokeWidth": 2},
         "encoding": encoding},
        {"data": {"values": [row for row in rows if row["curve"] == FITTED]},
         "mark": {"type": "line", "strokeWidth": 2, "strokeDash": [6, 3]},
         "encoding": encoding},
        {"data": {"values": spike},
         "mark": {"type": "rule", "color": SPIKE_COLOUR, "strokeDash": [2, 3]},
         "encoding": {"x": {"field": "ratio", "type": "quantitative"}}},
        {"data": {"values": spike},
         "mark": {"type": "text", "align": "left", "baseline": "bottom", "dx": 4,
                  "y": HEIGHT - 4, "fontSize": 11, "color": SPIKE_COLOUR},
         "encoding": {"x": {"field": "ratio", "type": "quantitative"},
                      "text": {"field": "label", "type": "nominal"}}},
    ]
    return {"config": CONFIG, "title": "Goodness of fit: actual / estimate", "width": WIDTH,
            "height": HEIGHT, "layer": layers}
