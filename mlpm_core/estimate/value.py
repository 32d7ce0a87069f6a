"""Value: benefit x P(success) x adoption, discounted, against delivery and running costs.

Per trial the model either reaches its acceptability threshold (a Bernoulli draw with the
success probability) or not; a model that fails is not put into production, so that trial earns
nothing, pays no running costs, and loses its delivery cost. Benefits start when delivery ends
and each year's cash flow is discounted at mid-year.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mlpm_core.estimate.sampling import draw
from mlpm_core.scenario import ValueSection


@dataclass(frozen=True)
class ValueDraws:
    """Per-trial value samples, aligned with the cost and effort samples."""

    success: np.ndarray
    benefit: np.ndarray
    npv: np.ndarray
    roi: np.ndarray
    payback_years: np.ndarray


def adoption_by_year(value: ValueSection) -> np.ndarray:
    """Adoption share for each year of the horizon; the last stated share repeats."""
    shares = list(value.adoption)[: value.horizon_years]
    shares += [shares[-1]] * (value.horizon_years - len(shares))
    return np.asarray(shares, dtype=float)


def sample_value(rng: np.random.Generator, value: ValueSection, p_success: float,
                 delivery: np.ndarray, run_fixed: np.ndarray, run_per_full_year: np.ndarray,
                 delivery_years: np.ndarray) -> ValueDraws:
    """NPV, ROI and payback per trial.

    ``run_per_full_year`` is the usage-driven running cost at full adoption; it scales with
    adoption like the benefit does.
    """
    n: int = delivery.shape[0]
    success = rng.random(n) < p_success
    benefit = draw(rng, value.annual_benefit, n)
    working = success.astype(float)
    cumulative = -delivery
    before = np.empty(n)
    present_out = np.zeros(n)
    payback = np.full(n, np.inf)
    unpaid = np.ones(n, dtype=bool)  # payback still inf: cheaper to keep than to recompute
    crossed = np.empty(n, dtype=bool)
    log_growth = np.log1p(value.discount_rate)
    discount, inflow, outflow = np.empty(n), np.empty(n), np.empty(n)
    for year, share in enumerate(adoption_by_year(value), start=1):
        # In reused buffers, the same operations in the same order as the formulas
        # discount = working * exp(-g (t + year - 1/2)), inflow = benefit * share * discount,
        # outflow = (run_fixed + run_per_full_year * share) * discount.
        np.add(delivery_years, year - 0.5, out=discount)
        discount *= -log_growth
        np.exp(discount, out=discount)
        discount *= working
        np.multiply(benefit, share, out=inflow)
        inflow *= discount
        np.multiply(run_per_full_year, share, out=outflow)
        outflow += run_fixed
        outflow *= discount
        before, cumulative = cumulative, before
        np.add(before, inflow, out=cumulative)
        cumulative -= outflow
        present_out += outflow
        np.less(before, 0, out=crossed)
        crossed &= cumulative >= 0
        crossed &= unpaid
        if crossed.any():
            unpaid &= ~crossed
            fraction = -before[crossed] / (cumulative[crossed] - before[crossed])
            payback[crossed] = delivery_years[crossed] + year - 1 + fraction
    payback = np.where(delivery <= 0, delivery_years, payback)
    invested = delivery + present_out
    roi = np.divide(cumulative, invested, out=np.zeros(n), where=invested > 0)
    return ValueDraws(success=success, benefit=benefit, npv=cumulative, roi=roi,
                      payback_years=payback)
