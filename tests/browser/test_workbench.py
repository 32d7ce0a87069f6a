"""The workbench in a real browser: Debian's chromium driven by Playwright against a live server.

One headless server (its own data folder) serves the whole module; each test gets a fresh
browser context, so a fresh Streamlit session. Every step waits for the app to be connected and
idle before asserting, and saves a screenshot to ``screenshots/`` (git-ignored); the example
walk-through also refreshes the README's ``docs/screenshots/``.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.browser.support import (
    ROOT,
    Server,
    download,
    edit_cell,
    go,
    grid_cell_point,
    no_exception,
    press,
    scenario_id,
    settle,
    type_into,
    widget,
)

pytestmark = pytest.mark.browser

SCREENSHOTS = ROOT / "screenshots"
DOCS_SCREENSHOTS = ROOT / "docs" / "screenshots"
PAGES = ("Project", "Data", "Difficulty", "Quality", "Technical", "Team & tasks",
         "Costs & value", "Rules", "Report", "Actuals & calibration", "Workshop", "Portfolio")
DECISION = re.compile(r"(Go|Conditional go|No-go) for the (MVP|growth|maturity) stage")
CHARTS = ".vega-embed canvas, .vega-embed svg"
DETAIL = {"Team & tasks": "Work breakdown", "Rules": "Rules of thumb", "Report": "Key ranges"}


# ------------------------------------------------------------------------------ helpers
def shot(tab, name: str) -> Path:
    """Save a viewport screenshot under screenshots/."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    tab.screenshot(path=str(path))
    return path


def edit_most_likely(tab, server: Server, sid: str, row: int, text: str) -> None:
    """Edit a task's most-likely days in the grid; once more if the click missed the cell
    (a pixel-positioned click can land elsewhere), then the store must hold the value."""
    for _ in range(2):
        edit_cell(tab, "mlpm-tasks-table", row, 4, text)
        if server.store().load(sid)[0].tasks[row].most_likely == float(text):
            return
    raise AssertionError(f"task row {row}: the edit to {text} days was not saved")


def report_is_complete(tab) -> None:
    """The report shows a decision and its charts."""
    tab.get_by_text(DECISION).first.wait_for()
    tab.locator(CHARTS).nth(3).wait_for(state="attached")
    assert tab.locator(CHARTS).count() >= 4


# ------------------------------------------------------------------------------ flows
def test_blank_scenario_through_every_step_to_a_report_that_survives_reload(page, server):
    """Start blank, answer a field on every step, get a decision with charts; reload keeps it."""
    type_into(page, "home.blank_name", "Browser checkout fraud")
    press(page, "Start blank")
    sid = scenario_id(page)

    go(page, "Project")
    type_into(page, "f:project.owner", "Ada Lovelace")
    go(page, "Data")
    type_into(page, "f:data.labelled_available", "400")
    go(page, "Difficulty")
    widget(page, "f:difficulty.adversaries").locator("label").click()
    settle(page)
    go(page, "Quality")
    widget(page, "f:quality.evaluation_complexity").get_by_text("Complicated").click()
    settle(page)
    go(page, "Technical")
    type_into(page, "f:technical.peak_qps", "20")
    go(page, "Team & tasks")
    press(page, "Generate work breakdown")
    tasks = server.store().load(sid)[0].tasks
    assert len(tasks) > 10
    # most likely up to the pessimistic days: a valid edit whatever size the template gave
    first, second = tasks[0].pessimistic, tasks[1].pessimistic
    assert first > tasks[0].most_likely and second > tasks[1].most_likely
    edit_most_likely(page, server, sid, 0, f"{first:g}")
    edit_most_likely(page, server, sid, 1, f"{second:g}")  # a second edit keeps the first
    saved = server.store().load(sid)[0].tasks
    assert (saved[0].most_likely, saved[1].most_likely) == (first, second)
    go(page, "Costs & value")
    type_into(page, "f:value.annual_benefit:low", "150000")
    type_into(page, "f:value.annual_benefit:high", "400000")
    go(page, "Rules")
    widget(page, "f:rules.mode").get_by_text("Strict (exact factor)").click()
    settle(page)
    go(page, "Report")
    report_is_complete(page)
    no_exception(page, "report")
    shot(page, "blank_report")

    stored = server.store().load(sid)[0]
    assert stored.project.owner == "Ada Lovelace" and stored.difficulty.adversaries
    assert stored.rules.mode == "strict" and stored.value.annual_benefit.high == 400000
    page.reload()
    settle(page)
    assert scenario_id(page) == sid
    report_is_complete(page)
    go(page, "Project")
    assert widget(page, "f:project.owner").locator("input").input_value() == "Ada Lovelace"
    go(page, "Data")
    assert widget(page, "f:data.labelled_available").locator("input").input_value() == "400"


