"""Which reference class set an estimate's estimator bias: what the report says about it."""

from __future__ import annotations

from dataclasses import dataclass

from mlpm_core.calibration import ReferenceClass


@dataclass(frozen=True)
class Calibration:
    """Which reference class set the estimator-bias factor, and from how much data."""

    name: str
    description: str
    n_points: int
    n_groups: int
    bias_median: float
    spread_from: str  # the class the projects behind the spread belong to, when borrowed
    bias_sigma: float
    attribution: str


def calibration_of(reference: ReferenceClass) -> Calibration:
    """The reference class as the report names it: the engine keeps no more of it than this
    and its shared bias."""
    return Calibration(
        name=reference.name, description=reference.description,
        n_points=reference.n_points, n_groups=reference.n_groups,
        bias_median=reference.bias_median, bias_sigma=reference.shared_sigma,
        spread_from=reference.spread_from, attribution=reference.attribution)
