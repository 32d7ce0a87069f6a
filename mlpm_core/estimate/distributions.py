"""Fast, seeded, vectorised normal and lognormal draws, and the input checks every sampler shares.

The Monte Carlo engine draws on the order of 100,000 trials x 40 tasks per run, so sampling
has to cost milliseconds. Normal draws therefore come from the midpoint-quantile table of
``mlpm_core.estimate.quantile_tables`` (one 16-bit random index and one gather per draw), with
the two outermost cells drawn exactly so the far tails that drive cost overruns keep their
shape; lognormal draws are those, transformed. The three-point samplers
(``mlpm_core.estimate.three_point``) and the range sampler (``mlpm_core.estimate.interval``)
build on these draws and on the checks here, so every sampler refuses bad input alike.

Layout and reproducibility, shared by every sampler:

* Results of shape ``(n, T)`` are Fortran-ordered (each task's column is contiguous), because
  that is how they are produced; a C-ordered copy would cost another ~8 ms per 4M draws.
  Reductions over tasks (``samples.sum(axis=1)``) are as fast or faster on this layout.
* Draws are taken task by task from one stream: task ``t`` uses the ``t``-th block of ``n``
  draws. The same seed therefore gives identical arrays, and appending a task to a project
  leaves the draws of the existing tasks unchanged (common random numbers for comparisons).
* Invalid input raises ``ValueError`` with a message naming the offending task.
"""

from __future__ import annotations

import operator

import numpy as np
from numpy.typing import DTypeLike
from scipy import special

from mlpm_core.estimate.quantile_tables import (
    TABLE_SIZE,
    edge_cells,
    normal_table,
    table_indices,
    transform,
    transformed_normal_table,
)

__all__ = [
    "TABLE_SIZE",
    "lognormal_from_interval",
    "normal_draws",
    "sample_lognormal",
    "standard_normal",
]


_MIN_NORMAL_TABLE_N = TABLE_SIZE // 4  # below this, transforming the draws themselves is cheaper


# --------------------------------------------------------------------------------------------
# Input validation
# --------------------------------------------------------------------------------------------


def _task_array(name: str, values: float | np.ndarray) -> np.ndarray:
    """Return ``values`` as a finite 1-D float64 array, so every sampler sees one shape."""
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numbers, got {values!r}") from exc
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a number or a 1-D array, got shape {arr.shape}")
    bad = np.flatnonzero(~np.isfinite(arr))
    if bad.size:
        raise ValueError(f"{name} must be finite, but task {bad[0]} is {arr[bad[0]]}")
    return arr


def _same_length(**arrays: np.ndarray) -> int:
    """Return the common task count, refusing arrays that describe different task lists."""
    lengths: dict[str, int] = {name: arr.shape[0] for name, arr in arrays.items()}
    if len(set(lengths.values())) > 1:
        described = ", ".join(f"{name} has {size}" for name, size in lengths.items())
        raise ValueError(f"every input needs one value per task, but {described}")
    return next(iter(lengths.values()))


def _trial_count(n: int) -> int:
    """Return ``n`` as a non-negative int; a float or negative count is a caller error."""
    try:
        count = operator.index(n)
    except TypeError as exc:
        raise ValueError(f"n must be a whole number of trials, got {n!r}") from exc
    if count < 0:
        raise ValueError(f"n must be >= 0, got {count}")
    return count


def _float_dtype(dtype: DTypeLike) -> np.dtype:
    """Accept only float32/float64 so the table arithmetic stays meaningful."""
    resolved = np.dtype(dtype)
    if resolved not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise ValueError(f"dtype must be float32 or float64, got {resolved}")
    return resolved


