"""Samplers for three-point task estimates (PERT, triangular, lognormal), one task at a time.

Sampling has to cost milliseconds, not the ~200 ms that ``Generator.beta`` needs for 4M draws.
PERT draws therefore come from inverse-CDF tables (``mlpm_core.estimate.quantile_tables``): a
PERT-Beta's shape depends only on the relative mode ``r = (m - a) / (b - a)``, so one table of
``TABLE_SIZE`` quantiles per distinct ``r`` (cached) turns each draw into one 16-bit random
index and one gather from a table that fits in the L2 cache. The table holds the quantiles at
the midpoints ``(i + 0.5) / TABLE_SIZE``, so the sampled distribution's CDF is within
``0.5 / TABLE_SIZE`` of the exact Beta CDF everywhere, which is far below what any Monte Carlo
estimate of a project total can resolve.

Layout, stream order and input checks are those of ``mlpm_core.estimate.distributions``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Literal

import numpy as np
from numpy.typing import DTypeLike

from mlpm_core.estimate.distributions import (
    _check_ordered,
    _float_dtype,
    _lognormal_into,
    _same_length,
    _task_array,
    _trial_count,
    lognormal_from_interval,
)
from mlpm_core.estimate.quantile_tables import (
    TABLE_SIZE,
    index_blocks,
    mode_key,
    scaled_pert_table,
    table_for_mode,
)

__all__ = [
    "ThreePointKind",
    "sample_three_point",
    "three_point_columns",
]


ThreePointKind = Literal["pert", "triangular", "lognormal"]
Targets = Callable[[int], np.ndarray]
"""Where task ``t``'s draws go: a contiguous array of n values (float64 or float32)."""

_THREE_POINT_KINDS: tuple[str, ...] = ("pert", "triangular", "lognormal")


def _pert_columns(
    rng: np.random.Generator,
    low: np.ndarray,
    mode: np.ndarray,
    high: np.ndarray,
    n: int,
    targets: Targets,
) -> Iterator[np.ndarray]:
    """PERT draws as ``low + width * table[index]``, clipped to [low, high] against rounding.

    Writes each task's draws to ``targets(t)`` and yields that array, in task order (so a
    caller that only sums the tasks never needs to hold all of them). Indices are drawn as
    the tasks are, so nothing else may draw from ``rng`` until the last task is taken. For
    n >= TABLE_SIZE the affine map is applied to the 65,536-entry table rather than to the n
    draws (fewer operations, and the scaled table is cached for the next chunk or run); both
    orders perform the same float operations per value, so the result does not depend on
    which one runs.
    """
    n_tasks = low.shape[0]
    blocks = index_blocks(rng, n, n_tasks)
    width = high - low
    scale_table = n >= TABLE_SIZE
    scratch: np.ndarray | None = None  # float64 work space for a float32 target, small n
    for t in range(n_tasks):
        column = targets(t)
        idx = next(blocks)  # drawn for a certain task too, so later tasks see the same stream
        if width[t] == 0.0:
            column.fill(low[t])
            yield column
            continue
        # Indices are always in range; mode="wrap" merely skips the bounds check, and unlike
        # the default mode="raise" it does not buffer ``out`` (~25% faster here).
        if scale_table:
            r = mode_key((mode[t] - low[t]) / width[t])
            source = scaled_pert_table(float(low[t]), float(high[t]), r)
            if column.dtype != np.float64:
                source = source.astype(column.dtype)
            np.take(source, idx, out=column, mode="wrap")
        else:
            unit = table_for_mode((mode[t] - low[t]) / width[t])
            if column.dtype != np.float64 and scratch is None:
                scratch = np.empty(n, dtype=np.float64)
            work = column if column.dtype == np.float64 else scratch
            np.take(unit, idx, out=work, mode="wrap")
            work *= width[t]
            work += low[t]
            np.clip(work, low[t], high[t], out=work)
            if work is not column:
                column[...] = work
        yield column


# --------------------------------------------------------------------------------------------
# Triangular and lognormal
# --------------------------------------------------------------------------------------------


