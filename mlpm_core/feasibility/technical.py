"""Technical checks that compute instead of guess (README "Feasibility and the decision").

Google's feasibility guide (google-managing-ml) asks about latency, QPS, RAM, platform and
whether inferences "cost more than the revenue generated"; the staging guide
(ml-projects-max-roi) asks "Batch or real-time?" and "How many servers?". Each question is
answered here with arithmetic on the scenario's numbers, so a reader can redo the sum: memory of
the weights vs RAM, Little's law for servers, LLM latency from time-to-first-token and output
speed, cost per request vs value per request. Prices and platform RAM the user left empty come
from the assumptions ledger (``data/assumptions.toml``), never from constants hidden here.
"""

from __future__ import annotations

import math

from mlpm_core.feasibility.check import TechnicalCheck as TechnicalCheck
from mlpm_core.feasibility.check import gigabytes
from mlpm_core.feasibility.check import money as money
from mlpm_core.feasibility.check import number as number
from mlpm_core.feasibility.device import PLATFORM_LABELS, ram_source
from mlpm_core.scenario import (
    BYTES_PER_PARAMETER,
    Scenario,
    annual_predictions,
    error_costs,
    ram_assumption_id,
    used,
)
from mlpm_core.success import BenefitShare, benefit_share, reaching_curve

# A tool or API call (retrieval, lookup) adds a round trip. Only used for a warning, never for a
# blocker, because calls can run in parallel or be cached; it should move to the ledger once the
# scenario has a field to override it.
TOOL_CALL_LATENCY_MS = 200.0
# Memory above this share of the RAM leaves no room for the process, the OS or a second request.
MEMORY_TIGHT_SHARE = 0.8
MEMORY_TITLE = "Model memory vs RAM"
# Per-request cost above this share of the value per request leaves little margin.
COST_TIGHT_SHARE = 0.5
# On these platforms the RAM is the user's device: no bigger machine can be bought.
PHYSICAL_RAM_PLATFORMS = frozenset({"browser", "on_device"})
FRESHNESS_LABELS = {"static": "static", "periodic": "periodically updated",
                    "real_time": "real-time"}


def is_llm(scenario: Scenario) -> bool:
    """A generative model billed and timed by tokens (the scenario gives tokens per request)."""
    return scenario.technical.tokens_in > 0 or scenario.technical.tokens_out > 0


def model_memory_gb(scenario: Scenario) -> float:
    """Weights x bytes per parameter x runtime overhead, in GB (1e9 bytes)."""
    technical = scenario.technical
    parameters = technical.model_parameters_millions * 1e6
    return (parameters * BYTES_PER_PARAMETER[technical.precision]
            * technical.memory_overhead / 1e9)


def ram_gb(scenario: Scenario) -> tuple[float, bool]:
    """RAM available to the model and whether the user gave it (else the platform's ledger RAM)."""
    value = used(scenario, ram_assumption_id(scenario.technical.platform))
    return value.value.midpoint, value.overridden


def llm_latency_ms(scenario: Scenario, with_tools: bool = True) -> float:
    """Time to first token + output tokens / tokens per second (+ tool calls), in ms."""
    technical = scenario.technical
    first = used(scenario, "time_to_first_token_ms").value.midpoint
    speed = used(scenario, "tokens_per_second").value.midpoint
    latency = first + technical.tokens_out / speed * 1000.0
    if with_tools:
        latency += technical.tool_calls_per_request * TOOL_CALL_LATENCY_MS
    return latency


def serving_latency_ms(scenario: Scenario) -> float | None:
    """The expected time one request occupies a server: LLM estimate, else the model latency."""
    if is_llm(scenario):
        return llm_latency_ms(scenario)
    if scenario.technical.model_latency_ms is not None:
        return scenario.technical.model_latency_ms.midpoint
    return None


def _sizing_latency_ms(scenario: Scenario) -> tuple[float | None, str]:
    """Latency used to size the fleet, and where it came from (for the sentence)."""
    latency = serving_latency_ms(scenario)
    if latency is not None:
        return latency, "expected latency"
    if scenario.technical.latency_p95_ms is not None:
        return scenario.technical.latency_p95_ms, "the p95 target"
    return None, ""


