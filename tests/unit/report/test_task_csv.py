"""The task table as CSV: spreadsheet formulas neutralised, text and numbers kept as they are."""

from __future__ import annotations

import csv
import io

import pytest

from mlpm_core.report.task_csv import (
    FORMULA_STARTS,
    HEADER,
    neutralise,
    rows_to_csv,
    tasks_csv,
    tasks_csv_bytes,
)
from mlpm_core.scenario.document import load_scenario
from tests.conftest import EXAMPLES_DIR, naughty_strings

EXAMPLE = EXAMPLES_DIR / "bike_shop_service_forecast.json"
FORMULAS = ["=cmd|' /C calc'!A0", "+1", "-1+1", "@SUM(A1:A2)", "\t=1+1", "\r=1+1",
            '=HYPERLINK("http://evil.example","click")']


def parse(text: str) -> list[list[str]]:
    """CSV text back into rows of cells."""
    return list(csv.reader(io.StringIO(text)))


def scenario_with_names(names: list[str]):
    """The bike-shop example with one task per name."""
    scenario = load_scenario(EXAMPLE)
    template = scenario.tasks[0]
    tasks = [template.model_copy(update={"name": name}) for name in names]
    return scenario.model_copy(update={"tasks": tasks})


@pytest.mark.parametrize("formula", FORMULAS)
def test_formula_cells_get_a_leading_apostrophe(formula):
    """Each dangerous first character (=, +, -, @, tab, CR) is neutralised by an apostrophe."""
    assert neutralise(formula) == "'" + formula


@pytest.mark.parametrize("text", ["Export data", "Café – 東京", "a=b", "1+1", " =1", "",
                                  "'quoted", "O'Brien"])
def test_ordinary_text_is_left_alone(text):
    """Text that does not start a formula is written unchanged."""
    assert neutralise(text) == text


def test_numbers_stay_numbers_even_when_negative():
    """Numbers are not text: a negative number is written as a plain number."""
    assert neutralise(-1.5) == -1.5 and neutralise(3) == 3 and neutralise(None) is None
    rows = parse(rows_to_csv(["value"], [[-1.5], [2], [0.25]]))
    assert rows == [["value"], ["-1.5"], ["2"], ["0.25"]]


def test_task_csv_neutralises_task_names_and_keeps_the_estimates_numeric():
    """Every formula-like task name is neutralised; the three estimates parse as numbers."""
    text = tasks_csv(scenario_with_names(FORMULAS))
    rows = parse(text)
    assert tuple(rows[0]) == HEADER
    assert [row[0] for row in rows[1:]] == ["'" + formula for formula in FORMULAS]
    for row in rows[1:]:
        assert all(float(cell) >= 0 for cell in row[5:8])
        assert not row[5].startswith("'")


def test_task_csv_round_trips_commas_quotes_and_line_breaks():
    """Awkward but harmless names survive CSV quoting unchanged."""
    names = ['Clean "legacy", messy data', "two\nlines", "Café – 東京 — Ünïcödé"]
    rows = parse(tasks_csv(scenario_with_names(names)))
    assert [row[0] for row in rows[1:]] == names


def test_task_csv_has_codes_labels_and_whole_day_numbers():
    """Rows carry phase and role codes with their labels, and 5.0 days is written as 5."""
    scenario = load_scenario(EXAMPLE)
    rows = parse(tasks_csv(scenario))
    first, task = rows[1], scenario.tasks[0]
    assert first[:2] == [task.name, task.phase] and first[3] == task.role
    assert first[2] and first[4]  # readable labels
    assert first[6] == f"{task.most_likely:g}"
    assert rows[0][-1] == "ongoing" and first[-1] == "no"
    steering = task.model_copy(update={"name": "Steering", "ongoing": True})
    marked = parse(tasks_csv(scenario.model_copy(update={"tasks": [steering]})))
    assert marked[1][0] == "Steering" and marked[1][-1] == "yes"


def test_task_csv_bytes_start_with_a_utf8_bom_for_spreadsheets():
    """The download is UTF-8 with a byte-order mark so accents open correctly in Excel."""
    data = tasks_csv_bytes(scenario_with_names(["Café"]))
    assert data.startswith(b"\xef\xbb\xbf")
    assert "Café" in data.decode("utf-8-sig")


def test_no_naughty_string_reaches_a_spreadsheet_as_a_formula():
    """For the whole naughty-strings list, no cell starts with a formula character."""
    strings = [text for text in naughty_strings() if 1 <= len(text) <= 200]
    rows = parse(tasks_csv(scenario_with_names(strings)))
    names = [row[0] for row in rows[1:]]
    assert len(names) == len(strings)
    assert not [name for name in names if name.startswith(FORMULA_STARTS)]
    restored = [name.removeprefix("'") if text.startswith(FORMULA_STARTS) else name
                for name, text in zip(names, strings, strict=True)]
    assert restored == strings  # nothing else about the text changed
