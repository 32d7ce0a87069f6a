"""From recorded actuals to a reference class: CSV header, rows, the fit and the held-out check."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np
import pytest

from mlpm_core.calibration import from_actuals as af
from mlpm_core.calibration.actuals import Actual, load_actuals
from mlpm_core.calibration.reference_class import ReferenceClass
from mlpm_core.errors import UserError

PRIOR = ReferenceClass(name="prior", n_points=500, mu=0.0, sigma=0.9, shared_mu=-0.5,
                       shared_sigma=0.25, within_sigma=0.8, n_groups=12,
                       attribution="Prior data, CC BY 4.0", licence="CC BY 4.0")


def tasks(n: int = 40, ratio: float = 1.5, seed: int = 1) -> list[Actual]:
    """Finished tasks of two teams that overrun about ``ratio`` times, one per day."""
    rng = np.random.default_rng(seed)
    return [Actual(task=f"t{i}", estimate=float(2 + i % 7),
                   actual=float((2 + i % 7) * ratio * np.exp(rng.normal(0, 0.3))),
                   unit="days", phase="pipeline" if i % 2 else None,
                   finished_on=dt.date(2024, 3, 1) + dt.timedelta(days=i),
                   team="red" if i % 4 else "blue") for i in range(n)]


def test_csv_columns_are_named_as_the_loader_names_them(tmp_path):
    """Leading spaces go and a repeated name gets pandas' '.1', exactly as load_actuals reads
    it, so a mapped column is always found."""
    raw = b"estimate, actual,estimate\n1,2,3\n"
    columns = af.csv_columns(raw, "x.csv")
    assert columns == ["estimate", "actual", "estimate.1"]
    path = tmp_path / "x.csv"
    path.write_bytes(raw)
    frame = load_actuals(path, estimate=columns[2], actual=columns[1])
    assert list(frame["estimate"]) == [3.0]


@pytest.mark.parametrize(("raw", "message"), [
    (b"  \n", "is empty"), (b"a,b\x00\n", "binary"), (b"\xff\xfe\x00a", "binary"),
    (b"estimate;actual\n1;2\n", "another separator"), (b"only\n1\n", "one column"),
])
def test_a_header_that_cannot_hold_estimate_and_actual_is_refused(raw, message):
    """Empty, binary and one-column files are a UserError naming the file."""
    with pytest.raises(UserError, match=message) as caught:
        af.csv_columns(raw, "upload.csv")
    assert "upload.csv" in str(caught.value)


def test_loaded_rows_become_actuals_named_after_file_and_row(tmp_path):
    """Phase, date and team carry over; empty cells become None."""
    path = tmp_path / "done.csv"
    path.write_text("e,a,p,d,t\n4,5,dev,2024-05-01,red\n2,2,,,\n", encoding="utf-8")
    frame = load_actuals(path, estimate="e", actual="a", phase="p", date="d", team="t")
    rows = af.frame_to_actuals(frame, "done.csv", "hours")
    assert rows[0] == Actual(task="done.csv row 1", estimate=4.0, actual=5.0, unit="hours",
                             phase="dev", finished_on=dt.date(2024, 5, 1), team="red")
    assert (rows[1].phase, rows[1].finished_on, rows[1].team) == (None, None, None)


def test_without_teams_the_median_bias_is_the_tasks_own_and_the_spread_is_borrowed():
    """Tasks that overrun 1.5x give a median factor near 1.5 while the between-project spread,
    its project count and attribution come from the prior, and the description says so."""
    fitted = af.fit_from_actuals(tasks(), name="mine", prior=PRIOR, today=dt.date(2025, 1, 2))
    assert np.exp(fitted.shared_mu) == pytest.approx(1.5, rel=0.1)
    assert (fitted.shared_sigma, fitted.n_groups, fitted.licence) == (0.25, 12, "CC BY 4.0")
    assert fitted.n_points == 40 and fitted.estimate_unit == "days"
    assert fitted.description.startswith("Fitted in the mlpm app on 2025-01-02 from 40")
    assert "borrowed from the class 'prior'" in fitted.description
    assert "Prior data, CC BY 4.0" in fitted.attribution
    assert fitted.spread_from == "prior"


def test_the_report_does_not_give_a_borrowed_spread_s_projects_to_the_team():
    """The report read "reference class 'our-team' from 300 finished tasks (18 projects)" for
    a file with no project column: the 18 projects were the prior's."""
    from mlpm_core.estimate.calibration_used import Calibration
    from mlpm_core.report import calibration_sentence

    fitted = af.fit_from_actuals(tasks(), name="mine", prior=PRIOR, today=dt.date(2025, 1, 2))
    teams = af.fit_from_actuals(tasks(), name="teams", by_team=True, prior=PRIOR)

    def sentence(rc: ReferenceClass) -> str:
        return calibration_sentence(Calibration(
            name=rc.name, description=rc.description, n_points=rc.n_points,
            n_groups=rc.n_groups, bias_median=rc.bias_median, bias_sigma=rc.shared_sigma,
            spread_from=rc.spread_from, attribution=rc.attribution))

    assert ("from 40 finished tasks (no projects recorded; the spread between projects from "
            "'prior', 12 projects)") in sentence(fitted)
    assert "from 40 finished tasks (2 projects)" in sentence(teams)


