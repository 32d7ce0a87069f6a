"""The Actuals & calibration page through AppTest: record, import, fit, save and choose a class."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest

from mlpm_core.calibration.actuals import Actual
from mlpm_core.report import bias_phrase
from mlpm_core.store.database import open_store
from mlpm_core.store.reference_classes import list_reference_classes, load_reference_class
from mlpm_ui import actuals, calibration, state
from mlpm_ui.text import md
from tests.app.support import (
    goto,
    new_app,
    plain,
    scenario_id,
    start_example,
)

pytestmark = pytest.mark.usefixtures("fresh_app")

PAGE = "calibration"
GOOD_CSV = (b"Task,Estimate (h),Actual hours,Phase,Finished,Team\n"
            b"a,4,5,Development,2024-01-03,red\n"
            b"b,2,2,Development,2024-01-04,red\n"
            b"c,8,13,Testing,2024-02-01,blue\n")


def finished_tasks(n: int = 60, seed: int = 3) -> list[Actual]:
    """Synthetic finished tasks of two teams over 60 days, a third exactly on estimate."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        estimate = float(np.round(np.exp(rng.normal(1.0, 0.8)), 1) + 0.5)
        ratio = 1.0 if rng.random() < 0.33 else float(np.exp(rng.normal(0.3, 0.4)))
        rows.append(Actual(task=f"task {i}", estimate=estimate,
                           actual=float(np.round(estimate * ratio, 2)), unit="days",
                           phase="experimentation" if i % 2 else "pipeline",
                           finished_on=dt.date(2024, 1, 1) + dt.timedelta(days=i),
                           team="red" if i % 3 else "blue"))
    return rows


def upload(at, raw: bytes, name: str = "done.csv"):
    """Upload ``raw`` as a CSV into the page's (first) uploader and run."""
    return at.file_uploader(key="calibration.upload.0").set_value((name, raw, "text/csv")).run()


def page_text(at) -> str:
    return " ".join(str(e.value) for kind in ("markdown", "caption", "error", "warning",
                                              "info", "success")
                    for e in getattr(at, kind))


def test_the_page_runs_without_a_scenario_and_cites_its_idea():
    """Without a scenario the page runs, cites reference-class forecasting and asks to open
    a scenario before a class can be chosen."""
    at = goto(new_app(), PAGE)
    assert not at.exception
    text = page_text(at)
    assert "reference\\-class forecasting" in text and "Flyvbjerg" in text
    assert "does not represent ML projects" in text
    assert any("No scenario is open" in info.value for info in at.info)
    assert not [box for box in at.selectbox if box.key == calibration.CHOICE_KEY]


def test_recording_a_task_by_hand_stores_it():
    """Filling the form and pressing 'Record this task' adds one actual to the store."""
    at = goto(new_app(), PAGE)
    at.text_input(key="calibration.task").input("Label 5,000 transactions")
    at.number_input(key="calibration.estimate").set_value(5.0)
    at.number_input(key="calibration.actual").set_value(7.5)
    at.selectbox(key="calibration.phase").set_value("experimentation")
    at.text_input(key="calibration.team").input("red")
    at.button(key="calibration.record_submit").click().run()
    assert not at.exception and not at.error
    (row,) = open_store().list_actuals()
    assert (row.task, row.estimate, row.actual, row.unit, row.phase, row.team) == (
        "Label 5,000 transactions", 5.0, 7.5, "days", "experimentation", "red")
    assert row.finished_on == dt.date.today()


def test_a_task_without_an_actual_is_refused_and_nothing_is_stored():
    """A form without the actual shows a readable error and records nothing."""
    at = goto(new_app(), PAGE)
    at.text_input(key="calibration.task").input("Half done")
    at.number_input(key="calibration.estimate").set_value(3.0)
    at.button(key="calibration.record_submit").click().run()
    assert not at.exception
    assert any("actual above zero" in error.value for error in at.error)
    assert open_store().list_actuals() == []