def servers_needed(scenario: Scenario) -> int:
    """Serving replicas for peak load by Little's law; 0 unless the platform is online.

    Requests in flight = peak QPS x seconds per request; each replica holds
    ``concurrency_per_server`` of them at the planned share of its capacity
    (``peak_utilisation``, from the ledger unless given): a fleet sized to be full at peak
    queues requests on every burst. An online service keeps at least one replica. Without any
    latency figure the fleet cannot be sized, so one replica is assumed (the check warns).
    """
    technical = scenario.technical
    if technical.platform != "online":
        return 0
    latency, _ = _sizing_latency_ms(scenario)
    if latency is None:
        return 1
    in_flight = technical.peak_qps * latency / 1000.0
    capacity = technical.concurrency_per_server * peak_utilisation(scenario)
    # Tolerate float noise: 2000 x 0.05 / 8 must be 12.5 -> 13, and 100.0000001 / 4 not 26.
    return max(1, math.ceil(in_flight / capacity - 1e-9))


def peak_utilisation(scenario: Scenario) -> float:
    """The share of the servers' capacity the peak may use: the scenario's, else the ledger's."""
    return used(scenario, "peak_utilisation").value.midpoint


def cost_per_request(scenario: Scenario) -> float:
    """Variable cost of one request at mid prices: per-1k fee plus input and output tokens."""
    technical = scenario.technical
    cost = scenario.costs.inference_cost_per_1k_requests.midpoint / 1000.0
    if technical.tokens_in:
        price = used(scenario, "price_per_1m_input_tokens").value.midpoint
        cost += technical.tokens_in * price / 1e6
    if technical.tokens_out:
        price = used(scenario, "price_per_1m_output_tokens").value.midpoint
        cost += technical.tokens_out * price / 1e6
    return cost


def avoided_error_value(scenario: Scenario) -> float:
    """The avoided error cost a year (middle of the ranges) when it enters the value, else 0."""
    errors = error_costs(scenario)
    return errors.typical_avoided_cost if errors is not None and errors.enters_value else 0.0


def annual_value(scenario: Scenario, share: BenefitShare | None = None) -> float:
    """A working model's annual benefit (the midpoint, times the share of the target's benefit
    it earns on average) plus the avoided error cost when that enters the value."""
    share = share or benefit_share(scenario, reaching_curve(scenario))
    return scenario.value.annual_benefit.midpoint * share.mean + avoided_error_value(scenario)


def value_per_request(scenario: Scenario, share: BenefitShare | None = None) -> float | None:
    """Annual value (benefit and avoided errors) spread over a year of predictions (mean QPS,
    or a batch job's runs x predictions per run)."""
    requests = annual_predictions(scenario)
    if requests <= 0:
        return None
    return annual_value(scenario, share) / requests


def memory_check(scenario: Scenario) -> TechnicalCheck:
    """Model memory vs RAM; a fail blocks when the RAM cannot grow (a device, or the user's cap)."""
    technical = scenario.technical
    title = MEMORY_TITLE
    if technical.model_parameters_millions <= 0:
        return TechnicalCheck("memory", title, "n/a",
                              "No self-hosted model size given, so there is no memory to check.")
    need = model_memory_gb(scenario)
    ram, own = ram_gb(scenario)
    where = ram_source(scenario)
    per = BYTES_PER_PARAMETER[technical.precision]
    sizing = (f"A {number(technical.model_parameters_millions)}M-parameter model at "
              f"{technical.precision} ({number(per)} byte{'' if per == 1 else 's'} "
              f"per parameter) x{number(technical.memory_overhead)} runtime overhead needs "
              f"{gigabytes(need)}")
    if need > ram:
        return _memory_out_of_reach(scenario, sizing, need, ram, own)
    if need > MEMORY_TIGHT_SHARE * ram:
        return TechnicalCheck("memory", title, "warn",
                              f"{sizing}, over {MEMORY_TIGHT_SHARE:.0%} of the {number(ram)} GB "
                              f"{where}: little room for the runtime and batching.", need, ram)
    return TechnicalCheck("memory", title, "ok",
                          f"{sizing}, within the {number(ram)} GB {where}.", need, ram)


