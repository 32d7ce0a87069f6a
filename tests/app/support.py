"""Helpers for the AppTest tests of the Streamlit app (not a test module)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from streamlit.testing.v1 import AppTest

from mlpm_core.store.database import Store, open_store
from tests.conftest import EXAMPLES, ROOT

APP = ROOT / "app.py"
TIMEOUT = 60  # seconds: simulations on a 2-core machine outlast AppTest's 3 s default
EXAMPLE_NAMES = tuple(path.name for path in EXAMPLES)  # as the Home page buttons know them
QUESTION_PAGES = ("project", "data", "difficulty", "quality", "technical", "team_tasks",
                  "costs_value", "rules")
ALL_PAGES = ("home", *QUESTION_PAGES, "report")


def store() -> Store:
    """The store the app under test uses (the test's own data folder)."""
    return open_store()


def new_app() -> AppTest:
    """The app, run once (on Home)."""
    return AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()


def page_file(page: str) -> str:
    """The page's file, relative to app.py, as ``switch_page`` wants it."""
    return f"pages/{page}_page.py"


def goto(at: AppTest, page: str) -> AppTest:
    """Switch to a page and run it."""
    return at.switch_page(page_file(page)).run()


def start_example(at: AppTest, example: str = "bike_shop_service_forecast.json") -> str:
    """Start a scenario from a shipped example on Home; returns its id."""
    goto(at, "home")
    at.button(key=f"home.example.{example}").click().run()
    assert not at.exception
    return scenario_id(at)


def scenario_id(at: AppTest) -> str:
    """The id of the scenario open in the app, read from the URL as a browser would."""
    value = at.query_params["scenario"]
    return value[0] if isinstance(value, list) else value


def texts(at: AppTest) -> Iterator[str]:
    """The Markdown source of every element that interprets Markdown, sidebar included."""
    for kind in ("markdown", "caption", "title", "header", "subheader", "error", "warning",
                 "info", "success"):
        for element in getattr(at, kind):
            yield str(element.value)
    for expander in at.expander:
        yield str(expander.label)


def plain(text: str) -> str:
    """Markdown-escaped text as the reader sees it."""
    return re.sub(r"\\(.)", r"\1", text)