def test_by_team_the_shared_bias_is_learnt_from_the_teams():
    """With two teams the shared bias comes from them and nothing is borrowed."""
    fitted = af.fit_from_actuals(tasks(), name="mine", by_team=True, prior=PRIOR)
    assert fitted.n_groups == 2 and fitted.shared_sigma != PRIOR.shared_sigma
    assert "learnt from 2 teams" in fitted.description and fitted.licence == ""


def test_phases_with_enough_tasks_get_their_own_parameters():
    """With the per-phase threshold lowered, the 20 pipeline tasks get parameters of their
    own; untagged tasks have no phase to fit."""
    fitted = af.fit_from_actuals(tasks(), name="mine", by_phase=True, min_phase_points=20)
    assert set(fitted.phases) == {"pipeline"} and fitted.phases["pipeline"].n_points == 20
    assert "phases pipeline" in fitted.description


@pytest.mark.parametrize(("rows", "options", "message"), [
    (tasks()[:1], {}, "At least 2"),
    ([*tasks(4), replace(tasks(1)[0], unit="hours")], {}, "mix units"),
    ([replace(t, team="red") for t in tasks()], {"by_team": True}, "two teams"),
    (tasks(), {"name": "bad name"}, "not allowed"),
])
def test_fits_that_cannot_be_made_are_readable_errors(rows, options, message):
    """Too few tasks, mixed units, one team 'by team' and a bad name are UserErrors."""
    with pytest.raises(UserError, match=message):
        af.fit_from_actuals(rows, **{"name": "mine", **options})


def test_the_held_out_check_fits_on_the_earlier_finish_dates():
    """Shuffled rows are ordered by finish date: fit on the first 28 days, test on the rest."""
    rows = tasks()
    shuffled = [rows[i] for i in np.random.default_rng(0).permutation(len(rows))]
    check = af.held_out(shuffled, train_fraction=0.7)
    assert (check.evaluation.n_train, check.evaluation.n_test) == (28, 12)
    assert check.train_dates == (dt.date(2024, 3, 1), dt.date(2024, 3, 28))
    assert check.test_dates == (dt.date(2024, 3, 29), dt.date(2024, 4, 9))
    assert "finished 2024-03-29 to 2024-04-09" in check.sentence()
    table = check.coverage_rows()
    assert [row["Interval"] for row in table] == ["50%", "80%", "90%"]
    assert set(table[0]) == {"Interval", "Nominal coverage", "mlpm fit", "Plain lognormal",
                             "Size-bucket quantiles",
                             "PERT 0.75x-1.5x estimate"}
    scores = check.score_rows()
    assert [row["Interval"] for row in scores] == ["50%", "80%", "90%"]
    assert all(row["Plain lognormal"] == "1.00x" for row in scores)
    for row, level in zip(scores, (0.5, 0.8, 0.9), strict=True):
        ratio = (check.evaluation.score("conformal", level).winkler
                 / check.evaluation.score("lognormal", level).winkler)
        assert row["mlpm fit"] == f"{ratio:.2f}x"


def test_without_every_finish_date_the_check_keeps_the_recorded_order():
    """One task without a date: the split follows the recorded order and says so."""
    rows = [*tasks(), replace(tasks(1)[0], finished_on=None)]
    check = af.held_out(rows)
    assert check.train_dates is None and not check.by_date
    assert "as recorded" in check.sentence()
