"""A meeting-room server: the workbench opens only to a session that brought the key."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from mlpm_core.access import KEY_HASH_ENV, key_hash
from mlpm_core.scenario import load_scenario
from tests.app.support import ALL_PAGES, APP, TIMEOUT, page_file, store
from tests.conftest import EXAMPLES

pytestmark = pytest.mark.usefixtures("fresh_app")

KEY = "a-meeting-room-key-for-tests"


@pytest.fixture(autouse=True)
def _locked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_HASH_ENV, key_hash(KEY))


def _app(**params: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    for name, value in params.items():
        at.query_params[name] = value
    return at.run()


def _text(at: AppTest) -> str:
    return " ".join(str(e.value) for kind in ("title", "markdown", "info", "caption", "error",
                                              "header", "subheader")
                    for e in getattr(at, kind))


def test_without_the_key_no_page_and_no_scenario_is_shown() -> None:
    scenario = load_scenario(EXAMPLES[0])
    sid = store().create(scenario, note="facilitator's").id
    for key in (None, "wrong-key-wrong-key-wrong"):
        at = _app(scenario=sid, **({"key": key} if key else {}))
        assert not at.exception
        assert "open to its facilitator only" in _text(at)
        assert scenario.project.name not in _text(at) and not at.sidebar.markdown
        assert "key" not in at.query_params
        for page in (*ALL_PAGES, "workshop", "portfolio", "calibration"):
            with pytest.raises(ValueError, match="Could not find a navigation page"):
                at.switch_page(page_file(page))  # not registered for this session at all


def test_the_key_unlocks_the_session_and_leaves_the_address() -> None:
    at = _app(key=KEY)
    assert not at.exception and "open to its facilitator only" not in _text(at)
    assert any("Start from this example" in b.label for b in at.button)
    assert "key" not in at.query_params
    at.switch_page(page_file("portfolio")).run()  # still unlocked on the next page
    assert not at.exception and "open to its facilitator only" not in _text(at)
