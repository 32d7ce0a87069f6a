"""The own-cost-line table read back into scenario lines, with a message per bad row."""

from mlpm_core.scenario import CustomCostLine
from mlpm_ui.cost_line_table import lines_frame, read_lines
from mlpm_ui.task_table import apply_edits

SUPPORT = CustomCostLine.model_validate({"name": "Support", "paid": "yearly",
                                         "amount": [100, 300]})


def test_a_line_round_trips_through_the_table():
    """A line shown in the table reads back as the same line, shape and all."""
    assert read_lines(lines_frame([SUPPORT]), {}).items == [SUPPORT]


def test_a_name_used_twice_is_an_error_on_the_later_row():
    """Names are compared ignoring case and spaces; the first row is kept."""
    frame = apply_edits(lines_frame([SUPPORT]), {"added_rows": [
        {"name": " support", "paid": "one_off", "low": 5.0, "high": 9.0}]})
    result = read_lines(frame, {})
    assert result.items == [SUPPORT]
    assert [str(error) for error in result.errors] == [
        "row 2 ' support': another line is already named ' support'"]


def test_an_invalid_edit_keeps_the_last_valid_line():
    """Low above high is refused with the reason; the scenario keeps the line as it was."""
    frame = apply_edits(lines_frame([SUPPORT]), {"edited_rows": {0: {"low": 500.0}}})
    result = read_lines(frame, {0: SUPPORT})
    assert result.items == [SUPPORT]
    assert "above the high end" in str(result.errors[0])


def test_a_most_likely_value_needs_both_ends():
    """A most-likely value with one end missing says which end to give."""
    frame = apply_edits(lines_frame([]), {"added_rows": [
        {"name": "Install", "paid": "one_off", "low": 10.0, "most_likely": 20.0}]})
    [error] = read_lines(frame, {}).errors
    assert "give the high end too" in str(error)


def test_one_end_alone_is_a_certain_amount():
    """Only a low end means that amount for certain, as in every range row."""
    frame = apply_edits(lines_frame([]), {"added_rows": [
        {"name": "Install", "paid": "one_off", "low": 250.0}]})
    [line] = read_lines(frame, {}).items
    assert (line.amount.low, line.amount.high) == (250.0, 250.0)
