"""The report says how the annual benefit is drawn and what it averages.

A sponsor reading a 90% range of EUR 1.5M to 5M takes its middle, 3.25M, for a typical year;
the lognormal drawn has a median of 2.74M and a mean of 2.93M, and nothing said so.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from mlpm_core.estimate import range_mean
from mlpm_core.estimate.sampling import draw
from mlpm_core.report.costs import benefit_drawn_sentence
from mlpm_core.scenario import Range
from tests.conftest import scenario_with

DRAWS = 400_000


@pytest.mark.parametrize("value", [
    Range(low=1.5, high=5.0), Range(low=1.5, high=5.0, distribution="normal"),
    Range(low=1.5, high=5.0, distribution="uniform"), Range(low=1.5, most_likely=2.0, high=5.0),
    Range(low=0.0, most_likely=0.5, high=5.0),  # cut at zero
    Range(low=0.0, high=5.0, distribution="uniform"),  # cut at zero
])
def test_the_mean_said_is_the_mean_drawn(value):
    draws = draw(np.random.default_rng(7), value, DRAWS)
    error = draws.std() / math.sqrt(DRAWS)
    assert abs(range_mean(value) - draws.mean()) < 4 * error


def test_a_lognormal_benefit_states_its_median_and_mean():
    value = scenario_with(value={"annual_benefit": {"low": 1_500_000, "high": 5_000_000}}).value
    said, mean = benefit_drawn_sentence(value, "EUR"), range_mean(value.annual_benefit)
    assert said == ("The annual benefit is drawn lognormal over its 90% range, "
                    "EUR 1,500,000–5,000,000: a median of EUR 2,740,000 and a mean of "
                    f"EUR {round(mean, -4):,.0f}.")
    assert mean > math.sqrt(1.5e6 * 5e6)  # the mean lies above the median


def test_a_pert_benefit_states_its_most_likely_value_and_mean():
    value = scenario_with(value={"annual_benefit": Range(
        low=100, most_likely=200, high=600).model_dump()}).value
    said = benefit_drawn_sentence(value, "USD")
    assert said.startswith("The annual benefit is drawn as a PERT over its 90% range, "
                           "USD 100–600, most likely USD 200: a mean of USD ")
    assert said.endswith(f"USD {round(range_mean(value.annual_benefit)):,}.")


def test_a_certain_benefit_says_nothing_more():
    value = scenario_with(value={"annual_benefit": {"low": 5000, "high": 5000}}).value
    assert benefit_drawn_sentence(value, "EUR") == ""


def test_every_report_says_it_beside_the_npv():
    from mlpm_core.assessment import run_estimate
    from mlpm_core.report.model import build_report

    scenario = scenario_with(value={"annual_benefit": {"low": 1_500_000, "high": 5_000_000}})
    report = build_report(run_estimate(scenario, trials=5000, seed=1), with_charts=False)
    assert "a median of" in report.npv_basis and report.npv_basis.startswith("NPV:")
