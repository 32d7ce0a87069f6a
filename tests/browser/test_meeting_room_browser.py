"""A meeting-room server in a real browser: participants reach their room and nothing else.

The facilitator opens the workbench URL with the key (as ``mlpm run`` prints it) and opens a
room; a participant holding only the join link joins, then types the address of every other
page, with and without the scenario's id, and sees none of their content.
"""

from __future__ import annotations

import pytest

from mlpm_core.access import KEY_HASH_ENV, key_hash
from tests.browser.support import (
    STEP_TIMEOUT_MS,
    VIEWPORT,
    go,
    no_exception,
    running_server,
    settle,
)
from tests.browser.workshop_steps import open_example_room

pytestmark = pytest.mark.browser

KEY = "meeting-room-key-for-the-browser-test"
LOCKED = "open to its facilitator only"
PROJECT = "Bike Shop"
PAGES = ("", "home", "project", "data", "difficulty", "quality", "technical",
         "team-and-tasks", "costs-and-value", "rules", "report", "calibration", "workshop",
         "portfolio")


def _tab(context, url: str):
    tab = context.new_page()
    tab.set_default_timeout(STEP_TIMEOUT_MS)
    tab.goto(url)
    settle(tab)
    return tab


def test_a_participant_with_a_join_link_reaches_the_room_and_nothing_else(browser, tmp_path):
    with running_server(tmp_path, extra_env={KEY_HASH_ENV: key_hash(KEY)}) as server:
        facilitator = browser.new_context(viewport=VIEWPORT)
        participant = browser.new_context(viewport=VIEWPORT)
        try:
            host = _tab(facilitator, f"{server.url}/?key={KEY}")
            assert "key=" not in host.url
            sid, link = open_example_room(host)

            guest = _tab(participant, link)
            assert "Join" in guest.locator('[data-testid="stMain"]').inner_text()
            for path in PAGES:
                for query in ("", f"?scenario={sid}"):
                    guest.goto(f"{server.url}/{path}{query}")
                    settle(guest)
                    shown = guest.locator('[data-testid="stApp"]').inner_text()
                    assert LOCKED in shown and PROJECT not in shown, (path, query)
            guest.goto(f"{server.url}/join?room=not-the-room-token")
            settle(guest)
            assert "not valid" in guest.locator('[data-testid="stMain"]').inner_text()

            stranger = _tab(participant, f"{server.url}/?key=wrong-{KEY}")
            assert LOCKED in stranger.locator('[data-testid="stMain"]').inner_text()
            go(host, "Report")  # the facilitator's session stays unlocked
            no_exception(host, "report")
        finally:
            facilitator.close()
            participant.close()
