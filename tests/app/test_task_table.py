"""The task and team tables: frames, edit states and row-level messages, without Streamlit."""

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlpm_core.scenario.model import Task, TeamMember
from mlpm_core.scenario.ranges import Range
from mlpm_ui.task_table import (
    NO_COVER,
    apply_edits,
    read_tasks,
    read_team,
    tasks_frame,
    team_frame,
)
from tests.strategies import tasks as task_strategy

TRAIN = Task(name="Train", phase="experimentation", role="data_scientist", optimistic=2,
             most_likely=4, pessimistic=8)
SHIP = Task(name="Ship", phase="production", role="devops", optimistic=1, most_likely=2,
            pessimistic=5)


def read(frame, previous=(TRAIN, SHIP), roles=None):
    return read_tasks(frame, dict(enumerate(previous)), roles)


def messages(result) -> list[str]:
    return [str(error) for error in result.errors]


@settings(max_examples=50, deadline=None)
@given(st.lists(task_strategy(), max_size=8))
def test_unedited_table_reads_back_as_the_same_tasks(tasks):
    """Tasks -> table -> tasks is the identity, with no errors."""
    result = read_tasks(tasks_frame(tasks), dict(enumerate(tasks)))
    assert result.items == tasks and not result.errors


def test_cell_edit_changes_only_that_task():
    """An edited cell changes its task; other rows are untouched."""
    frame = apply_edits(tasks_frame([TRAIN, SHIP]), {"edited_rows": {1: {"most_likely": 3}}})
    result = read(frame)
    assert result.items == [TRAIN, SHIP.model_copy(update={"most_likely": 3.0})]


def test_unordered_points_name_the_row_and_the_reason():
    """Optimistic above most likely is reported as 'row N 'name': ...' and keeps the old task."""
    frame = apply_edits(tasks_frame([TRAIN, SHIP]), {"edited_rows": {0: {"optimistic": 5}}})
    result = read(frame)
    assert messages(result) == ["row 1 'Train': optimistic (5) must be <= most likely (4)"]
    assert result.items == [TRAIN, SHIP]


def test_every_problem_of_a_row_is_listed_once():
    """Empty name, unknown phase and a missing point are all named for the one row."""
    frame = apply_edits(tasks_frame([TRAIN]), {"edited_rows": {0: {
        "name": " ", "phase": "launch", "pessimistic": None}}})
    [message] = messages(read(frame, previous=(TRAIN,)))
    assert message.startswith("row 1: the name is empty; unknown phase 'launch'")
    assert message.endswith("pessimistic is empty")


def test_negative_text_and_huge_values_are_refused_readably():
    """Negative days, text in a number cell and absurd sizes each get a plain message."""
    frame = apply_edits(tasks_frame([TRAIN]), {"edited_rows": {0: {
        "optimistic": -1, "most_likely": "soon", "pessimistic": 1e9}}})
    [message] = messages(read(frame, previous=(TRAIN,)))
    assert "optimistic must be 0 or more" in message
    assert "most likely must be a number, not 'soon'" in message
    assert "pessimistic must be at most 100,000 days" in message


def test_new_rows_are_written_only_when_complete():
    """A complete added row becomes a task; a partial one is an error; a blank one is ignored."""
    frame = apply_edits(tasks_frame([TRAIN]), {"added_rows": [
        {"name": "Label", "phase": "experimentation", "role": "data_scientist",
         "optimistic": 1, "most_likely": 2, "pessimistic": 3},
        {"name": "Half"},
        {},
    ]})
    result = read(frame, previous=(TRAIN,))
    assert [task.name for task in result.items] == ["Train", "Label"]
    assert messages(result) == ["row 3 'Half': choose a phase; choose a role; optimistic is "
                                "empty; most likely is empty; pessimistic is empty"]


def test_an_invalid_row_keeps_its_last_valid_version_not_the_original():
    """After a valid edit then an invalid one, the scenario keeps the valid edit."""
    base = tasks_frame([TRAIN])
    first = read(apply_edits(base, {"edited_rows": {0: {"most_likely": 5}}}), previous=(TRAIN,))
    remembered = {0: TRAIN, **first.valid}
    second = read_tasks(apply_edits(base, {"edited_rows": {0: {"most_likely": 9}}}), remembered)
    assert second.items == [TRAIN.model_copy(update={"most_likely": 5.0})]
    assert second.errors


