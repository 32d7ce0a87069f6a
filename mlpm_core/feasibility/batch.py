"""The batch job's check: does a run finish in its window, and how much machine time it takes.

A batch job has no requests in flight, so Little's law and a latency target do not apply (the
servers and latency checks are not shown for batch); what matters is the work of one run: the
predictions it makes times the model's time per prediction, against the window it must finish
in. The same work, times the runs a year, is the machine time the serving cost counts: a share of
one replica-year (``costs.server_cost_per_year``), so a nightly job that runs for an hour costs
an hour a day of a machine, not a machine all year.
"""

from __future__ import annotations

import math

from mlpm_core.feasibility.check import hours_text
from mlpm_core.feasibility.technical import TechnicalCheck, number, serving_latency_ms
from mlpm_core.scenario import HOURS_PER_YEAR, Scenario, batch_hours_per_run


def _hours_per_run(scenario: Scenario) -> float | None:
    """One worker's hours for one run; None without a time per prediction."""
    latency = serving_latency_ms(scenario)
    if latency is None:
        return None
    return batch_hours_per_run(scenario, latency / 1000.0)


def batch_machine_years(scenario: Scenario) -> float:
    """Replica-years of compute a year of batch runs takes; 0 when not batch or not known."""
    if scenario.technical.platform != "batch":
        return 0.0
    hours = _hours_per_run(scenario)
    if hours is None:
        return 0.0
    return hours * scenario.technical.batch_runs_per_year / HOURS_PER_YEAR


def batch_window_check(scenario: Scenario) -> TechnicalCheck:
    """Hours one run takes on one worker against the window it must finish in."""
    technical = scenario.technical
    title = "Batch run vs its window"
    if technical.batch_predictions_per_run is None:
        return TechnicalCheck("batch_window", title, "n/a", "How many predictions a run makes "
                              "is not given, so its compute time, its machine cost and any "
                              "per-prediction fees are not counted.")
    hours = _hours_per_run(scenario)
    if hours is None:
        return TechnicalCheck("batch_window", title, "n/a", "No model time per prediction is "
                              "given, so a run's compute time and cost are not counted.")
    work = (f"{technical.batch_predictions_per_run:,} predictions at "
            f"{number(serving_latency_ms(scenario) or 0)} ms each take {hours_text(hours)} "
            f"on one worker, {technical.batch_runs_per_year:,} runs a year")
    window = technical.batch_window_hours
    if window is None:
        return TechnicalCheck("batch_window", title, "ok", f"{work}; no window is given.",
                              hours)
    if hours > window:
        workers = math.ceil(hours / window - 1e-9)
        return TechnicalCheck(
            "batch_window", title, "warn", f"{work}: beyond the {number(window)}-hour window; "
            f"run {workers} workers in parallel or use a faster model.", hours, window)
    return TechnicalCheck("batch_window", title, "ok",
                          f"{work}: within the {number(window)}-hour window.", hours, window)
