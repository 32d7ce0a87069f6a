"""Drawing a scenario's ranges per trial, so every module samples a Range the same way.

A range's low and high are its 5th and 95th percentiles whatever its shape, as the range input
labels them ("Low (5%)", "High (95%)"): a PERT or a uniform range is drawn from the bounds that
put them there, not from low and high as the minimum and maximum (which had drawn a PERT
benefit of 250k / 500k / 1.1M inside a 90% interval of about 330k to 835k, 40% narrower
than the team said). A range whose low end is not negative never draws below zero.
"""

from __future__ import annotations

import zlib
from functools import lru_cache

import numpy as np
from scipy import special

from mlpm_core.estimate.distributions import lognormal_from_interval
from mlpm_core.estimate.interval import sample_interval
from mlpm_core.estimate.quantile_tables import pert_shapes, scaled_pert_table
from mlpm_core.scenario import Range

TAIL = 0.05
"""The share of draws below low, and above high."""


def draw(rng: np.random.Generator, value: Range, n: int) -> np.ndarray:
    """``n`` draws of a range; a certain value costs no randomness."""
    if value.is_certain:
        return np.full(n, value.low)
    low, high = drawn_bounds(value)
    samples = sample_interval(rng, low, high, n, kind=value.kind,
                              most_likely=value.most_likely)
    if _cut_at_zero(value, low):
        np.maximum(samples, 0.0, out=samples)
    return samples


def input_draw(rng: np.random.Generator, name: str, value: Range, n: int) -> np.ndarray:
    """``n`` draws of the input called ``name``, from a stream of its own (``input_stream``):
    a certain value costs no randomness and opens no stream."""
    if value.is_certain:
        return np.full(n, value.low)
    return draw(input_stream(rng, name), value, n)


def input_stream(rng: np.random.Generator, name: str) -> np.random.Generator:
    """The stream of one named input beside a chunk's (``side_stream``), keyed by its name:
    common random numbers, so that changing, adding or leaving out one input (a licence
    fee, a rule, a role) moves no other input's draws. Drawn one after another from one
    stream, a licence fee made certain had moved the devices' cost and the NPV's P50 the
    wrong way, and a rule switched off moved the others' factors."""
    return side_stream(rng, NAMED_STREAMS + zlib.crc32(name.encode("utf-8")))


NAMED_STREAMS = 1 << 32
"""Named streams' keys start here, clear of the small fixed keys (``WAITS_STREAM``)."""


def _cut_at_zero(value: Range, low: float) -> bool:
    """Whether draws of a range not below zero, sampled from ``low``, are cut at zero."""
    return value.low >= 0 > low


def drawn_bounds(value: Range) -> tuple[float, float]:
    """What the sampler is given for a range: its 90% interval for a lognormal or a normal,
    and for a PERT or a uniform the minimum and maximum that put 5% of draws below low and 5%
    above high."""
    if value.kind == "pert":
        assert value.most_likely is not None  # a PERT range has one
        return pert_bounds(value.low, value.most_likely, value.high)
    if value.kind == "uniform":
        spread = (value.high - value.low) * TAIL / (1 - 2 * TAIL)
        return value.low - spread, value.high + spread
    return value.low, value.high


@lru_cache(maxsize=256)
def pert_bounds(low: float, most_likely: float, high: float) -> tuple[float, float]:
    """The minimum and maximum of the PERT (Beta with shapes 1 + 4r and 1 + 4(1 - r), r the
    mode's place between them) whose 5th and 95th percentiles are ``low`` and ``high`` and
    whose mode is ``most_likely``: one equation in r, solved by bisection (scipy.optimize would
    add a sixth of a second to every start)."""
    if low == high:
        return low, high
    place = (most_likely - low) / (high - low)

    def tails(r: float) -> tuple[float, float]:
        shapes = pert_shapes(r)
        return (float(special.betaincinv(*shapes, TAIL)),
                float(special.betaincinv(*shapes, 1 - TAIL)))

    def miss(r: float) -> float:
        lower, upper = tails(r)
        return (r - lower) / (upper - lower) - place

    below, above = 0.0, 1.0  # miss(0) < 0 <= miss(1): 40 halvings place r within 1e-12
    for _ in range(40):
        r = (below + above) / 2
        below, above = (r, above) if miss(r) < 0 else (below, r)
    r = (below + above) / 2
    lower, upper = tails(r)
    width = (high - low) / (upper - lower)
    minimum = low - width * lower
    return minimum, minimum + width


def range_mean(value: Range) -> float:
    """The mean of what ``draw`` draws for a range, so that a report can say it (a
    lognormal's mean lies above the middle of its range: 1.5M to 5M has a median of 2.74M and
    a mean of 2.93M, which a reader of the range alone does not see)."""
    if value.is_certain:
        return value.low
    low, high = drawn_bounds(value)
    if value.kind == "lognormal":
        mu, sigma = lognormal_from_interval(value.low, value.high)
        return float(np.exp(mu + sigma ** 2 / 2))
    if value.kind == "pert":
        assert value.most_likely is not None  # a PERT range has one
        if not _cut_at_zero(value, low):
            return (low + 4 * value.most_likely + high) / 6
        # cut at zero: the mean of the very quantiles the draws are read from, cut alike
        table = scaled_pert_table(low, high, (value.most_likely - low) / (high - low))
        return float(np.maximum(table, 0.0).mean())
    if _cut_at_zero(value, low):  # a uniform cut at zero: the part above zero, over the whole
        return high * high / (2 * (high - low))
    return (low + high) / 2


def trial_rng(seed: int, chunk: int) -> np.random.Generator:
    """The generator for one chunk of trials: independent streams, reproducible by seed."""
    return np.random.default_rng(np.random.SeedSequence([seed, chunk]))


def side_stream(rng: np.random.Generator, key: int) -> np.random.Generator:
    """A generator of its own beside ``rng``, from the same seed and ``key``, without drawing
    from ``rng``: what it draws moves no other draw, so a scenario that adds an input drawn
    from it keeps every other draw (a calendar wait had shifted the cost and value draws after
    it, and adding a wait moved the cost and raised the NPV)."""
    seed = rng.bit_generator.seed_seq
    assert isinstance(seed, np.random.SeedSequence)  # every engine generator is seeded so
    return np.random.default_rng(np.random.SeedSequence(
        seed.entropy, spawn_key=(*seed.spawn_key, key)))
