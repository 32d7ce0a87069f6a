"""A project that did not fit the question pages before: predictive maintenance on edge devices.

From a blank scenario, through the pages as a person would type it: vibration sensors on 40
machines, rare failures (a few a year), a 2 GB edge gateway per machine, an own cost line for
installing the gateways, and a team of two. The work breakdown is generated for that team
without touching a single role cell, and the report's cost breakdown shows the hardware and the
own line, citing its sources by author and title, never by a file name.

With ``MLPM_SCREENSHOTS_DIR`` set, the Data, Technical and Costs & value pages of this project
are saved there for the README (``docs/screenshots/``).
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.browser.support import (
    download,
    go,
    grid_cell_point,
    no_exception,
    press,
    scenario_id,
    settle,
    type_in_cell_editor,
    type_into,
    widget,
)

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("MLPM_SCREENSHOTS_DIR")
SEED_FILE_NAME = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")
TEAM_GRID = "mlpm-team-table"
LINES_GRID = "mlpm-cost_lines-table"


def shot(tab, name: str, heading: str) -> None:
    """Save the window for the README when asked to, scrolled to the heading of the answers
    this project needed (the page scrolls inside the app, so a full-page shot shows no more)."""
    if SHOTS:
        tab.locator("h3", has_text=heading).first.evaluate(
            "element => element.scrollIntoView({block: 'start'})")
        tab.wait_for_timeout(300)
        tab.screenshot(path=str(Path(SHOTS) / name))


def choose(tab, key: str, option: str) -> None:
    """Pick an option of a radio group or a select box."""
    element = widget(tab, key)
    if element.get_by_role("radiogroup").count():
        element.get_by_text(option, exact=True).click()
    else:
        element.get_by_role("combobox").click()
        tab.get_by_role("option", name=option, exact=True).click()
    settle(tab)


def add_grid_row(tab, grid: str, row: int, cells: dict[int, str],
                 choice: tuple[int, str] | None = None) -> None:
    """Add row ``row`` to an st.data_editor grid by clicking its add-a-row line, pick
    ``choice`` (column, option) in a select cell and type the other cells. Each cell is reached
    from the row's first column with the arrow keys, as a person would, after the rerun the
    previous cell started."""
    tab.mouse.click(*grid_cell_point(tab, grid, row))  # the add-a-row line adds the row
    settle(tab)
    choice_column, choice_text = choice or (-1, "")
    for column in sorted([*([choice_column] if choice else []), *cells]):
        if column == 0:  # a double click opens the editor (Enter does not on a fresh row)
            tab.mouse.dblclick(*grid_cell_point(tab, grid, row))
        else:
            tab.mouse.click(*grid_cell_point(tab, grid, row))
            for _ in range(column):
                tab.keyboard.press("ArrowRight")
            tab.keyboard.press("Enter")
        if column == choice_column:
            box = tab.locator("#portal input[role=combobox]")
            box.wait_for(state="attached")  # react-select's input is 2 pixels wide
            tab.keyboard.type(choice_text)  # it has the focus: typing filters the options
            tab.keyboard.press("Enter")
            box.wait_for(state="detached")
        else:
            type_in_cell_editor(tab, cells[column])
        settle(tab)


def pdf_text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_predictive_maintenance_on_edge_devices_from_blank_to_report(page, server):
    """Blank -> rare failures, 40 gateways of 2 GB, a gateway cost line, a team of two ->
    a breakdown for that team -> a report whose cost breakdown shows the hardware."""
    type_into(page, "home.blank_name", "Vibration sensors: predictive maintenance")
    press(page, "Start blank")
    sid = scenario_id(page)
    store = server.store()

    go(page, "Project")
    choose(page, "f:project.task_type", "Anomaly detection (few or no labels)")

    go(page, "Data")
    type_into(page, "f:data.labelled_available", "20000")
    type_into(page, "f:data.positive_share", "0.001")
    type_into(page, "f:data.positive_events_per_year", "5")
    no_exception(page, "Data")
    shot(page, "data.png", "Positive cases and rare events")

    go(page, "Technical")
    choose(page, "f:technical.platform", "On a device (phone, edge gateway, embedded)")
    assert widget(page, "f:technical.peak_qps").count() == 0, "a device asks no server load"
    type_into(page, "f:technical.device.count", "40")
    type_into(page, "f:technical.device.ram_gb", "2")
    type_into(page, "f:technical.device.unit_cost:low", "250")
    type_into(page, "f:technical.device.unit_cost:high", "400")
    no_exception(page, "Technical")
    shot(page, "technical.png", "Where predictions run")

    go(page, "Costs & value")
    type_into(page, "f:value.annual_benefit:low", "60000")
    type_into(page, "f:value.annual_benefit:high", "250000")
    add_grid_row(page, LINES_GRID, 0, {0: "Gateway installation", 2: "2000", 4: "5000"})
    no_exception(page, "Costs & value")
    shot(page, "costs_value.png", "Your own cost lines")

    go(page, "Team & tasks")
    add_grid_row(page, TEAM_GRID, 0, {1: "1", 2: "1"}, choice=(0, "ML engineer"))
    add_grid_row(page, TEAM_GRID, 1, {1: "0.5", 2: "0.8"}, choice=(0, "Data engineer"))
    press(page, "Generate work breakdown")
    no_exception(page, "Team & tasks")

    scenario = store.load(sid)[0]
    assert scenario.project.task_type == "anomaly_detection"
    assert (scenario.data.positive_share, scenario.data.positive_events_per_year) == (0.001, 5)
    assert scenario.technical.platform == "on_device"
    assert (scenario.technical.device.count, scenario.technical.device.ram_gb) == (40, 2)
    assert [(line.name, line.paid, line.amount.low, line.amount.high)
            for line in scenario.costs.custom_lines] == [
        ("Gateway installation", "one_off", 2000, 5000)]
    assert [member.role for member in scenario.team] == ["ml_engineer", "data_engineer"]
    assert len(scenario.tasks) > 10
    assert {task.role for task in scenario.tasks} <= {"ml_engineer", "data_engineer"}

    go(page, "Report")
    no_exception(page, "Report")
    markdown = download(page, "Report (Markdown)").decode("utf-8")
    pdf = pdf_text(download(page, "Report (PDF)"))
    for text in (markdown, pdf):
        assert "Devices" in text and "Gateway installation" in text
        assert "Thompson" in text and "Managing Machine Learning Projects" in text
        assert not SEED_FILE_NAME.search(text)
    # the cost breakdown's rows: the hardware and the own line, both one-off
    assert "| Devices \\(40 x unit cost\\) | One\\-off |" in markdown
    assert "| Gateway installation | One\\-off |" in markdown
    assert "Devices (40 x unit cost)" in pdf
    assert not SEED_FILE_NAME.search(page.locator("body").inner_text())