def _memory_out_of_reach(scenario: Scenario, sizing: str, need: float, ram: float,
                         own: bool) -> TechnicalCheck:
    """A model above the RAM: a condition where more RAM can be had, or where a lower
    precision fits a device (a review's gateway model at fp32 was a no-go, 'it cannot run
    there', while the same model at int8 fitted and the plan already budgeted quantising it);
    out of reach (a blocker) only when even int4 does not fit."""
    technical, where = scenario.technical, ram_source(scenario)
    above = f"{sizing}, above the {number(ram)} GB {where}"
    if not (own or technical.platform in PHYSICAL_RAM_PLATFORMS):
        return TechnicalCheck("memory", MEMORY_TITLE, "fail", f"{above}; use a machine "
                              "with more RAM (and set the RAM budget), quantise it or choose a "
                              "smaller model.", need, ram)
    per = BYTES_PER_PARAMETER[technical.precision]
    lower = {name: need * size / per for name, size in BYTES_PER_PARAMETER.items() if size < per}
    fits = next((name for name, at in lower.items() if at <= ram), None)
    if fits is None:
        smallest = min(BYTES_PER_PARAMETER, key=BYTES_PER_PARAMETER.__getitem__)
        even = "" if technical.precision == smallest else f", even at {smallest}"
        return TechnicalCheck(
            "memory", MEMORY_TITLE, "fail", f"{above}; it cannot run there{even}: "
            "distil it or choose a smaller model.", need, ram, blocker=True,
            action_key="memory_out_of_reach")
    at = lower[fits]
    room = (f"within it but over {MEMORY_TIGHT_SHARE:.0%} of it, little room for the runtime"
            if at > MEMORY_TIGHT_SHARE * ram else "within it")
    return TechnicalCheck(
        "memory", MEMORY_TITLE, "fail", f"{above}; at {fits} it would need "
        f"{gigabytes(at)}, {room}: quantise it to {fits} and show that it still reaches the "
        "acceptability threshold.", need, ram, action_key="memory_quantise", detail=fits)


def servers_check(scenario: Scenario) -> TechnicalCheck:
    """How many replicas peak load needs (Little's law)."""
    technical = scenario.technical
    title = "Servers for peak load"
    if technical.platform != "online":
        return TechnicalCheck("servers", title, "n/a",
                              "Not served online, so no serving replicas are needed.", 0.0)
    servers = servers_needed(scenario)
    latency, origin = _sizing_latency_ms(scenario)
    if latency is None:
        return TechnicalCheck(
            "servers", title, "warn", "Neither a model latency nor a latency target is given, "
            "so the fleet cannot be sized; one replica is assumed.", float(servers))
    in_flight = technical.peak_qps * latency / 1000.0
    return TechnicalCheck(
        "servers", title, "ok",
        f"At a peak of {number(technical.peak_qps)} QPS with {number(latency)} ms per request "
        f"({origin}), {number(in_flight)} requests are in flight (Little's law); at "
        f"{technical.concurrency_per_server:,} per server, planned at "
        f"{peak_utilisation(scenario):.0%} of capacity, that needs {servers:,} "
        f"server{'s' if servers != 1 else ''}.", float(servers))


def latency_check(scenario: Scenario) -> TechnicalCheck:
    """Expected latency vs the p95 target: out of reach (a blocker) when even the optimistic
    latency is above it, a condition when the typical one is, a warning when the range's high
    end is."""
    technical = scenario.technical
    title = "Latency vs target"
    target = technical.latency_p95_ms
    if technical.platform == "batch":
        return TechnicalCheck("latency", title, "n/a", "Batch predictions are computed ahead "
                              "of time, so no per-request latency applies.")
    if target is None:
        return TechnicalCheck("latency", title, "n/a", "No p95 latency target is given.")
    if is_llm(scenario):
        base = llm_latency_ms(scenario, with_tools=False)
        total = llm_latency_ms(scenario)
        first = used(scenario, "time_to_first_token_ms").value.midpoint
        speed = used(scenario, "tokens_per_second").value.midpoint
        sentence = (f"An answer takes about {number(base / 1000)} s (time to first token "
                    f"{number(first)} ms + {technical.tokens_out:,} output tokens at "
                    f"{number(speed)} tokens/s)")
        if base > target:
            return TechnicalCheck(
                "latency", title, "fail", f"{sentence}, above the {number(target)} ms p95 target: "
                "out of reach without a faster model, fewer output tokens or streaming.",
                base, target, blocker=True)
        if total > target:
            return TechnicalCheck(
                "latency", title, "warn", f"{sentence}; with {technical.tool_calls_per_request} "
                f"tool call(s) at about {number(TOOL_CALL_LATENCY_MS)} ms each it reaches "
                f"{number(total / 1000)} s, above the {number(target)} ms p95 target.",
                total, target)
        return TechnicalCheck("latency", title, "ok", f"{sentence}, {number(total / 1000)} s with "
                              f"tool calls: within the {number(target)} ms p95 target.",
                              total, target)
    model = technical.model_latency_ms
    if model is None:  # a requirement stated and not shown to be met is not a pass
        return TechnicalCheck("latency", title, "warn", "No model latency is given to compare "
                              f"with the {number(target)} ms p95 target: measure the model's "
                              "p95 on the hardware it will run on before relying on it.",
                              None, target)
    if model.low > target:
        which = "The model latency" if model.low == model.high else (
            "Even the optimistic model latency")
        return TechnicalCheck(
            "latency", title, "fail", f"{which} of {number(model.low)} ms is above the "
            f"{number(target)} ms p95 target: out of reach with this model.",
            model.low, target, blocker=True)
    spread = f"{number(model.low)}-{number(model.high)} ms"
    if model.midpoint > target:
        # a review saw 12 / 20 / 40 ms against a 12 ms target only warn, and the decision go
        return TechnicalCheck(
            "latency", title, "fail", f"The model's typical latency of "
            f"{number(model.midpoint)} ms (range {spread}) is above the {number(target)} ms "
            "p95 target: most requests would miss it with this model.", model.midpoint, target)
    if model.high > target:
        return TechnicalCheck(
            "latency", title, "warn", f"The model latency range {spread} reaches beyond the "
            f"{number(target)} ms p95 target.", model.high, target)
    return TechnicalCheck("latency", title, "ok", f"The model latency range {spread} is "
                          f"within the {number(target)} ms p95 target.", model.high, target)