def test_a_valid_csv_is_mapped_previewed_and_imported():
    """The mapping is guessed from the header, the preview shows the rows, and 'Import' stores
    them with phase, date and team."""
    at = upload(goto(new_app(), PAGE), GOOD_CSV)
    assert not at.exception and not at.error
    assert at.selectbox(key="calibration.map.estimate").value == "Estimate (h)"
    assert at.selectbox(key="calibration.map.actual").value == "Actual hours"
    assert at.selectbox(key="calibration.map.date").value == "Finished"
    at.selectbox(key="calibration.map.unit").set_value("hours").run()
    assert len(at.dataframe[0].value) == 3
    assert open_store().list_actuals() == []  # a preview stores nothing
    at.button(key="calibration.import").click().run()
    assert not at.exception
    rows = open_store().list_actuals()
    assert [(r.estimate, r.actual, r.unit, r.phase, r.team) for r in rows] == [
        (4.0, 5.0, "hours", "Development", "red"), (2.0, 2.0, "hours", "Development", "red"),
        (8.0, 13.0, "hours", "Testing", "blue")]
    assert rows[2].finished_on == dt.date(2024, 2, 1) and rows[0].task == "done.csv row 1"
    assert any("Recorded 3 finished tasks" in s.value for s in at.success)
    assert at.file_uploader(key="calibration.upload.1").value is None  # ready for the next


def test_importing_the_same_file_again_records_nothing_twice():
    """A second import of one file said "Recorded 3 finished tasks" and doubled them; it now
    records none and says why."""
    at = upload(goto(new_app(), PAGE), GOOD_CSV)
    at.button(key="calibration.import").click().run()
    at = at.file_uploader(key="calibration.upload.1").set_value(
        ("done.csv", GOOD_CSV, "text/csv")).run()
    at.button(key="calibration.import").click().run()
    assert not at.exception
    assert len(open_store().list_actuals()) == 3
    shown = " ".join(message.value for message in at.info).replace("\\", "")
    assert "Recorded 0 finished tasks from done.csv" in shown
    assert "3 rows were already recorded exactly so" in shown


def test_each_file_gets_its_own_guessed_mapping():
    """After a file whose columns were mapped by hand, the next file's mapping is guessed
    afresh: a choice kept from the earlier file mapped estimate and actual both to 'Task'."""
    at = upload(goto(new_app(), PAGE), b"Task,Size,Spent\nx,1,2\n", name="first.csv")
    at.selectbox(key="calibration.map.actual").set_value("Task").run()
    at.file_uploader(key="calibration.upload.0").set_value(
        ("second.csv", GOOD_CSV, "text/csv")).run()
    assert not at.exception and not at.error
    assert at.selectbox(key="calibration.map.estimate").value == "Estimate (h)"
    assert at.selectbox(key="calibration.map.actual").value == "Actual hours"
    assert at.selectbox(key="calibration.map.unit").value == "hours"  # "(h)", "hours"
    assert at.selectbox(key="calibration.map.date").value == "Finished"


@pytest.mark.parametrize(("raw", "message"), [
    (b"", "is empty"),
    (b"estimate,actual\n", "no data rows"),
    (b"estimate,actual\n4,5\nlots,2\n", "is not a number"),
    (b"estimate,actual\n=1+1,5\n", "is not a number"),
    (b"estimate,actual\n4,-5\n", "greater than zero"),
    (b"estimate,actual\x00\n4,5\n", "binary"),
    (b"estimate;actual\n4;5\n", "another separator than a comma"),
    (b"estimate,actual,phase\n4,5,x\n", "must be a different CSV column"),
    (b"estimate,actual,finished\n4,5,someday\n", "is not a date"),
], ids=["empty", "header-only", "text", "formula", "negative", "binary", "separator",
        "same-column", "bad-date"])
def test_a_bad_csv_shows_a_readable_error_and_stores_nothing(raw, message):
    """A broken file or cell is one readable st.error, no import button, nothing stored."""
    at = goto(new_app(), PAGE)
    at = upload(at, raw, "bad.csv")
    if message == "is not a date":
        at.selectbox(key="calibration.map.date").set_value("finished").run()
    if message == "must be a different CSV column":
        at.selectbox(key="calibration.map.actual").set_value("estimate").run()
    assert not at.exception
    errors = [error.value for error in at.error]
    assert any(e.startswith("Nothing was imported") for e in errors), errors
    assert any(message in e.replace("\\", "") for e in errors), errors
    assert not [button for button in at.button if button.key == "calibration.import"]
    assert open_store().list_actuals() == []


