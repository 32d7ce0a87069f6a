"""Steps the workshop browser tests share (not a test module): tabs, typing a range, reading
the Team & tasks grid."""

from __future__ import annotations

from mlpm_ui.workshop_facilitator import LIVE_REFRESH_S
from mlpm_ui.workshop_participant import WATCH_S
from tests.browser.support import STEP_TIMEOUT_MS, go, press, scenario_id, settle, widget

PHONE = {"width": 390, "height": 844}
# The live views refresh themselves (the participant's less often): allow three refreshes.
LIVE_WAIT_MS = 3_000 * max(LIVE_REFRESH_S, WATCH_S)
FIRST_TASK = "Agree the question and success measure with the owner"


def open_tab(context, url: str | None = None):
    """A new tab in ``context`` (a device), on ``url`` when given and idle."""
    tab = context.new_page()
    tab.set_default_timeout(STEP_TIMEOUT_MS)
    if url:
        tab.goto(url)
        settle(tab)
    return tab


def fill_first_task(tab, points: tuple[str, str, str]) -> None:
    """Type three points into the first task's inputs (each committed with Tab) and submit."""
    boxes = tab.locator('[data-testid="stNumberInput"] input')
    for index, value in enumerate(points):
        boxes.nth(index).fill(value)
        boxes.nth(index).press("Tab")
    press(tab, "Submit my estimates")


def task_row(tab, name: str) -> list[str]:
    """The cells of one row of the Team & tasks grid (read from its accessible table)."""
    row = tab.locator('[class*="st-key-mlpm-tasks-table"] table[role="grid"] tr',
                      has_text=name).first
    row.locator("td").first.wait_for(state="attached")
    return [cell.strip() for cell in row.locator("td").all_text_contents()]


def open_example_room(host, example: str = "bike_shop_service_forecast.json") -> tuple[str, str]:
    """On Home, start from an example and open a room on it: (scenario id, join link)."""
    widget(host, f"home.example.{example}").get_by_role("button").first.click()
    settle(host)
    sid = scenario_id(host)
    go(host, "Workshop")
    press(host, "Open a room")
    return sid, host.locator('[data-testid="stCode"]').nth(0).inner_text().strip()
