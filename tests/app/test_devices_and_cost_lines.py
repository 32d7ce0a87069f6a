"""The device block of the Technical page and the own cost lines of Costs & value, in AppTest."""

import pytest
from streamlit.testing.v1 import AppTest

from mlpm_core.assessment import run_estimate
from mlpm_core.scenario.document import load_scenario
from mlpm_core.scenario.model import Scenario
from tests.app.support import APP, TIMEOUT, page_file, store
from tests.conftest import EXAMPLES_DIR

pytestmark = pytest.mark.usefixtures("fresh_app")

BIKE = EXAMPLES_DIR / "bike_shop_service_forecast.json"
GATEWAY = {"name": "Gateway <b>install</b>", "paid": "one_off", "low": 2000.0,
           "high": 4000.0}


def open_page(page: str, scenario: Scenario) -> tuple[AppTest, str]:
    """The app with ``scenario`` saved and opened from the URL, showing ``page``."""
    row = store().create(scenario, note="test")
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params["scenario"] = row.id
    at.run()
    at.switch_page(page_file(page)).run()
    assert not at.exception, at.exception
    return at, row.id


def working_copy(at: AppTest) -> Scenario:
    return at.session_state["mlpm.scenario"]


def subheaders(at: AppTest) -> list[str]:
    return [str(element.value) for element in at.subheader]


def edit_lines(at: AppTest, *, edited=None, added=None, deleted=None) -> AppTest:
    """Apply an edit state to the cost-line table, as the browser sends it, and rerun."""
    [editor] = [e for e in at.data_editor if e.key.startswith("mlpm.cost_lines.table")]
    at.session_state[editor.key] = {"edited_rows": edited or {}, "added_rows": added or [],
                                    "deleted_rows": deleted or []}
    return at.run()


def errors(at: AppTest) -> str:
    return "\n".join(element.value for element in at.error).replace("\\", "")


def test_the_device_questions_show_only_on_a_device_and_save_their_answers():
    """Online there is no device block; choosing 'on a device' shows it, and the count and RAM
    typed there are saved to the store."""
    at, sid = open_page("technical", load_scenario(BIKE))
    assert "Devices" not in subheaders(at)
    at.radio(key="f:technical.platform").set_value("on_device").run()
    assert "Devices" in subheaders(at)
    at.text_input(key="f:technical.device.count").input("40").run()
    at.text_input(key="f:technical.device.ram_gb").input("2").run()
    assert not at.exception and not errors(at)
    device = store().load(sid)[0].technical.device
    assert (device.count, device.ram_gb) == (40, 2.0)
    checks = {check.id: check.summary for check in run_estimate(
        store().load(sid)[0], trials=5000).checks}
    assert "2 GB RAM usable per device you gave" in checks["memory"]


def test_an_added_cost_line_is_saved_kept_across_pages_and_raises_the_cost():
    """A one-off line typed into the table is saved, is still there after leaving the page, and
    adds about its mean to the delivery cost."""
    before = load_scenario(BIKE)
    at, sid = open_page("costs_value", before)
    edit_lines(at, added=[GATEWAY])
    assert not at.exception and not errors(at)
    [line] = store().load(sid)[0].costs.custom_lines
    assert (line.name, line.paid, line.amount.low, line.amount.high) == (
        GATEWAY["name"], "one_off", 2000.0, 4000.0)
    at.switch_page(page_file("technical")).run()
    at.switch_page(page_file("costs_value")).run()
    [editor] = [e for e in at.data_editor if e.key.startswith("mlpm.cost_lines.table")]
    assert list(editor.value["name"]) == [GATEWAY["name"]]
    assert working_copy(at).costs.custom_lines == [line]
    costs = [run_estimate(scenario, trials=5000, seed=1).estimate.cost.mean
             for scenario in (before, store().load(sid)[0])]
    assert costs[1] - costs[0] == pytest.approx(2900, rel=0.05)  # lognormal mean of 2000-4000


def test_a_bad_cost_line_says_why_and_saves_nothing():
    """A line without a name is named by its row and reason; the scenario keeps no line."""
    at, sid = open_page("costs_value", load_scenario(BIKE))
    edit_lines(at, added=[{**GATEWAY, "name": ""}])
    assert "row 1: the name is empty" in errors(at)
    assert store().load(sid)[0].costs.custom_lines == []


def test_deleting_a_cost_line_removes_it():
    """Deleting the row removes the line from the saved scenario."""
    scenario = Scenario.model_validate({**load_scenario(BIKE).model_dump(), "costs": {
        "custom_lines": [{"name": "Support", "paid": "yearly", "amount": [100, 300]}]}})
    at, sid = open_page("costs_value", scenario)
    edit_lines(at, deleted=[0])
    assert not errors(at)
    assert store().load(sid)[0].costs.custom_lines == []


