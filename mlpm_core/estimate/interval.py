"""Sampling one uncertain quantity given as a range: a cost, a price, a yearly benefit.

A PERT range is drawn as a one-task three-point estimate, so this sits above both the normal
and lognormal draws of ``mlpm_core.estimate.distributions`` and the samplers of
``mlpm_core.estimate.three_point``, and a range gives the numbers either would give for it.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from scipy import special

from mlpm_core.estimate.distributions import (
    _check_ordered,
    _task_array,
    _trial_count,
    lognormal_from_interval,
    sample_lognormal,
    standard_normal,
)
from mlpm_core.estimate.three_point import sample_three_point

__all__ = ["IntervalKind", "sample_interval"]


IntervalKind = Literal["lognormal", "normal", "uniform", "pert"]
_INTERVAL_KINDS: tuple[str, ...] = ("lognormal", "normal", "uniform", "pert")


def sample_interval(
    rng: np.random.Generator,
    low: float,
    high: float,
    n: int,
    kind: IntervalKind = "lognormal",
    most_likely: float | None = None,
) -> np.ndarray:
    """Sample ``n`` draws of one uncertain quantity given as a range; returns shape ``(n,)``.

    * ``"lognormal"``: [low, high] is the 90% interval (P5/P95); needs low > 0.
    * ``"normal"``: [low, high] is the 90% interval, symmetric about its midpoint.
    * ``"uniform"``: every value in [low, high] equally likely.
    * ``"pert"``: low/high are the minimum/maximum and ``most_likely`` is required.

    low == high returns that constant.
    """
    if kind not in _INTERVAL_KINDS:
        raise ValueError(f"kind must be one of {', '.join(_INTERVAL_KINDS)}; got {kind!r}")
    lo = _task_array("low", low)
    hi = _task_array("high", high)
    if lo.size != 1 or hi.size != 1:
        raise ValueError("sample_interval takes a single range; use sample_three_point for many")
    count = _trial_count(n)

    if kind == "pert":
        if most_likely is None:
            raise ValueError("a PERT range needs most_likely")
        return sample_three_point(rng, "pert", lo, most_likely, hi, count)[:, 0]
    _check_ordered(lo, None, hi)
    a, b = float(lo[0]), float(hi[0])
    if kind == "lognormal":
        mu, sigma = lognormal_from_interval(a, b)
        samples = sample_lognormal(rng, mu, sigma, count)[:, 0]
        return np.full(count, a) if a == b else samples
    if kind == "normal":
        sd = (b - a) / (2.0 * special.ndtri(0.95))
        samples = standard_normal(rng, count)
        samples *= sd
        samples += 0.5 * a + 0.5 * b  # midpoint without overflowing a + b
        return samples
    samples = rng.random(count)
    samples *= b - a
    samples += a
    np.clip(samples, a, b, out=samples)
    return samples
