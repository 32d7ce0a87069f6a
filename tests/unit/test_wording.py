"""Counts and timestamps in the words a person reads."""

from __future__ import annotations

import pytest

from mlpm_core.assessment.run import run_estimate
from mlpm_core.scenario import Scenario
from mlpm_core.wording import counted, shown_fte, shown_time


@pytest.mark.parametrize("count, text", [(0, "0 tasks"), (1, "1 task"), (2, "2 tasks"),
                                         (1200, "1,200 tasks")])
def test_a_count_of_one_is_singular(count, text):
    """The app wrote '1 tasks' and '1 condition(s)'."""
    assert counted(count, "task") == text


def test_an_irregular_plural_is_given():
    assert counted(2, "person", "people") == "2 people"
    assert counted(1, "person", "people") == "1 person"


@pytest.mark.parametrize("stamp, text", [
    ("2026-12-05T01:58:43.331308+00:00", "2026-12-05 01:58 UTC"),
    ("2026-12-05T03:58:43+02:00", "2026-12-05 01:58 UTC"),
    ("2026-12-05T01:58:43", "2026-12-05 01:58 UTC"),
    ("not a time", "not a time"),
])
def test_a_timestamp_shows_the_minute_in_utc(stamp, text):
    """Pages showed '2026-12-05T01:58:43.331308+00:00 UTC'."""
    assert shown_time(stamp) == text


@pytest.mark.parametrize(("value", "text"), [(0.7071067811865476, "0.71"), (4.20711, "4.21"),
                                             (1.0, "1"), (0.5, "0.5")])
def test_fte_is_shown_to_two_decimals(value, text):
    assert shown_fte(value) == text


def test_the_pace_and_team_notes_show_a_ranged_fte_rounded():
    """A 0.5-1 FTE range's midpoint is its geometric mean: the report printed '0.707107 FTE'
    and '4.20711 FTE'."""
    scenario = Scenario.model_validate({
        "team": [{"role": "data_engineer", "fte": {"low": 0.5, "high": 1.0}},
                 {"role": "ml_engineer", "fte": 3.5}],
        "tasks": [{"name": "Pipeline", "phase": "pipeline", "role": "data_engineer",
                   "optimistic": 5, "most_likely": 8, "pessimistic": 12},
                  {"name": "Serving", "phase": "production", "role": "ml_engineer",
                   "optimistic": 2, "most_likely": 3, "pessimistic": 5}]})
    result = run_estimate(scenario, trials=5000, seed=1)
    notes = " ".join([result.pace_note, result.team_cost_note])
    assert "data engineer, 0.71 FTE" in notes and "4.21 FTE" in notes, notes
    assert "0.707" not in notes and "4.207" not in notes
