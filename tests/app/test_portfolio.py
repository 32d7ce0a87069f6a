"""The portfolio page through AppTest: compare saved scenarios, the matrix, what-if copies."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from mlpm_ui import portfolio_view as portfolio
from mlpm_ui import state
from tests.app.support import EXAMPLE_NAMES, goto, new_app, start_example, store

pytestmark = pytest.mark.usefixtures("fresh_app")

NAMES = {"bike_shop_service_forecast.json": "Bike Shop: workshop demand forecast",
         "fraud_card_payments.json": "Real-time card fraud scoring",
         "genai_support_assistant.json": "Support assistant with retrieval (RAG)"}


def with_examples() -> AppTest:
    """The app with the three shipped examples saved, on the Portfolio page."""
    at = new_app()
    for example in EXAMPLE_NAMES:
        start_example(at, example)
    return goto(at, "portfolio")


def charts(at: AppTest) -> list[dict]:
    return [element.proto.spec for element in at.get("vega_lite_chart")]


def test_the_three_examples_are_compared_side_by_side_with_curves_and_the_matrix():
    """All three examples: one column each with decision and P50/P80 figures, two charts."""
    at = with_examples()
    assert not at.exception
    assert sorted(at.multiselect(key=portfolio.SELECT_KEY).value) == sorted(
        row.id for row in store().list())
    table = at.dataframe[0].value
    assert sorted(table.columns) == sorted(NAMES.values())
    assert table.loc["Decision", NAMES["fraud_card_payments.json"]] == "Go"
    assert table.loc["Decision", NAMES["genai_support_assistant.json"]] == "No-go"
    for metric in ("Effort P50 / P80", "Duration P50 / P80", "Delivery cost P50 / P80",
                   "Expected NPV (mean)", "P(NPV > 0)", "Feasibility score (mean of 5)"):
        assert table.loc[metric].notna().all(), metric
    assert table.loc["Delivery cost P50 / P80", NAMES["fraud_card_payments.json"]].startswith(
        "EUR")
    specs = "\n".join(charts(at))
    assert "Delivery cost by scenario" in specs and "Impact x feasibility" in specs
    assert any("different currencies" in warning.value for warning in at.warning)
    ranking = at.dataframe[1].value
    assert ranking["Scenario"].iloc[0] == NAMES["fraud_card_payments.json"]


def test_fewer_than_two_scenarios_ask_for_more():
    """With one scenario picked the page explains the 2-6 rule and draws no comparison."""
    at = with_examples()
    first = at.multiselect(key=portfolio.SELECT_KEY).value[0]
    at.multiselect(key=portfolio.SELECT_KEY).set_value([first]).run()
    assert not at.exception
    assert any("Pick 2 to 6" in info.value for info in at.info)
    assert not charts(at) and len(at.dataframe) == 0


def test_without_saved_scenarios_the_page_says_how_to_start():
    """An empty store: a hint to start scenarios on Home, no widgets that would fail."""
    at = goto(new_app(), "portfolio")
    assert not at.exception and "at least two scenarios" in at.info[0].value


def test_duplicate_as_what_if_makes_a_renamed_copy_for_another_stage():
    """The what-if form copies a scenario under a new name and stage and adds it to the pick."""
    at = new_app()
    start_example(at, "bike_shop_service_forecast.json")
    start_example(at, "fraud_card_payments.json")
    goto(at, "portfolio")
    source = next(row for row in store().list() if row.name.startswith("Bike"))
    at.selectbox(key=portfolio.SOURCE_KEY).set_value(source.id)
    at.text_input(key=portfolio.NAME_KEY).input("Bike shop: growth")
    at.selectbox(key=portfolio.STAGE_KEY).set_value("growth")
    at.button[-1].click().run()
    assert not at.exception
    copy = next(row for row in store().list() if row.name == "Bike shop: growth")
    scenario, _ = store().load(copy.id)
    assert scenario.project.stage == "growth"
    assert store().load(source.id)[0].project.stage == "mvp"
    assert copy.id in at.multiselect(key=portfolio.SELECT_KEY).value
    assert "Bike shop: growth" in at.dataframe[0].value.columns
    assert at.session_state[state.ID_KEY] != copy.id  # not opened unless asked
