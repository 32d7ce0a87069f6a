"""Technical checks: the arithmetic of memory, servers, latency, inference cost and serving mode."""

import json
import math

import pytest

from mlpm_core.feasibility import score_dimensions, technical_checks
from mlpm_core.feasibility.technical import (
    TOOL_CALL_LATENCY_MS,
    cost_per_request,
    inference_cost_check,
    latency_check,
    llm_latency_ms,
    memory_check,
    model_memory_gb,
    servers_check,
    servers_needed,
    serving_mode_check,
    value_per_request,
)
from mlpm_core.scenario.assumptions import ledger
from mlpm_core.scenario.ranges import certain, span
from mlpm_core.scenario.serving import SECONDS_PER_YEAR
from tests.conftest import scenario_with


def test_memory_of_7b_fp16_with_overhead_is_16_8_gb_and_fails_on_16_gb():
    """7B parameters x 2 bytes (fp16) x 1.2 overhead = 16.8 GB, above a 16 GB server: fail."""
    s = scenario_with(technical={"model_parameters_millions": 7000, "precision": "fp16",
                                 "memory_overhead": 1.2})
    assert model_memory_gb(s) == pytest.approx(16.8)
    check = memory_check(s)
    assert check.status == "fail"
    assert check.value == pytest.approx(16.8)
    assert check.limit == 16.0
    assert "16.8 GB" in check.summary and "16 GB" in check.summary
    assert "(2 bytes per parameter)" in check.summary


def test_an_int8_model_takes_one_byte_per_parameter_in_words_too():
    """'1 bytes per parameter' read as a slip in a sponsor's report."""
    s = scenario_with(technical={"model_parameters_millions": 100, "precision": "int8"})
    assert "(1 byte per parameter)" in memory_check(s).summary


def test_memory_fail_on_a_ledger_server_is_not_a_blocker_but_on_a_device_it_is():
    """A bigger server can be bought (condition); a phone's RAM cannot grow (blocker)."""
    model = {"model_parameters_millions": 7000, "precision": "fp16"}
    assert memory_check(scenario_with(technical=model)).blocker is False
    device = memory_check(scenario_with(technical={**model, "platform": "on_device"}))
    assert device.status == "fail" and device.blocker is True and device.limit == 1.5


def test_memory_fail_against_the_users_own_ram_budget_is_a_blocker():
    """When the user states the RAM budget, a model that does not fit it at any precision is
    out of reach; one that fits at a lower precision is a condition to quantise."""
    check = memory_check(scenario_with(technical={"model_parameters_millions": 40000,
                                                  "precision": "fp16", "ram_budget_gb": 16}))
    assert check.status == "fail" and check.blocker is True
    check = memory_check(scenario_with(technical={"model_parameters_millions": 7000,
                                                  "precision": "fp16", "ram_budget_gb": 16}))
    assert check.status == "fail" and check.blocker is False and check.detail == "int8"


def test_memory_above_80_percent_of_ram_warns_and_int4_fits():
    """14.4 GB of 16 GB is tight (warn); int4 quantisation needs 4.2 GB (ok)."""
    tight = scenario_with(technical={"model_parameters_millions": 6000, "precision": "fp16"})
    assert memory_check(tight).status == "warn"
    small = scenario_with(technical={"model_parameters_millions": 7000, "precision": "int4"})
    assert model_memory_gb(small) == pytest.approx(4.2)
    assert memory_check(small).status == "ok"


def test_servers_by_littles_law_round_up():
    """2000 QPS x 0.05 s / 8 per server = 12.5 servers full at peak, so 13 at 100%."""
    s = scenario_with(technical={"peak_qps": 2000, "mean_qps": 500,
                                 "model_latency_ms": certain(50).model_dump(),
                                 "concurrency_per_server": 8, "peak_utilisation": 1.0})
    assert servers_needed(s) == 13
    check = servers_check(s)
    assert check.value == 13 and "13 servers" in check.summary and "100" in check.summary


def test_servers_are_planned_at_the_ledgers_share_of_capacity_unless_given():
    """12.5 servers' worth of requests at the ledger's 70% needs 12.5 / 0.7 = 17.9, so 18; at
    a given 50%, 25."""
    technical = {"peak_qps": 2000, "model_latency_ms": certain(50).model_dump(),
                 "concurrency_per_server": 8}
    planned = scenario_with(technical=technical)
    assert ledger()["peak_utilisation"].value.midpoint == 0.7
    assert servers_needed(planned) == 18
    assert "planned at 70% of capacity" in servers_check(planned).summary
    assert servers_needed(scenario_with(technical={**technical, "peak_utilisation": 0.5})) == 25


