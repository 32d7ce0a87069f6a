"""The Report page shows the chance of reaching the acceptability threshold."""

from __future__ import annotations

from tests.app.support import goto, new_app, plain, start_example, texts
from tests.conftest import EXAMPLES_DIR

BIKE_SHOP = EXAMPLES_DIR / "bike_shop_service_forecast.json"  # derives the chance from answers
FRAUD = EXAMPLES_DIR / "fraud_card_payments.json"  # sets its own chance (0.8)
HEAD = "Chance of reaching the acceptability threshold"


def test_report_page_shows_the_chance_reasons_and_a_link_to_quality(fresh_app):
    """The Report page states the chance with its source and reasons and links to Quality."""
    at = new_app()
    start_example(at, BIKE_SHOP.name)
    goto(at, "report")
    assert not at.exception
    shown = [plain(text) for text in texts(at)]
    assert f"**{HEAD}: 70%** (from your answers)" in shown
    assert any("- Base 85% because a public solution exists" in text for text in shown)
    links = [(link.proto.label, link.proto.page) for link in at.get("page_link")]
    assert ("Set your own chance on the Quality page", "quality") in links
    sidebar = [plain(str(element.value)) for element in at.sidebar.markdown]
    assert f"{HEAD} **70%** (from your answers)" in sidebar
