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


def side_stream(rng: np.random.Generator, key: int) -> np.random.Generator:
    """A generator of its own beside ``rng``, from the same seed and ``key``, without drawing
    from ``rng``: what it draws moves no other draw, so a scenario that adds an input drawn
    from it keeps every other draw (a calendar wait had shifted the cost and value draws after
    it, and adding a wait moved the cost and raised the NPV)."""
    seed = rng.bit_generator.seed_seq
    assert isinstance(seed, np.random.SeedSequence)  # every engine generator is seeded so
    return np.random.default_rng(np.random.SeedSequence(
        seed.entropy, spawn_key=(*seed.spawn_key, key)))