def test_deleted_rows_go_and_added_rows_never_inherit_their_history():
    """A deleted row is gone; a row added after it is new, not the deleted task's successor."""
    frame = apply_edits(tasks_frame([TRAIN, SHIP]),
                        {"deleted_rows": [1], "added_rows": [{"name": "Ship v2"}]})
    result = read(frame)
    assert result.items == [TRAIN]
    assert messages(result)[0].startswith("row 2 'Ship v2'")


def test_roles_not_on_a_staffed_team_are_refused():
    """With a team, a task for a role not on it is an error that says what to do."""
    frame = tasks_frame([SHIP])
    [message] = messages(read(frame, previous=(SHIP,), roles=frozenset({"data_scientist"})))
    assert "DevOps engineer is not on the team; add the role to the team table first" in message
    assert not read(frame, previous=(SHIP,), roles=None).errors


def test_team_round_trip_keeps_most_likely_values_and_shapes():
    """An unedited team reads back identically, including range details the table hides."""
    team = [TeamMember(role="ml_engineer", fte=Range(low=0.5, high=1.5, most_likely=1.0),
                       day_rate=Range(low=600, high=900, distribution="uniform"))]
    result = read_team(team_frame(team), dict(enumerate(team)))
    assert result.items == team and not result.errors


def test_team_rows_are_checked_for_duplicates_and_ranges():
    """A second row for a role, FTE 0 and a 0-to-x day-rate range are each explained."""
    team = [TeamMember(role="devops")]
    frame = apply_edits(team_frame(team), {"added_rows": [
        {"role": "devops", "fte_low": 1, "fte_high": 1, "rate_low": 1, "rate_high": 1},
        {"role": "ml_pm", "fte_low": 0, "fte_high": 1, "rate_low": 0, "rate_high": 500},
    ]})
    result = read_team(frame, dict(enumerate(team)))
    assert result.items == team
    assert messages(result) == [
        "row 2 'DevOps engineer': DevOps engineer is already on the team; use FTE for several "
        "people in one role",
        "row 3 'ML product manager': FTE low must be above 0; a day-rate range needs a low end "
        "above 0 (the same number twice for a certain rate)",
    ]


def test_a_new_row_given_only_a_lower_fte_high_says_how_to_give_a_certain_fte():
    """A new row starts at FTE 1 to 1: typing 0.5 as FTE high alone inverts the range, and
    the message says to give the same number in both."""
    frame = apply_edits(team_frame([]), {"added_rows": [
        {"role": "ml_pm", "fte_low": 1, "fte_high": 0.5, "rate_low": 500, "rate_high": 900}]})
    result = read_team(frame, {})
    assert result.items == []
    assert messages(result) == [
        "row 1 'ML product manager': FTE low (1) must be <= FTE high (0.5); a new row starts "
        "at 1 to 1, so for a certain FTE give the same number in both"]


def test_apply_edits_ignores_unknown_columns_and_out_of_range_rows():
    """Edit states come from the browser: junk columns and positions are ignored."""
    base = tasks_frame([TRAIN])
    frame = apply_edits(base, {"edited_rows": {"0": {"evil": 1, "name": "T"}, 7: {"name": "x"}}})
    assert list(frame.columns) == list(base.columns) and frame.loc[0, "name"] == "T"
    assert len(frame) == 1


def test_empty_tables_have_their_columns():
    """An empty scenario still gives tables with every column (the editor needs them)."""
    assert list(tasks_frame([]).columns) == ["name", "phase", "role", "optimistic", "most_likely",
                                            "pessimistic", "covers", "ongoing"]
    assert list(team_frame([]).columns) == ["role", "fte_low", "fte_high", "rate_low", "rate_high"]
    assert read_tasks(tasks_frame([]), {}).items == []


