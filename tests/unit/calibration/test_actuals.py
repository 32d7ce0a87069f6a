"""Loading a team's actuals from CSV: mapping, validation and readable errors."""

import csv

import numpy as np
import pytest

from mlpm_core.calibration.actuals import MAX_BYTES, ColumnMapping, load_actuals
from mlpm_core.errors import UserError
from tests.conftest import naughty_strings


def write(tmp_path, text, encoding="utf-8", name="actuals.csv"):
    """Write ``text`` to a CSV file in ``tmp_path`` and return its path."""
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


def test_loads_mapped_columns(tmp_path):
    """Mapped columns come back validated and renamed; other columns are ignored."""
    path = write(tmp_path, "Task,Est h,Actual h,Phase,Done,Team\n"
                           "a,2,3.5,build,2024-03-04,red\n"
                           "b, 1.5 ,1.5,data,2024-03-05,blue\n")
    df = load_actuals(path, ColumnMapping(estimate="Est h", actual="Actual h", phase="Phase",
                                          date="Done", team="Team"))
    assert list(df.columns) == ["estimate", "actual", "phase", "date", "team"]
    assert df.estimate.tolist() == [2.0, 1.5] and df.actual.tolist() == [3.5, 1.5]
    assert df.phase.tolist() == ["build", "data"] and df.team.tolist() == ["red", "blue"]
    assert str(df.date.iloc[0].date()) == "2024-03-04"  # ISO, not read day-first


def test_column_names_match_ignoring_case_and_keywords_work(tmp_path):
    """Column names match case-insensitively and can be given as keywords."""
    path = write(tmp_path, "ESTIMATE,Actual\n1,2\n")
    df = load_actuals(path, estimate="estimate", actual="actual")
    assert df.estimate.tolist() == [1.0] and df.actual.tolist() == [2.0]


def test_windows_1252_file_is_read(tmp_path):
    """A Windows-1252 file (not valid UTF-8) is decoded as such."""
    path = write(tmp_path, "est,act,phase\n1,2,Entwurf für Café\n", encoding="cp1252")
    df = load_actuals(path, estimate="est", actual="act", phase="phase")
    assert df.phase.tolist() == ["Entwurf für Café"]


def test_utf8_with_bom_is_read(tmp_path):
    """A UTF-8 file with a byte-order mark still finds its first column."""
    path = write(tmp_path, "\ufeffest,act\n1,2\n")
    assert load_actuals(path, estimate="est", actual="act").estimate.tolist() == [1.0]


def test_missing_column_lists_available_ones(tmp_path):
    """A missing column gives a UserError naming it and listing the file's columns."""
    path = write(tmp_path, "hours_est,hours_act\n1,2\n")
    with pytest.raises(UserError, match=r"No column named 'estimate'.*'hours_est', 'hours_act'"):
        load_actuals(path, estimate="estimate", actual="hours_act")


def test_semicolon_file_gets_a_separator_hint(tmp_path):
    """A semicolon-separated file says the separator looks wrong."""
    path = write(tmp_path, "est;act\n1;2\n")
    with pytest.raises(UserError, match="separator"):
        load_actuals(path, estimate="est", actual="act")


@pytest.mark.parametrize(("cell", "problem"), [
    ("0", "greater than zero"),
    ("-3", "greater than zero"),
    ("abc", "not a number"),
    ("nan", "not a number"),
    ("inf", "not a finite number"),
    ("", "is empty"),
    ("=1+1", "not a number"),
])
def test_bad_values_name_row_and_value(tmp_path, cell, problem):
    """Zero, negative, text, NaN, infinite or empty values name the column, row and value."""
    path = write(tmp_path, f"est,act\n1,2\n3,4\n2,{cell}\n")
    with pytest.raises(UserError, match=problem) as info:
        load_actuals(path, estimate="est", actual="act")
    assert "'act', row 3" in str(info.value) and repr(cell) in str(info.value)


def test_formula_cells_are_kept_as_text_not_evaluated(tmp_path):
    """Spreadsheet-formula cells in text columns come back as the literal text."""
    formulas = ['=1+1', '+SUM(A1:A2)', '-2+3', '@cmd', '=HYPERLINK("http://x","y")']
    rows = [["est", "act", "phase"]] + [["1", "2", f] for f in formulas]
    path = tmp_path / "f.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    df = load_actuals(path, estimate="est", actual="act", phase="phase")
    assert df.phase.tolist() == formulas


def test_empty_and_header_only_files_are_rejected(tmp_path):
    """An empty file, a blank file and a header without rows each give a UserError."""
    for text, message in (("", "empty"), ("\n\n  \n", "empty"), ("est,act\n", "no data rows")):
        with pytest.raises(UserError, match=message):
            load_actuals(write(tmp_path, text), estimate="est", actual="act")


def test_huge_file_is_rejected_before_reading(tmp_path):
    """A file over the 20 MB limit gives a UserError without being parsed."""
    path = tmp_path / "huge.csv"
    with path.open("wb") as fh:
        fh.write(b"est,act\n1,2\n")
        fh.truncate(MAX_BYTES + 1)  # sparse: no 20 MB written to disk
    with pytest.raises(UserError, match="MB"):
        load_actuals(path, estimate="est", actual="act")


def test_undecodable_and_binary_files_are_rejected(tmp_path):
    """Bytes that are neither UTF-8 nor Windows-1252, and binary files, give a UserError."""
    with pytest.raises(UserError, match="UTF-8"):
        load_actuals(write(tmp_path, b"est,act\n1,2\x81\x8d\n"), estimate="est", actual="act")
    with pytest.raises(UserError, match="binary"):
        load_actuals(write(tmp_path, b"est,act\n1,\x002\n"), estimate="est", actual="act")


def test_missing_file_and_bad_mapping_are_user_errors(tmp_path):
    """A missing file, an incomplete mapping or a column mapped twice gives a UserError."""
    with pytest.raises(UserError, match="not found"):
        load_actuals(tmp_path / "nope.csv", estimate="e", actual="a")
    path = write(tmp_path, "est,act\n1,2\n")
    with pytest.raises(UserError):
        load_actuals(path, estimate="est")
    with pytest.raises(UserError, match="different"):
        load_actuals(path, estimate="est", actual="est")


def test_bad_date_names_the_row(tmp_path):
    """An unreadable date names its row; empty dates are allowed."""
    path = write(tmp_path, "est,act,when\n1,2,\n1,2,31/12/2024\n1,2,someday\n")
    with pytest.raises(UserError, match=r"row 3: 'someday'"):
        load_actuals(path, estimate="est", actual="act", date="when")


def test_malformed_csv_is_a_user_error(tmp_path):
    """A row with more fields than the header gives a UserError, not a parser traceback."""
    with pytest.raises(UserError, match="well-formed"):
        load_actuals(write(tmp_path, "est,act\n1,2\n1,2,3,4\n"), estimate="est", actual="act")


def test_naughty_strings_survive_as_data(tmp_path):
    """Every Big List of Naughty Strings entry in a text column comes back as the same text."""
    strings = naughty_strings()
    path = tmp_path / "n.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["est", "act", "phase", "team"])
        writer.writerows([["1", "2", s, s] for s in strings])
    df = load_actuals(path, estimate="est", actual="act", phase="phase", team="team")
    expected = [s.strip() for s in strings]
    assert df.phase.tolist() == expected and df.team.tolist() == expected
    assert np.all(df.estimate == 1.0)
