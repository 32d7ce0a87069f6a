"""A reference class learnt as a table of quantiles of the log-ratio, by estimate size.

The ``conformal`` reference-class kind (fitted by ``calibration.conformal``) stores no formula:
for a few estimate sizes ("rows") it keeps the quantiles of ``log(actual / estimate)`` on a
fixed grid of probabilities. Whatever shape the data has (a spike of exact hits or none, heavy
tails, skew) the table keeps it: exact hits are runs of quantiles that are exactly 0.

The table is the distribution (what the engine samples and the goodness-of-fit chart draws).
Interval ends read it at recalibrated levels, ``interval_levels`` (one per grid probability):
with a spike, a closed interval whose end falls on it takes in the whole spike, so an interval
that holds its level overall must read some sizes' distributions at other levels than nominal.

An estimate uses the row whose size is nearest on the log scale; between grid probabilities the
quantile is linear. Below the first and above the last grid probability the table's end values
hold (the distribution puts mass ``probs[0]`` and ``1 - probs[-1]`` there). Everything here is
numpy only, vectorised, so the Monte Carlo engine can sample from a table without scipy.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from pydantic import BaseModel, ConfigDict, Field, model_validator

# Probabilities the table stores: fine in the tails, every hundredth in between.
TABLE_PROBS: tuple[float, ...] = (0.001, 0.0025, 0.005, *(i / 100 for i in range(1, 100)),
                                  0.995, 0.9975, 0.999)


class QuantileTable(BaseModel):
    """Quantiles of the log-ratio (``log_ratio[row][j]`` at ``probs[j]``) for each row size."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    probs: list[float] = Field(min_length=2, description="increasing, strictly inside (0, 1)")
    sizes: list[float] = Field(min_length=1, description="estimate at each row, increasing")
    log_ratio: list[list[float]] = Field(min_length=1)
    interval_levels: list[float] | None = Field(
        default=None, description="level an interval end at each prob reads; None: probs")
    bandwidth: float | None = Field(default=None, gt=0.0,
                                    description="kernel sd in log(estimate); None: one row")
    half_life_days: float | None = Field(default=None, gt=0.0,
                                         description="recency half-life of the fit's weights")

    @model_validator(mode="after")
    def _consistent(self) -> QuantileTable:
        p = np.asarray(self.probs)
        if not (np.all(np.diff(p) > 0) and p[0] > 0 and p[-1] < 1):
            raise ValueError("probs must increase strictly inside (0, 1)")
        sizes = np.asarray(self.sizes)
        if not (np.all(sizes > 0) and np.all(np.diff(sizes) > 0)):
            raise ValueError("sizes must be positive and increasing")
        if len(self.log_ratio) != sizes.size:
            raise ValueError("log_ratio needs one row per size")
        for row in self.log_ratio:
            if len(row) != p.size or np.any(np.diff(row) < 0):
                raise ValueError("each log_ratio row needs one nondecreasing value per prob")
        levels = self.interval_levels
        if levels is not None and (len(levels) != p.size or np.any(np.diff(levels) < 0)
                                   or min(levels) <= 0 or max(levels) > 1):
            raise ValueError("interval_levels needs one nondecreasing level in (0, 1] per prob")
        return self

    # ------------------------------------------------------------------ lookups
    def _arrays(self) -> tuple[np.ndarray, np.ndarray]:
        return np.asarray(self.probs, dtype=float), np.asarray(self.log_ratio, dtype=float)

    def row_of(self, estimates: ArrayLike | None) -> np.ndarray:
        """Row index per estimate: the row whose size is nearest in log(estimate)."""
        log_sizes = np.log(np.asarray(self.sizes, dtype=float))
        if estimates is None:
            return np.asarray(log_sizes.size // 2)
        cuts = (log_sizes[1:] + log_sizes[:-1]) / 2
        return np.asarray(np.searchsorted(cuts, np.log(np.asarray(estimates, dtype=float))))

    def log_quantile(self, p: ArrayLike, estimates: ArrayLike | None = None) -> np.ndarray:
        """Quantile of the log-ratio at ``p`` for each estimate (p and estimates broadcast)."""
        probs, table = self._arrays()
        p_arr, rows = np.broadcast_arrays(np.asarray(p, dtype=float), self.row_of(estimates))
        j = np.clip(np.searchsorted(probs, p_arr), 1, probs.size - 1)
        t = np.clip((p_arr - probs[j - 1]) / (probs[j] - probs[j - 1]), 0.0, 1.0)
        low, high = table[rows, j - 1], table[rows, j]
        # low + t * (high - low) keeps a run of exact zeros (the spike) exactly 0
        return np.asarray(low + t * (high - low))

    def interval_level(self, p: ArrayLike) -> np.ndarray:
        """The level an interval end at nominal probability ``p`` reads the table at."""
        p_arr = np.asarray(p, dtype=float)
        if self.interval_levels is None:
            return p_arr
        return np.asarray(np.interp(p_arr, self.probs, self.interval_levels))

    def cdf(self, log_values: ArrayLike, row: int) -> np.ndarray:
        """Right-continuous CDF of one row at ``log_values`` (an atom counts as reached)."""
        probs, table = self._arrays()
        q = table[row]
        v = np.asarray(log_values, dtype=float)
        idx = np.searchsorted(q, v, side="right")
        j = np.clip(idx, 1, probs.size - 1)
        span = q[j] - q[j - 1]
        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.where(span > 0, (v - q[j - 1]) / span, 1.0)
        inner = probs[j - 1] + np.clip(t, 0.0, 1.0) * (probs[j] - probs[j - 1])
        return np.where(idx == 0, 0.0, np.where(idx >= probs.size, 1.0, inner))

    def sample_log(self, rng: np.random.Generator, n: int,
                   estimates: ArrayLike | None = None) -> np.ndarray:
        """``n`` draws of the log-ratio by inverting the table at uniform probabilities."""
        return self.log_quantile(rng.random(n), estimates)
