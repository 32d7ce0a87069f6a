"""What drives the spread of the NPV: whether the model reaches its threshold, measured as the
share of the NPV's variance between the two groups, then the inputs among the working
projects; and the cost's and effort's top driver said once when it is the same input."""

from __future__ import annotations

import numpy as np
import pytest

from mlpm_core.assessment import run_estimate
from mlpm_core.estimate.npv_spread import npv_spread_sentence
from mlpm_core.estimate.sensitivity import SAMPLE_LIMIT, Driver, spread_sentences
from mlpm_core.scenario.document import load_scenario
from tests.conftest import EXAMPLES_DIR

N = 20_000


def test_the_success_share_is_the_variance_between_the_two_groups():
    """NPV = success x 100 + noise of sd 10, success at 50%: the groups' means differ by 100,
    so between-group variance is 2,500 of 2,600 (96%); within the working projects the noise
    input is all of it."""
    rng = np.random.default_rng(5)
    success = rng.random(N) < 0.5
    noise = rng.normal(0, 10, N)
    npv = success * 100.0 + noise
    between = success.mean() * (1 - success.mean()) * 100**2
    expected = between / npv.var()
    sentence = npv_spread_sentence(success, {"the noise": noise, "a constant": np.ones(N)}, npv)
    # the squared correlation of a yes or no with the NPV is exactly that ratio
    assert sentence.startswith(f"{expected:.0%} of the spread in NPV comes from whether the "
                               "model reaches its threshold")
    assert sentence.endswith("where it does, 100% from the noise.")


def test_an_input_unrelated_to_the_npv_is_not_named():
    rng = np.random.default_rng(6)
    success = rng.random(N) < 0.6
    benefit, unrelated = rng.lognormal(0, 0.5, N), rng.normal(0, 1, N)
    npv = success * benefit * 1000 - 300
    sentence = npv_spread_sentence(success, {"the unrelated": unrelated,
                                             "the annual benefit": benefit}, npv)
    assert "from the annual benefit" in sentence and "unrelated" not in sentence


def test_certain_success_names_the_inputs_alone():
    rng = np.random.default_rng(7)
    benefit = rng.normal(100, 10, N)
    said = npv_spread_sentence(np.ones(N, dtype=bool), {"the annual benefit": benefit},
                               benefit - 50)
    assert said == "100% of the spread in NPV comes from the annual benefit."
    assert npv_spread_sentence(np.ones(3, dtype=bool), {}, np.full(3, 5.0)).startswith(
        "Nothing uncertain drives the NPV")


def driver(name: str, cost: float, effort: float) -> Driver:
    return Driver(name, "task", effort_share=effort, cost_share=cost, effort_low=0,
                  effort_high=0, cost_low=0, cost_high=0)


def test_one_input_leading_cost_and_effort_is_said_once():
    same = [driver("Estimator bias", 0.37, 0.43), driver("Task: A", 0.2, 0.3)]
    assert spread_sentences(same) == [
        "37% of the spread in cost and 43% in effort come from estimator bias."]
    apart = [driver("Day rate: ML engineer", 0.5, 0.0), driver("Task: A", 0.2, 0.6)]
    assert spread_sentences(apart) == [
        "50% of the spread in cost comes from day rate: ML engineer.",
        "60% of the spread in effort comes from task: A."]


@pytest.mark.parametrize("name", ["fraud_card_payments", "genai_support_assistant"])
def test_every_estimate_says_what_drives_its_npv(name):
    """On the examples the NPV's spread is named, the chance of success first, its share the
    squared correlation of success with the NPV over the run's first trials."""
    result = run_estimate(load_scenario(EXAMPLES_DIR / f"{name}.json"), trials=N, seed=3)
    summary = result.estimate.sensitivity.npv_summary
    head = slice(0, SAMPLE_LIMIT)
    success, npv = result.simulation.success[head], result.simulation.npv[head]
    share = np.corrcoef(success.astype(float), npv)[0, 1] ** 2
    assert summary.startswith(f"{share:.0%} of the spread in NPV comes from whether the model "
                              "reaches its threshold")
    assert "where it does" in summary and "the annual benefit" in summary