def test_an_oversized_file_is_refused():
    """A file over the upload limit is refused with its size, before it is read."""
    raw = b"estimate,actual\n" + b"4,5\n" * (actuals.MAX_UPLOAD_BYTES // 4 + 1)
    at = upload(goto(new_app(), PAGE), raw, "huge.csv")
    assert not at.exception
    assert any("the limit is 5 MB" in e.value.replace("\\", "") for e in at.error)
    assert open_store().list_actuals() == []


def fit(at, name: str, evaluate: bool = False):
    """Fit a class called ``name`` on the recorded actuals."""
    at.text_input(key="calibration.fit_name").input(name)
    if evaluate:
        at.checkbox(key="calibration.evaluate").check()
    return at.button(key="calibration.fit").click().run()


def test_fitting_and_saving_a_class_makes_it_selectable_and_the_scenario_uses_it():
    """Fit shows the summary and the chart; Save stores the class; choosing it writes the
    scenario's reference_class (saved), and the Report page names it."""
    open_store().add_actuals(finished_tasks())
    at = new_app()
    sid = start_example(at)
    goto(at, PAGE)
    assert at.selectbox(key=calibration.CHOICE_KEY).value == "default"
    assert "myteam" not in at.selectbox(key=calibration.CHOICE_KEY).options
    fit(at, "myteam")
    assert not at.exception and not at.error
    assert [m.label for m in at.metric][:2] == ["Finished tasks", "Exactly on estimate"]
    assert at.metric[0].value == "60"
    (chart,) = [json.loads(e.proto.spec) for e in at.get("vega_lite_chart")]
    assert chart["title"] == "Goodness of fit: actual / estimate"
    at.button(key="calibration.save").click().run()
    assert not at.exception
    assert list_reference_classes()["myteam"] == "user"
    saved = load_reference_class("myteam")
    assert saved.n_points == 60 and saved.estimate_unit == "days"
    assert "borrowed from the class 'default'" in saved.description
    assert "myteam (yours)" in at.selectbox(key=calibration.CHOICE_KEY).options
    at.selectbox(key=calibration.CHOICE_KEY).set_value("myteam").run()
    assert not at.exception
    assert at.session_state[state.SCENARIO_KEY].simulation.reference_class == "myteam"
    bias = md(f"estimator bias: {bias_phrase(saved.bias_median, saved.shared_sigma)}")
    assert any(bias in c.value for c in at.caption)  # what the engine takes from the class
    stored, _ = open_store().load(sid)
    assert stored.simulation.reference_class == "myteam"
    goto(at, "report")
    assert not at.exception
    assert any("reference class \\'myteam\\' from 60 finished tasks" in c.value
               for c in at.caption)


def test_fitting_by_team_learns_the_shared_bias_from_the_teams():
    """With 'by team' ticked the class's projects are the two teams, nothing is borrowed."""
    open_store().add_actuals(finished_tasks())
    at = goto(new_app(), PAGE)
    at.checkbox(key="calibration.by_team").check()
    fit(at, "byteam")
    at.button(key="calibration.save").click().run()
    saved = load_reference_class("byteam")
    assert saved.n_groups == 2 and "learnt from 2 teams" in saved.description


def test_the_held_out_check_shows_coverage_against_nominal_with_dates():
    """The optional held-out check names the date ranges and lists 50/80/90% coverage."""
    open_store().add_actuals(finished_tasks())
    at = fit(goto(new_app(), PAGE), "checked", evaluate=True)
    assert not at.exception
    assert any("finished 2024\\-01\\-01 to 2024\\-02\\-11" in c.value for c in at.caption)
    (table,) = [d.value for d in at.dataframe if "Nominal coverage" in d.value.columns]
    assert list(table["Interval"]) == ["50%", "80%", "90%"]
    assert list(table["Nominal coverage"]) == ["50%", "80%", "90%"]
    assert "mlpm fit" in table.columns
    # and the interval score beside it, relative to the plain lognormal
    (scores,) = [d.value for d in at.dataframe
                 if "Nominal coverage" not in d.value.columns and "mlpm fit" in d.value.columns]
    assert list(scores["Plain lognormal"]) == ["1.00x"] * 3
    assert all(cell.endswith("x") for cell in scores["mlpm fit"])
    assert any("Interval score (Winkler)" in c.value for c in at.caption)


def test_a_shipped_class_name_cannot_be_overwritten():
    """Fitting under the name 'default' is refused, so the shipped prior stays as shipped."""
    open_store().add_actuals(finished_tasks())
    at = fit(goto(new_app(), PAGE), "default")
    assert any("shipped with mlpm" in e.value for e in at.error)
    assert not [b for b in at.button if b.key == "calibration.save"]
    assert list_reference_classes()["default"] == "shipped"


def test_switching_correlation_off_is_stated_on_the_page_and_the_report():
    """With correlation off the page warns and the Report page says it is switched off."""
    at = new_app()
    start_example(at)
    goto(at, PAGE)
    at.toggle(key="f:simulation.correlation").set_value(False).run()
    assert not at.exception
    assert any("switched off" in w.value for w in at.warning)
    goto(at, "report")
    assert any("correlation switched off" in c.value for c in at.caption)
    assert open_store().load(scenario_id(at))[0].simulation.correlation is False


def test_a_task_that_carries_the_bias_is_named_after_the_fit():
    """A recorded typo (4 days booked as 400) is named by its task after Fit, with the bias
    with and without it; ordinary history shows no such warning."""
    open_store().add_actuals(finished_tasks())
    at = fit(goto(new_app(), PAGE), "plain")
    assert not at.exception and not any("carries the estimator bias" in w.value
                                        for w in at.warning)
    open_store().add_actuals([Actual(task="Fix <b>login</b>", estimate=4.0, actual=400.0,
                                     unit="days", finished_on=dt.date(2024, 3, 1))])
    at = fit(goto(new_app(), PAGE), "typo")
    assert not at.exception
    (warning,) = [w.value for w in at.warning if "carries the estimator bias" in w.value]
    assert md("'Fix <b>login</b>' (estimate 4, actual 400)") in warning  # escaped
    assert "<b>" not in warning
    assert md("the fit keeps it.") in warning


def test_picked_actuals_are_deleted_after_a_confirmation():
    """Picking rows asks before deleting; Cancel keeps them; Yes deletes exactly those, says
    how many, clears the pick and drops an unsaved fit that included them."""
    recorded = open_store().add_actuals([
        *finished_tasks(), Actual("Fix <b>login</b>", 4, 400, finished_on=dt.date(2024, 3, 1))])
    typo, wrong = recorded[-1], recorded[0]
    at = goto(new_app(), PAGE)
    assert list(at.dataframe[0].value["Id"]) == list(range(1, 62))
    ask = at.button(key="calibration.delete_ask")
    assert ask.disabled and ask.label == "Delete 0 selected actuals..."
    assert "61: Fix <b>login</b> (4 -> 400 days)" in at.multiselect(
        key=actuals.DELETE_PICK_KEY).options
    fit(at, "before")
    assert [b for b in at.button if b.key == "calibration.save"]
    at.multiselect(key=actuals.DELETE_PICK_KEY).select(typo.id).select(wrong.id).run()
    at.button(key="calibration.delete_ask").click().run()
    assert not at.exception
    assert any("Delete 2 recorded actuals for good?" in m.value for m in at.markdown)
    at.button(key="calibration.delete_cancel").click().run()
    assert len(open_store().list_actuals()) == 61  # asking and cancelling deleted nothing
    at.button(key="calibration.delete_ask").click().run()
    at.button(key="calibration.delete").click().run()
    assert not at.exception and not at.error
    assert open_store().list_actuals() == recorded[1:-1]
    assert [plain(s.value) for s in at.success] == [
        "Deleted 2 recorded actuals. The fit not saved yet included them: fit again."]
    assert at.multiselect(key=actuals.DELETE_PICK_KEY).value == []
    assert not [b for b in at.button if b.key == "calibration.save"]
    assert list(at.dataframe[0].value["Id"]) == list(range(2, 61))


def test_deleting_rows_gone_meanwhile_deletes_nothing_and_says_why():
    """Rows deleted elsewhere after the confirmation was asked for: one readable error, and
    the rest of the request is not deleted either (all or none)."""
    first, second = open_store().add_actuals(finished_tasks(2))
    at = goto(new_app(), PAGE)
    at.multiselect(key=actuals.DELETE_PICK_KEY).select(first.id).select(second.id).run()
    at.button(key="calibration.delete_ask").click().run()
    open_store().delete_actuals([second.id])  # another session, or the command line
    at.button(key="calibration.delete").click().run()
    assert not at.exception
    assert [plain(e.value) for e in at.error] == [
        f"No recorded actual has the id {second.id} (deleted already, or a typo?); nothing was "
        "deleted."]
    assert open_store().list_actuals() == [first]
    assert at.multiselect(key=actuals.DELETE_PICK_KEY).value == [first.id]
