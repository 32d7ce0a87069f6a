"""A new scenario never takes a name a saved one already has (``distinct_name``)."""

from __future__ import annotations

from mlpm_core.scenario import MAX_NAME, distinct_name


def test_a_free_name_is_kept_and_a_taken_one_is_numbered_from_two() -> None:
    assert distinct_name("Churn", ["Fraud"]) == "Churn"
    assert distinct_name("Churn", ["Churn"]) == "Churn (2)"
    assert distinct_name("Churn", ["Churn", "Churn (2)", "Churn (3)"]) == "Churn (4)"


def test_a_numbered_name_still_fits_the_longest_name_allowed() -> None:
    longest = "x" * MAX_NAME
    numbered = distinct_name(longest, [longest])
    assert len(numbered) == MAX_NAME and numbered.endswith(" (2)")
