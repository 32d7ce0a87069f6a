"""Drawing a scenario's ranges per trial, so every module samples a Range the same way."""

from __future__ import annotations

import numpy as np

from mlpm_core.estimate.interval import sample_interval
from mlpm_core.scenario import Range


def draw(rng: np.random.Generator, value: Range, n: int) -> np.ndarray:
    """``n`` draws of a range; a certain value costs no randomness."""
    if value.is_certain:
        return np.full(n, value.low)
    return sample_interval(rng, value.low, value.high, n, kind=value.kind,
                           most_likely=value.most_likely)


def trial_rng(seed: int, chunk: int) -> np.random.Generator:
    """The generator for one chunk of trials: independent streams, reproducible by seed."""
    return np.random.default_rng(np.random.SeedSequence([seed, chunk]))
