"""Devices and the user's own cost lines: what they add to the delivery cost and to the NPV.

Certain amounts make the sums exact; ranged ones are checked against their mean with an explicit
tolerance (fixed seed). The value side is isolated with a chance of success of 1 and no discount,
so a yearly cost over a three-year horizon must take exactly three times itself off the NPV.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from pydantic import ValidationError

from mlpm_core.assessment import run_estimate
from mlpm_core.estimate import simulate
from mlpm_core.scenario import DEVICES_MAX, MAX_COST_LINES, MONEY_MAX, Scenario
from mlpm_core.scenario.document import load_scenario
from tests.conftest import EXAMPLES

TRIALS, SEED = 5000, 7
TASKS = [{"name": "Model", "phase": "experimentation", "role": "data_scientist",
          "optimistic": 10, "most_likely": 15, "pessimistic": 25}]


def edge(technical: dict | None = None, lines: list | None = None,
         horizon: int = 3) -> Scenario:
    """A small project whose model surely works, valued without discount over ``horizon``."""
    return Scenario.model_validate({
        "quality": {"p_reach_threshold": 1.0},
        "technical": {"platform": "on_device", **(technical or {})},
        "team": [{"role": "data_scientist", "fte": 1, "day_rate": 600}],
        "tasks": TASKS,
        "costs": {"custom_lines": lines or []},
        "value": {"annual_benefit": 100000, "horizon_years": horizon, "discount_rate": 0.0,
                  "adoption": [1.0]},
        "simulation": {"trials": TRIALS, "seed": SEED},
    })


def means(scenario: Scenario) -> tuple[float, float]:
    """Mean delivery cost and mean NPV."""
    simulation = simulate(scenario)
    return float(simulation.cost.mean()), float(simulation.npv.mean())


def test_a_yearly_line_takes_three_times_itself_off_a_three_year_npv():
    """1,000 a year over three undiscounted years costs 3,000 of NPV and no delivery cost."""
    cost, npv = means(edge())
    line_cost, line_npv = means(edge(lines=[{"name": "Support", "paid": "yearly",
                                             "amount": 1000}]))
    assert line_cost == pytest.approx(cost)
    assert npv - line_npv == pytest.approx(3000)


def test_a_ranged_yearly_line_adds_about_three_times_its_mean():
    """A ranged yearly line's cost over three years is three times its sampled mean (2%)."""
    ranged = edge(lines=[{"name": "Support", "paid": "yearly", "amount": [500, 1500]}])
    simulation = simulate(ranged)
    mean = simulation.part_means["custom_1"]
    assert mean == pytest.approx(np.sqrt(500 * 1500) * 1.07, rel=0.05)  # lognormal mean
    assert means(edge())[1] - float(simulation.npv.mean()) == pytest.approx(3 * mean, rel=0.02)


def test_a_one_off_line_adds_to_the_delivery_cost_once():
    """A one-off 5,000 is 5,000 more delivery cost and 5,000 less NPV, whatever the horizon."""
    for horizon in (1, 5):
        cost, npv = means(edge(horizon=horizon))
        line_cost, line_npv = means(edge(lines=[{"name": "Certification", "paid": "one_off",
                                                 "amount": 5000}], horizon=horizon))
        assert line_cost - cost == pytest.approx(5000)
        assert npv - line_npv == pytest.approx(5000)


def test_forty_devices_cost_forty_unit_costs_once_and_forty_running_costs_a_year():
    """40 x 400 joins the delivery cost; 40 x 50 a year comes off the NPV three times."""
    plain_cost, plain_npv = means(edge())
    fleet = edge({"device": {"count": 40, "unit_cost": 400, "running_cost_per_year": 50}})
    simulation = simulate(fleet)
    assert simulation.part_means["devices"] == pytest.approx(16000)
    assert simulation.part_means["devices_yearly"] == pytest.approx(2000)
    assert float(simulation.cost.mean()) - plain_cost == pytest.approx(16000)
    assert plain_npv - float(simulation.npv.mean()) == pytest.approx(16000 + 3 * 2000)


