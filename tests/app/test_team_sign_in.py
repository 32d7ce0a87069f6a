"""A team server (a sign-in provider configured): a signed-out session sees only the sign-in
page, whatever page or scenario its URL names. The signed-in flows run against a real provider
in tests/browser/test_team_browser.py (AppTest cannot sign in, and st.user is never stubbed)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from mlpm_core.access import ADMIN_EMAIL_ENV
from mlpm_core.scenario import load_scenario
from tests.app.support import ALL_PAGES, APP, TIMEOUT, page_file, store, texts
from tests.conftest import EXAMPLES

pytestmark = pytest.mark.usefixtures("fresh_app")

AUTH = {"redirect_uri": "http://127.0.0.1:9/oauth2callback", "cookie_secret": "x" * 32,
        "client_id": "mlpm", "client_secret": "secret",
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}


def _app(admin: str | None = "boss@example.com", **params: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.secrets["auth"] = AUTH
    if admin:
        at.secrets["mlpm"] = {"admin_email": admin}
    for name, value in params.items():
        at.query_params[name] = value
    return at.run()


@pytest.fixture(autouse=True)
def _no_admin_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ADMIN_EMAIL_ENV, raising=False)


def test_a_signed_out_session_sees_the_sign_in_page_and_no_scenario_data() -> None:
    """Home, every page and a scenario link all stay behind the sign-in page."""
    scenario = load_scenario(EXAMPLES[0])
    sid = store().create(scenario, note="before team mode").id
    at = _app(scenario=sid)
    assert not at.exception
    shown = " ".join(texts(at))
    assert "open to its team" in shown and scenario.project.name not in shown
    assert [button.label for button in at.button] == ["Sign in"]
    assert not at.sidebar.markdown
    for page in (*ALL_PAGES, "workshop", "portfolio", "calibration", "join", "locked"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page_file(page))  # not registered for this session at all


def test_team_mode_without_an_administrator_says_how_to_configure_one() -> None:
    """No admin_email: a readable setup error, still only the sign-in page."""
    at = _app(admin=None)
    assert not at.exception
    assert any("admin_email" in str(error.value) for error in at.error)
    assert "open to its team" in " ".join(texts(at))
