"""The spread chart's rows and spec, and the agreement in words (no Streamlit)."""

from __future__ import annotations

from mlpm_core.workshop.rounds import SubmittedRange, summarise_round
from mlpm_ui.workshop_chart import GROUP, agreement_words, spread_spec, task_rows

TASK = "Label the data"


def round_of(number: int, ranges: list[tuple[float, float, float]], viewer: int | None = None):
    rows = [SubmittedRange(f"{index:032d}", index, f"Person {index}", TASK, *points)
            for index, points in enumerate(ranges, start=1)]
    return summarise_round(number, [TASK], rows, [], names=False,
                           viewer_id=None if viewer is None else f"{viewer:032d}")


def words(ranges: list[tuple[float, float, float]]) -> str:
    return agreement_words(round_of(1, ranges).tasks[0])


def test_rows_hold_every_range_the_group_and_the_outliers_per_round():
    first = round_of(1, [(2, 3, 5), (2, 3, 6), (3, 4, 6), (20, 30, 40)], viewer=2)
    second = round_of(2, [(3, 4, 6), (3, 4, 6)])
    rows = task_rows([first, second], TASK)
    assert [(r["round"], r["who"], r["kind"]) for r in rows] == [
        ("Round 1", "Participant 1", "Estimate"), ("Round 1", "Participant 2 (you)", "Estimate"),
        ("Round 1", "Participant 3", "Estimate"), ("Round 1", "Participant 4", "Outlier"),
        ("Round 1", "Group", GROUP),
        ("Round 2", "Participant 1", "Estimate"), ("Round 2", "Participant 2", "Estimate"),
        ("Round 2", "Group", GROUP)]
    assert rows[3]["outlier"] == "high" and (rows[4]["low"], rows[4]["high"]) == (2.5, 6)


def test_only_the_last_two_rounds_with_estimates_are_charted():
    rounds = [round_of(n, [(n, n + 1, n + 2)]) for n in (1, 2, 3)]
    assert {r["round"] for r in task_rows(rounds, TASK)} == {"Round 2", "Round 3"}
    assert task_rows([round_of(1, [])], TASK) == []


def test_the_spec_puts_rounds_side_by_side_in_order_with_fixed_colours():
    rows = task_rows([round_of(n, [(1, 2, 3), (2, 3, 4)]) for n in (1, 2)], TASK)
    spec = spread_spec(rows, width=680)
    assert spec["data"]["values"] == rows
    assert spec["facet"]["column"]["sort"] == ["Round 1", "Round 2"]
    bar, tick = spec["spec"]["layer"]
    assert (bar["encoding"]["x"]["field"], bar["encoding"]["x2"]["field"]) == ("low", "high")
    assert tick["encoding"]["x"]["field"] == "likely"
    assert bar["encoding"]["color"]["scale"]["domain"] == ["Estimate", "Outlier", GROUP]
    assert spec["spec"]["height"] == 3 * 30  # two people and the group
    assert "title" not in spec and spread_spec(rows, title="T")["title"]["text"] == "T"


def test_agreement_in_words():
    assert words([]) == "No estimates yet."
    assert words([(1, 2, 3)]) == "One estimate so far: nothing to compare yet."
    assert words([(9, 10, 11), (10, 11, 12)]) == "The group agrees within ±5%."
    assert words([(5, 10, 15), (10, 16, 22)]).startswith("Some disagreement: the estimates "
                                                         "lie within ±24%")
    assert words([(1, 2, 3), (5, 10, 20)]).startswith("The group is far apart (up to ±")
    assert words([(2, 3, 5), (2, 3, 6), (3, 4, 6), (20, 30, 40), (0.1, 0.2, 0.3)]) == (
        "Two people see it very differently (Participant 4 (higher), Participant 5 (lower)): "
        "discuss. The others are within ±25%.")
    assert words([(0, 0, 0), (0, 0, 0)]) == "The group expects almost no work."
