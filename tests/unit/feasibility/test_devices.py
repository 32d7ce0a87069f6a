"""The memory check on a device uses the device's RAM; the device check names the fleet."""

from __future__ import annotations

import pytest

from mlpm_core.feasibility import technical_checks
from mlpm_core.feasibility.blockers import find_blockers
from mlpm_core.feasibility.technical import memory_check
from mlpm_core.scenario import Scenario, relevant


def on_device(parameters: float, precision: str = "fp32", **device: object) -> Scenario:
    return Scenario.model_validate({"technical": {
        "platform": "on_device", "model_parameters_millions": parameters,
        "precision": precision, "memory_overhead": 1.2, "device": device}})


def test_a_model_too_big_for_a_2_gb_gateway_at_any_precision_blocks():
    """5,000M parameters at fp16 x1.2 need 12 GB, and 3 GB even at int4: above 2 GB per
    device at every precision, a blocker."""
    check = memory_check(on_device(5000, "fp16", ram_gb=2))
    assert (check.status, check.blocker, check.limit) == ("fail", True, 2.0)
    assert "12 GB, above the 2 GB RAM usable per device you gave" in check.summary
    assert "cannot run there, even at int4" in check.summary
    already = memory_check(on_device(5000, "int4", ram_gb=2))
    assert already.blocker and "cannot run there: distil it" in already.summary


def test_a_model_that_fits_the_gateway_quantised_is_a_condition_to_quantise():
    """1,000M parameters at fp16 x1.2 need 2.4 GB, above 2 GB per device; at int8 they need
    1.2 GB. A review's gateway model was a no-go ('it cannot run there') while it fitted at
    int8 and the plan already budgeted quantising it: the condition is to quantise."""
    scenario = on_device(1000, "fp16", ram_gb=2)
    check = memory_check(scenario)
    assert (check.status, check.blocker, check.detail) == ("fail", False, "int8")
    assert "at int8 it would need 1.2 GB, within it: quantise it to int8" in check.summary
    tight = memory_check(on_device(1000, "fp16", ram_gb=1.4))  # 1.2 GB at int8: 86% of it
    assert "at int8 it would need 1.2 GB, within it but over 80% of it" in tight.summary
    blockers = {blocker.id: (blocker, action) for blocker, action
                in find_blockers(scenario, technical_checks(scenario))}
    blocker, action = blockers["check_memory"]
    assert blocker.severity == "condition"
    assert action.startswith("Quantise the model to int8 so that it fits the 2 GB")


def test_a_quantised_model_fits_the_same_gateway():
    """At int8 the same model needs 1.2 GB: within 80% of the 2 GB device."""
    check = memory_check(on_device(1000, "int8", ram_gb=2))
    assert (check.status, check.limit) == ("ok", 2.0)


def test_the_device_ram_decides_where_the_phone_assumption_would_not():
    """1.8 GB fails on the ledger's 1.5 GB phone, fits (tightly) an 8 GB gateway."""
    phone = memory_check(on_device(1500, "int8"))
    assert phone.status == "fail" and "mid-range phone (assumption" in phone.summary
    gateway = memory_check(on_device(1500, "int8", ram_gb=8))
    assert gateway.status == "ok" and gateway.limit == 8.0


def test_a_ram_budget_wins_over_the_device_ram():
    """The RAM budget is what the model may use: it is compared, not the device's RAM."""
    scenario = on_device(1000, "int8", ram_gb=2)
    scenario = scenario.model_copy(update={"technical": scenario.technical.model_copy(
        update={"ram_budget_gb": 1.0})})
    check = memory_check(scenario)
    assert check.limit == 1.0 and "RAM budget you gave" in check.summary


def test_the_ledger_shows_the_device_ram_as_the_users_value():
    """The assumptions list says the RAM came from the answer, not from the phone default."""
    [ram] = [item for item in relevant(on_device(5, ram_gb=2))
             if item.assumption.id == "ram_on_device"]
    assert ram.overridden and ram.value.low == 2.0
    [default] = [item for item in relevant(on_device(5))
                 if item.assumption.id == "ram_on_device"]
    assert not default.overridden and default.value.low == 1.5


@pytest.mark.parametrize(("accelerator", "precision", "status"), [
    ("npu", "fp32", "warn"), ("npu", "int8", "ok"), ("gpu", "fp32", "ok"), ("none", "fp32", "ok"),
])
def test_an_npu_with_float_weights_is_a_warning(accelerator, precision, status):
    """NPUs run integer weights: fp32 on an NPU warns and says how to fix it."""
    checks = {check.id: check for check in technical_checks(
        on_device(5, precision, count=40, accelerator=accelerator, unit_cost=400))}
    device = checks["device"]
    assert device.status == status
    assert device.summary.startswith("40 devices with ")
    assert ("Hardware at the middle of each range: USD 16k once (40 x USD 400); the cost "
            "breakdown gives the mean drawn.") in device.summary
    assert ("quantise it" in device.summary) == (status == "warn")


def test_there_is_no_device_check_off_the_device():
    """An online model has no device check, whatever the device answers say."""
    scenario = Scenario.model_validate({"technical": {"device": {"count": 40}}})
    assert "device" not in {check.id for check in technical_checks(scenario)}
