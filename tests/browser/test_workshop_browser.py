"""A workshop in a real browser, as in a meeting room: the facilitator's laptop and three
participants (one on a phone) in separate browser contexts (separate Streamlit sessions, as
separate devices would be) against one live server whose public URL differs from the address the
facilitator opened.

The participants only ever get the link the facilitator's page shows, here read back from its QR
code. Every check waits for the app to be idle (or for the live view to refresh) before
asserting. The chart's data is read from what the server sent the browser (Streamlit's
websocket messages), the rows the browser drew.
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
from playwright.sync_api import expect
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from mlpm_core.store import list_rooms, provenance
from mlpm_ui.workshop_phone import TOUCH_PX
from tests.browser.support import (
    VIEWPORT,
    go,
    no_exception,
    press,
    running_server,
    settle,
    widget,
)
from tests.browser.workshop_steps import LIVE_WAIT_MS, PHONE, open_tab

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PROJECTOR = {"width": 1280, "height": 720}
CHOSEN = ["Export and clean two years of till and booking spreadsheets",
          "Gradient-boosted forecast and backtest"]
# Per participant and round: (optimistic, most likely, pessimistic) for each chosen task.
ROUND_1 = {"Ada": [(2, 4, 8), (2, 3, 6)], "Bo": [(3, 5, 9), (2, 4, 7)],
           "Cy": [(20, 25, 35), (1, 2, 4)]}
ROUND_2 = {"Ada": [(3, 5, 9), (2, 3, 6)], "Bo": [(3, 5, 9), (2, 4, 7)],
           "Cy": [(4, 6, 10), (2, 3, 6)]}
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


class Charts:
    """Every Vega-Lite chart the server sent to one tab, decoded from its websocket frames."""

    def __init__(self, tab) -> None:
        self.sent: list[list[dict]] = []
        tab.on("websocket", lambda socket: socket.on("framereceived", self._frame))

    def _frame(self, payload) -> None:
        if isinstance(payload, str):
            return
        message = ForwardMsg.FromString(payload)
        if message.WhichOneof("type") != "delta" or \
                message.delta.WhichOneof("type") != "new_element":
            return
        element = message.delta.new_element
        if element.WhichOneof("type") == "vega_lite_chart":
            data = element.vega_lite_chart.data.data
            self.sent.append(convert_arrow_bytes_to_pandas_df(data).to_dict("records"))

    def latest(self, count: int) -> list[list[dict]]:
        """The last ``count`` charts sent (one per task, in the page's order)."""
        return self.sent[-count:]


def choose_tasks(tab, names: list[str]) -> None:
    """Replace the multiselect's default tasks with ``names`` (each picked from the list)."""
    box = widget(tab, "workshop.pick_tasks")
    box.get_by_role("button", name="Clear all").click()
    for name in names:
        box.locator("input").fill(name)
        tab.get_by_role("option", name=name, exact=True).click()
    tab.keyboard.press("Escape")
    settle(tab)
    chosen = box.inner_text()
    assert all(name in chosen for name in names), chosen


def day_boxes(tab, tasks: int):
    """The three-point boxes of the estimating form, once it shows ``tasks`` tasks' worth (a
    loaded machine may still be drawing the form after the Join run looks idle)."""
    boxes = tab.locator('[data-testid="stNumberInput"]', has_text="(days)").locator("input")
    expect(boxes).to_have_count(3 * tasks, timeout=LIVE_WAIT_MS)
    return boxes


def estimate(tab, ranges: list[tuple[float, float, float]]) -> None:
    """Type the three points of each task (each committed with Tab) and submit; only the
    chosen tasks are asked."""
    boxes = day_boxes(tab, len(ranges))
    for index, value in enumerate(v for points in ranges for v in points):
        boxes.nth(index).fill(f"{value:g}")
        boxes.nth(index).press("Tab")
    press(tab, "Submit my estimates")


def check_phone_inputs(tab) -> None:
    """At 390 px: every number box and the Submit button are big enough for a thumb, and
    typing Low leaves Most likely as it was (the boxes are entered left to right)."""
    boxes = day_boxes(tab, len(CHOSEN))
    assert all(boxes.nth(i).bounding_box()["height"] >= TOUCH_PX for i in range(boxes.count()))
    submit = tab.get_by_role("button", name="Submit my estimates").bounding_box()
    assert submit["height"] >= TOUCH_PX and submit["width"] > PHONE["width"] / 2
    boxes.nth(0).fill("2")
    boxes.nth(0).press("Tab")
    boxes.nth(1).fill("3")
    boxes.nth(1).press("Tab")
    boxes.nth(0).fill("1")
    boxes.nth(0).press("Tab")
    settle(tab)
    assert [boxes.nth(i).input_value() for i in range(3)] == ["1", "3", ""]


def intervals(chart: list[dict]) -> list[tuple]:
    return [(row["round"], row["who"], row["low"], row["likely"], row["high"], row["kind"])
            for row in chart]


def test_a_meeting_from_the_qr_code_to_a_deleted_room(public_server, browser):
    """Public link and QR code, three participants (one on a phone) estimate the two chosen
    tasks in two rounds, the chart shows every interval, adopt, then delete the room."""
    server = public_server
    contexts = [browser.new_context(viewport=VIEWPORT) for _ in range(3)]
    contexts.append(browser.new_context(viewport=PHONE))
    try:
        run_meeting(server, *contexts)
    finally:
        for context in contexts:
            context.close()


def run_meeting(server, laptop, ada, bo, phone) -> None:
    host = open_tab(laptop)
    charts = Charts(host)
    host.goto(server.url)
    settle(host)
    widget(host, "home.example.bike_shop_service_forecast.json").get_by_role("button").first \
        .click()
    settle(host)
    sid = re.search(r"[?&]scenario=([0-9a-f]+)", host.url).group(1)
    go(host, "Workshop")
    choose_tasks(host, CHOSEN)
    press(host, "Open a room")
    codes = host.locator('[data-testid="stCode"]')
    link, key = codes.nth(0).inner_text().strip(), codes.nth(1).inner_text().strip()
    public = server.url.replace("127.0.0.1", "localhost")
    assert link.startswith(f"{public}/join?room=") and len(key) == 43
    assert qr_text(host) == link
    press(host, "Present to the room")
    assert qr_text(host) == link
    code = host.locator('[data-testid="stMetric"]', has_text="Room code") \
        .locator('[data-testid="stMetricValue"]').inner_text().strip()
    assert host.locator('[data-testid="stCode"]').first.inner_text().strip() == \
        f"{public.split('://', 1)[1]}/join?room={code}"
    shot(host, "workshop-present.png", PROJECTOR)
    press(host, "Back")

    guests = {}
    for name, context in (("Ada", ada), ("Bo", bo), ("Cy", phone)):
        if name == "Bo":  # types the room code from the screen on the join page
            guest = guests[name] = open_tab(context, f"{public}/join")
            box = widget(guest, "workshop.paste_link").locator("input")
            box.fill(code.lower())
            box.press("Enter")
            settle(guest)
        else:
            guest = guests[name] = open_tab(context, qr_text(host))
        widget(guest, "workshop.display_name").locator("input").fill(name)
        press(guest, "Join")
        if name == "Cy":
            check_phone_inputs(guest)
        estimate(guest, ROUND_1[name])
        guest.get_by_text("Saved your round 1 input").wait_for()
    host.get_by_text("Round 1: 3 of 3 participants have submitted").wait_for(
        timeout=LIVE_WAIT_MS)
    settle(host)
    first = charts.latest(2)
    assert intervals(first[0]) == [
        ("Round 1", "Participant 1", 2, 4, 8, "Estimate"),
        ("Round 1", "Participant 2", 3, 5, 9, "Estimate"),
        ("Round 1", "Participant 3", 20, 25, 35, "Outlier"),
        ("Round 1", "Group", 3, 5, 9, "Group (median of each point)")]
    assert [row["who"] for row in first[1]] == [
        "Participant 1", "Participant 2", "Participant 3", "Group"]
    assert host.locator('[data-testid="stVegaLiteChart"]').count() == 2
    page_text = host.locator('[data-testid="stMain"]').inner_text()
    assert "One person sees it very differently" in page_text
    press(host, "Start round 2")

    for name, guest in guests.items():
        guest.get_by_text("Round 2: your estimates").wait_for(timeout=LIVE_WAIT_MS)
        settle(guest)
        estimate(guest, ROUND_2[name])
        guest.get_by_text("Saved your round 2 input").wait_for()
        no_exception(guest, name)
    shot(guests["Cy"], "workshop-phone.png")
    shot(guests["Cy"], "workshop-phone-results.png", top=guests["Cy"].locator("h1").first)
    host.get_by_text("Round 2: 3 of 3 participants have submitted").wait_for(
        timeout=LIVE_WAIT_MS)
    settle(host)
    second = charts.latest(2)
    assert [row["round"] for row in second[0]] == ["Round 1"] * 4 + ["Round 2"] * 4
    assert intervals(second[0])[4:] == [
        ("Round 2", "Participant 1", 3, 5, 9, "Estimate"),
        ("Round 2", "Participant 2", 3, 5, 9, "Estimate"),
        ("Round 2", "Participant 3", 4, 6, 10, "Estimate"),
        ("Round 2", "Group", 3, 5, 9, "Group (median of each point)")]
    shot(host, "workshop-chart.png", PROJECTOR,
         top=host.get_by_text(re.compile(r"^Round 2: 3 of 3 participants")))

    press(host, "Adopt into the scenario...")
    press(host, "Yes, adopt")
    host.get_by_text("Adopted round 2").first.wait_for()
    scenario, row = server.store().load(sid)
    adopted = {task.name: (task.optimistic, task.most_likely, task.pessimistic)
               for task in scenario.tasks}
    assert row.version == 2
    assert [adopted[name] for name in CHOSEN] == [(3, 5, 9), (2, 3, 6)]

    host.get_by_role("button", name="Close, archive or delete").click()
    press(host, "Delete the room...")
    press(host, "Yes, delete the room")
    host.get_by_text("Deleted the room").first.wait_for()
    no_exception(host, "facilitator")
    assert list_rooms(server.store(), sid) == []
    assert len(provenance(server.store(), sid)) == 2  # the adopted values keep their history
    guests["Ada"].reload()
    settle(guests["Ada"])
    assert "was deleted" in guests["Ada"].locator('[data-testid="stMain"]').inner_text()
