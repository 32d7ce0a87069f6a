"""Inverse-CDF lookup tables behind the fast samplers of ``distributions`` and ``three_point``.

A draw from a table is one 16-bit random index and one gather: PERT quantiles per relative mode
(and per task, already scaled to its range), standard-normal quantiles (and, per range, already
transformed to ``mu + sigma z`` or its exponential). Every table holds ``TABLE_SIZE`` quantiles
at the midpoints ``(i + 0.5) / TABLE_SIZE``, is read-only and is cached, so a scenario's runs
and reruns build each table once. The samplers decide which table to use and in which order
to draw; this module only builds tables and draws indices, always from the caller's stream.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

import numpy as np
from scipy import special

TABLE_SIZE = 65536
"""Quantiles per table: a power of two, so a uniform index is exactly 16 random bits."""

# Bit generators whose raw output is 64 uniformly random bits, i.e. four 16-bit table indices.
# MT19937 only fills 32 of the 64 bits, so it (and any unknown generator) takes the slower but
# generic ``Generator.integers`` path.
_FULL_64_BIT_GENERATORS = (np.random.PCG64, np.random.PCG64DXSM, np.random.SFC64, np.random.Philox)

# Table construction: exact betaincinv at every _KNOT_STRIDE-th midpoint and at the first and
# last _KNOT_EDGE midpoints (where the quantile function bends hardest), linear interpolation
# between those knots, then one Newton step on the CDF for the points in between. That leaves
# every entry within ~3e-10 of the exact quantile at a fraction of the cost of calling
# betaincinv on all 65,536 points.
_KNOT_EDGE = 512
_KNOT_STRIDE = 16
# An interpolated guess is within ~1e-6 of the quantile; a Newton correction larger than this
# means the guess was not good enough, and those entries fall back to the exact inverse.
_MAX_NEWTON_STEP = 1e-4
_TABLE_CACHE_SIZE = 256  # 512 KiB per table, so at most 128 MiB
# Tables already mapped to one task's or one range's values (scaled PERT; mu + sigma z and its
# exponential): reused across the chunks of a run and across reruns of a scenario.
_PERT_VALUE_CACHE_SIZE = 128  # 512 KiB per table, so at most 64 MiB
_NORMAL_VALUE_CACHE_SIZE = 64  # at most 32 MiB
_MODE_DECIMALS = 9  # relative modes equal to 1e-9 share a table (shape change < 4e-9)

_U_MIDPOINTS = (np.arange(TABLE_SIZE, dtype=np.float64) + 0.5) / TABLE_SIZE


def pert_shapes(r: float) -> tuple[float, float]:
    """Beta shapes of a PERT with relative mode ``r``: the classic weight 4 on the mode."""
    return 1.0 + 4.0 * r, 1.0 + 4.0 * (1.0 - r)


@functools.lru_cache(maxsize=_TABLE_CACHE_SIZE)
def unit_pert_table(r: float) -> np.ndarray:
    """Quantiles of Beta(1+4r, 1+4(1-r)) at the TABLE_SIZE midpoints, read-only and cached.

    Cached on the (rounded) relative mode because a project's tasks keep their estimates
    between runs: only the first run (or an edited task) pays for the table.
    """
    alpha, beta = pert_shapes(r)
    u = _U_MIDPOINTS
    knots = np.zeros(TABLE_SIZE, dtype=bool)
    knots[:_KNOT_EDGE] = True
    knots[-_KNOT_EDGE:] = True
    knots[::_KNOT_STRIDE] = True
    knot_u = u[knots]
    knot_q = special.betaincinv(alpha, beta, knot_u)

    inner = ~knots
    u_in = u[inner]
    # Linear interpolation between exact knots, then one Newton step on the CDF (the CDF is
    # the expensive call, ~20 ms per 65k points). scipy's interpolate module is avoided: it
    # would add half a second of import time to every CLI call.
    guess = np.interp(u_in, knot_u, knot_q)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_pdf = ((alpha - 1.0) * np.log(guess) + (beta - 1.0) * np.log1p(-guess)
                   - special.betaln(alpha, beta))
        step = (special.betainc(alpha, beta, guess) - u_in) / np.exp(log_pdf)
    refined = guess - step
    doubtful = ~np.isfinite(refined) | (np.abs(step) > _MAX_NEWTON_STEP)
    if doubtful.any():
        refined[doubtful] = special.betaincinv(alpha, beta, u_in[doubtful])

    table = np.empty(TABLE_SIZE, dtype=np.float64)
    table[knots] = knot_q
    table[inner] = refined
    np.clip(table, 0.0, 1.0, out=table)
    np.maximum.accumulate(table, out=table)  # rounding must never unorder the quantiles
    table.setflags(write=False)
    return table


def table_for_mode(r: float) -> np.ndarray:
    """Look up the cached table for relative mode ``r`` (rounded so near-equal modes share)."""
    return unit_pert_table(mode_key(r))


def mode_key(r: float) -> float:
    """The relative mode as a cache key: rounded, so near-equal modes share one table."""
    return round(float(r), _MODE_DECIMALS)


@functools.lru_cache(maxsize=_PERT_VALUE_CACHE_SIZE)
def scaled_pert_table(low: float, high: float, r: float) -> np.ndarray:
    """``low + (high - low) * table``, clipped to [low, high]: one task's PERT quantiles.

    These are exactly the operations a draw would undergo, applied once to the 65,536 table
    entries instead of to every draw, and cached because every chunk of a run (and every rerun
    of an unchanged task) needs the same table.
    """
    table: np.ndarray = np.multiply(table_for_mode(r), high - low)
    table += low
    np.clip(table, low, high, out=table)
    table.setflags(write=False)
    return table


def table_indices(rng: np.random.Generator, count: int) -> np.ndarray:
    """Draw ``count`` uniform indices in [0, TABLE_SIZE) as uint16, deterministically.

    With a 64-bit bit generator (PCG64, numpy's default) each raw 64-bit output is split into
    four 16-bit indices, which is ~2.5x faster than ``Generator.integers``. The little-endian
    view keeps the indices identical across platforms.
    """
    bit_generator = rng.bit_generator
    if isinstance(bit_generator, _FULL_64_BIT_GENERATORS):
        words = bit_generator.random_raw((count + 3) // 4).astype("<u8", copy=False)
        return words.view("<u2")[:count]
    return rng.integers(0, TABLE_SIZE, size=count, dtype=np.uint16)


def index_blocks(rng: np.random.Generator, n: int, blocks: int) -> Iterator[np.ndarray]:
    """``blocks`` successive blocks of ``n`` table indices: ``table_indices(rng, n * blocks)``
    cut into blocks, drawn as they are asked for.

    With a 64-bit generator, consecutive ``random_raw`` calls continue one stream, so drawing
    block by block (carrying the indices of a word that straddles two blocks) gives the same
    indices and leaves the generator in the same state, while the indices of every task,
    8 MB at 100,000 trials x 40 tasks, never exist at once. ``Generator.integers`` makes no
    such promise, so other generators draw everything on the first block.
    """
    if not isinstance(rng.bit_generator, _FULL_64_BIT_GENERATORS):
        indices = table_indices(rng, n * blocks)
        for block in range(blocks):
            yield indices[block * n : (block + 1) * n]
        return
    carry = np.empty(0, dtype="<u2")
    for _ in range(blocks):
        words = rng.bit_generator.random_raw((n - carry.size + 3) // 4).astype("<u8", copy=False)
        fresh = words.view("<u2")
        available = np.concatenate((carry, fresh)) if carry.size else fresh
        carry = available[n:]
        yield available[:n]


@functools.lru_cache(maxsize=1)
def normal_table() -> np.ndarray:
    """Standard-normal quantiles at the TABLE_SIZE midpoints."""
    table: np.ndarray = special.ndtri(_U_MIDPOINTS)
    table.setflags(write=False)
    return table


def edge_cells(index: np.ndarray) -> np.ndarray:
    """Positions of the indices 0 and TABLE_SIZE - 1, in increasing order.

    Subtracting one in uint16 wraps 0 to the top, so both edge cells become the two largest
    values and one comparison finds them (two comparisons and an ``or`` cost twice as much).
    """
    shifted = index - np.uint16(1)
    return np.flatnonzero(shifted >= np.uint16(TABLE_SIZE - 2))


def transform(values: np.ndarray, mu: float | None, sigma: float, exponentiate: bool) -> None:
    """In place: ``values * sigma``, then ``+ mu`` unless ``mu`` is None, then ``exp`` if asked.

    One definition of the operations and their order, shared by the table and the direct path.
    """
    values *= sigma
    if mu is not None:
        values += mu
    if exponentiate:
        np.exp(values, out=values)


@functools.lru_cache(maxsize=_NORMAL_VALUE_CACHE_SIZE)
def transformed_normal_table(mu: float | None, sigma: float, exponentiate: bool) -> np.ndarray:
    """``transform`` applied to every normal-table quantile, read-only and cached."""
    table = normal_table().copy()
    transform(table, mu, sigma, exponentiate)
    table.setflags(write=False)
    return table

