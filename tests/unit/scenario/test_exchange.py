"""The ledger's prices are US-dollar list prices: a scenario in another currency converts them
at the ECB rate shipped in data/ or at its own rate, and never reads dollars as pounds or yen."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from mlpm_core.assessment import run_estimate
from mlpm_core.errors import UserError
from mlpm_core.report.model import build_report
from mlpm_core.scenario import (
    MissingExchangeRate,
    Range,
    Scenario,
    currency_code,
    ledger,
    load_scenario,
    relevant,
    usd_rate,
    used,
)
from tests.conftest import DATA, EXAMPLES_DIR

RATES = tomllib.loads((DATA / "exchange_rates.toml").read_text(encoding="utf-8"))
PRICES = ("gpu_hour_price", "server_cost_per_year", "price_per_1m_input_tokens",
          "price_per_1m_output_tokens")
TRIALS, SEED = 4000, 3


def _in(currency: str, rate: float | None = None, base: Scenario | None = None) -> Scenario:
    scenario = base or Scenario()
    costs = scenario.costs.model_copy(update={"usd_exchange_rate": rate})
    project = scenario.project.model_copy(update={"currency": currency})
    return scenario.model_copy(update={"project": project, "costs": costs})


def _ledger_priced_genai() -> Scenario:
    """The GenAI example with its own server and token prices removed, so the ledger's
    US-dollar prices are used, and no per-request fee of its own."""
    document = load_scenario(EXAMPLES_DIR / "genai_support_assistant.json").model_dump()
    document["costs"].update(server_cost_per_year=None, price_per_1m_input_tokens=None,
                             price_per_1m_output_tokens=None,
                             inference_cost_per_1k_requests=0)
    return Scenario.model_validate(document)


def test_the_shipped_rates_are_usable():
    per_usd = RATES["per_usd"]
    assert per_usd["USD"] == 1.0
    assert {"EUR", "GBP", "JPY", "CHF", "INR"} <= per_usd.keys()
    assert all(rate > 0 for rate in per_usd.values())
    assert "ecb.europa.eu" in RATES["source"]


@pytest.mark.parametrize(("typed", "code"), [
    ("EUR", "EUR"), (" eur ", "EUR"), ("€", "EUR"), ("£", "GBP"), ("US$", "USD"), ("$", "USD"),
    ("jpy", "JPY"), ("XYZ", None), ("credits", None)])
def test_a_currency_is_known_by_its_code_or_symbol(typed, code):
    assert currency_code(typed) == code


def test_every_ledger_price_is_marked_as_us_dollars_and_nothing_else_is():
    for entry in ledger().values():
        assert (entry.currency == "USD") == (entry.id in PRICES), entry.id


@pytest.mark.parametrize("price", PRICES)
def test_a_ledger_price_is_converted_at_the_ecb_rate(price):
    scenario = _in("GBP")
    value, entry = used(scenario, price), ledger()[price]
    rate = RATES["per_usd"]["GBP"]
    assert value.value.low == pytest.approx(entry.value.low * rate)
    assert value.value.high == pytest.approx(entry.value.high * rate)
    assert value.rate is not None and not value.rate.given
    assert RATES["date"] in value.rate.origin


def test_a_usd_scenario_uses_the_ledger_price_as_it_is():
    value = used(_in("USD"), "gpu_hour_price")
    assert value.value == ledger()["gpu_hour_price"].value


def test_the_scenarios_own_rate_wins_over_the_ecb_rate():
    value = used(_in("GBP", rate=0.5), "server_cost_per_year")
    assert value.value.high == pytest.approx(ledger()["server_cost_per_year"].value.high * 0.5)
    assert value.rate is not None and value.rate.given


def test_an_own_price_is_never_converted():
    scenario = _in("JPY")
    own = scenario.costs.model_copy(update={"gpu_hour_price": Range(low=300, high=600)})
    value = used(scenario.model_copy(update={"costs": own}), "gpu_hour_price")
    assert (value.value.low, value.value.high, value.rate) == (300, 600, None)


def test_a_currency_without_a_rate_asks_for_one_rather_than_reading_dollars():
    with pytest.raises(MissingExchangeRate) as raised:
        used(_in("XYZ"), "gpu_hour_price")
    message = str(raised.value)
    assert "'XYZ'" in message and "1 US dollar in XYZ" in message
    assert used(_in("XYZ", rate=2.0), "gpu_hour_price").value.low == pytest.approx(2.0)
    assert usd_rate(_in("XYZ")) is None


def test_a_currency_without_a_rate_is_fine_when_no_price_is_needed():
    """Maintenance share and RAM are not money: a batch job that needs no price runs."""
    base = Scenario().model_copy(update={"technical": Scenario().technical.model_copy(
        update={"platform": "batch"})})
    ids = {value.assumption.id for value in relevant(_in("XYZ", base=base))}
    assert ids and not ids & set(PRICES)


def test_the_estimate_refuses_a_ledger_price_in_a_currency_without_a_rate():
    with pytest.raises(UserError, match="no exchange rate for 'XYZ'"):
        run_estimate(_in("XYZ", base=_ledger_priced_genai()), trials=500, seed=SEED)


def test_ledger_priced_costs_scale_by_the_rate_and_people_costs_do_not():
    """Same seed, same draws: the serving and token lines are the dollar lines times the rate
    (a lognormal range scaled by a constant scales every draw), people cost is unchanged."""
    base = _ledger_priced_genai()
    lines = {}
    for currency in ("USD", "JPY"):
        result = run_estimate(_in(currency, base=base), trials=TRIALS, seed=SEED)
        lines[currency] = {line.key: line.mean for line in result.estimate.cost_breakdown}
    rate = RATES["per_usd"]["JPY"]
    for key in ("serving", "inference"):
        assert lines["JPY"][key] == pytest.approx(lines["USD"][key] * rate, rel=1e-9)
    assert lines["JPY"]["people"] == pytest.approx(lines["USD"]["people"], rel=1e-12)


def test_the_report_says_at_which_rate_a_price_was_converted():
    result = run_estimate(_in("GBP", base=_ledger_priced_genai()), trials=500, seed=SEED)
    rows = {row.label: row for row in build_report(result).assumptions}
    server = rows[ledger()["server_cost_per_year"].label]
    assert "converted at 0.7463 GBP per USD" in server.source
    assert RATES["date"] in server.source
    assert server.unit == "GBP per replica-year"
    assert server.value == "1,120–4,480"  # 1,500-6,000 USD, to three significant digits


def test_the_rates_file_is_what_the_script_derives_from_the_ecb_file(tmp_path: Path):
    """The script turns the ECB's euro rates into rates per US dollar for the latest day."""
    ecb = tmp_path / "eurofxref-hist.csv"
    ecb.write_text("Date,USD,JPY,GBP,CYP,\n2026-10-30,1.25,150.0,0.8,N/A,\n"
                   "2026-10-29,1.0,1.0,1.0,N/A,\n", encoding="utf-8")
    out = tmp_path / "rates.toml"
    script = Path(__file__).resolve().parents[3] / "scripts" / "derive_exchange_rates.py"
    subprocess.run([sys.executable, str(script), str(ecb), "--out", str(out)], check=True,
                   capture_output=True)
    written = tomllib.loads(out.read_text(encoding="utf-8"))
    assert written["date"] == "2026-10-30"
    assert written["per_usd"] == {"EUR": 0.8, "GBP": 0.64, "JPY": 120.0, "USD": 1.0}


@pytest.mark.parametrize(("typed", "kept"), [
    ("eur", "EUR"), (" gbp ", "GBP"), ("EUR", "EUR"), ("€", "EUR"), (" £", "GBP"),
    ("zł", "PLN"), ("dollars", "dollars")])
def test_a_three_letter_code_is_kept_in_capitals(typed, kept):
    """'eur' typed on the Project page reads 'EUR 483k' in every report, and finds its
    exchange rate; a symbol is its code ('£ 392k' read as a slip); a word stays as typed."""
    assert Scenario.model_validate({"project": {"currency": typed}}).project.currency == kept
