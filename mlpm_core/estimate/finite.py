"""The last guard against numbers too large to compute: every result must be finite.

The scenario's limits (``mlpm_core.scenario.limits``) are chosen so that no valid scenario
overflows; this check makes sure that a combination they miss is one readable refusal, not
``null`` or ``nan`` printed as a cost in JSON, Markdown or a chart.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from mlpm_core.errors import UserError

RESULT_LABELS = {
    "effort": "effort",
    "duration_weeks": "duration",
    "overlapped_weeks": "duration with phases overlapped",
    "cost": "delivery cost",
    "npv": "net present value",
    "roi": "return on investment",
    "run_cost_per_year": "running cost",
}


def check_finite(results: Mapping[str, np.ndarray], payback_years: np.ndarray,
                 part_means: Mapping[str, float]) -> None:
    """Raise ``UserError`` naming the first result that is infinite or not a number.

    A payback time may be infinite (the project never pays back) but never undefined.
    """
    for field, values in results.items():
        if not np.isfinite(values).all():
            _refuse(RESULT_LABELS.get(field, field.replace("_", " ")))
    if np.isnan(payback_years).any():
        _refuse("payback time")
    for name, mean in part_means.items():
        if not np.isfinite(mean):
            _refuse(f"{name.replace('_', ' ')} (a part of the cost or value)")


def _refuse(what: str) -> None:
    raise UserError(
        f"the results are not finite; the {what} of some simulated projects is too large to "
        "compute. Lower the largest ranges, counts, prices or rule multipliers of the scenario"
    )
