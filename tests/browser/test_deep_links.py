"""Deep links on a freshly started server: the first session may open any page by its URL.

A participant's first contact with mlpm is often a workshop link, and a restarted server's first
visitor often comes from a bookmark; neither must see Streamlit's "Page not found" dialog while
the right page loads underneath (see ``mlpm_ui.serve``). Each case gets a server of its own, so
that the link really is the first session it serves.
"""

from __future__ import annotations

import pytest

from tests.browser.support import STEP_TIMEOUT_MS, no_exception, running_server, settle

pytestmark = pytest.mark.browser

FIRST_LINKS = {
    "join?room=not-a-real-room-token": "This workshop link is not valid",
    "portfolio": "Portfolio",
    "home": "is this ML project worth doing?",
}
LANDS_AT = {"home": ""}


@pytest.mark.parametrize("link", FIRST_LINKS)
def test_first_session_opens_a_deep_link_without_a_not_found_dialog(
        browser, tmp_path, link: str) -> None:
    """The very first session of a new server lands on the linked page, with no dialog."""
    with running_server(tmp_path) as fresh:
        context = browser.new_context()
        try:
            tab = context.new_page()
            tab.set_default_timeout(STEP_TIMEOUT_MS)
            tab.goto(f"{fresh.url}/{link}")
            settle(tab)
            tab.wait_for_timeout(500)  # a dialog would have arrived with the first run
            dialogs = tab.get_by_role("dialog")
            assert dialogs.count() == 0, dialogs.all_inner_texts()
            assert FIRST_LINKS[link] in tab.locator('[data-testid="stMain"]').inner_text()
            # /home is the home page, served at the root (the default page's address)
            assert tab.url == f"{fresh.url}/{LANDS_AT.get(link, link)}"
            no_exception(tab, link)
        finally:
            context.close()
