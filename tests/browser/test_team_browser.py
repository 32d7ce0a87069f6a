"""A team server in a real browser, signing in through a real OpenID Connect provider.

Two people sign in; Alice's scenario stays invisible to Bob until she shares it read-only, then
Bob reads it and each edit he tries is refused with a message; a signed-out browser sees nothing
of any page, and signing out works (on Streamlit 1.67 through the provider's end-session page,
on older releases straight back to the app: both are accepted).
"""

from __future__ import annotations

import re

import pytest

from mlpm_core.scenario import load_scenario, with_name
from tests.browser.oidc_provider import running_provider, sign_in, write_secrets
from tests.browser.support import (
    STEP_TIMEOUT_MS,
    VIEWPORT,
    free_port,
    go,
    press,
    running_server,
    scenario_id,
    settle,
    widget,
)
from tests.conftest import EXAMPLES

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ALICE, BOB, ADMIN = "alice@example.com", "bob@example.com", "boss@example.com"
PROJECT = "Confidential bike plan"  # Alice's scenario, renamed from the shipped example
EXAMPLE = "bike_shop_service_forecast.json"
SIGNED_OUT = "open to its team"
PAGES = ("", "home", "project", "data", "difficulty", "quality", "technical",
         "team-and-tasks", "costs-and-value", "rules", "report", "calibration", "workshop",
         "portfolio", "join", "locked")


@pytest.fixture(scope="module")
def team_server(tmp_path_factory: pytest.TempPathFactory):
    """The app on 127.0.0.1 with [auth] pointing at a provider on another port."""
    folder = tmp_path_factory.mktemp("mlpm-team")
    port = free_port()
    with running_provider() as provider:
        secrets = write_secrets(folder, provider, port, ADMIN)
        with running_server(folder / "data", port=port,
                            extra_env={"AUTHLIB_INSECURE_TRANSPORT": "1"},
                            options=("--secrets.files", str(secrets))) as server:
            yield server


def _person(browser, url: str, email: str):
    context = browser.new_context(viewport=VIEWPORT)
    tab = context.new_page()
    tab.set_default_timeout(STEP_TIMEOUT_MS)
    sign_in(tab, url, email)
    return context, tab


def _main(tab) -> str:
    return tab.locator('[data-testid="stMain"]').inner_text()


def _errors(tab) -> str:
    return " ".join(tab.locator('[data-testid="stAlertContentError"]').all_inner_texts())


def _rename(tab, sid: str, name: str) -> None:
    """Rename a saved scenario on Home through its Rename popover."""
    tab.get_by_role("button", name="Rename").first.click()
    widget(tab, f"home.rename_to.{sid}").locator("input").fill(name)
    widget(tab, f"home.rename.{sid}").get_by_role("button").click()
    settle(tab)


def _open(tab, url: str) -> None:
    tab.goto(url)
    settle(tab)


