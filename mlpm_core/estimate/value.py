"""Value: benefit x P(success) x adoption, discounted, against delivery and running costs.

The annual benefit entered is the target's; a working model between its threshold and its
target earns its share of the gain over the baseline (``mlpm_core.success.benefit_share``).

Per trial the model either reaches its acceptability threshold (a Bernoulli draw with the
success probability) or not; a model that fails is not put into production, so that trial earns
nothing, pays no running costs, and loses its delivery cost (where the plan stops at a gate,
what it spent by then: ``gate``). Benefits start when delivery ends
and each year's cash flow is discounted at mid-year.

When the Quality page's cost of mistakes enters the value (``mlpm_core.scenario.error_costs``),
the errors the model avoids a year are drawn per trial and added to the benefit, so they need the
model to work, grow with adoption and are discounted like it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mlpm_core.estimate.sampling import input_draw, input_stream
from mlpm_core.scenario import ErrorCosts, Scenario, ValueSection, error_costs
from mlpm_core.success import BenefitShare, benefit_share, reaching_curve

AVOIDED_ERRORS = "avoided_errors"


@dataclass(frozen=True)
class ValueModel:
    """The answers the value draws need, resolved once per run."""

    value: ValueSection
    p_success: float
    errors: ErrorCosts | None
    share: BenefitShare


def value_model(scenario: Scenario, p_success: float) -> ValueModel:
    """The scenario's value answers with the chance of success already worked out."""
    return ValueModel(scenario.value, p_success, error_costs(scenario),
                      benefit_share(scenario, reaching_curve(scenario)))


@dataclass(frozen=True)
class ValueDraws:
    """Per-trial value samples, aligned with the cost and effort samples."""

    success: np.ndarray
    benefit: np.ndarray
    npv: np.ndarray
    roi: np.ndarray
    payback_years: np.ndarray
    parts: dict[str, np.ndarray]
    drawn_benefit: np.ndarray
    """The annual benefit as drawn from its range, before a working model's share of it."""
    landed: np.ndarray | None = None
    """The share of the benefit each trial's model earns where it lands (None: all of it)."""
    spent: np.ndarray | None = None
    """The delivery cost each trial spends, where a model that falls short stops the plan at
    its gate (None: the whole delivery cost in every trial)."""


def adoption_by_year(value: ValueSection) -> np.ndarray:
    """Adoption share for each year of the horizon; the last stated share repeats."""
    shares = list(value.adoption)[: value.horizon_years]
    shares += [shares[-1]] * (value.horizon_years - len(shares))
    return np.asarray(shares, dtype=float)


def sample_avoided_errors(rng: np.random.Generator, errors: ErrorCosts,
                          reach: np.ndarray) -> np.ndarray:
    """Error cost avoided a year at full adoption, per trial: cases x (baseline error share -
    model error share) x cost per error, the model's share at ``reach`` of the way from its
    threshold's to its target's. Only the costs with a weight are drawn."""
    n = reach.shape[0]
    cases = input_draw(rng, "error_cases", errors.cases, n)
    model_error = errors.model_error_worst - reach * (errors.model_error_worst
                                                      - errors.model_error_best)
    share = errors.false_negative_share
    per_error = np.zeros(n)
    if share > 0:
        per_error += share * input_draw(rng, "false_negative_cost",
                                        errors.false_negative_cost, n)
    if share < 1:
        per_error += (1 - share) * input_draw(rng, "false_positive_cost",
                                              errors.false_positive_cost, n)
    return cases * (errors.baseline_error - model_error) * per_error


def sample_value(rng: np.random.Generator, model: ValueModel, delivery: np.ndarray,
                 run_fixed: np.ndarray, run_per_full_year: np.ndarray,
                 delivery_years: np.ndarray,
                 stopped: np.ndarray | None = None) -> ValueDraws:
    """NPV, ROI and payback per trial.

    Each working trial's model lands ``reach`` of the way from its threshold to its target
    (``BenefitShare.landing``, ranked by the draw that decided its success) and earns its
    share of the gain (``mlpm_core.success.benefit_share``).

    ``run_per_full_year`` is the usage-driven running cost at full adoption; it scales with
    adoption like the benefit does. ``model.errors``, when they enter the value, add the avoided
    error cost to the benefit (drawn after everything else, so that a scenario without them
    draws exactly what it drew before).

    ``stopped`` is the delivery cost of a plan stopped at its gate (``gate.delivery_at_gate``):
    a trial whose model falls short spends that instead of ``delivery``.
    """
    value, errors, earned = model.value, model.errors, model.share
    n: int = delivery.shape[0]
    chance = input_stream(rng, "success").random(n)
    success = chance < model.p_success
    drawn = input_draw(rng, "annual_benefit", value.annual_benefit, n)
    # the same draw ranks the working models, so that a lower bar moves no model's quality
    reach = earned.landing(chance / model.p_success if model.p_success > 0 else chance)
    landed = earned.earned(reach) if earned.scaled else None
    benefit = drawn if landed is None else drawn * landed
    parts: dict[str, np.ndarray] = {}
    if errors is not None and errors.enters_value:
        parts[AVOIDED_ERRORS] = sample_avoided_errors(rng, errors, reach)
        benefit = benefit + parts[AVOIDED_ERRORS]
    working = success.astype(float)
    spent = None if stopped is None else np.where(success, delivery, stopped)
    outlay = delivery if spent is None else spent
    cumulative = -outlay
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
    payback = np.where(outlay <= 0, delivery_years, payback)
    invested = outlay + present_out
    roi = np.divide(cumulative, invested, out=np.zeros(n), where=invested > 0)
    return ValueDraws(success=success, benefit=benefit, npv=cumulative, roi=roi,
                      payback_years=payback, parts=parts, drawn_benefit=drawn, landed=landed,
                      spent=spent)
