"""A sponsor link opens one scenario version's Report and nothing else, in any mode."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from mlpm_core.access import LOCAL
from mlpm_core.scenario import load_scenario, with_name
from mlpm_core.store import GuardedStore
from tests.app.support import ALL_PAGES, APP, TIMEOUT, page_file, store, texts
from tests.conftest import EXAMPLES

pytestmark = pytest.mark.usefixtures("fresh_app")


def _app(token: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params["sponsor"] = token
    return at.run()


def test_a_sponsor_link_shows_its_version_report_and_no_other_page() -> None:
    """The Report of the linked version, no navigation, no later edits, no other page."""
    owner = GuardedStore(store(), LOCAL)
    row = owner.create(with_name(load_scenario(EXAMPLES[0]), "Linked version"))
    link, token = owner.create_sponsor_link(row.id, 1)
    owner.rename(row.id, "Renamed later")
    at = _app(token)
    assert not at.exception
    shown = " ".join(texts(at))
    assert "Report: Linked version" in shown and "Renamed later" not in shown
    assert "report of version 1" in shown and not at.button
    assert not at.sidebar.markdown
    for page in (*ALL_PAGES, "workshop", "portfolio", "calibration", "join"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page_file(page))

    owner.revoke_sponsor_link(row.id, link.id)
    at.run()
    assert "not valid" in " ".join(str(error.value) for error in at.error)
    assert "Linked version" not in " ".join(texts(at))


def test_a_made_up_sponsor_token_opens_nothing() -> None:
    """A guessed token gets the one refusal and no page of the workbench."""
    at = _app("not-a-real-sponsor-token-at-all")
    assert not at.exception
    assert "not valid" in " ".join(str(error.value) for error in at.error)
    assert not at.sidebar.markdown and not at.button
