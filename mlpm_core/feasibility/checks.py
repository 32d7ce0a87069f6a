"""The technical checks a scenario's platform calls for, in a stable order.

Serving mode decides which checks apply (``mlpm_core.scenario.serving``): servers for peak load
only for an online service, a latency target only where a request waits for its answer, the
batch window only for a batch job. A check that cannot apply is left out rather than shown as
"n/a", so the report shows no server count for a batch job or a model on a device.
"""

from __future__ import annotations

from mlpm_core.feasibility.batch import batch_window_check
from mlpm_core.feasibility.device import device_check
from mlpm_core.feasibility.error_check import error_cost_check
from mlpm_core.feasibility.technical import (
    TechnicalCheck,
    inference_cost_check,
    latency_check,
    memory_check,
    servers_check,
    serving_mode_check,
)
from mlpm_core.scenario import Scenario


def technical_checks(scenario: Scenario) -> list[TechnicalCheck]:
    """Every check the platform calls for; the device check only on a device, the error-cost
    check only when an error is said to cost something."""
    platform = scenario.technical.platform
    checks = [memory_check(scenario)]
    if platform == "online":
        checks.append(servers_check(scenario))
    if platform == "batch":
        checks.append(batch_window_check(scenario))
    else:
        checks.append(latency_check(scenario))
    checks += [inference_cost_check(scenario), serving_mode_check(scenario)]
    optional = (device_check(scenario), error_cost_check(scenario))
    return [*checks, *(check for check in optional if check is not None)]
