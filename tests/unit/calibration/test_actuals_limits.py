"""Limits on actuals: amounts a fit can use, a bounded number of columns, short messages."""

import os

import numpy as np
import pytest

from mlpm_core.calibration.actuals import MAX_COLUMNS, load_actuals, load_estimates
from mlpm_core.calibration.fit import fit_reference_class
from mlpm_core.calibration.from_actuals import csv_columns
from mlpm_core.calibration.reference_class import MAX_AMOUNT, MIN_AMOUNT
from mlpm_core.errors import MESSAGE_LIMIT, UserError


def write(tmp_path, text, name="actuals.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("rows", "column", "problem"), [
    ("X,5e-324,1\nY,2,3\n", "est", "'5e-324' is below the smallest amount, 0.001"),
    ("X,1e-300,1e308\nY,2,3\n", "est", "'1e-300' is below the smallest amount"),
    ("X,2,1e308\nY,2,3\n", "act", "'1e308' is above the largest amount, 1,000,000,000"),
    ("X,0.0009,1\nY,2,3\n", "est", "'0.0009' is below the smallest amount"),
])
def test_amounts_outside_the_usable_range_name_the_cell(tmp_path, rows, column, problem):
    """Tiny or huge numbers (which overflowed the fit) are refused naming column, row, value."""
    path = write(tmp_path, "task,est,act\n" + rows)
    with pytest.raises(UserError, match=f"Column '{column}', row 1: value {problem}"):
        load_actuals(path, estimate="est", actual="act")


def test_the_smallest_and_largest_amounts_are_accepted(tmp_path):
    """The bounds themselves are usable amounts."""
    path = write(tmp_path, f"est,act\n{MIN_AMOUNT},{MAX_AMOUNT:.0f}\n1,2\n")
    frame = load_actuals(path, estimate="est", actual="act")
    assert frame.estimate.tolist() == [MIN_AMOUNT, 1.0]
    assert frame.actual.tolist() == [MAX_AMOUNT, 2.0]
    assert load_estimates(path, "act").tolist() == [MAX_AMOUNT, 2.0]


def test_the_fit_refuses_amounts_out_of_range_from_any_source():
    """Recorded actuals reach the fit without a CSV; it checks the same range."""
    with pytest.raises(UserError, match=r"Every actual must be a positive number from 0\.001 "
                                        r"to 1,000,000,000; item 1 is 1e\+308"):
        fit_reference_class(np.array([1.0, 2.0, 3.0]), np.array([1e308, 2.0, 3.0]), name="x")


def test_a_file_with_20000_columns_gets_one_short_line_naming_the_problem(tmp_path):
    """A very wide file is refused by its column count, in a line far shorter than its header,
    both when loaded and when an upload's columns are listed."""
    header = ",".join(f"column{i}" for i in range(20_000))
    text = header + "\n" + ",".join("1" for _ in range(20_000)) + "\n"
    path = write(tmp_path, text, name="wide.csv")
    with pytest.raises(UserError) as loaded:
        load_actuals(path, estimate="est", actual="act")
    with pytest.raises(UserError) as listed:
        csv_columns(text.encode(), "wide.csv")
    for error in (loaded, listed):
        message = str(error.value)
        assert message.startswith("wide.csv has 20,000 columns; an actuals file may have at "
                                  f"most {MAX_COLUMNS:,}")
        assert len(message) < 200 < MESSAGE_LIMIT


def test_a_missing_column_lists_only_the_first_columns_and_counts_the_rest(tmp_path):
    """Among many columns, the message shows a dozen names and how many more there are."""
    header = ",".join(f"c{i}" for i in range(500))
    path = write(tmp_path, header + "\n" + ",".join("1" for _ in range(500)) + "\n")
    with pytest.raises(UserError) as error:
        load_actuals(path, estimate="estimate", actual="c1")
    message = str(error.value)
    assert "No column named 'estimate'. Available columns: 'c0', 'c1'," in message
    assert "'c11' and 488 more." in message and "'c12'" not in message


def test_a_very_long_bad_cell_is_cut_in_the_message(tmp_path):
    """A 10,000-character cell is quoted by its start only."""
    path = write(tmp_path, "est,act\n" + "9" * 5 + "x" * 10_000 + ",1\n1,2\n")
    with pytest.raises(UserError) as error:
        load_actuals(path, estimate="est", actual="act")
    assert "value '99999xxxx" in str(error.value) and len(str(error.value)) < 200


def test_actuals_from_a_device_or_a_pipe_are_refused(tmp_path):
    """The CSV readers go through the regular-file check."""
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    for path in ("/dev/zero", fifo):
        with pytest.raises(UserError, match="not a regular file"):
            load_actuals(path, estimate="est", actual="act")
        with pytest.raises(UserError, match="not a regular file"):
            load_estimates(path, "est")