def _volume(scenario: Scenario) -> str:
    """The predictions a year, as the platform's questions put them."""
    if scenario.technical.platform == "batch":
        return f"{number(annual_predictions(scenario))} batch predictions a year"
    return f"{number(scenario.technical.mean_qps)} QPS for a year"


def inference_cost_check(scenario: Scenario) -> TechnicalCheck:
    """Cost per request vs value per request; above the value, every request loses money."""
    title = "Inference cost vs value per request"
    currency = scenario.project.currency
    cost = cost_per_request(scenario)
    share = benefit_share(scenario, reaching_curve(scenario))  # once: it takes the chances
    value, annual = value_per_request(scenario, share), annual_value(scenario, share)
    if value is None or annual <= 0:
        volume = ("the predictions a batch run makes" if scenario.technical.platform == "batch"
                  else "a mean QPS")
        return TechnicalCheck("inference_cost", title, "n/a", f"Without an annual benefit and "
                              f"{volume} there is no value per request to compare with.", cost)
    if cost <= 0:
        return TechnicalCheck("inference_cost", title, "ok", "No per-request fee or token cost "
                              "is given; serving cost is in the servers.", cost, value)
    what = ("annual benefit" if avoided_error_value(scenario) == 0
            else "annual benefit and avoided errors")
    if share.scaled:  # short of the target's: the report says how
        what = f"a working model's typical {what}"
    compare = (f"each request costs about {money(cost, currency)} against a value of "
               f"{money(value, currency)} per request ({what} "
               f"{money(annual, currency)} over {_volume(scenario)})")
    if cost > value:
        return TechnicalCheck("inference_cost", title, "fail",
                              f"Inference costs more than it earns: {compare}.", cost, value,
                              blocker=True)
    if cost > COST_TIGHT_SHARE * value:
        return TechnicalCheck("inference_cost", title, "warn",
                              f"Inference eats over half the value: {compare}.", cost, value)
    return TechnicalCheck("inference_cost", title, "ok", f"Affordable: {compare}.", cost, value)


def serving_mode_check(scenario: Scenario) -> TechnicalCheck:
    """Batch or real-time? (003): advice from the platform, latency target and data freshness."""
    technical, freshness = scenario.technical, scenario.data.freshness
    title = "Batch or real-time"
    if technical.platform == "online":
        advice = []
        if technical.latency_p95_ms is None:
            advice.append("no latency target is given")
        if freshness == "static":
            advice.append("the data is static")
        if advice:
            return TechnicalCheck("serving_mode", title, "warn",
                                  f"Served online, but {' and '.join(advice)}: if nobody waits "
                                  "for each answer, precompute predictions in batch (cheaper, "
                                  "no servers to run).")
        return TechnicalCheck("serving_mode", title, "ok", "Real-time serving fits: the "
                              f"{number(technical.latency_p95_ms or 0)} ms target and "
                              f"{FRESHNESS_LABELS[freshness]} data need answers on demand.")
    if technical.platform == "batch":
        if freshness == "real_time":
            return TechnicalCheck("serving_mode", title, "warn", "Predictions are made in batch "
                                  "but the data must be real-time: batch predictions will be "
                                  "stale; consider online serving.")
        return TechnicalCheck("serving_mode", title, "ok", f"Batch fits "
                              f"{FRESHNESS_LABELS[freshness]} data: "
                              "predictions are saved in a table ahead of time.")
    return TechnicalCheck("serving_mode", title, "ok", "Predictions run where they are used "
                          f"({PLATFORM_LABELS[technical.platform]}): no servers to run.")