def test_servers_exact_multiple_is_not_rounded_up_by_float_noise():
    """100 QPS x 0.04 s / 4 = 1.0 exactly: one server, not two."""
    s = scenario_with(technical={"peak_qps": 100, "model_latency_ms": certain(40).model_dump(),
                                 "peak_utilisation": 1.0})
    assert servers_needed(s) == 1


def test_servers_use_the_latency_target_when_no_model_latency_is_given():
    """100 QPS x 0.2 s (the p95 target) / 4 per server = 5 servers full, 8 at 70%."""
    s = scenario_with(technical={"peak_qps": 100, "latency_p95_ms": 200})
    assert servers_needed(s) == math.ceil(5 / 0.7) == 8


def test_servers_zero_off_line_and_one_when_latency_unknown():
    """Batch and on-device need no servers; an online service without latency gets 1 and warns."""
    assert servers_needed(scenario_with(technical={"platform": "batch"})) == 0
    assert servers_needed(scenario_with(technical={"platform": "on_device"})) == 0
    assert servers_check(scenario_with(technical={"platform": "batch"})).status == "n/a"
    unknown = scenario_with(technical={"peak_qps": 500})
    assert servers_needed(unknown) == 1
    assert servers_check(unknown).status == "warn"


def test_llm_latency_is_ttft_plus_tokens_over_speed():
    """TTFT 500 ms + 400 tokens / 50 tok/s = 8.5 s."""
    s = scenario_with(technical={"tokens_out": 400, "time_to_first_token_ms": 500,
                                 "tokens_per_second": 50})
    assert llm_latency_ms(s) == pytest.approx(8500)


def test_llm_latency_uses_the_ledger_when_speed_is_missing():
    """Ledger defaults: 500 ms to first token and 60 tokens/s, so 300 tokens take 5.5 s."""
    assert llm_latency_ms(scenario_with(technical={"tokens_out": 300})) == pytest.approx(5500)


def test_llm_latency_above_target_fails_as_a_blocker():
    """8.5 s against an 8 s p95 target is out of reach: fail, blocker."""
    s = scenario_with(technical={"tokens_out": 400, "time_to_first_token_ms": 500,
                                 "tokens_per_second": 50, "latency_p95_ms": 8000})
    check = latency_check(s)
    assert check.status == "fail" and check.blocker
    assert check.value == pytest.approx(8500) and check.limit == 8000
    assert "8.5 s" in check.summary


def test_llm_tool_calls_only_warn():
    """Two tool calls add 2 x 200 ms: 8.9 s against an 8.8 s target warns but does not block."""
    s = scenario_with(technical={"tokens_out": 400, "time_to_first_token_ms": 500,
                                 "tokens_per_second": 50, "latency_p95_ms": 8800,
                                 "tool_calls_per_request": 2})
    assert TOOL_CALL_LATENCY_MS == 200
    check = latency_check(s)
    assert check.status == "warn" and not check.blocker
    assert check.value == pytest.approx(8900)


def test_llm_servers_hold_each_request_for_the_whole_answer():
    """10 QPS x 8.5 s = 85 in flight; at 4 per server planned at 70%, 31 servers."""
    s = scenario_with(technical={"peak_qps": 10, "tokens_out": 400, "time_to_first_token_ms": 500,
                                 "tokens_per_second": 50})
    assert servers_needed(s) == math.ceil(85 / (4 * 0.7)) == 31


@pytest.mark.parametrize(("latency", "status", "blocker"), [
    ((120, 200), "fail", True), ((100, 200, 120), "fail", False), ((50, 150, 90), "warn", False),
    ((50, 150), "warn", False), ((80, 180), "fail", False), ((20, 80), "ok", False)])
def test_model_latency_low_end_above_target_fails(latency, status, blocker):
    """Even the optimistic model latency above the target rules the model out; a typical one
    above it (the most likely, else the geometric middle: 120 ms of 80-180) is a condition
    (12 / 20 / 40 ms against a 12 ms target had only warned, and the decision was go); only
    the high end above it warns."""
    s = scenario_with(technical={"latency_p95_ms": 100,
                                 "model_latency_ms": span(*latency).model_dump()})
    check = latency_check(s)
    assert (check.status, check.blocker) == (status, blocker)


def test_a_single_latency_above_the_target_is_not_called_optimistic():
    s = scenario_with(technical={"latency_p95_ms": 10,
                                 "model_latency_ms": certain(20).model_dump()})
    check = latency_check(s)
    assert (check.status, check.blocker) == ("fail", True)
    assert check.summary.startswith("The model latency of 20 ms is above the 10 ms p95 target")