def test_devices_count_only_when_predictions_run_on_them():
    """The same device answers on an online platform change no number."""
    device = {"count": 40, "unit_cost": [300, 500], "running_cost_per_year": 50}
    online = edge({"platform": "online", "device": device})
    without = edge({"platform": "online"})
    assert means(online) == means(without)
    assert "devices" not in simulate(online).part_means


def test_examples_draw_no_extra_part():
    """Without devices or own lines the parts are exactly the standard ones."""
    for path in EXAMPLES:
        parts = simulate(load_scenario(path), trials=TRIALS).part_means
        assert not [key for key in parts if key.startswith(("devices", "custom_"))]


def test_lines_and_devices_are_named_in_the_breakdown_and_the_drivers():
    """Each extra is its own line of the JSON breakdown; one-off ones are cost drivers."""
    scenario = edge({"device": {"count": 40, "unit_cost": [300, 500]}},
                    [{"name": "Gateway install", "paid": "one_off", "amount": [2000, 4000]},
                     {"name": "Gateway support", "paid": "yearly", "amount": [500, 900]}])
    estimate = json.loads(run_estimate(scenario).estimate.model_dump_json())
    lines = {line["label"]: line for line in estimate["cost_breakdown"]}
    assert lines["Devices (40 x unit cost)"]["paid"] == "one_off"
    assert lines["Gateway install"]["paid"] == "one_off"
    assert lines["Gateway support"]["paid"] == "yearly"
    assert lines["Devices (40 x unit cost)"]["mean"] == pytest.approx(40 * 387 * 1.01, rel=0.05)
    drivers = {driver["name"] for driver in estimate["sensitivity"]["drivers"]}
    assert {"Devices (40 x unit cost)", "Cost line: Gateway install"} <= drivers
    assert "Cost line: Gateway support" not in drivers  # a yearly cost is no delivery cost


def test_the_largest_devices_and_lines_stay_finite():
    """Ten million devices at the largest price and every line at the largest amount, yearly
    over twenty years, still give finite results (the limits keep them far from overflow)."""
    lines = [{"name": f"Line {n}", "paid": "yearly", "amount": MONEY_MAX}
             for n in range(MAX_COST_LINES)]
    scenario = edge({"device": {"count": DEVICES_MAX, "unit_cost": MONEY_MAX,
                                "running_cost_per_year": MONEY_MAX}}, lines, horizon=20)
    simulation = simulate(scenario)
    assert np.isfinite(simulation.cost).all() and np.isfinite(simulation.npv).all()


@pytest.mark.parametrize(("costs", "message"), [
    ({"custom_lines": [{"name": "A", "amount": -1}]}, "cannot be negative"),
    ({"custom_lines": [{"name": "Gateway", "amount": 1}, {"name": "gateway ", "amount": 2}]},
     "two custom cost lines are named"),
    ({"custom_lines": [{"name": "", "amount": 1}]}, "at least 1 character"),
    ({"custom_lines": [{"name": f"L{n}", "amount": 1} for n in range(MAX_COST_LINES + 1)]},
     f"at most {MAX_COST_LINES} items"),
])
def test_bad_cost_lines_are_refused_with_a_reason(costs, message):
    """A negative amount, a name used twice, an empty name and too many lines are refused."""
    with pytest.raises(ValidationError, match=message):
        Scenario.model_validate({"costs": costs})


@pytest.mark.parametrize("device", [{"count": 0}, {"unit_cost": [-5, 10]}, {"ram_gb": 0},
                                    {"accelerator": "tpu"}])
def test_bad_device_answers_are_refused(device):
    """No devices, a negative price, no RAM or an unknown accelerator is not a device."""
    with pytest.raises(ValidationError):
        Scenario.model_validate({"technical": {"device": device}})
