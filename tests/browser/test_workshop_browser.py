"""A workshop in a real browser: a facilitator and a participant in two separate browser contexts
(two Streamlit sessions, as two devices would be) against one live server.

The participant only ever gets the link the facilitator's page shows; every check waits for the
app to be idle (or for the live view to refresh) before asserting.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
import zxingcpp
from PIL import Image

from mlpm_ui.workshop_facilitator import LIVE_REFRESH_S
from mlpm_ui.workshop_participant import WATCH_S
from tests.browser.support import (
    STEP_TIMEOUT_MS,
    VIEWPORT,
    go,
    no_exception,
    press,
    running_server,
    settle,
    widget,
)

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
PROJECTOR = {"width": 1280, "height": 720}
# The live views refresh themselves (the participant's less often): allow three refreshes.
LIVE_WAIT_MS = 3_000 * max(LIVE_REFRESH_S, WATCH_S)
FIRST_TASK = "Agree the question and success measure with the owner"


# Set to a folder to save the README's screenshots there (present view, chart, phone page).
SHOTS = os.environ.get("MLPM_SCREENSHOTS_DIR")


@pytest.fixture(scope="module")
def public_server(tmp_path_factory):
    """A server whose MLPM_PUBLIC_URL is http://localhost:<port>: links must start there,
    not at the 127.0.0.1 address the facilitator opens."""
    with running_server(tmp_path_factory.mktemp("mlpm-public"), public_host="localhost") as up:
        yield up


def shot(tab, name: str, size: dict[str, int] | None = None, top=None) -> None:
    """Save a screenshot for the README (at ``size``, e.g. a projector's 1280x720), scrolled
    so that the element ``top`` is at the top of the window."""
    if not SHOTS:
        return
    before = tab.viewport_size
    if size:
        tab.set_viewport_size(size)
        tab.wait_for_timeout(500)
    if top is not None:
        top.evaluate("element => element.scrollIntoView({block: 'start'})")
        tab.wait_for_timeout(300)
    tab.screenshot(path=str(Path(SHOTS) / name))
    tab.set_viewport_size(before)


def qr_text(tab) -> str:
    """The text of the QR code shown on the page, decoded from its PNG."""
    source = tab.locator('[data-testid="stImage"] img').first.get_attribute("src")
    png = tab.request.get(urljoin(tab.url, source)).body()
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert len(found) == 1, f"{len(found)} codes in the image"
    return found[0].text


@pytest.fixture()
def contexts(browser):
    """Two fresh browser contexts: the facilitator's laptop and a participant's phone."""
    laptop, phone = browser.new_context(viewport=VIEWPORT), browser.new_context(viewport=PHONE)
    yield laptop, phone
    laptop.close()
    phone.close()


def open_tab(context, url: str):
    tab = context.new_page()
    tab.set_default_timeout(STEP_TIMEOUT_MS)
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


def open_numbers(tab, index: int = 0) -> str:
    """Open the index-th "The numbers" expander (under a task's chart); its tables' text."""
    box = tab.locator('[data-testid="stExpander"]', has_text="The numbers").nth(index)
    box.get_by_text("The numbers").click()
    box.locator('[data-testid="stTable"]').first.wait_for()
    return "\n".join(box.locator('[data-testid="stTable"]').all_inner_texts())


def task_row(tab, name: str) -> list[str]:
    """The cells of one row of the Team & tasks grid (read from its accessible table)."""
    row = tab.locator('[class*="st-key-mlpm-tasks-table"] table[role="grid"] tr',
                      has_text=name).first
    row.locator("td").first.wait_for(state="attached")
    return [cell.strip() for cell in row.locator("td").all_text_contents()]


def scenario_id(tab) -> str:
    match = re.search(r"[?&]scenario=([0-9a-f]+)", tab.url)
    assert match, f"no scenario id in the URL {tab.url}"
    return match.group(1)


def test_two_rounds_from_link_to_adopted_tasks(public_server, contexts):
    """Open a room, join by link, two rounds (round 1 shown anonymised), adopt into the tasks."""
    server, (laptop, phone) = public_server, contexts
    host = open_tab(laptop, server.url)
    widget(host, "home.example.bike_shop_service_forecast.json").get_by_role("button").first \
        .click()
    settle(host)
    sid = scenario_id(host)
    go(host, "Workshop")
    press(host, "Open a room")
    codes = host.locator('[data-testid="stCode"]')
    link, key = codes.nth(0).inner_text().strip(), codes.nth(1).inner_text().strip()
    public = server.url.replace("127.0.0.1", "localhost")
    assert link.startswith(f"{public}/join?room=") and len(key) == 43
    assert qr_text(host) == link
    press(host, "Present to the room")
    assert qr_text(host) == link
    assert "People joined" in host.locator('[data-testid="stMain"]').inner_text()
    shot(host, "workshop-present.png", PROJECTOR)
    press(host, "Back")

    guest = open_tab(phone, link)
    widget(guest, "workshop.display_name").locator("input").fill("Ada Lovelace")
    press(guest, "Join")
    fill_first_task(guest, ("2", "3", "7"))
    guest.get_by_text("Saved your round 1 input").wait_for()
    guest.reload()  # a new session: the address's seat keeps the participant
    settle(guest)
    assert "you are Ada Lovelace" in guest.locator('[data-testid="stMain"]').inner_text()
    assert guest.locator('[data-testid="stNumberInput"] input').first.input_value() == "2"

    host.get_by_text("1 of 1 participants have submitted").wait_for(timeout=LIVE_WAIT_MS)
    settle(host)
    numbers = open_numbers(host)
    assert "2 / 3 / 7" in numbers and "Ada" not in numbers
    press(host, "Start round 2")

    guest.get_by_text("Round 2: your estimates").wait_for(timeout=LIVE_WAIT_MS)
    settle(guest)
    results = open_numbers(guest)
    assert "2 / 3 / 7" in results and "Ada" not in results
    assert "Participant 1 (you)" in results
    assert guest.locator('[data-testid="stNumberInput"] input').first.input_value() == "2"
    fill_first_task(guest, ("3", "4", "9"))
    guest.get_by_text("Saved your round 2 input").wait_for()
    no_exception(guest, "participant")

    host.get_by_text("Round 2: 1 of 1 participants have submitted").first.wait_for(
        timeout=LIVE_WAIT_MS)
    host.locator('[data-testid="stVegaLiteChart"]').first.wait_for()
    shot(host, "workshop-chart.png", PROJECTOR,
         top=host.get_by_text(re.compile(r"^Round 2: \d+ of \d+ participants")))
    press(host, "Adopt into the scenario...")
    host.get_by_text("Adopt round 2?").wait_for()
    press(host, "Yes, adopt")
    host.get_by_text("Adopted round 2").first.wait_for()
    no_exception(host, "facilitator")

    scenario, row = server.store().load(sid)
    task = scenario.tasks[0]
    assert (task.name, task.optimistic, task.most_likely, task.pessimistic) == (
        FIRST_TASK, 3.0, 4.0, 9.0)
    assert row.version == 2
    go(host, "Team & tasks")
    assert task_row(host, FIRST_TASK)[-4:-1] == ["3", "4", "9"]  # the three points; then covers
