"""The device check: what runs the model when predictions are made on the device itself.

"On device" is a phone, an edge gateway or an embedded board; the scenario's device answers
(``technical.device``) say how many there are, how much RAM the model can use on each and
whether an accelerator runs it. An NPU usually runs only integer (int8 or int4) weights, so a
model kept at fp32 would fall back to the device's CPU: that is a warning with its fix, not a
guess at a speed. The memory check names which RAM it compared with (``ram_source``).
"""

from __future__ import annotations

from mlpm_core.feasibility.check import TechnicalCheck, money, number
from mlpm_core.scenario import Scenario, device_ram_gb

PLATFORM_LABELS = {"online": "an online serving replica", "browser": "a web browser tab",
                   "on_device": "a phone, edge gateway or embedded device",
                   "batch": "a batch worker"}
ACCELERATOR_LABELS = {"none": "no accelerator (the CPU runs the model)", "npu": "an NPU",
                      "gpu": "a GPU"}
NPU_PRECISIONS = frozenset({"int8", "int4"})


def ram_source(scenario: Scenario) -> str:
    """Which RAM the memory check used, in words: the budget, the device's, or the ledger's."""
    technical = scenario.technical
    if technical.ram_budget_gb is not None:
        return "RAM budget you gave"
    if device_ram_gb(scenario) is not None:
        return "RAM usable per device you gave"
    if technical.platform == "on_device":
        return ("RAM typical of a mid-range phone (assumption; give the RAM usable per "
                "device for a gateway or an embedded board)")
    return f"RAM typical of {PLATFORM_LABELS[technical.platform]} (assumption)"


def _hardware(scenario: Scenario) -> str:
    """The hardware costs in words, middle of each range; empty when none is given."""
    device, currency = scenario.technical.device, scenario.project.currency
    parts = []
    if device.unit_cost.high > 0:
        parts.append(f"{money(device.count * device.unit_cost.midpoint, currency)} once "
                     f"({number(device.count)} x {money(device.unit_cost.midpoint, currency)})")
    if device.running_cost_per_year.high > 0:
        parts.append(f"{money(device.count * device.running_cost_per_year.midpoint, currency)}"
                     " a year")
    # the middle, said as such: the cost breakdown gives the mean drawn, which a lognormal
    # range puts above it (a review read EUR 92k here beside EUR 94,500 there as a mistake)
    return (f" Hardware at the middle of each range: {' and '.join(parts)}; the cost "
            "breakdown gives the mean drawn." if parts else "")


def device_check(scenario: Scenario) -> TechnicalCheck | None:
    """The devices and their accelerator against the model's precision; None off the device."""
    technical = scenario.technical
    if technical.platform != "on_device":
        return None
    device = technical.device
    ram = device_ram_gb(scenario)
    fleet = (f"{number(device.count)} device{'s' if device.count != 1 else ''} with "
             f"{ACCELERATOR_LABELS[device.accelerator]}"
             + (f" and {number(ram)} GB usable RAM each" if ram is not None else ""))
    hardware = _hardware(scenario)
    if device.accelerator == "npu" and technical.precision not in NPU_PRECISIONS:
        return TechnicalCheck(
            "device", "Devices", "warn", f"{fleet}; NPUs usually run int8 or int4 weights "
            f"only, so a model kept at {technical.precision} would run on the CPU: quantise it "
            f"(precision int8) or plan for CPU speed.{hardware}", float(device.count))
    return TechnicalCheck("device", "Devices", "ok", f"{fleet}.{hardware}",
                          float(device.count))
