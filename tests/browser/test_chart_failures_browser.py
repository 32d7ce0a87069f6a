"""A scenario whose task names once took the whole server down, in a real browser.

A control character in a task name made vl-convert abort while drawing the PDF's charts, and
the app then redrew them in the server's own process: the server died and every session with
it. Now the file is either refused at import with a readable message or its PDF is drawn (with
or without charts), and the server goes on serving: another session downloads the fraud
example's PDF from the same server afterwards.
"""

from __future__ import annotations

import io
import json
import urllib.request

import pytest
from pypdf import PdfReader

from tests.browser.support import (
    STEP_TIMEOUT_MS,
    VIEWPORT,
    Server,
    download,
    go,
    no_exception,
    settle,
    widget,
)
from tests.conftest import EXAMPLES_DIR

pytestmark = [pytest.mark.browser, pytest.mark.slow]

HOSTILE = "Feature store \u0001 \x1b[31m \ufffe"  # each one made vl-convert abort


def hostile_scenario() -> bytes:
    """The fraud example with a control character in every task name."""
    scenario = json.loads((EXAMPLES_DIR / "fraud_card_payments.json").read_text("utf-8"))
    scenario["project"]["name"] = "Control characters"
    for number, task in enumerate(scenario["tasks"]):
        task["name"] = f"{HOSTILE} {number}"
    return json.dumps(scenario).encode("utf-8")


def pdf_text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def healthy(server: Server) -> bool:
    with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=10) as response:
        return response.status == 200


def open_session(browser, server: Server):
    """A new browser context, so a new Streamlit session, on Home."""
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    tab = context.new_page()
    tab.set_default_timeout(STEP_TIMEOUT_MS)
    tab.goto(server.url)
    settle(tab)
    return context, tab


def assert_readable(message: str) -> None:
    """A refusal a person can read: no traceback, no raw control character."""
    assert message.strip() and "Traceback" not in message
    assert not any(ord(char) < 32 and char not in "\n\t" for char in message), message
    assert "\ufffe" not in message


def hostile_pdf_or_refusal(tab) -> None:
    """Import the hostile file; then its PDF is drawn, or a readable message says why not."""
    tab.locator(".st-key-home-upload input[type=file]").set_input_files(files=[{
        "name": "control.json", "mimeType": "application/json", "buffer": hostile_scenario()}])
    settle(tab)
    refusal = tab.locator('[data-testid="stAlertContentError"]')
    if "scenario=" not in tab.url:  # refused at import
        refusal.first.wait_for()
        assert_readable(refusal.first.inner_text())
        return
    go(tab, "Report")
    no_exception(tab, "report of the hostile scenario")
    pdf = download(tab, "Report (PDF)")
    assert pdf.startswith(b"%PDF") and "Key ranges" in pdf_text(pdf)
    settle(tab)
    no_exception(tab, "report after the hostile download")
    for warning in tab.locator('[data-testid="stAlertContentWarning"]').all():
        assert_readable(warning.inner_text())


def test_a_control_character_in_a_task_name_leaves_the_server_serving(browser, server):
    """Session A imports the hostile file and downloads its PDF (or is refused readably);
    session B, open all along, then downloads the fraud example's PDF from the same server."""
    context_b, other = open_session(browser, server)
    context_a, tab = open_session(browser, server)
    try:
        hostile_pdf_or_refusal(tab)
        assert healthy(server)
        widget(other, "home.example.fraud_card_payments.json").get_by_role(
            "button").first.click()
        settle(other)
        go(other, "Report")
        pdf = download(other, "Report (PDF)")
        assert pdf.startswith(b"%PDF") and b"%%EOF" in pdf[-1024:]
        text = "".join(pdf_text(pdf).split())
        assert "Keyranges" in text and "Real-timecardfraudscoring" in text
        no_exception(other, "fraud report after the hostile export")
        assert healthy(server)
    finally:
        context_a.close()
        context_b.close()