def test_invalid_upload_on_home_shows_a_readable_error(page, server):
    """A scenario file with an out-of-range number is refused with one message, no traceback."""
    before = len(server.store().list())
    page.locator(f"{'.st-key-home-upload'} input[type=file]").set_input_files(files=[{
        "name": "broken.json", "mimeType": "application/json",
        "buffer": b'{"schema_version": 1, "project": {"name": "x", "budget": 1e400}}'}])
    settle(page)
    alert = page.locator('[data-testid="stAlertContentError"]').first
    alert.wait_for()
    assert "not imported" in alert.inner_text() and "1e400" in alert.inner_text()
    no_exception(page, "home after a bad upload")
    shot(page, "home_invalid_upload")
    assert len(server.store().list()) == before and "scenario=" not in page.url


def test_every_page_renders_an_example_without_an_exception(page):
    """Open the fraud example and visit every page: none shows an exception."""
    shot(page, "home")
    widget(page, "home.example.fraud_card_payments.json").get_by_role("button").first.click()
    settle(page)
    for title in PAGES:
        go(page, title)
        if title == "Report":
            report_is_complete(page)
            pdf = download(page, "Report (PDF)")
            assert pdf.startswith(b"%PDF") and b"%%EOF" in pdf[-1024:]
        no_exception(page, title)
        name = "example_" + re.sub(r"[^a-z]+", "_", title.lower()).strip("_")
        shot(page, name)
        if title in DETAIL:
            page.locator("h3", has_text=DETAIL[title]).first.evaluate(
                "element => element.scrollIntoView({block: 'start'})")
            page.wait_for_timeout(300)  # let charts and grids redraw after the scroll
            shot(page, f"{name}_detail")
    DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for source, target in (("home", "home"), ("example_data", "question_page"),
                           ("example_team_tasks_detail", "team_tasks"),
                           ("example_report_detail", "report")):
        shutil.copyfile(SCREENSHOTS / f"{source}.png", DOCS_SCREENSHOTS / f"{target}.png")


def test_task_rows_pasted_from_a_spreadsheet_keep_their_phase_and_role(page, server):
    """A work breakdown copied from a spreadsheet (name, phase, role, three points, as the
    grid's labels read) pasted into the task grid's add-a-row line becomes tasks with those
    phases and roles: the grid once refused the labels and left Phase and Role empty."""
    page.context.grant_permissions(["clipboard-read", "clipboard-write"],
                                   origin=server.url.rstrip("/"))
    type_into(page, "home.blank_name", "Pasted breakdown")
    press(page, "Start blank")
    sid = scenario_id(page)
    go(page, "Team & tasks")
    rows = [("Scan-event extract", "Pipeline building", "Data engineer", 6, 8, 12),
            ("Baseline model", "Experimentation", "Data scientist", 4, 6, 10)]
    page.evaluate("text => navigator.clipboard.writeText(text)",
                  "\n".join("\t".join(str(cell) for cell in row) for row in rows))
    start = len(server.store().load(sid)[0].tasks)
    for _ in range(2):  # once more if the paste reached no cell (a busy machine's CI lost one)
        page.mouse.click(*grid_cell_point(page, "mlpm-tasks-table", start))  # add-a-row line
        settle(page)  # the grid adds an empty row and opens its Task cell's editor
        page.keyboard.press("Escape")  # the editor closes, the cell stays selected
        page.keyboard.press("Control+V")
        settle(page)
        tasks = server.store().load(sid)[0].tasks[start:]
        if tasks:
            break
    shot(page, "pasted_tasks")
    no_exception(page, "Team & tasks after a paste")
    assert [(task.name, task.phase, task.role, task.most_likely) for task in tasks] == [
        ("Scan-event extract", "pipeline", "data_engineer", 8),
        ("Baseline model", "experimentation", "data_scientist", 6)]
