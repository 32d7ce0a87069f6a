"""Synthetic finished-task histories of several shapes, for held-out coverage checks.

Each history has ``N_TASKS`` tasks finished over ``YEARS`` years (a day number per task, in
time order), estimates lognormal around 8 (hours or days alike), and a log-ratio
``log(actual / estimate)`` whose shape differs per history. None of them is fitted to anything:
the parameters are round numbers chosen to be unlike each other and unlike SiP.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from mlpm_core.calibration.reference_class import MIN_AMOUNT

N_TASKS = 16_000
YEARS = 6.0


@dataclass(frozen=True)
class History:
    """One synthetic history: per task the estimate, the actual and the finish day."""

    estimates: np.ndarray
    actuals: np.ndarray
    days: np.ndarray

    def __post_init__(self) -> None:
        # A time sheet records at least the product's smallest amount (a heavy tail reaches
        # below it about twice in 12,000 tasks); a few floored lows leave coverage unchanged.
        object.__setattr__(self, "actuals", np.maximum(self.actuals, MIN_AMOUNT))


def _base(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    days = np.sort(rng.uniform(0, 365.25 * YEARS, N_TASKS))
    estimates = np.round(np.exp(rng.normal(np.log(8.0), 1.0, N_TASKS)), 1).clip(0.1)
    x = np.log(estimates / 8.0)
    return days, estimates, x


def _spike(rng: np.random.Generator, share: float, log_ratio: np.ndarray) -> np.ndarray:
    return np.where(rng.random(log_ratio.size) < share, 0.0, log_ratio)


def no_spike(rng: np.random.Generator) -> History:
    """Lognormal misses around a slight overrun, no task exactly on its estimate."""
    days, e, _ = _base(rng)
    return History(e, e * np.exp(rng.normal(0.15, 0.6, e.size)), days)


def spike_40(rng: np.random.Generator) -> History:
    """40% of tasks booked at exactly their estimate, the rest lognormal."""
    days, e, _ = _base(rng)
    return History(e, e * np.exp(_spike(rng, 0.4, rng.normal(0.1, 0.9, e.size))), days)


def heavy_tails(rng: np.random.Generator) -> History:
    """Student-t (3 degrees of freedom) log-ratios, median below 1, 8% exact hits."""
    days, e, _ = _base(rng)
    log_ratio = -0.06 + 0.55 * rng.standard_t(3, e.size)
    return History(e, e * np.exp(_spike(rng, 0.08, log_ratio)), days)


def size_dependent(rng: np.random.Generator) -> History:
    """Small tasks overrun and scatter widely, large ones underrun and scatter less."""
    days, e, x = _base(rng)
    log_ratio = rng.normal(0.2 - 0.15 * x, 0.8 * np.exp(-0.25 * x))
    return History(e, e * np.exp(_spike(rng, 0.15, log_ratio)), days)


def drifting_bias(rng: np.random.Generator) -> History:
    """The team's median moves steadily from 25% under to 33% over its estimates in six years;
    10% exact hits."""
    days, e, _ = _base(rng)
    bias = np.log(0.75) + (np.log(1.33) - np.log(0.75)) * days / days.max()
    return History(e, e * np.exp(_spike(rng, 0.1, rng.normal(bias, 0.6))), days)


def many_teams(rng: np.random.Generator) -> History:
    """A department's pooled history: 80 projects of six months each, starting at random over
    the six years, each with its own bias (sd 0.3 in log between projects) around Student-t
    misses (3 degrees of freedom, scale 0.5), 8% exact hits. The later slices hold projects
    the fit never saw, so coverage depends on projects being alike, not on tasks."""
    _, e, _ = _base(rng)
    starts = rng.uniform(0, 365.25 * YEARS - 182, 80)
    project = rng.integers(0, 80, N_TASKS)
    days = starts[project] + rng.uniform(0, 182, N_TASKS)
    bias = rng.normal(0.0, 0.3, 80)
    log_ratio = np.clip(bias[project] + 0.5 * rng.standard_t(3, N_TASKS), -5, 5)
    actuals = e * np.exp(_spike(rng, 0.08, log_ratio))
    order = np.argsort(days, kind="stable")
    return History(e[order], actuals[order], days[order])


SHAPES: dict[str, Callable[[np.random.Generator], History]] = {
    "no_spike": no_spike, "spike_40": spike_40, "heavy_tails": heavy_tails,
    "size_dependent": size_dependent, "drifting_bias": drifting_bias, "many_teams": many_teams,
}
SEEDS = {"no_spike": 101, "spike_40": 102, "heavy_tails": 103, "size_dependent": 104,
         "drifting_bias": 105, "many_teams": 106}


def history(shape: str) -> History:
    """The history of ``shape`` drawn with its fixed seed."""
    return SHAPES[shape](np.random.default_rng(SEEDS[shape]))