def _check_ordered(low: np.ndarray, mode: np.ndarray | None, high: np.ndarray) -> None:
    """Refuse estimates whose optimistic / most likely / pessimistic values are out of order."""
    bad = np.flatnonzero(low > high)
    if bad.size:
        t = bad[0]
        raise ValueError(
            f"task {t}: optimistic ({low[t]:g}) must not exceed pessimistic ({high[t]:g})"
        )
    with np.errstate(over="ignore"):
        bad = np.flatnonzero(~np.isfinite(high - low))
    if bad.size:
        t = bad[0]
        raise ValueError(f"task {t}: the range {low[t]:g} to {high[t]:g} is too wide to sample")
    if mode is None:
        return
    bad = np.flatnonzero((mode < low) | (mode > high))
    if bad.size:
        t = bad[0]
        raise ValueError(
            f"task {t}: most likely ({mode[t]:g}) must lie between optimistic ({low[t]:g}) "
            f"and pessimistic ({high[t]:g})"
        )


# --------------------------------------------------------------------------------------------
# Lognormal from a central interval
# --------------------------------------------------------------------------------------------


def lognormal_from_interval(
    low: float | np.ndarray, high: float | np.ndarray, level: float = 0.9
) -> tuple[float | np.ndarray, float | np.ndarray]:
    """Return ``(mu, sigma)`` of the lognormal whose central ``level`` interval is [low, high].

    People state uncertain costs as "90% sure it is between low and high"; with ``level=0.9``
    ``low`` is the P5 and ``high`` the P95 of the fitted distribution. ``mu`` and ``sigma`` are
    the mean and standard deviation of ``log(X)``. Both bounds must be positive (a lognormal
    has no mass at or below zero) and ``low <= high``; ``low == high`` gives ``sigma == 0``.
    Scalars in give floats out; arrays in give arrays out.
    """
    scalar = np.ndim(low) == 0 and np.ndim(high) == 0
    lo = _task_array("low", low)
    hi = _task_array("high", high)
    if lo.shape != hi.shape and lo.size != 1 and hi.size != 1:
        raise ValueError(f"low and high must have the same length, got {lo.size} and {hi.size}")
    lo, hi = np.broadcast_arrays(lo, hi)
    try:
        level = float(level)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"level must be a probability, got {level!r}") from exc
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be a probability strictly between 0 and 1, got {level}")
    bad = np.flatnonzero(lo <= 0.0)
    if bad.size:
        raise ValueError(f"a lognormal range needs low > 0, but low is {lo[bad[0]]:g}")
    bad = np.flatnonzero(lo > hi)
    if bad.size:
        t = bad[0]
        raise ValueError(f"low ({lo[t]:g}) must not exceed high ({hi[t]:g})")
    z = special.ndtri(0.5 + level / 2.0)  # 1.6448536... for level 0.9
    log_lo, log_hi = np.log(lo), np.log(hi)
    mu = (log_lo + log_hi) / 2.0
    sigma = (log_hi - log_lo) / (2.0 * z)
    if scalar:
        return float(mu[0]), float(sigma[0])
    return mu, sigma


# --------------------------------------------------------------------------------------------
# Normal and lognormal draws
# --------------------------------------------------------------------------------------------


def _draws_array(n: int, out: np.ndarray | None) -> np.ndarray:
    """Where ``n`` float64 draws go: ``out`` when it is a contiguous float64 array of exactly
    that length (checked, since the draws are written into it in place), else a new array."""
    count = _trial_count(n)
    if out is None:
        return np.empty(count, dtype=np.float64)
    if out.shape != (count,) or out.dtype != np.float64 or not out.flags.c_contiguous:
        raise ValueError(f"out must be a contiguous float64 array of shape ({count},)")
    return out


def standard_normal(rng: np.random.Generator, n: int,
                    out: np.ndarray | None = None) -> np.ndarray:
    """``n`` standard-normal draws, about five times faster than ``Generator.standard_normal``.

    The body comes from the midpoint-quantile table (CDF error below 1/TABLE_SIZE, like the
    PERT tables); the two outermost cells are drawn exactly from the truncated tails by
    inverting the CDF at a uniform point inside the cell, so the far tails keep their true
    shape. ``out`` (contiguous float64, shape ``(n,)``) receives the draws in place of a new
    array, for callers that fill rows of a larger array.
    """
    out = _draws_array(n, out)
    _standard_normal_into(rng, out)
    return out


