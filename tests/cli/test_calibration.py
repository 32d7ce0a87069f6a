"""`mlpm calibrate`, `mlpm interval` and `mlpm actuals` as a user runs them."""

import io
import json
import re

import numpy as np
import pandas as pd
import pytest

from mlpm_cli.main import main
from mlpm_core.store import load_reference_class

pytestmark = pytest.mark.usefixtures("data_dir")  # a private, empty store for every command


def write_actuals(path, n=400, seed=3, sigma=0.5):
    rng = np.random.default_rng(seed)
    estimates = rng.uniform(1, 20, n).round(1)
    actuals = (estimates * np.exp(0.2 + sigma * rng.standard_normal(n))).round(2)
    lines = ["Estimate,Actual,Done,Team"]
    for i, (e, a) in enumerate(zip(estimates, actuals, strict=True)):
        lines.append(f"{e},{a},2024-{1 + i * 12 // n:02d}-{1 + i % 28:02d},team{i % 4}")
    path.write_text("\n".join(lines) + "\n")
    return estimates


def test_calibrate_saves_a_class_that_interval_then_uses(tmp_path, capsys):
    """A fitted class is saved by name and `mlpm interval --reference` uses it."""
    csv = tmp_path / "done.csv"
    write_actuals(csv)
    assert main(["calibrate", str(csv), "--estimate-col", "Estimate", "--actual-col", "Actual",
                 "--team-col", "Team", "--name", "team"]) == 0
    out = capsys.readouterr().out
    assert "saved reference class 'team'" in out
    done = pd.read_csv(csv)
    totals = done.groupby("Team")[["Estimate", "Actual"]].sum()
    ratios = totals.Actual / totals.Estimate  # the bias is that of the teams' totals
    printed = float(re.search(r"totals ran x([0-9.]+) of their estimates", out).group(1))
    assert ratios.min() - 0.01 <= printed <= ratios.max() + 0.01
    assert "between 4 teams" in out
    assert main(["interval", "--estimate", "10", "--estimate", "2", "--reference", "team"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [set(row) for row in rows] == [{"estimate", "low", "median", "high"}] * 2
    assert rows[0]["estimate"] == 10 and rows[0]["low"] < rows[0]["median"] < rows[0]["high"]


def test_interval_from_a_csv_prints_one_line_per_row(tmp_path, capsys):
    """`--from CSV` prints one JSON object per estimate, in order, for thousands of rows."""
    csv = tmp_path / "backlog.csv"
    estimates = write_actuals(csv, n=10_000)
    assert main(["interval", "--from", str(csv), "--estimate-col", "Estimate"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(rows) == 10_000
    assert [row["estimate"] for row in rows[:5]] == list(estimates[:5])


def test_evaluate_reports_coverage_for_each_method(tmp_path, capsys):
    """--evaluate prints held-out coverage and Winkler scores at 50/80/90% for the fitted
    method beside the spike-lognormal, the size buckets, the plain lognormal and PERT."""
    csv = tmp_path / "done.csv"
    write_actuals(csv)
    assert main(["calibrate", str(csv), "--estimate-col", "Estimate", "--actual-col", "Actual",
                 "--date-col", "Done", "--evaluate"]) == 0
    out = capsys.readouterr().out
    for method in ("mlpm conformal quantiles", "spike at 1 + lognormal", "size-bucket quantiles",
                   "plain lognormal", "PERT"):
        assert out.count(method) == 3
    assert "winkler" in out and "x plain" in out
    assert "ordered by date" in out


def test_actuals_are_recorded_in_the_store_and_calibrate_uses_them(tmp_path, capsys):
    """Imported actuals are listed back, and calibrate without a CSV fits on them."""
    csv = tmp_path / "done.csv"
    write_actuals(csv, n=50)
    assert main(["actuals", "import", str(csv), "--estimate-col", "Estimate",
                 "--actual-col", "Actual", "--date-col", "Done", "--team-col", "Team"]) == 0
    assert main(["actuals", "list"]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert len(listing) == 1 + 1 + 50  # import message, header, rows
    assert main(["calibrate", "--name", "stored"]) == 0
    assert "(50 tasks" in capsys.readouterr().out


def test_importing_one_file_twice_records_its_tasks_once(tmp_path, capsys):
    """A second import of the same file doubled every finished task, silently and for good;
    it now records only the rows not already there and says how many it left out."""
    csv = tmp_path / "done.csv"
    write_actuals(csv, n=30)
    command = ["actuals", "import", str(csv), "--estimate-col", "Estimate",
               "--actual-col", "Actual", "--date-col", "Done"]
    assert main(command) == 0
    assert main(command) == 0
    out = capsys.readouterr().out
    assert "recorded 30 actuals" in out and "recorded 0 actuals" in out
    assert "30 rows were already recorded exactly so" in out
    with csv.open("a", encoding="utf-8") as more:  # a row added to the file since
        more.write("7,9,2024-06-01,blue\n")
    assert main(command) == 0
    out = capsys.readouterr().out
    assert "recorded 1 actuals" in out and "30 rows were already recorded" in out
    assert main(["actuals", "list"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1 + 31  # header, rows


def test_actuals_are_deleted_by_the_ids_list_prints(tmp_path, capsys):
    """`actuals list` prints each row's id; `actuals delete` removes those ids and says how
    many; an unknown id deletes nothing and says so in one line; a non-number is a usage error."""
    csv = tmp_path / "wrong.csv"
    csv.write_text("Estimate,Actual\n1,2\n3,4\n5,6\n")
    assert main(["actuals", "import", str(csv), "--estimate-col", "Estimate",
                 "--actual-col", "Actual"]) == 0
    capsys.readouterr()
    assert main(["actuals", "list"]) == 0
    listed = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert list(listed["id"]) == [1, 2, 3] and listed["task"][2] == "wrong.csv row 3"
    assert main(["actuals", "delete", "3", "1"]) == 0
    assert "deleted 2 recorded actuals" in capsys.readouterr().out
    assert main(["actuals", "delete", "2", "3"]) == 2
    err = capsys.readouterr().err
    assert "No recorded actual has the id 3" in err and "nothing was deleted" in err
    assert err.count("\n") == 1
    with pytest.raises(SystemExit) as usage:
        main(["actuals", "delete", "two"])
    assert usage.value.code == 2 and "whole number" in capsys.readouterr().err
    assert main(["actuals", "list"]) == 0
    assert list(pd.read_csv(io.StringIO(capsys.readouterr().out))["task"]) == ["wrong.csv row 2"]


@pytest.mark.parametrize("content, message", [
    ("Estimate,Actual\n5,abc\n", "not a number"),
    ("Estimate,Actual\n0,3\n", "greater than zero"),
    ("Estimate,Actual\n-2,3\n", "greater than zero"),
    ("Est,Act\n1,2\n", "Estimate"),
    ("", "empty"),
])
def test_bad_actuals_files_get_one_readable_error(tmp_path, capsys, content, message):
    """Text, zero, negative values, missing columns and empty files are refused readably."""
    csv = tmp_path / "bad.csv"
    csv.write_text(content)
    status = main(["calibrate", str(csv), "--estimate-col", "Estimate", "--actual-col",
                   "Actual"])
    err = capsys.readouterr().err
    assert status == 2 and message.lower() in err.lower()
    assert err.count("\n") == 1


def test_interval_needs_estimates(capsys):
    """Asking for an interval without estimates is a clean usage error."""
    assert main(["interval"]) == 2
    assert "--estimate" in capsys.readouterr().err


@pytest.mark.parametrize("option, expected", [([], 365.0), (["--half-life-days", "90"], 90.0),
                                              (["--half-life-days", "off"], None)])
def test_half_life_option_sets_the_recency_weights(tmp_path, capsys, option, expected):
    """--half-life-days reaches the fit (the saved table records it; 'off' weighs all alike)
    and the class's description says what was used; the default is the core's default."""
    from mlpm_core.calibration.conformal import DEFAULT_HALF_LIFE_DAYS

    csv = tmp_path / "done.csv"
    write_actuals(csv)
    assert main(["calibrate", str(csv), "--estimate-col", "Estimate", "--actual-col", "Actual",
                 "--date-col", "Done", "--name", "recent", *option]) == 0
    capsys.readouterr()
    rc = load_reference_class("recent")
    assert rc.table is not None and rc.table.half_life_days == expected
    assert ("half-life" in rc.description) == (expected is not None)
    if not option:
        assert expected == DEFAULT_HALF_LIFE_DAYS


def test_half_life_changes_the_held_out_fit(tmp_path, capsys):
    """--evaluate fits with the half-life given: a short one and none print different tables."""
    csv = tmp_path / "done.csv"
    write_actuals(csv)
    tables = []
    for value in ("5", "off"):
        assert main(["calibrate", str(csv), "--estimate-col", "Estimate", "--actual-col",
                     "Actual", "--date-col", "Done", "--evaluate", "--half-life-days",
                     value]) == 0
        tables.append(capsys.readouterr().out)
    assert tables[0] != tables[1]
    assert "half-life 5 days" in tables[0] and "all tasks weighing alike" in tables[1]


@pytest.mark.parametrize("value", ["0", "-30", "abc", "nan", "inf"])
def test_bad_half_life_is_one_readable_line(tmp_path, capsys, value):
    """A half-life that is not a positive number of days (or 'off') is refused by the parser."""
    with pytest.raises(SystemExit) as exit_info:
        main(["calibrate", str(tmp_path / "x.csv"), "--half-life-days", value])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "--half-life-days" in err and "Traceback" not in err


def test_calibrate_names_a_row_that_carries_the_bias(tmp_path, capsys):
    """A typo (an actual of 4,000 on an estimate of 4) is named by its data row, with the
    bias with and without it; the class is still saved with it."""
    csv = tmp_path / "done.csv"
    write_actuals(csv, n=60)
    lines = csv.read_text().splitlines()
    lines[31] = "4,4000,2024-06-01,team1"  # data row 31
    csv.write_text("\n".join(lines) + "\n")
    assert main(["calibrate", str(csv), "--estimate-col", "Estimate", "--actual-col", "Actual",
                 "--name", "typo"]) == 0
    out = capsys.readouterr().out
    (check,) = [line for line in out.splitlines() if line.startswith("check: ")]
    assert "One task carries the estimator bias: row 31 (estimate 4, actual 4000)" in check
    printed = re.search(r"totals ran x([0-9.]+) of their estimates", out).group(1)
    assert f"The bias is x{printed} with it" in check
    assert load_reference_class("typo").n_points == 60


def test_calibrate_says_nothing_to_check_on_ordinary_data(tmp_path, capsys):
    """Lognormal actuals around their estimates name no row."""
    csv = tmp_path / "done.csv"
    write_actuals(csv)
    assert main(["calibrate", str(csv), "--estimate-col", "Estimate", "--actual-col", "Actual",
                 "--name", "plain"]) == 0
    assert "check: " not in capsys.readouterr().out
