"""The chance of reaching the acceptability threshold in a real browser: the Report of an example
states it with its reasons, the sidebar repeats it, and its link leads to the Quality page."""

from __future__ import annotations

import pytest

from mlpm_core.scenario.document import load_scenario
from mlpm_core.success.probability import success_probability
from tests.browser.support import (
    go,
    no_exception,
    settle,
    widget,
)
from tests.conftest import EXAMPLES_DIR

pytestmark = pytest.mark.browser

HEAD = "Chance of reaching the acceptability threshold"
# the Bike Shop's chance from its answers, as the page must print it
BIKE = load_scenario(EXAMPLES_DIR / "bike_shop_service_forecast.json")
BIKE_CHANCE = f"{success_probability(BIKE).p:.0%}"


def test_report_of_an_example_shows_the_chance_of_success_and_links_to_quality(page):
    """The bike-shop Report shows its chance from the answers with reasons; the link opens
    Quality."""
    widget(page, "home.example.bike_shop_service_forecast.json").get_by_role(
        "button").first.click()
    settle(page)
    go(page, "Report")
    no_exception(page, "Report")
    main = page.locator('[data-testid="stMain"]')
    main.get_by_text(f"{HEAD}: {BIKE_CHANCE}").first.wait_for()
    text = main.inner_text()
    assert f"{HEAD}: {BIKE_CHANCE} (mlpm's judgement from your answers)" in text
    assert "Base 85% because a public solution exists" in text
    assert "-5 percentage points because the data is dirty" in text
    sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
    assert f"{HEAD} {BIKE_CHANCE} (mlpm's judgement from your answers)" in sidebar
    main.get_by_role("link", name="Set your own chance on the Quality page").click()
    settle(page)
    page.locator("h1", has_text="Quality").first.wait_for()
    assert "/quality" in page.url and "scenario=" in page.url
    no_exception(page, "Quality")