def _triangular_columns(
    rng: np.random.Generator,
    low: np.ndarray,
    mode: np.ndarray,
    high: np.ndarray,
    n: int,
    targets: Targets,
) -> Iterator[np.ndarray]:
    """Closed-form inverse CDF of the triangular distribution applied to uniforms.

    With c = (m - a) / (b - a): u < c maps to a + sqrt(u (b - a)(m - a)), otherwise to
    b - sqrt((1 - u)(b - a)(b - m)). Masked numpy operations (``np.where``, ``where=``) cost
    20-30 ms per 4M values on a random mask, so the branch is blended arithmetically with a
    0/1 float ``left`` and ``right = 1 - left``: products with exactly 0 or 1 and sums with
    exactly 0 are exact, so the result is bit-for-bit the two-branch formula. One task at a
    time in reused buffers keeps the work in cache. Writes and yields ``targets(t)`` in task
    order, like ``_pert_columns``.
    """
    n_tasks = low.shape[0]
    u, root, left, right = (np.empty(n, dtype=np.float64) for _ in range(4))
    is_left = np.empty(n, dtype=bool)
    work: np.ndarray | None = None  # float64 work space for a float32 target
    for t in range(n_tasks):
        a, m, b = float(low[t]), float(mode[t]), float(high[t])
        rng.random(out=u)  # drawn even for a certain task, so later tasks see the same stream
        target = targets(t)
        if target.dtype != np.float64 and work is None:
            work = np.empty(n, dtype=np.float64)
        column = target if target.dtype == np.float64 else work
        assert column is not None  # work exists for a target that is not float64
        width = b - a
        if width == 0.0:
            column.fill(a)
        else:
            np.less(u, (m - a) / width, out=is_left)
            np.copyto(left, is_left)
            np.subtract(1.0, left, out=right)
            np.multiply(u, width * (m - a), out=root)  # rising-branch argument
            np.subtract(1.0, u, out=u)
            u *= width * (b - m)  # falling-branch argument
            root *= left
            u *= right
            root += u
            np.sqrt(root, out=root)
            np.subtract(left, right, out=u)  # +1 on the rising branch, -1 on the falling one
            root *= u
            np.multiply(left, a, out=column)
            right *= b
            column += right  # a or b
            column += root
            np.clip(column, a, b, out=column)
        if column is not target:
            target[...] = column
        yield target

def _lognormal_columns(
    rng: np.random.Generator,
    low: np.ndarray,
    high: np.ndarray,
    n: int,
    targets: Targets,
) -> Iterator[np.ndarray]:
    """Three-point lognormal draws (low/high as P5/P95) in task order, like ``_pert_columns``.

    A certain task still consumes its block of draws, so later tasks see the same stream, and
    returns its value exactly (``exp(log(a))`` can be off by an ulp).
    """
    mu, sigma = lognormal_from_interval(low, high)
    assert isinstance(mu, np.ndarray) and isinstance(sigma, np.ndarray)  # arrays in, arrays out
    work: np.ndarray | None = None  # float64 work space for a float32 target
    for t in range(low.shape[0]):
        target = targets(t)
        if target.dtype != np.float64 and work is None:
            work = np.empty(n, dtype=np.float64)
        column = target if target.dtype == np.float64 else work
        assert column is not None  # work exists for a target that is not float64
        _lognormal_into(rng, float(mu[t]), float(sigma[t]), column)
        if low[t] == high[t]:
            column.fill(low[t])
        if column is not target:
            target[...] = column
        yield target


# --------------------------------------------------------------------------------------------
# Public samplers
# --------------------------------------------------------------------------------------------


def sample_three_point(
    rng: np.random.Generator,
    kind: ThreePointKind,
    optimistic: float | np.ndarray,
    most_likely: float | np.ndarray,
    pessimistic: float | np.ndarray,
    n: int,
    dtype: DTypeLike = np.float64,
) -> np.ndarray:
    """Sample ``n`` trials of T three-point estimates; returns shape ``(n, T)``, Fortran-ordered.

    ``kind`` chooses what the three numbers mean:

    * ``"pert"``: Beta on [optimistic, pessimistic] with shapes 1 + 4r and 1 + 4(1 - r),
      r = (m - a) / (b - a); mean (a + 4m + b) / 6. Drawn from cached inverse-CDF tables.
    * ``"triangular"``: triangle on [a, b] peaking at m, via its closed-form inverse CDF.
    * ``"lognormal"``: optimistic/pessimistic are the P5/P95 (90% interval) and the most likely
      value is not used; needs optimistic > 0.

    Every task needs optimistic <= most likely <= pessimistic; a task with optimistic ==
    pessimistic is certain and returns that constant exactly. ``dtype=np.float32`` halves the
    memory and returns the float64 values rounded to float32 (for PERT, the same values).
    """
    low, mode, high, count, out_dtype = _three_point_inputs(
        kind, optimistic, most_likely, pessimistic, n, dtype)
    out = np.empty((count, low.shape[0]), dtype=out_dtype, order="F")
    for _ in _three_point_columns(rng, kind, low, mode, high, count, lambda t: out[:, t]):
        pass
    return out


