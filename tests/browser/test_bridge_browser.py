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
    charts_heading = main.get_by_role("heading", name="Charts", exact=True).first
    charts_heading.wait_for()
    bridge = _chart_between(page, charts, heading, charts_heading)
    assert bridge is not None, "no chart between the bridge heading and the Charts heading"
    assert bridge["height"] > 150 and bridge["width"] > 300
    text = main.inner_text()
    assert "most likely; PERT means" in text and "become a median of" in text
    assert "the largest steps" in text
    main.get_by_text("The steps in numbers").first.click()
    settle(page)
    table = main.locator('[data-testid="stDataFrame"]').first
    table.wait_for()
    page.screenshot(path=str(tmp_path / "bridge.png"), full_page=False)
    assert table.bounding_box()["height"] > 100


def _chart_between(page, charts, top, bottom, timeout_ms: int = 30_000):
    """The box of the first chart drawn between two headings, waiting for it: each chart is
    drawn by a component loaded on demand, so under load a later chart can be on the page
    before the bridge's, and the first one found is not always the bridge."""
    waited = 0
    while waited <= timeout_ms:
        above, below = top.bounding_box(), bottom.bounding_box()
        for index in range(charts.count()):
            box = charts.nth(index).bounding_box()
            if above and below and box and above["y"] < box["y"] < below["y"]:
                return box
        page.wait_for_timeout(250)
        waited += 250
    return None
