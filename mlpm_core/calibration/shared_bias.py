"""The estimator bias a project's tasks share: the factor the engine puts on a simulated total.

The engine multiplies a project's summed task effort by one factor per trial, so the factor
must describe what happened to project *totals*: log(sum of actuals / sum of estimates) per
project. The mean of the tasks' own log-ratios is a different number and the wrong one here:
most tasks land near their estimate while a few large ones overrun a lot, so the typical task
ratio sits below 1 while the totals run over (on the SiP data the tasks' mean log-ratio says
x0.92 where the projects' totals came in at x1.03 to x1.08).

Between projects the totals' log-ratios are combined by a random-effects meta-analysis
(DerSimonian and Laird's method of moments): each project's total has a sampling variance from
its own tasks (the ratio estimator's delta-method variance), and the between-project variance
is what remains of the spread beyond that. A project with few tasks says little about its
total, so projects below ``MIN_GROUP_TASKS`` are left out of the spread between projects.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

MIN_GROUP_TASKS = 5
MIN_SAMPLING_VARIANCE = 1e-4  # a project whose tasks all hit exactly still is a sample


class SharedBias(NamedTuple):
    """``shared_mu``/``shared_sigma``: the log of a project's total ratio, its mean and its sd
    between projects; ``within_sigma``: the sd of task log-ratios inside a project;
    ``n_groups``: the projects counted."""

    shared_mu: float
    shared_sigma: float
    within_sigma: float | None
    n_groups: int


def pooled_total_bias(estimates: ArrayLike, actuals: ArrayLike) -> float:
    """log(sum of actuals / sum of estimates): the bias of all the work taken as one project."""
    return float(np.log(np.sum(actuals) / np.sum(estimates)))


def shared_bias(estimates: ArrayLike, actuals: ArrayLike, groups: ArrayLike) -> SharedBias:
    """The project totals' bias and its spread between the ``groups`` (project or team)."""
    e, a = np.asarray(estimates, dtype=float), np.asarray(actuals, dtype=float)
    _, codes = np.unique(np.asarray(groups, dtype=str), return_inverse=True)
    sizes = np.bincount(codes)
    counted = sizes[codes] >= MIN_GROUP_TASKS
    _, codes = np.unique(codes[counted], return_inverse=True)
    e, a = e[counted], a[counted]
    k = int(codes.max()) + 1 if codes.size else 0
    if k < 2:
        return SharedBias(pooled_total_bias(estimates, actuals), 0.0, None, k)
    n_i = np.bincount(codes).astype(float)
    total_e, total_a = np.bincount(codes, weights=e), np.bincount(codes, weights=a)
    ratio = total_a / total_e
    residual = np.bincount(codes, weights=(a - ratio[codes] * e) ** 2)
    variance = np.maximum(residual / total_a**2 * n_i / (n_i - 1), MIN_SAMPLING_VARIANCE)
    y, w = np.log(ratio), 1.0 / variance
    fixed = np.sum(w * y) / w.sum()
    q = np.sum(w * (y - fixed) ** 2)
    between = max((q - (k - 1)) / (w.sum() - np.sum(w**2) / w.sum()), 0.0)
    weights = 1.0 / (variance + between)
    log_ratio = np.log(a / e)
    task_means = np.bincount(codes, weights=log_ratio) / n_i
    within = np.sqrt(np.sum((log_ratio - task_means[codes]) ** 2) / (e.size - k))
    return SharedBias(float(np.sum(weights * y) / weights.sum()), float(np.sqrt(between)),
                      float(within), k)
