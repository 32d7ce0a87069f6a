"""The report says how the annual benefit is drawn and what it averages.

A sponsor reading a 90% range of EUR 1.5M to 5M takes its middle, 3.25M, for a typical year;
the lognormal drawn has a median of 2.74M and a mean of 2.93M, and nothing said so.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from mlpm_core.estimate import interval_mean
from mlpm_core.estimate.interval import sample_interval
from mlpm_core.report.costs import benefit_drawn_sentence
from mlpm_core.scenario import Range
from tests.conftest import scenario_with

DRAWS = 400_000


@pytest.mark.parametrize("kind, most_likely", [
    ("lognormal", None), ("normal", None), ("uniform", None), ("pert", 2.0)])
def test_the_mean_said_is_the_mean_drawn(kind, most_likely):
    draws = sample_interval(np.random.default_rng(7), 1.5, 5.0, DRAWS, kind=kind,
                            most_likely=most_likely)
    error = draws.std() / math.sqrt(DRAWS)
    assert abs(interval_mean(1.5, 5.0, kind, most_likely) - draws.mean()) < 4 * error


def test_a_lognormal_benefit_states_its_median_and_mean():
    value = scenario_with(value={"annual_benefit": {"low": 1_500_000, "high": 5_000_000}}).value
    said = benefit_drawn_sentence(value, "EUR")
    assert said == ("The annual benefit is drawn lognormal over its 90% range, "
                    "EUR 1,500,000–5,000,000: a median of EUR 2,740,000 and a mean of "
                    f"EUR {round(interval_mean(1.5e6, 5e6), -4):,.0f}.")
    assert interval_mean(1.5e6, 5e6) > math.sqrt(1.5e6 * 5e6)  # the mean lies above


def test_a_pert_benefit_states_its_most_likely_value_and_mean():
    value = scenario_with(value={"annual_benefit": Range(
        low=100, most_likely=200, high=600).model_dump()}).value
    assert benefit_drawn_sentence(value, "USD") == (
        "The annual benefit is drawn as a PERT from USD 100–600, most likely USD 200: "
        "a mean of USD 250.")


def test_a_certain_benefit_says_nothing_more():
    value = scenario_with(value={"annual_benefit": {"low": 5000, "high": 5000}}).value
    assert benefit_drawn_sentence(value, "EUR") == ""


def test_every_report_says_it_beside_the_npv():
    from mlpm_core.assessment import run_estimate
    from mlpm_core.report.model import build_report

    scenario = scenario_with(value={"annual_benefit": {"low": 1_500_000, "high": 5_000_000}})
    report = build_report(run_estimate(scenario, trials=5000, seed=1), with_charts=False)
    assert "a median of" in report.npv_basis and report.npv_basis.startswith("NPV:")
