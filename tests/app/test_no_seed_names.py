"""No page shows a seed file name: every element, table cell and widget of every page, with an
example scenario open, is searched."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.support import APP, goto, new_app, start_example
from tests.conftest import SEED_NAME

pytestmark = [pytest.mark.usefixtures("fresh_app"), pytest.mark.slow]
# The locked page is only in a meeting-room server's navigation for sessions without the key
# (tests/app/test_access.py), the sign-in page only in a team server's for signed-out sessions
# (tests/app/test_team_sign_in.py), the sponsor page only behind a sponsor link
# (tests/app/test_sponsor_link.py); they cite nothing.
PAGES = sorted(path.stem.removesuffix("_page") for path in (APP.parent / "pages").glob("*.py")
               if path.stem not in ("locked_page", "sign_in_page", "sponsor_page"))
SEED_BYTES = re.compile(SEED_NAME.pattern.encode())


def nodes(node: object) -> Iterator[object]:
    yield node
    for child in getattr(node, "children", {}).values():
        yield from nodes(child)


def page_bytes(at: AppTest, kind: str = "") -> bytes:
    """Everything the page sent to the browser (or only its elements of one ``kind``): each
    element's message, table data included (Arrow buffers hold their strings as UTF-8), labels,
    help texts and options."""
    return b"\n".join(node.proto.SerializeToString() for node in nodes(at._tree)
                      if getattr(node, "proto", None) is not None
                      and type(node).__name__.startswith(kind))


def test_every_page_is_searched_and_no_page_shows_a_seed_file_name():
    """All pages, sidebar included; the search sees tables and citations (the rules table's
    quotes and the Rules page's citation of Thompson's title)."""
    at = new_app()
    start_example(at, "genai_support_assistant.json")
    shown = {}
    for page in PAGES:
        goto(at, page)
        assert not at.exception, page
        shown[page] = page_bytes(at)
        assert not SEED_BYTES.search(shown[page]), page
        if page == "rules":
            tables = page_bytes(at, "Dataframe")
    assert len(PAGES) >= 14 and {"rules", "report", "data"} <= set(shown)
    assert b"Managing Machine Learning Projects" in shown["rules"]
    assert b"Thompson, Managing Machine Learning Projects" in tables  # a rule's Source cell
    # the Report page ends its findings with the references, linked
    assert (b"Simon Thompson. *Managing Machine Learning Projects*. Q\\&A\\, DataTalks\\.Club\\, "
            b"2022. <https://datatalks.club/") in shown["report"]
