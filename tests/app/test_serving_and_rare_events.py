"""The Technical page asks the serving mode first and only its questions; the Data page asks
about the positive class, and its answers reach the estimate's reasons."""

from __future__ import annotations

import pytest

from mlpm_ui import state
from tests.app.support import goto, new_app, start_example

pytestmark = pytest.mark.usefixtures("fresh_app")

ONLINE_ONLY = ("f:technical.peak_qps", "f:technical.concurrency_per_server")
BATCH_ONLY = ("f:technical.batch_runs_per_year", "f:technical.batch_predictions_per_run",
              "f:technical.batch_window_hours")


def keys(at) -> set[str]:
    return {element.key for element in [*at.number_input, *at.text_input]}


def test_batch_shows_no_qps_servers_or_latency_and_asks_the_batch_questions():
    at = new_app()
    start_example(at)  # the Bike Shop runs a weekly batch job
    goto(at, "technical")
    assert not at.exception
    assert at.radio(key="f:technical.platform").value == "batch"
    shown = keys(at)
    assert not shown & {*ONLINE_ONLY, "f:technical.mean_qps", "f:technical.latency_p95_ms"}
    assert set(BATCH_ONLY) <= shown


def test_switching_to_online_asks_load_latency_and_servers_instead():
    at = new_app()
    start_example(at)
    goto(at, "technical")
    at.radio(key="f:technical.platform").set_value("online").run()
    assert not at.exception
    assert at.session_state[state.SCENARIO_KEY].technical.platform == "online"
    shown = keys(at)
    assert {*ONLINE_ONLY, "f:technical.mean_qps", "f:technical.latency_p95_ms"} <= shown
    assert not shown & set(BATCH_ONLY)


def test_on_a_device_there_are_no_server_questions():
    at = new_app()
    start_example(at)
    goto(at, "technical")
    at.radio(key="f:technical.platform").set_value("on_device").run()
    shown = keys(at)
    assert not shown & {*ONLINE_ONLY, *BATCH_ONLY}
    assert {"f:technical.mean_qps", "f:technical.latency_p95_ms"} <= shown


def test_the_platform_comes_before_every_other_technical_question():
    at = new_app()
    start_example(at, "fraud_card_payments.json")
    goto(at, "technical")
    assert at.radio[0].key == "f:technical.platform"
    assert at.text_input[0].key == "f:technical.latency_p95_ms"


def test_the_data_page_asks_about_rare_events_and_the_answers_reach_the_reasons():
    """Five failures a year with 30 positives missing: the report says how long that takes."""
    at = new_app()
    start_example(at)
    goto(at, "data")
    at.text_input(key="f:data.labelled_available").input("700000").run()
    at.text_input(key="f:data.positive_share").input("0.0001").run()
    at.text_input(key="f:data.positive_events_per_year").input("5").run()
    assert not at.exception
    data = at.session_state[state.SCENARIO_KEY].data
    assert (data.positive_share, data.positive_events_per_year, data.positives_needed) == (
        0.0001, 5.0, 100)
    # counted a year, the 30 missing positives are picked out as they happen and labelled:
    # not 300,000 more cases labelled at random (1,000,000 at 1 in 10,000), but years to wait
    assert data.label_gap == 30
    goto(at, "report")
    assert not at.exception
    shown = "\n".join(str(element.value) for kind in ("markdown", "caption", "warning", "info")
                      for element in getattr(at, kind))
    assert "6 years" in shown


def test_the_costs_page_asks_a_server_price_only_where_servers_or_batch_workers_run():
    at = new_app()
    start_example(at)
    goto(at, "costs_value")
    assert "f:costs.server_cost_per_year:low" in keys(at)  # a batch worker's year
    goto(at, "technical")
    at.radio(key="f:technical.platform").set_value("on_device").run()
    goto(at, "costs_value")
    assert not at.exception
    assert "f:costs.server_cost_per_year:low" not in keys(at)


def test_switching_a_busy_device_model_to_online_says_how_to_get_there():
    """A device's mean QPS is not capped by a peak it is never asked; an online service's is,
    and the refusal says what to change first."""
    at = new_app()
    start_example(at)
    goto(at, "technical")
    at.radio(key="f:technical.platform").set_value("on_device").run()
    at.text_input(key="f:technical.mean_qps").input("50").run()
    assert at.session_state[state.SCENARIO_KEY].technical.mean_qps == 50.0
    at.radio(key="f:technical.platform").set_value("online").run()
    assert at.session_state[state.SCENARIO_KEY].technical.platform == "on_device"
    assert any("lower the mean QPS first" in error.value for error in at.error)


def test_positive_class_answers_on_a_forecast_are_shown_open_and_said_to_count():
    """Folded away for a forecast, but an answer there changes the estimate: once given, the
    section opens and says so, and clearing it folds it again."""
    at = new_app()
    start_example(at)  # the Bike Shop: a demand forecast, no positive class answered
    goto(at, "data")
    [section] = [e for e in at.expander if e.label.startswith("Positive cases")]
    assert not section.proto.expanded and "they count" not in section.label
    assert not any("count in the feasibility" in w.value for w in at.warning)
    at.text_input(key="f:data.positive_share").input("0.0001").run()
    assert at.session_state[state.SCENARIO_KEY].data.positive_share == 0.0001
    [section] = [e for e in at.expander if e.label.startswith("Positive cases")]
    assert section.proto.expanded and section.label.endswith("answered, they count")
    assert any("count in the feasibility" in w.value for w in at.warning)
    at.text_input(key="f:data.positive_share").input("").run()
    assert at.session_state[state.SCENARIO_KEY].data.positive_share is None
    [section] = [e for e in at.expander if e.label.startswith("Positive cases")]
    assert not section.proto.expanded


def test_the_data_page_asks_a_labels_price_only_while_labels_can_be_obtained():
    """Labels that cannot be obtained are not bought: their price would change nothing."""
    at = new_app()
    start_example(at)
    goto(at, "data")
    assert "f:data.label_cost:low" in keys(at)
    at.toggle(key="f:data.labels_obtainable").set_value(False).run()
    assert not at.exception
    assert at.session_state[state.SCENARIO_KEY].data.labels_obtainable is False
    assert "f:data.label_cost:low" not in keys(at)
    assert any("none are bought" in caption.value for caption in at.caption)