def three_point_columns(
    rng: np.random.Generator,
    kind: ThreePointKind,
    optimistic: float | np.ndarray,
    most_likely: float | np.ndarray,
    pessimistic: float | np.ndarray,
    n: int,
    into: Sequence[np.ndarray | None] | None = None,
) -> Iterator[np.ndarray]:
    """The columns of ``sample_three_point(rng, kind, ..., n)`` one task at a time, float64.

    For callers that reduce the tasks as they arrive (the engine sums them by phase and role):
    the (n, T) array, 32 MB at 100,000 trials x 40 tasks, is never allocated, written and read
    back. Same stream, same numbers. Task ``t`` is written to ``into[t]`` when given (a
    contiguous float64 array of n values, e.g. the row it would otherwise be copied to), else
    to a buffer that the next such task overwrites: use or copy it before asking for the next
    one. Inputs are checked now, not on the first ``next``.
    """
    low, mode, high, count, _ = _three_point_inputs(
        kind, optimistic, most_likely, pessimistic, n, np.float64)
    return _three_point_columns(rng, kind, low, mode, high, count,
                                _scratch_targets(count, low.shape[0], into))


def _scratch_targets(n: int, n_tasks: int, into: Sequence[np.ndarray | None] | None) -> Targets:
    """``into[t]`` where given (checked now), else one float64 buffer shared by the rest."""
    chosen = list(into) if into is not None else [None] * n_tasks
    if len(chosen) != n_tasks:
        raise ValueError(f"into needs one entry per task ({n_tasks}), got {len(chosen)}")
    for target in chosen:
        if target is not None and (target.shape != (n,) or target.dtype != np.float64
                                   or not target.flags.c_contiguous or not target.flags.writeable):
            raise ValueError(f"into arrays must be writable contiguous float64 of shape ({n},)")
    buffer = np.empty(n, dtype=np.float64) if any(t is None for t in chosen) else None

    def target_of(t: int) -> np.ndarray:
        given = chosen[t]
        if given is None:
            assert buffer is not None  # made because some entry is None
            return buffer
        return given

    return target_of


def _three_point_inputs(
    kind: str,
    optimistic: float | np.ndarray,
    most_likely: float | np.ndarray,
    pessimistic: float | np.ndarray,
    n: int,
    dtype: DTypeLike,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, np.dtype]:
    """Checked ``(low, mode, high, n, dtype)`` of a three-point call, in the order the checks
    have always run, so both entry points refuse the same input with the same message."""
    if kind not in _THREE_POINT_KINDS:
        raise ValueError(f"kind must be one of {', '.join(_THREE_POINT_KINDS)}; got {kind!r}")
    low = _task_array("optimistic", optimistic)
    mode = _task_array("most_likely", most_likely)
    high = _task_array("pessimistic", pessimistic)
    _same_length(optimistic=low, most_likely=mode, pessimistic=high)
    _check_ordered(low, mode, high)
    count = _trial_count(n)
    out_dtype = _float_dtype(dtype)
    if kind == "lognormal":
        bad = np.flatnonzero(low <= 0.0)
        if bad.size:
            raise ValueError(
                f"task {bad[0]}: a lognormal estimate needs optimistic > 0, got {low[bad[0]]:g}"
            )
    return low, mode, high, count, out_dtype


def _three_point_columns(
    rng: np.random.Generator,
    kind: str,
    low: np.ndarray,
    mode: np.ndarray,
    high: np.ndarray,
    n: int,
    targets: Targets,
) -> Iterator[np.ndarray]:
    """The column generator for ``kind``; see ``_pert_columns`` for ``targets``."""
    if kind == "pert":
        return _pert_columns(rng, low, mode, high, n, targets)
    if kind == "triangular":
        return _triangular_columns(rng, low, mode, high, n, targets)
    return _lognormal_columns(rng, low, high, n, targets)
