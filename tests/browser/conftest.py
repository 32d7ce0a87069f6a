"""Shared fixtures of the real-browser tests: one app server and one chromium per session.

A test module may still define its own ``server`` / ``browser`` fixtures (they take precedence
there); these serve every module that does not.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    STEP_TIMEOUT_MS,
    VIEWPORT,
    Server,
    running_server,
    settle,
)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A headless app server on 127.0.0.1 and a free port with its own data folder."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: run `make system-deps`")
    try:
        with running_server(tmp_path_factory.mktemp("mlpm-browser-data")) as running:
            yield running
    except RuntimeError as error:
        pytest.fail(str(error))


@pytest.fixture(scope="session")
def browser(server: Server):
    """One headless chromium for the session; each test opens its own contexts."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser, server: Server):
    """A fresh browser context (a new Streamlit session) on the app's first page."""
    context = browser.new_context(viewport=VIEWPORT)
    tab = context.new_page()
    tab.set_default_timeout(STEP_TIMEOUT_MS)
    tab.goto(server.url)
    settle(tab)
    yield tab
    context.close()