def test_a_latency_target_without_a_model_latency_is_a_warning_not_a_pass():
    """A reject gate on a production line must answer within 100 ms: with no model latency
    the requirement is not shown to be met, which cost no points and read as a pass."""
    s = scenario_with(technical={"platform": "on_device", "latency_p95_ms": 100})
    check = latency_check(s)
    assert (check.status, check.blocker, check.limit) == ("warn", False, 100)
    assert check.summary == ("No model latency is given to compare with the 100 ms p95 "
                             "target: measure the model's p95 on the hardware it will run on "
                             "before relying on it.")
    measured = scenario_with(technical={"platform": "on_device", "latency_p95_ms": 100,
                                        "model_latency_ms": certain(40).model_dump()})
    scores = [score_dimensions(scenario, technical_checks(scenario), None)["technical"].score
              for scenario in (s, measured)]
    assert scores[1] - scores[0] == 10


def test_latency_is_not_applicable_without_target_or_in_batch():
    """No target, or batch predictions: nothing to check."""
    assert latency_check(scenario_with()).status == "n/a"
    batch = scenario_with(technical={"platform": "batch", "latency_p95_ms": 10,
                                     "model_latency_ms": certain(500).model_dump()})
    assert latency_check(batch).status == "n/a"


def test_inference_cost_above_value_per_request_is_a_blocker():
    """1/1000 + 1000 x 2/1e6 + 500 x 10/1e6 = 0.008 per request vs a value of 0.001: fail."""
    s = scenario_with(
        technical={"tokens_in": 1000, "tokens_out": 500, "mean_qps": 1, "peak_qps": 1},
        costs={"price_per_1m_input_tokens": certain(2).model_dump(),
               "price_per_1m_output_tokens": certain(10).model_dump(),
               "inference_cost_per_1k_requests": certain(1).model_dump()},
        value={"annual_benefit": certain(SECONDS_PER_YEAR / 1000).model_dump()})
    assert cost_per_request(s) == pytest.approx(0.001 + 0.002 + 0.005)
    assert value_per_request(s) == pytest.approx(0.001)
    check = inference_cost_check(s)
    assert check.status == "fail" and check.blocker
    assert check.value == pytest.approx(0.008) and check.limit == pytest.approx(0.001)


def test_inference_cost_uses_ledger_prices_and_warns_above_half_the_value():
    """A million input tokens at the ledger's mid price (sqrt(0.15 x 3)) vs a value 1.5x that."""
    unit = math.sqrt(0.15 * 3.0)
    s = scenario_with(technical={"tokens_in": 1_000_000, "mean_qps": 1},
                      value={"annual_benefit": certain(1.5 * unit * SECONDS_PER_YEAR).model_dump()})
    assert cost_per_request(s) == pytest.approx(unit)
    assert inference_cost_check(s).status == "warn"


def test_inference_cost_needs_a_benefit_to_compare():
    """Without an annual benefit the check cannot judge and says n/a."""
    s = scenario_with(technical={"tokens_in": 100})
    assert inference_cost_check(s).status == "n/a"


@pytest.mark.parametrize(("technical", "freshness", "status", "word"), [
    ({"platform": "online"}, "real_time", "warn", "batch"),
    ({"platform": "online", "latency_p95_ms": 100}, "static", "warn", "batch"),
    ({"platform": "online", "latency_p95_ms": 100}, "real_time", "ok", "Real-time"),
    ({"platform": "batch"}, "real_time", "warn", "online"),
    ({"platform": "batch"}, "periodic", "ok", "Batch"),
    ({"platform": "on_device"}, "static", "ok", "device"),
])
def test_batch_or_real_time_advice(technical, freshness, status, word):
    """Online without a latency target or with static data suggests batch; stale batch warns."""
    check = serving_mode_check(scenario_with(technical=technical, data={"freshness": freshness}))
    assert check.status == status and word in check.summary


def test_every_check_is_reported_once_and_serialises_to_json():
    """The five checks come in a stable order and dump to JSON."""
    checks = technical_checks(scenario_with())
    assert [c.id for c in checks] == ["memory", "servers", "latency", "inference_cost",
                                      "serving_mode"]
    for check in checks:
        assert check.status in ("ok", "warn", "fail", "n/a")
        json.dumps(check.to_json())


@pytest.mark.parametrize(("value", "shown"), [(16.8, "16.8 GB"), (1.0, "1 GB"),
                                              (0.0048, "4.8 MB"), (0.5, "500 MB")])
def test_memory_reads_in_megabytes_below_a_gigabyte(value, shown):
    """'0.0048 GB' for a small model is a number nobody says."""
    from mlpm_core.feasibility.check import gigabytes

    assert gigabytes(value) == shown


@pytest.mark.parametrize(("value", "shown"), [(3.4, "3.4 hours"), (0.2, "12 minutes"),
                                              (0.00556, "20 seconds"), (1.0, "1 hour")])
def test_a_run_time_reads_in_the_unit_people_use(value, shown):
    from mlpm_core.feasibility.check import hours_text

    assert hours_text(value) == shown
