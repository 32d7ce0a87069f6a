"""The few finished tasks that carry the estimator bias, so a person can check them.

The bias the engine shares across a project's tasks comes from totals (``shared_bias.py``), and
a total is only as steady as its largest terms: one task booked at 400 hours against an
estimate of 4, in a history of 150 tasks of about 8 hours, moves the bias from about x1.05 to
x1.40, and with it every scenario that uses the class. The fit keeps every task (a real runaway
task is exactly the risk the bias has to carry); this check names the tasks that could be typos,
so they are seen rather than absorbed.

A task is named when its departure from the typical ratio (the median of actual / estimate) is
more than ``NOTABLE_SHARE`` of the whole total, and the tasks so named are reported only when
leaving them all out would move the bias by more than ``NOTABLE_FACTOR`` either way. Leaving them
out together, not one at a time, keeps two typos from hiding each other.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from mlpm_core.calibration.shared_bias import pooled_total_bias, shared_bias

NOTABLE_SHARE = 0.1
NOTABLE_FACTOR = 1.1
SHOWN = 5


class Influence(NamedTuple):
    """The tasks (indices into the fitted arrays, the largest departure first) and the bias
    factor with and without them."""

    indices: tuple[int, ...]
    bias_with: float
    bias_without: float


def bias_log(estimates: np.ndarray, actuals: np.ndarray, groups: np.ndarray | None) -> float:
    """The log bias the fit uses: the teams' meta-analysis with groups, else the pooled total."""
    if groups is None:
        return pooled_total_bias(estimates, actuals)
    return shared_bias(estimates, actuals, groups).shared_mu


def influential_tasks(estimates: ArrayLike, actuals: ArrayLike,
                      groups: ArrayLike | None = None) -> Influence | None:
    """The tasks that carry the bias (see the module docstring), or None."""
    e, a = np.asarray(estimates, dtype=float), np.asarray(actuals, dtype=float)
    g = None if groups is None else np.asarray(groups, dtype=str)
    typical = float(np.median(a / e))
    share = np.abs(a - typical * e) / (typical * e.sum())
    named = np.flatnonzero(share > NOTABLE_SHARE)
    if named.size == 0 or 2 * named.size > e.size:
        return None
    named = named[np.argsort(-share[named], kind="stable")]
    keep = np.ones(e.size, dtype=bool)
    keep[named] = False
    with_them = bias_log(e, a, g)
    without = bias_log(e[keep], a[keep], None if g is None else g[keep])
    if abs(without - with_them) <= math.log(NOTABLE_FACTOR):
        return None
    return Influence(tuple(int(i) for i in named), math.exp(with_them), math.exp(without))


def influence_sentence(influence: Influence, estimates: ArrayLike, actuals: ArrayLike,
                       labels: Sequence[str]) -> str:
    """What to check, naming each task by ``labels[index]`` (e.g. 'row 151')."""
    e, a = np.asarray(estimates, dtype=float), np.asarray(actuals, dtype=float)
    shown = [f"{labels[i]} (estimate {e[i]:g}, actual {a[i]:g})"
             for i in influence.indices[:SHOWN]]
    more = len(influence.indices) - len(shown)
    listed = ", ".join(shown) + (f" and {more} more" if more else "")
    one = len(influence.indices) == 1
    return (f"{'One task carries' if one else f'{len(influence.indices)} tasks carry'} the "
            f"estimator bias: {listed}. The bias is x{influence.bias_with:.2f} with "
            f"{'it' if one else 'them'}, x{influence.bias_without:.2f} without. Check "
            f"{'it was' if one else 'they were'} recorded correctly; the fit keeps "
            f"{'it' if one else 'them'}.")
