"""Serving mode first: each platform's checks and costs come from its own questions only."""

from __future__ import annotations

import pytest

from mlpm_core.assessment import run_estimate
from mlpm_core.feasibility import batch_machine_years, servers_needed, technical_checks
from mlpm_core.feasibility.batch import batch_window_check
from mlpm_core.feasibility.decision import stage_gate
from mlpm_core.report.inputs import inputs_appendix
from mlpm_core.scenario import SERVING_FIELDS, annual_predictions, field_applies, relevant
from mlpm_core.scenario.ranges import certain
from tests.conftest import scenario_with

TRIALS, SEED = 5000, 3
# A nightly job scoring 40 machines' sensor windows: 100,000 predictions at 20 ms each.
NIGHTLY = {"platform": "batch", "batch_runs_per_year": 365, "batch_predictions_per_run": 100_000,
           "model_latency_ms": certain(20.0).model_dump()}


def check_ids(**technical: object) -> list[str]:
    return [check.id for check in technical_checks(scenario_with(technical=technical))]


def test_batch_shows_no_server_or_latency_check_and_online_does():
    assert check_ids(platform="batch") == ["memory", "batch_window", "inference_cost",
                                           "serving_mode"]
    assert check_ids(platform="online") == ["memory", "servers", "latency", "inference_cost",
                                            "serving_mode"]


@pytest.mark.parametrize("platform", ["on_device", "browser"])
def test_a_model_on_a_device_has_a_latency_check_but_no_servers(platform):
    """A browser or a device has no servers to size; only a device has the devices check."""
    devices = ["device"] if platform == "on_device" else []
    assert check_ids(platform=platform) == ["memory", "latency", "inference_cost",
                                            "serving_mode", *devices]


def test_a_batch_run_within_its_window_is_ok_and_beyond_it_names_the_workers():
    """100,000 x 20 ms = 0.56 hours: fine in 6 hours, three workers for a 12-minute window."""
    within = batch_window_check(scenario_with(technical={**NIGHTLY, "batch_window_hours": 6}))
    assert (within.status, round(within.value or 0, 3)) == ("ok", 0.556)
    tight = batch_window_check(scenario_with(technical={**NIGHTLY, "batch_window_hours": 0.2}))
    assert tight.status == "warn" and "run 3 workers in parallel" in tight.summary
    unknown = batch_window_check(scenario_with(technical={"platform": "batch"}))
    assert unknown.status == "n/a" and "predictions a run makes" in unknown.summary


def test_batch_machine_time_is_a_share_of_a_replica_year():
    """0.56 hours a night for a year is 203 hours, 2.3% of a replica-year; no servers."""
    scenario = scenario_with(technical=NIGHTLY)
    assert servers_needed(scenario) == 0
    assert batch_machine_years(scenario) == pytest.approx(365 * 100_000 * 0.02 / 3600 / 8760)
    serving = [run_estimate(scenario_with(technical=NIGHTLY, costs={
        "server_cost_per_year": certain(price).model_dump()}), trials=TRIALS, seed=SEED)
        .simulation.part_means["serving"] for price in (4000.0, 8000.0)]
    assert serving[0] == pytest.approx(4000 * batch_machine_years(scenario))
    assert serving[1] == pytest.approx(2 * serving[0])


def test_batch_predictions_come_from_runs_not_from_qps():
    """A batch job's predictions a year are runs x predictions per run; the hidden mean QPS
    counts for nothing, also in the per-prediction fees."""
    scenario = scenario_with(technical={**NIGHTLY, "mean_qps": 0.5})
    assert annual_predictions(scenario) == 365 * 100_000
    fees = {"inference_cost_per_1k_requests": certain(2.0).model_dump()}
    means = [run_estimate(scenario_with(technical={**NIGHTLY, "mean_qps": qps}, costs=fees),
                          trials=TRIALS, seed=SEED).simulation.part_means["inference"]
             for qps in (0.1, 0.5)]
    assert means == pytest.approx([2.0 * 365 * 100] * 2)


def test_the_server_price_is_a_relevant_assumption_only_where_it_counts():
    def ids(**technical: object) -> set[str]:
        return {value.assumption.id for value in relevant(scenario_with(technical=technical))}
    assert "server_cost_per_year" in ids(platform="online")
    assert "server_cost_per_year" in ids(**NIGHTLY)
    assert "server_cost_per_year" not in ids(platform="batch")
    assert "server_cost_per_year" not in ids(platform="on_device")


def test_the_report_lists_only_the_platforms_questions():
    def questions(**technical: object) -> set[str]:
        appendix = inputs_appendix(scenario_with(technical=technical))
        return {row.question for row in appendix.answers}
    batch, online, device = (questions(**NIGHTLY), questions(platform="online"),
                             questions(platform="on_device"))
    peak = "Peak / mean queries per second"
    assert peak in online and peak not in batch and peak not in device
    assert "Mean queries per second" in device and "Mean queries per second" not in batch
    assert "p95 latency target (ms)" not in batch and "p95 latency target (ms)" in device
    window = "Batch: runs a year / predictions per run / window (hours)"
    assert window in batch and window not in online


def test_every_serving_field_names_a_real_field_and_at_least_one_platform():
    for path, platforms in SERVING_FIELDS.items():
        section, name = path.split(".")
        assert name in type(getattr(scenario_with(), section)).model_fields
        assert platforms
    assert field_applies(scenario_with(technical={"platform": "online"}), "technical.precision")


def test_a_device_can_have_more_mean_than_peak_qps_since_only_online_asks_the_peak():
    scenario = scenario_with(technical={"platform": "on_device", "mean_qps": 5.0})
    assert scenario.technical.mean_qps == 5.0


def test_a_batch_job_without_its_size_says_which_answer_the_value_per_request_needs():
    scenario = scenario_with(technical={"platform": "batch", "mean_qps": 0.5},
                             value={"annual_benefit": certain(50000.0).model_dump()})
    check = next(check for check in technical_checks(scenario) if check.id == "inference_cost")
    assert check.status == "n/a" and "the predictions a batch run makes" in check.summary


def test_a_sized_batch_job_must_show_it_fits_its_window_before_maturity():
    sized = {**NIGHTLY, "batch_window_hours": 6}
    gate = stage_gate(scenario_with(project={"stage": "growth"}, technical=sized))
    assert "a full-size batch run of 100,000 predictions finishes within its 6-hour window" in gate
    assert "batch run" not in stage_gate(scenario_with(project={"stage": "growth"},
                                                       technical={"platform": "batch"}))
