"""A range typed in a real browser, left to right and right to left: every value stays."""

from __future__ import annotations

import pytest

from tests.browser.support import go, no_exception, scenario_id, settle, widget

pytestmark = pytest.mark.browser

PATH = "value.annual_benefit"
TYPED = {"low": "40000", "most_likely": "90000", "high": "250000"}


def _box(tab, part: str):
    return widget(tab, f"f:{PATH}:{part}").locator("input")


@pytest.mark.parametrize("order", [("low", "most_likely", "high"),
                                   ("high", "most_likely", "low")])
def test_typing_a_range_in_either_direction_keeps_all_three_values(page, server, order):
    widget(page, "home.example.bike_shop_service_forecast.json").get_by_role("button").first \
        .click()
    settle(page)
    sid = scenario_id(page)
    go(page, "Costs & value")
    for part in ("low", "most_likely", "high"):  # start from an empty row
        _box(page, part).fill("")
        _box(page, part).press("Tab")
        settle(page)
    for part in order:
        _box(page, part).fill(TYPED[part])
        _box(page, part).press("Tab")
        settle(page)
    assert {part: _box(page, part).input_value() for part in TYPED} == TYPED
    main = page.locator('[data-testid="stMain"]').inner_text()
    assert "90% between 40,000 and 250,000, most likely 90,000: PERT" in main
    no_exception(page, "costs and value")
    saved = server.store().load(sid)[0].value.annual_benefit
    assert (saved.low, saved.most_likely, saved.high) == (40000, 90000, 250000)
