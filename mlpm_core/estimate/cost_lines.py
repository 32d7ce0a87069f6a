"""Costs beyond the standard questions: the devices' hardware and the user's own cost lines.

Each becomes a named part of the cost breakdown. One-off costs (devices x unit cost, one-off
custom lines) add to the delivery cost; yearly costs (devices x running cost, yearly custom
lines) add to the fixed running cost of every year, which the value model discounts like
storage and licences. A scenario without them draws nothing more, so its numbers stay exactly
what they were; with them, they are drawn after every standard cost, so the standard parts keep
their draws too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from mlpm_core.estimate.sampling import input_draw
from mlpm_core.scenario import (
    DELIVERY_PART_LABELS,
    RUN_PART_LABELS,
    Range,
    Scenario,
)

Paid = Literal["one_off", "yearly"]
DEVICES = "devices"
DEVICES_YEARLY = "devices_yearly"
CUSTOM_PREFIX = "custom_"


@dataclass(frozen=True)
class ExtraCost:
    """One extra part: ``units`` x a draw of ``amount``, one-off or every year."""

    key: str
    label: str
    paid: Paid
    amount: Range
    units: int = 1
    user_named: bool = False  # the label is the user's text (escape it where shown)

    @property
    def driver_name(self) -> str:
        """How the sensitivity table names it."""
        return f"Cost line: {self.label}" if self.user_named else self.label


@dataclass(frozen=True)
class PartName:
    """A part of the cost breakdown: its key in the samples, its label and when it is paid."""

    key: str
    label: str
    paid: Paid


def _given(amount: Range) -> bool:
    return not (amount.is_certain and amount.low == 0)


def extra_costs(scenario: Scenario) -> tuple[ExtraCost, ...]:
    """The device hardware (on a device only) and the custom lines, zero amounts left out."""
    extras: list[ExtraCost] = []
    technical = scenario.technical
    if technical.platform == "on_device":
        device, count = technical.device, technical.device.count
        if _given(device.unit_cost):
            extras.append(ExtraCost(DEVICES, f"Devices ({count:,} x unit cost)", "one_off",
                                    device.unit_cost, count))
        if _given(device.running_cost_per_year):
            extras.append(ExtraCost(DEVICES_YEARLY, f"Devices running ({count:,} x yearly "
                                    "cost)", "yearly", device.running_cost_per_year, count))
    for number, line in enumerate(scenario.costs.custom_lines, start=1):
        if _given(line.amount):
            extras.append(ExtraCost(f"{CUSTOM_PREFIX}{number}", line.name, line.paid,
                                    line.amount, user_named=True))
    return tuple(extras)


def sample_extras(rng: np.random.Generator, extras: tuple[ExtraCost, ...],
                  n: int) -> dict[str, np.ndarray]:
    """Per-trial draws of every extra part, each from its own stream."""
    parts = {}
    for extra in extras:
        values = input_draw(rng, f"extra:{extra.key}", extra.amount, n)
        parts[extra.key] = values * extra.units if extra.units != 1 else values
    return parts


def part_names(extras: tuple[ExtraCost, ...]) -> tuple[PartName, ...]:
    """Every cost part in breakdown order: delivery parts, then running parts per year."""
    names = [PartName(key, text, "one_off") for key, text in DELIVERY_PART_LABELS.items()]
    names += [PartName(extra.key, extra.label, "one_off") for extra in extras
              if extra.paid == "one_off"]
    names += [PartName(key, text, "yearly") for key, text in RUN_PART_LABELS.items()]
    names += [PartName(extra.key, extra.label, "yearly") for extra in extras
              if extra.paid == "yearly"]
    return tuple(names)
