"""Serving mode first: which technical questions a platform asks, and the batch questions.

"Batch or real-time?" (ml-projects-max-roi) is the first technical question because it decides
the others: an online service is sized by its peak load, latency and concurrency; a model in a
browser or on a device runs on hardware nobody buys servers for; a batch job has no requests to
wait for, only a number of predictions per run, how often it runs and the window it must finish
in. ``SERVING_FIELDS`` says, once, which fields each platform uses. The Technical page shows only
those, the report's inputs appendix lists only those, and the numbers use only those
(``tests/unit/scenario/test_serving_questions.py`` checks that a hidden field changes nothing).

The batch questions are a base class of ``TechnicalSection`` so that they stay ``technical.*``
answers while living in their own module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from mlpm_core.scenario.limits import COUNT_MAX
from mlpm_core.scenario.ranges import StrictModel

if TYPE_CHECKING:  # model.py imports the sections, which import this module
    from mlpm_core.scenario.model import Scenario

Platform = Literal["online", "browser", "on_device", "batch"]
SECONDS_PER_YEAR = 365 * 24 * 3600
HOURS_PER_YEAR = 365 * 24
_ALL: frozenset[Platform] = frozenset({"online", "browser", "on_device", "batch"})
_REQUESTS: frozenset[Platform] = frozenset({"online", "browser", "on_device"})

SERVING_FIELDS: dict[str, frozenset[Platform]] = {
    "technical.latency_p95_ms": _REQUESTS,
    "technical.peak_qps": frozenset({"online"}),
    "technical.mean_qps": _REQUESTS,
    "technical.concurrency_per_server": frozenset({"online"}),
    "technical.peak_utilisation": frozenset({"online"}),
    "technical.batch_runs_per_year": frozenset({"batch"}),
    "technical.batch_predictions_per_run": frozenset({"batch"}),
    "technical.batch_window_hours": frozenset({"batch"}),
    "costs.server_cost_per_year": frozenset({"online", "batch"}),
}
"""The platforms on which a field is asked and counted; a field not listed counts on all."""


class BatchQuestions(StrictModel):
    """How an offline batch job runs: predictions per run, runs a year, the time it may take."""

    batch_runs_per_year: int = Field(
        365, ge=1, le=HOURS_PER_YEAR, description="How often the batch job runs in a year: "
        "365 daily, 52 weekly, 12 monthly (batch only).",
    )
    batch_predictions_per_run: int | None = Field(
        None, ge=0, le=COUNT_MAX, description="Predictions one run makes (batch only). With the "
        "runs a year it gives the predictions a year that per-prediction fees, tokens and the "
        "value per prediction count; with the model's time per prediction, the compute a run "
        "needs. Empty: not known, so neither is counted.",
    )
    batch_window_hours: float | None = Field(
        None, gt=0, le=HOURS_PER_YEAR, description="Hours a run may take before its "
        "predictions are late, e.g. 6 for an overnight job (batch only). Empty: no deadline.",
    )


def field_applies(scenario: Scenario, path: str) -> bool:
    """Whether the scenario's platform asks (and counts) the field at ``path``."""
    return scenario.technical.platform in SERVING_FIELDS.get(path, _ALL)


def annual_predictions(scenario: Scenario) -> float:
    """Predictions a year: runs x predictions per run for batch, else mean QPS x a year."""
    technical = scenario.technical
    if technical.platform == "batch":
        per_run = technical.batch_predictions_per_run or 0
        return float(technical.batch_runs_per_year * per_run)
    return technical.mean_qps * SECONDS_PER_YEAR


def batch_hours_per_run(scenario: Scenario, seconds_per_prediction: float) -> float:
    """Compute hours one run needs on one worker, predicting one case after another."""
    per_run = scenario.technical.batch_predictions_per_run or 0
    return per_run * seconds_per_prediction / 3600.0


def batch_compute_known(scenario: Scenario) -> bool:
    """Whether a batch job's machine time can be counted: predictions per run and a time per
    prediction (the model's latency, or tokens for a generative model)."""
    technical = scenario.technical
    timed = (technical.model_latency_ms is not None or technical.tokens_in > 0
             or technical.tokens_out > 0)
    return technical.platform == "batch" and bool(technical.batch_predictions_per_run) and timed
