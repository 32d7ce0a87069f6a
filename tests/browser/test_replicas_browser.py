"""Two app replicas on one PostgreSQL, as a team deployment runs them behind a load balancer.

Both servers start on a fresh database and their first visitors arrive together (the schema is
set up once, under a lock); then a workshop runs across them: the facilitator on replica A, the
participant on replica B, and the adopted tasks are seen when the scenario is reopened on B.
Needs ``$MLPM_TEST_POSTGRES_URL`` (CI sets it from ``scripts/start-postgres.sh``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from tests.browser.support import (
    STEP_TIMEOUT_MS,
    VIEWPORT,
    Server,
    go,
    no_exception,
    press,
    running_server,
    settle,
    widget,
)
from tests.browser.workshop_steps import (
    FIRST_TASK,
    LIVE_WAIT_MS,
    PHONE,
    fill_first_task,
    open_example_room,
    open_tab,
    task_row,
)
from tests.store.conftest import database

pytestmark = pytest.mark.browser


@pytest.fixture()
def replicas(tmp_path: Path) -> Iterator[tuple[Server, Server]]:
    """Two servers with data folders of their own on one fresh PostgreSQL schema."""
    with database("postgresql", tmp_path) as url, ExitStack() as stack:
        first = stack.enter_context(running_server(tmp_path / "a", url))
        second = stack.enter_context(running_server(tmp_path / "b", url))
        yield first, second


def test_a_workshop_runs_across_two_replicas_of_one_database(browser, replicas) -> None:
    one, other = replicas
    laptop, phone = browser.new_context(viewport=VIEWPORT), browser.new_context(viewport=PHONE)
    try:
        host, guest = laptop.new_page(), phone.new_page()
        for tab, server in ((host, one), (guest, other)):  # both first visits at once
            tab.set_default_timeout(STEP_TIMEOUT_MS)
            tab.goto(server.url, wait_until="commit")
        for tab in (host, guest):
            settle(tab)
            no_exception(tab, "first visit")

        sid, link = open_example_room(host)
        assert link.startswith(f"{one.url}/join?room=")

        guest.goto(link.replace(one.url, other.url))
        settle(guest)
        widget(guest, "workshop.display_name").locator("input").fill("Grace Hopper")
        press(guest, "Join")
        fill_first_task(guest, ("2", "3", "7"))
        guest.get_by_text("Saved your round 1 input").wait_for()
        host.get_by_text("Round 1: 1 of 1 participants have submitted").wait_for(
            timeout=LIVE_WAIT_MS)
        press(host, "Start round 2")
        guest.get_by_text("Round 2: your estimates").wait_for(timeout=LIVE_WAIT_MS)
        settle(guest)
        fill_first_task(guest, ("3", "5", "8"))
        guest.get_by_text("Saved your round 2 input").wait_for()
        host.get_by_text("Round 2: 1 of 1 participants have submitted").wait_for(
            timeout=LIVE_WAIT_MS)
        press(host, "Adopt into the scenario...")
        press(host, "Yes, adopt")
        host.get_by_text("Adopted round 2").first.wait_for()
        no_exception(host, "facilitator")

        reopened = open_tab(laptop, f"{other.url}/?scenario={sid}")
        go(reopened, "Team & tasks")
        cells = task_row(reopened, FIRST_TASK)  # the grid draws only the columns in view
        assert ["3", "5", "8"] in [cells[i:i + 3] for i in range(len(cells))], cells
        no_exception(reopened, "replica B")
        _, row = other.store().load(sid)
        assert row.version == 2
    finally:
        laptop.close()
        phone.close()