def _in_currency(path, currency: str) -> Scenario:
    document = load_scenario(path).model_dump()
    document["project"]["currency"] = currency
    document["costs"]["server_cost_per_year"] = None  # the ledger's US-dollar price
    return Scenario.model_validate(document)


def test_a_scenario_in_pounds_shows_the_rate_its_dollar_defaults_are_converted_at():
    """The rate box's placeholder gives the ECB rate; the ledger table says the conversion;
    a rate typed in is saved and used."""
    at, sid = open_page("costs_value", _in_currency(EXAMPLES_DIR / "fraud_card_payments.json",
                                                    "GBP"))
    box = at.text_input(key="f:costs.usd_exchange_rate")
    assert box.label == "1 US dollar in GBP" and "0.7463" in box.placeholder
    [table] = [frame.value for frame in at.dataframe if "Ledger value" in frame.value]
    server = table[table["Assumption"] == "Serving replica per year"].iloc[0]
    assert server["Ledger value"] == "USD 1,500 to 6,000"
    assert server["Used"] == "1,120 to 4,480" and "0.7463 GBP per USD" in server["Source"]
    box.input("0.8").run()
    assert not at.exception and not errors(at)
    assert store().load(sid)[0].costs.usd_exchange_rate == 0.8


def test_a_dollar_scenario_is_not_asked_for_a_rate():
    at, _ = open_page("costs_value", _in_currency(EXAMPLES_DIR / "fraud_card_payments.json",
                                                  "USD"))
    assert not [box for box in at.text_input if box.key == "f:costs.usd_exchange_rate"]


def test_a_currency_without_a_rate_is_asked_for_one_and_the_report_says_why():
    at, _ = open_page("costs_value", _in_currency(EXAMPLES_DIR / "fraud_card_payments.json",
                                                  "XYZ"))
    assert any("no exchange rate for 'XYZ'" in warning.value.replace("\\", "")
               for warning in at.warning)
    at.switch_page(page_file("report")).run()
    assert not at.exception
    assert "no exchange rate for 'XYZ'" in errors(at)
    keys = {button.key for button in at.get("download_button")}
    assert {"report.download_tasks", "report.download_scenario"} <= keys  # nothing locked in


def test_a_rate_far_from_the_ecbs_is_kept_but_questioned_and_zero_is_refused():
    """1,000 EUR per dollar made a replica cost millions a year without a word."""
    at, sid = open_page("costs_value", _in_currency(EXAMPLES_DIR / "fraud_card_payments.json",
                                                    "EUR"))
    box = "f:costs.usd_exchange_rate"
    at.text_input(key=box).input("0").run()
    assert "1 US dollar in EUR: must be above 0" in errors(at).replace("\\", "")
    assert store().load(sid)[0].costs.usd_exchange_rate is None
    at.text_input(key=box).input("1000").run()
    assert not errors(at) and store().load(sid)[0].costs.usd_exchange_rate == 1000
    warned = "".join(warning.value for warning in at.warning).replace("\\", "")
    assert "1 US dollar in EUR is 1,000 here" in warned and "0.8951" in warned
    at.text_input(key=box).input("0.9").run()
    assert not [warning for warning in at.warning if "US dollar" in warning.value]


def test_without_gpu_hours_the_page_says_training_runs_cost_nothing():
    """52 retrains a year changed nothing, and nothing said why."""
    no_gpu = load_scenario(BIKE)
    assert no_gpu.costs.training_gpu_hours.high == 0
    at, _ = open_page("costs_value", no_gpu)
    captions = " ".join(caption.value for caption in at.caption)
    assert "No GPU-hours per training run" in captions
    at, _ = open_page("costs_value", load_scenario(EXAMPLES_DIR / "fraud_card_payments.json"))
    assert "No GPU-hours per training run" not in " ".join(c.value for c in at.caption)


def test_the_project_page_says_what_the_currency_converts_and_when_it_has_no_rate():
    at, _ = open_page("project", _in_currency(EXAMPLES_DIR / "fraud_card_payments.json", "XYZ"))
    captions = " ".join(caption.value for caption in at.caption).replace("\\", "")
    assert "stays as you typed it when you change the currency" in captions
    assert "no exchange rate for 'XYZ'" in captions
    at, _ = open_page("project", _in_currency(EXAMPLES_DIR / "fraud_card_payments.json", "EUR"))
    captions = " ".join(caption.value for caption in at.caption).replace("\\", "")
    assert "stays as you typed it when you change the currency" in captions
    assert "no exchange rate" not in captions