def test_private_then_read_only_shared_scenario_and_sign_out(browser, team_server):
    """B cannot see A's scenario until shared; then reads it, and every edit is refused."""
    url = team_server.url
    alice_context, alice = _person(browser, url, ALICE)
    bob_context, bob = _person(browser, url, BOB)
    try:
        assert f"Signed in as {ALICE}" in alice.locator('[data-testid="stSidebar"]').inner_text()
        widget(alice, f"home.example.{EXAMPLE}").get_by_role("button").first.click()
        settle(alice)
        sid = scenario_id(alice)
        _rename(alice, sid, PROJECT)
        assert f"Renamed to '{PROJECT}'" in _main(alice)

        _open(bob, f"{url}/")
        assert PROJECT not in _main(bob) and "Nothing saved yet" in _main(bob)
        _open(bob, f"{url}/report?scenario={sid}")
        assert PROJECT not in _main(bob) and "do not have access" in _errors(bob)
        for path in PAGES:  # signed in, but not shared with: no page shows Alice's scenario
            _open(bob, f"{url}/{path}?scenario={sid}")
            assert PROJECT not in bob.locator('[data-testid="stApp"]').inner_text(), path

        alice.get_by_label("Share with (e-mail address)").fill(BOB)
        press(alice, "Share")
        assert "Shared with bob@example.com, read-only" in _main(alice)

        _open(bob, f"{url}/?scenario={sid}")
        assert PROJECT in _main(bob) and "shared with you read-only" in _main(bob)
        _rename(bob, sid, "Taken over")
        assert "read-only" in _errors(bob) and ALICE in _errors(bob)
        bob.get_by_role("button", name="Delete").first.click()
        press(bob, "Yes, delete")
        assert "Only the owner" in _errors(bob)
        go(bob, "Project")
        box = bob.locator('[data-testid="stTextInput"] input').first
        box.fill("Bob was here")
        box.press("Tab")
        settle(bob)
        assert "not saved" in _main(bob) and "read-only" in _main(bob)
        store = team_server.store()
        try:
            saved, row = store.load(sid)  # nothing Bob tried was written: Alice's rename last
            assert (row.version, saved.project.name) == (2, PROJECT)
        finally:
            store.close()

        _sponsor_link_opens_the_report_only(browser, alice, url)
        press(alice, "Remove")  # Alice stops sharing: Bob's open copy goes at his next step
        go(bob, "Report")
        assert "open scenario was closed" in _errors(bob) and PROJECT not in _main(bob)

        bob.get_by_role("button", name="Sign out").click()
        way_out = bob.get_by_role("button", name=re.compile(r"^(End session|Sign in)$"))
        way_out.first.wait_for()  # the provider's end-session page, or the app signed out
        if bob.get_by_role("button", name="End session").count():
            bob.get_by_role("button", name="End session").click()
            bob.get_by_role("button", name="Sign in").wait_for()
        _open(bob, url)
        assert SIGNED_OUT in _main(bob) and PROJECT not in _main(bob)
    finally:
        alice_context.close()
        bob_context.close()


def _sponsor_link_opens_the_report_only(browser, alice, url: str) -> None:
    """Alice's sponsor link shows the Report, no navigation and no other page; once withdrawn
    it opens nothing."""
    press(alice, "Make a sponsor link to version 2")
    link = alice.locator('[data-testid="stCode"]').first.inner_text().strip()
    assert link.startswith(f"{url}/?sponsor=")
    context = browser.new_context(viewport=VIEWPORT)
    try:
        sponsor = context.new_page()
        sponsor.set_default_timeout(STEP_TIMEOUT_MS)
        _open(sponsor, link)
        assert f"Report: {PROJECT}" in _main(sponsor)
        assert sponsor.locator('[data-testid="stSidebarNavLink"]').count() == 0
        token = link.split("sponsor=", 1)[1]
        for path in ("project", "portfolio", "calibration"):
            _open(sponsor, f"{url}/{path}?sponsor={token}")
            assert f"Report: {PROJECT}" in _main(sponsor) and "Portfolio" not in _main(sponsor)
        press(alice, "Withdraw")
        _open(sponsor, link)
        assert "not valid" in _errors(sponsor) and PROJECT not in _main(sponsor)
    finally:
        context.close()


def test_a_signed_out_browser_sees_no_page_and_no_scenario(browser, team_server):
    """Every page's address, with and without a scenario id, shows only the sign-in page."""
    store = team_server.store()
    try:
        scenario = with_name(load_scenario(EXAMPLES[0]), PROJECT)
        sid = store.create(scenario).id
    finally:
        store.close()
    context = browser.new_context(viewport=VIEWPORT)
    try:
        tab = context.new_page()
        tab.set_default_timeout(STEP_TIMEOUT_MS)
        for path in PAGES:
            for query in ("", f"?scenario={sid}"):
                _open(tab, f"{team_server.url}/{path}{query}")
                shown = tab.locator('[data-testid="stApp"]').inner_text()
                assert SIGNED_OUT in shown and PROJECT not in shown, (path, query)
    finally:
        context.close()
