"""A result that is not finite is one readable refusal, never ``null`` or ``nan`` in a report.

Validation keeps every valid scenario far from overflow (``mlpm_core/scenario/limits.py``); these
tests get past it on purpose, handing the engine rules no scenario could hold.
"""

from __future__ import annotations

import numpy as np
import pytest

from mlpm_core.errors import UserError
from mlpm_core.estimate import simulate
from mlpm_core.estimate.finite import check_finite
from mlpm_core.rules import ActiveRule
from mlpm_core.scenario.document import load_scenario
from tests.conftest import EXAMPLES


def huge_rule(number: int) -> ActiveRule:
    return ActiveRule(id=f"huge_{number}", title="Huge", source_id="user", source_quote="",
                      low=1e200, high=1e200, exact=True, phases=(), group=f"huge_{number}",
                      probability=1.0, warning="", custom=True)


def test_an_overflowing_simulation_is_refused_in_one_line():
    scenario = load_scenario(EXAMPLES[0])
    scenario = scenario.model_copy(update={"rules": scenario.rules.model_copy(
        update={"mode": "strict"})})
    with pytest.raises(UserError) as caught:
        simulate(scenario, trials=5000, rules=[huge_rule(n) for n in range(3)])
    message = str(caught.value)
    assert message.startswith("the results are not finite; the effort of some simulated "
                              "projects is too large to compute")
    assert "\n" not in message


def test_the_same_scenario_with_its_own_rules_is_finite():
    """The refusal above comes from the rules handed in, not from the example."""
    simulation = simulate(load_scenario(EXAMPLES[0]), trials=5000)
    assert np.isfinite(simulation.cost).all() and np.isfinite(simulation.npv).all()


@pytest.mark.parametrize(("field", "label"), [("cost", "delivery cost"),
                                              ("npv", "net present value"),
                                              ("duration_weeks", "duration")])
@pytest.mark.parametrize("bad", [np.inf, -np.inf, np.nan])
def test_any_non_finite_result_is_named(field, label, bad):
    values = np.ones(4)
    values[2] = bad
    with pytest.raises(UserError, match=f"^the results are not finite; the {label} of some"):
        check_finite({"effort": np.ones(4), field: values}, np.ones(4), {})


def test_a_payback_that_never_comes_is_infinite_and_fine_but_undefined_is_not():
    check_finite({"cost": np.ones(3)}, np.array([1.0, np.inf, 2.0]), {"labels": 3.0})
    with pytest.raises(UserError, match="the payback time of some"):
        check_finite({"cost": np.ones(3)}, np.array([1.0, np.nan, 2.0]), {})


def test_a_part_mean_that_overflowed_is_named():
    with pytest.raises(UserError, match="the inference cost \\(a part of the cost or value\\)"):
        check_finite({"cost": np.ones(3)}, np.ones(3), {"inference_cost": np.inf})
