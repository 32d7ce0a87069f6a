"""Tasks that carry the estimator bias are named, with the bias without them."""

from __future__ import annotations

import math

import numpy as np

from mlpm_core.calibration.influence import (
    NOTABLE_FACTOR,
    SHOWN,
    influence_sentence,
    influential_tasks,
)
from mlpm_core.calibration.shared_bias import pooled_total_bias, shared_bias


def history(n: int = 150, seed: int = 11) -> tuple[np.ndarray, np.ndarray]:
    """``n`` tasks of about 8 hours, landing within 25% of their estimates."""
    rng = np.random.default_rng(seed)
    estimates = rng.uniform(4, 12, n).round(1)
    return estimates, (estimates * rng.uniform(0.85, 1.25, n)).round(2)


def test_a_clean_history_names_no_task():
    """No task of a well-behaved history carries its total."""
    estimates, actuals = history()
    assert influential_tasks(estimates, actuals) is None


def test_a_typo_is_named_with_the_bias_without_it():
    """One task booked at 400 against 4 (a typo for 4.00) is named, and the bias without it is
    the total of the others."""
    estimates, actuals = history()
    estimates, actuals = np.append(estimates, 4.0), np.append(actuals, 400.0)
    found = influential_tasks(estimates, actuals)
    assert found is not None and found.indices == (150,)
    assert math.isclose(found.bias_with, math.exp(pooled_total_bias(estimates, actuals)))
    assert math.isclose(found.bias_without,
                        math.exp(pooled_total_bias(estimates[:150], actuals[:150])))
    assert found.bias_with / found.bias_without > NOTABLE_FACTOR
    text = influence_sentence(found, estimates, actuals, [f"row {i + 1}" for i in range(151)])
    assert text.startswith("One task carries the estimator bias: row 151 (estimate 4, actual "
                           "400). ")
    assert f"x{found.bias_with:.2f} with it, x{found.bias_without:.2f} without" in text


def test_a_large_but_plausible_overrun_is_not_named():
    """A task at twice its estimate is ordinary, even when it is the largest."""
    estimates, actuals = history()
    estimates, actuals = np.append(estimates, 40.0), np.append(actuals, 80.0)
    assert influential_tasks(estimates, actuals) is None


def test_an_underrun_is_named_but_the_teams_meta_analysis_absorbs_it():
    """A task that took a hundredth of a large estimate pulls the pooled total down and is
    named; by team it only widens its team's sampling variance, the meta-analysis weighs that
    team less, the bias moves by less than the threshold, and nothing is reported."""
    estimates, actuals = history()
    teams = np.array(["red", "blue", "green"] * 50)
    estimates, actuals = np.append(estimates, 600.0), np.append(actuals, 6.0)
    teams = np.append(teams, "red")
    pooled = influential_tasks(estimates, actuals)
    assert pooled is not None and pooled.indices == (150,)
    assert pooled.bias_without > pooled.bias_with * NOTABLE_FACTOR
    assert influential_tasks(estimates, actuals, teams) is None
    by_team = [shared_bias(e, a, t).shared_mu for e, a, t in
               ((estimates, actuals, teams), (estimates[:150], actuals[:150], teams[:150]))]
    assert abs(by_team[0] - by_team[1]) < math.log(NOTABLE_FACTOR)


def test_several_typos_do_not_hide_each_other():
    """Eight tasks at 50 to 120 times their estimates are all named, largest first, the
    sentence lists the first five, and the bias without them is the clean tasks' total."""
    estimates, actuals = history()
    actuals[:8] = estimates[:8] * np.arange(50, 130, 10)
    found = influential_tasks(estimates, actuals)
    assert found is not None and sorted(found.indices) == list(range(8))
    departures = actuals[list(found.indices)] - estimates[list(found.indices)]
    assert list(departures) == sorted(departures, reverse=True)
    assert math.isclose(found.bias_without,
                        math.exp(pooled_total_bias(estimates[8:], actuals[8:])))
    text = influence_sentence(found, estimates, actuals, [f"task {i}" for i in range(150)])
    assert text.startswith("8 tasks carry the estimator bias: ")
    assert text.count("(estimate ") == SHOWN and " and 3 more." in text
    assert "with them" in text and "they were recorded correctly" in text