def _standard_normal_into(rng: np.random.Generator, out: np.ndarray) -> None:
    """Fill the contiguous float64 ``out`` with ``standard_normal`` draws (same stream).

    Writing into the caller's array saves the allocation and the copy that the lognormal
    samplers would otherwise make of every 100,000-draw block.
    """
    index = table_indices(rng, out.shape[0])
    np.take(normal_table(), index, out=out, mode="wrap")  # "wrap": indices are in range
    tails = edge_cells(index)
    if tails.size:
        u = (index[tails] + rng.random(tails.size)) / TABLE_SIZE
        out[tails] = special.ndtri(u)


def sample_lognormal(
    rng: np.random.Generator,
    mu: float | np.ndarray,
    sigma: float | np.ndarray,
    n: int,
) -> np.ndarray:
    """Draw ``exp(mu + sigma * Z)`` per task; returns shape ``(n, len(mu))``, Fortran-ordered.

    ``mu``/``sigma`` are the parameters of ``log(X)`` (see ``lognormal_from_interval``).
    Uses ``standard_normal`` above: table speed in the body, exact draws in the far tails
    that drive cost overruns. ``sigma == 0`` gives the constant
    ``exp(mu)``.
    """
    mu_arr = _task_array("mu", mu)
    sigma_arr = _task_array("sigma", sigma)
    n_tasks = _same_length(mu=mu_arr, sigma=sigma_arr)
    bad = np.flatnonzero(sigma_arr < 0.0)
    if bad.size:
        raise ValueError(f"task {bad[0]}: sigma must be >= 0, got {sigma_arr[bad[0]]:g}")
    count = _trial_count(n)
    out = np.empty((count, n_tasks), dtype=np.float64, order="F")
    for t in range(n_tasks):
        _lognormal_into(rng, float(mu_arr[t]), float(sigma_arr[t]), out[:, t])
    return out


def _lognormal_into(rng: np.random.Generator, mu: float, sigma: float, out: np.ndarray) -> None:
    """Fill the contiguous float64 ``out`` with ``exp(mu + sigma * Z)``, in place.

    One task's draws are the next block of the stream, so every lognormal sampler here sees
    the same numbers for the same seed.
    """
    _transformed_normal_into(rng, out, mu, sigma, exponentiate=True)


def normal_draws(rng: np.random.Generator, n: int, sigma: float, mu: float | None = None,
                 out: np.ndarray | None = None) -> np.ndarray:
    """``sigma * Z + mu`` for ``n`` draws of ``standard_normal`` (``mu=None``: ``sigma * Z``).

    Exactly the numbers ``mu + sigma * standard_normal(rng, n)`` gives, from the same stream,
    but from ``_MIN_NORMAL_TABLE_N`` draws on the body is gathered from a cached table of the
    transformed quantiles, so the multiply and add run once per table instead of per draw.
    ``out`` as in ``standard_normal``.
    """
    out = _draws_array(n, out)
    _transformed_normal_into(rng, out, None if mu is None else float(mu), float(sigma),
                             exponentiate=False)
    return out


def _transformed_normal_into(rng: np.random.Generator, out: np.ndarray, mu: float | None,
                             sigma: float, exponentiate: bool) -> None:
    """``out = f(Z)`` for standard-normal draws Z, ``f`` as in ``transform``.

    Large draws gather from a cached table of ``f`` over the normal table and apply ``f`` to
    the exactly-drawn tail cells alone: per value the same float operations as transforming
    the draws, so the numbers do not depend on which path runs.
    """
    if out.shape[0] < _MIN_NORMAL_TABLE_N:
        _standard_normal_into(rng, out)
        transform(out, mu, sigma, exponentiate)
        return
    index = table_indices(rng, out.shape[0])
    np.take(transformed_normal_table(mu, sigma, exponentiate), index, out=out, mode="wrap")
    tails = edge_cells(index)
    if tails.size:
        z = special.ndtri((index[tails] + rng.random(tails.size)) / TABLE_SIZE)
        transform(z, mu, sigma, exponentiate)
        out[tails] = z