@pytest.mark.parametrize("value", [None, math.nan, pd.NA, ""])
def test_missing_cells_in_any_form_are_empty(value):
    """None, NaN, pandas NA and an empty string all read as an empty cell."""
    frame = apply_edits(tasks_frame([TRAIN]), {"edited_rows": {0: {"optimistic": value}}})
    assert messages(read(frame, previous=(TRAIN,))) == ["row 1 'Train': optimistic is empty"]


def test_the_risk_a_task_covers_survives_the_table():
    """A task's covered risk goes into the table and comes back out of it unchanged."""
    task = Task(name="Data cleaning", phase="experimentation", role="data_engineer",
                optimistic=2, most_likely=4, pessimistic=8, covers="data_understanding")
    assert read_tasks(tasks_frame([task]), {}).items == [task]


def test_an_ongoing_task_survives_the_table_and_a_ticked_new_row_is_ongoing():
    """The Ongoing tick goes into the table and back; a new row left unticked (the grid
    gives None) is phased, a ticked one ongoing."""
    steering = TRAIN.model_copy(update={"name": "Steering", "ongoing": True})
    assert read_tasks(tasks_frame([steering, TRAIN]), {}).items == [steering, TRAIN]
    row = {"name": "Check-ins", "phase": "planning", "role": "eng_manager", "optimistic": 5,
           "most_likely": 8, "pessimistic": 12, "covers": None}
    edits = {"added_rows": [{**row, "ongoing": None}, {**row, "name": "Reviews",
                                                       "ongoing": True}]}
    items = read_tasks(apply_edits(tasks_frame([]), edits), {}).items
    assert [(task.name, task.ongoing) for task in items] == [("Check-ins", False),
                                                             ("Reviews", True)]


def test_a_task_covering_no_risk_holds_a_dash_not_an_empty_cell_and_reads_back_as_none():
    """The grid drew an empty "Covers risk" cell as a grey "None"; the cell now holds the
    dash its option shows, and reading the row back gives no covered risk."""
    frame = tasks_frame([TRAIN])
    assert TRAIN.covers == "" and frame.loc[0, "covers"] == NO_COVER
    assert read_tasks(frame, {}).items == [TRAIN]


def test_the_covers_risk_column_shows_rule_group_labels_not_codes():
    """The column showed 'governance' and 'data_understanding'; an empty cell shows a dash."""
    from mlpm_core.scenario.model import Scenario
    from mlpm_ui.task_editor import covers_label

    assert covers_label(Scenario(), "governance") == "Governance, privacy and documentation"
    assert covers_label(Scenario(), "data_understanding") == "Understanding and cleaning the data"
    assert covers_label(Scenario(), "") == "\u2014" and covers_label(Scenario(), None) == "\u2014"
    assert covers_label(Scenario(), NO_COVER) == "\u2014"


def test_rows_pasted_from_a_spreadsheet_with_the_shown_labels_are_taken():
    """The grid holds phases and roles as the labels it shows (its paste accepts only option
    values): a pasted 'Pipeline building' / 'Data engineer' row is a task, codes still read,
    and a misspelt phase is named."""
    frame = tasks_frame([TRAIN])
    assert list(frame["phase"]) == ["Experimentation"] and list(frame["role"]) == ["Data scientist"]
    pasted = apply_edits(frame, {"added_rows": [
        {"name": "Extract", "phase": "Pipeline building", "role": "Data engineer",
         "optimistic": 6, "most_likely": 8, "pessimistic": 12},
        {"name": "Serve", "phase": "productionisation", "role": "ml_engineer",
         "optimistic": 1, "most_likely": 2, "pessimistic": 3},
        {"name": "Typo", "phase": "Pipelines", "role": "Data engineer",
         "optimistic": 1, "most_likely": 2, "pessimistic": 3}]})
    result = read(pasted, previous=(TRAIN,))
    assert [(task.name, task.phase, task.role) for task in result.items] == [
        ("Train", "experimentation", "data_scientist"), ("Extract", "pipeline", "data_engineer"),
        ("Serve", "production", "ml_engineer")]
    assert messages(result) == ["row 4 'Typo': unknown phase 'Pipelines'"]
    team = read_team(team_frame([TeamMember(role="devops", fte=Range(low=1, high=1),
                                            day_rate=Range(low=500, high=700))]), {})
    assert [member.role for member in team.items] == ["devops"]
