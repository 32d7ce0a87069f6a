"""The bridge in a real browser: the Report of an example draws the waterfall from the tasks'
sum to the P50, says which factors did most, and lists the steps in numbers."""

from __future__ import annotations

import pytest

from tests.browser.support import (
    go,
    no_exception,
    settle,
    widget,
)

pytestmark = pytest.mark.browser

HEAD = "From the tasks to the P50 effort"


def test_report_of_an_example_draws_the_bridge_and_lists_its_steps(page, tmp_path):
    """The fraud Report shows the bridge heading, a drawn waterfall right below it, the sentence
    naming the largest steps, and the steps from the PERT sum to the P50 in numbers."""
    widget(page, "home.example.fraud_card_payments.json").get_by_role("button").first.click()
    settle(page)
    go(page, "Report")
    no_exception(page, "Report")
    main = page.locator('[data-testid="stMain"]')
    heading = main.get_by_role("heading", name=HEAD).first
    heading.wait_for()
    charts = main.locator('[data-testid="stVegaLiteChart"]')
    charts.first.wait_for()
    first_chart = charts.first.bounding_box()
    charts_heading = main.get_by_role("heading", name="Charts", exact=True).first.bounding_box()
    heading_box = heading.bounding_box()
    assert first_chart and charts_heading and heading_box
    assert heading_box["y"] < first_chart["y"] < charts_heading["y"]
    assert first_chart["height"] > 150 and first_chart["width"] > 300
    text = main.inner_text()
    assert "most likely; PERT means" in text and "become a median of" in text
    assert "the largest steps" in text
    main.get_by_text("The steps in numbers").first.click()
    settle(page)
    table = main.locator('[data-testid="stDataFrame"]').first
    table.wait_for()
    page.screenshot(path=str(tmp_path / "bridge.png"), full_page=False)
    assert table.bounding_box()["height"] > 100
