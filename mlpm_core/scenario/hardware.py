"""The devices a model runs on when predictions are made on the device itself.

"On device" covers a phone app, an edge gateway beside a machine and an embedded board: what
they share is that the RAM is fixed (no bigger machine can be bought per request) and that the
hardware is counted per device. The answers here feed the memory check (RAM usable per device),
the device check (accelerator and precision) and the cost (devices x unit cost once, devices x
running cost every year); they count only when ``technical.platform`` is ``on_device``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from mlpm_core.scenario.limits import DEVICES_MAX, MoneyRange
from mlpm_core.scenario.ranges import Range, StrictModel, certain

Accelerator = Literal["none", "npu", "gpu"]


def _not_negative(value: Range) -> Range:
    if value.low < 0:
        raise ValueError("a cost cannot be negative; put savings in the annual benefit")
    return value


class DeviceSection(StrictModel):
    """The fleet of devices (phones, edge gateways, embedded boards) the model runs on."""

    count: int = Field(
        1, ge=1, le=DEVICES_MAX, description="How many devices or sites the model runs on "
        "(e.g. 40 gateways, one per machine). Multiplies the hardware costs below."
    )
    ram_gb: float | None = Field(
        None, gt=0, le=1e4, description="RAM the model can use on one device (GB); empty: a "
        "mid-range phone's, from the assumptions ledger. A RAM budget, when given, wins."
    )
    accelerator: Accelerator = Field(
        "none", description="Neural accelerator on the device: none (the CPU runs the model), "
        "an NPU (neural engine, edge TPU; usually int8 or int4 weights only) or a GPU."
    )
    unit_cost: MoneyRange = Field(
        default_factory=lambda: certain(0.0),
        description="One-off cost of one device, bought and installed, as a 90% range; 0 "
        "when the devices exist already (the users' own phones). Counted in the delivery cost.",
    )
    running_cost_per_year: MoneyRange = Field(
        default_factory=lambda: certain(0.0),
        description="Yearly cost of one device (connectivity, power, support, replacements), "
        "as a 90% range. Counted like the other running costs, in the NPV.",
    )

    _costs_not_negative = field_validator("unit_cost", "running_cost_per_year")(_not_negative)
