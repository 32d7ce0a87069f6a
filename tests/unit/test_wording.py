"""Counts and timestamps in the words a person reads."""

from __future__ import annotations

import pytest

from mlpm_core.wording import counted, shown_time


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
