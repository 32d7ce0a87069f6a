"""Actuals & calibration page parts: record finished work, import it from a CSV, fit a reference
class and choose the one the open scenario's simulation uses.

User text (task, phase and team names, file names, column names, class descriptions, error
messages quoting cells) goes through ``md``; tables go through ``st.dataframe``, which never
interprets markup. Recorded actuals live in the store (``Store.add_actuals``); fitted classes
are saved into it with ``save_reference_class``.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from mlpm_core.calibration import (
    Actual,
    FitSummary,
    HeldOut,
    ReferenceClass,
    csv_columns,
    fit_from_actuals,
    fit_summary,
    frame_to_actuals,
    goodness_of_fit_spec,
    held_out,
    load_actuals,
    phases,
    teams,
    units,
    validate_name,
)
from mlpm_core.charts import Spec
from mlpm_core.errors import UserError
from mlpm_core.report import rows_to_csv
from mlpm_core.scenario import PHASE_LABELS, PHASES
from mlpm_core.store import list_reference_classes, load_reference_class, save_reference_class
from mlpm_ui import forms, simulation, state
from mlpm_ui.chart_view import draw
from mlpm_ui.text import md

MAX_UPLOAD_MB = 5  # the app's server.maxUploadSize
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
PREVIEW_ROWS = 20
UNITS = ("days", "hours")
NOT_MAPPED = "(not in the file)"
UPLOAD_ROUND_KEY = "calibration.upload_round"
FITTED_KEY = "calibration.fitted"
CHOICE_KEY = "calibration.reference"
REFERENCE_PATH = "simulation.reference_class"
SOURCE_LABELS = {"shipped": "shipped with mlpm", "user": "yours"}
CITATION = ("Idea: reference-class forecasting, predicting from the actual outcomes of similar "
            "finished work rather than from the plan alone (Kahneman & Tversky 1979; "
            "Flyvbjerg 2006, Project Management Journal 37(3)).")


# ------------------------------------------------------------------------------ intro
def intro() -> None:
    """Title, what the page does, the idea it rests on and what the default class is."""
    st.title("Actuals & calibration")
    st.markdown(
        "Records **what finished work really took** and learns from it how far actuals land "
        "from their estimates (a *reference class*). The simulation uses the scenario's class "
        "as the **estimator-bias factor** that all tasks of a simulated project share, and the "
        "report names the class and how many finished tasks it comes from.")
    st.caption(md(CITATION))
    try:
        default = load_reference_class("default")
    except UserError:
        return
    st.caption(md(
        f"The shipped class 'default' is fitted to {default.n_points:,} finished software tasks "
        f"estimated in {default.estimate_unit} at one UK company (the SiP dataset; "
        f"{default.p_exact:.0%} were booked at exactly their estimate). It shows how such "
        "estimates tend to miss. It does not represent ML projects, person-day estimates or "
        "your team: use it as a prior until you have recorded your own actuals."))


# ------------------------------------------------------------------------------ by hand
def record_section() -> None:
    """A form that records one finished task into the store."""
    st.subheader("Record a finished task")
    with st.form("calibration.record", clear_on_submit=True, border=True):
        left, right = st.columns(2)
        task = left.text_input("Task", key="calibration.task", max_chars=200,
                               placeholder="e.g. Label 5,000 transactions")
        phase = right.selectbox("Phase", [None, *PHASES], key="calibration.phase",
                                format_func=lambda key: "(not recorded)" if key is None
                                else PHASE_LABELS.get(key, key), accept_new_options=True)
        left, middle, right = st.columns(3)
        estimate = left.number_input("Estimate", key="calibration.estimate", min_value=0.0,
                                     value=None, step=0.5, placeholder="e.g. 5")
        actual = middle.number_input("Actual", key="calibration.actual", min_value=0.0,
                                     value=None, step=0.5, placeholder="e.g. 7.5")
        unit = right.selectbox("Unit", UNITS, key="calibration.unit", accept_new_options=True,
                               help="Estimate and actual share this unit.")
        left, right = st.columns(2)
        finished = left.date_input("Finished on", key="calibration.finished",
                                   max_value=dt.date.today())
        team = right.text_input("Team or project", key="calibration.team", max_chars=200,
                                help="Tasks of several teams let mlpm learn how much a "
                                     "whole project's estimates miss together.")
        submitted = st.form_submit_button("Record this task", key="calibration.record_submit",
                                          icon=":material/add:")
    if submitted:
        _record(task, phase, estimate, actual, unit, finished, team)


def _record(task: str, phase: str | None, estimate: float | None, actual: float | None,
            unit: str | None, finished: dt.date | None, team: str) -> None:
    problems = []
    if not (task or "").strip():
        problems.append("name the task")
    if not estimate or estimate <= 0:
        problems.append("give an estimate above zero")
    if not actual or actual <= 0:
        problems.append("give an actual above zero")
    if not (unit or "").strip():
        problems.append("give the unit")
    if problems:
        st.error("Not recorded: " + md("; ".join(problems) + "."))
        return
    row = Actual(task=task.strip(), estimate=float(estimate or 0), actual=float(actual or 0),
                 unit=(unit or "").strip(), phase=phase or None, finished_on=finished,
                 team=team.strip() or None)
    try:
        state.store().add_actuals([row])
    except UserError as error:
        st.error("Not recorded: " + md(error))
        return
    st.success(md(f"Recorded '{row.task}': estimate {row.estimate:g}, actual {row.actual:g} "
                  f"{row.unit}."))


# ------------------------------------------------------------------------------ from a CSV
def _upload_key() -> str:
    return f"calibration.upload.{st.session_state.get(UPLOAD_ROUND_KEY, 0)}"


def _guess(columns: list[str], *words: str) -> str | None:
    for column in columns:
        if any(word in column.casefold() for word in words):
            return column
    return None


def _column_choice(label: str, key: str, columns: list[str], guess: str | None,
                   required: bool) -> str | None:
    options = columns if required else [NOT_MAPPED, *columns]
    if st.session_state.get(key) not in options:
        st.session_state[key] = guess if guess in options else options[0]
    picked = st.selectbox(label, options, key=key)
    return None if picked == NOT_MAPPED else picked


def _import_rows(rows: list[Actual], file_name: str) -> None:
    """Callback: store the previewed rows and start a fresh upload."""
    try:
        state.store().add_actuals(rows)
    except UserError as error:
        state.flash(f"Nothing was imported: {error}", "error")
        return
    st.session_state[UPLOAD_ROUND_KEY] = st.session_state.get(UPLOAD_ROUND_KEY, 0) + 1
    state.flash(f"Recorded {len(rows):,} finished tasks from {file_name}.")


def import_section() -> None:
    """Upload a CSV, map its columns, preview the validated rows, then import them."""
    st.subheader("Import finished tasks from a CSV file")
    upload = st.file_uploader(
        "CSV file, one finished task per row", type=["csv", "txt"], key=_upload_key(),
        max_upload_size=MAX_UPLOAD_MB,
        help="Needs a column with the estimate and one with the actual (same unit); phase, "
             "finish date and team are optional.")
    if upload is None:
        return
    name = Path(upload.name).name
    raw = upload.getvalue()
    if len(raw) > MAX_UPLOAD_BYTES:
        st.error(md(f"Nothing was imported: {name} is {len(raw) / 1e6:.1f} MB; the limit is "
                    f"{MAX_UPLOAD_MB} MB."))
        return
    try:
        columns = csv_columns(raw, name)
    except UserError as error:
        st.error("Nothing was imported: " + md(error))
        return
    st.caption(md(f"Columns in {name}: " + ", ".join(columns)))
    left, middle, right = st.columns(3)
    with left:
        estimate = _column_choice("Estimate column", "calibration.map.estimate", columns,
                                  _guess(columns, "estim", "plan"), required=True)
        actual = _column_choice("Actual column", "calibration.map.actual", columns,
                                _guess(columns, "actual", "spent", "took"), required=True)
    with middle:
        phase = _column_choice("Phase column", "calibration.map.phase", columns,
                               _guess(columns, "phase", "categ"), required=False)
        date = _column_choice("Finish date column", "calibration.map.date", columns,
                              _guess(columns, "date", "finish", "end"), required=False)
    with right:
        team = _column_choice("Team or project column", "calibration.map.team", columns,
                              _guess(columns, "team", "project"), required=False)
        unit = st.selectbox("Unit of estimate and actual", UNITS, key="calibration.map.unit",
                            accept_new_options=True)
    try:
        frame = _load(raw, name, estimate=estimate, actual=actual, phase=phase, date=date,
                      team=team)
    except UserError as error:
        st.error("Nothing was imported: " + md(error))
        return
    rows = frame_to_actuals(frame, name, unit or UNITS[0])
    st.dataframe(_table(rows[:PREVIEW_ROWS]), hide_index=True)
    st.caption(md(f"{len(rows):,} rows read and checked" + (
        f"; the first {PREVIEW_ROWS} are shown." if len(rows) > PREVIEW_ROWS else ".")))
    st.button(f"Import {len(rows):,} finished tasks", key="calibration.import",
              on_click=_import_rows, args=(rows, name), type="primary",
              icon=":material/upload:")


def _load(raw: bytes, name: str, *, estimate: str | None, actual: str | None,
          phase: str | None, date: str | None, team: str | None) -> pd.DataFrame:
    """``load_actuals`` on the uploaded bytes (it reads a file: a private temporary one)."""
    with tempfile.TemporaryDirectory(prefix="mlpm-actuals-") as folder:
        path = Path(folder) / (name if name.strip(". ") else "upload.csv")
        try:
            path.write_bytes(raw)
        except (OSError, ValueError):  # a name the file system refuses (too long, NUL)
            path = Path(folder) / "upload.csv"
            path.write_bytes(raw)
        return load_actuals(path, max_bytes=MAX_UPLOAD_BYTES, estimate=estimate, actual=actual,
                            phase=phase, date=date, team=team)


# ------------------------------------------------------------------------------ the table
def _table(rows: list[Actual]) -> pd.DataFrame:
    return pd.DataFrame([{"Task": row.task, "Phase": row.phase or "", "Estimate": row.estimate,
                          "Actual": row.actual, "Unit": row.unit,
                          "Actual / estimate": row.actual / row.estimate,
                          "Finished": row.finished_on, "Team": row.team or ""}
                         for row in rows])


def table_section() -> list[Actual]:
    """Every recorded actual, with a CSV download; returns them."""
    st.subheader("Recorded actuals")
    rows = state.store().list_actuals()
    if not rows:
        st.caption("Nothing recorded yet: record finished tasks by hand or import a CSV file.")
        return rows
    counts = units(rows)
    st.caption(md(f"{len(rows):,} finished tasks recorded (" + ", ".join(
        f"{count:,} in {unit}" for unit, count in counts.items()) + ")."))
    st.dataframe(_table(rows), hide_index=True, height=min(38 + 35 * len(rows), 400),
                 column_config={"Actual / estimate": st.column_config.NumberColumn(
                     format="%.2f")})
    header = ["task", "phase", "estimate", "actual", "unit", "finished_on", "team"]
    text = rows_to_csv(header, [[r.task, r.phase or "", r.estimate, r.actual, r.unit,
                                 str(r.finished_on or ""), r.team or ""] for r in rows])
    st.download_button("Download the actuals (CSV)", text, file_name="mlpm-actuals.csv",
                       mime="text/csv", key="calibration.download", on_click="ignore",
                       icon=":material/download:")
    return rows


# ------------------------------------------------------------------------------ fitting
def fit_section(rows: list[Actual]) -> None:
    """Fit a reference class on the recorded actuals, check it, and save it."""
    st.subheader("Fit a reference class")
    if len(rows) < 2:
        st.caption("Record at least two finished tasks to fit a reference class.")
        return
    counts = units(rows)
    left, right = st.columns(2)
    name = left.text_input("Name", value="team", key="calibration.fit_name", max_chars=64,
                           help="1-64 letters, digits, '_' or '-'.")
    unit = right.selectbox("Tasks estimated in", list(counts), key="calibration.fit_unit",
                           format_func=lambda u: f"{u} ({counts[u]:,} tasks)")
    chosen = [row for row in rows if row.unit == unit]
    named_teams, named_phases = teams(chosen), phases(chosen)
    left, right = st.columns(2)
    by_phase = left.checkbox("Separate parameters per phase", key="calibration.by_phase",
                             disabled=not named_phases,
                             help="Only phases with enough tasks get their own parameters.")
    min_phase = left.number_input("Tasks a phase needs for its own parameters", min_value=20,
                                  value=200, step=10, key="calibration.min_phase",
                                  disabled=not by_phase)
    by_team = right.checkbox("Learn the bias a project shares from the teams",
                             key="calibration.by_team", disabled=len(named_teams) < 2,
                             help="Needs tasks of at least two teams. Without it, the spread "
                                  "between projects is borrowed from the class 'default'.")
    evaluate = right.checkbox("Also check it on held-out tasks", key="calibration.evaluate",
                              help="Fits on the earlier tasks and checks how often the later "
                                   "ones land inside its intervals.")
    fraction = right.slider("Share of (earlier) tasks to fit on", 0.5, 0.9, 0.7, 0.05,
                            key="calibration.fraction", disabled=not evaluate)
    if st.button("Fit", key="calibration.fit", type="primary", icon=":material/functions:"):
        _fit(chosen, name, bool(by_phase), bool(by_team), int(min_phase),
             fraction if evaluate else None)
    fitted = st.session_state.get(FITTED_KEY)
    if fitted is not None:
        _show_fit(*fitted)


def _fit(rows: list[Actual], name: str, by_phase: bool, by_team: bool, min_phase: int,
         fraction: float | None) -> None:
    st.session_state[FITTED_KEY] = None
    try:
        validate_name(name.strip())
        if list_reference_classes().get(name.strip()) == "shipped":
            raise UserError(f"'{name.strip()}' is a class shipped with mlpm; choose another "
                            "name.")
        prior = None if by_team else load_reference_class("default")
        reference = fit_from_actuals(rows, name=name.strip(), by_phase=by_phase,
                                     by_team=by_team, min_phase_points=min_phase, prior=prior)
    except UserError as error:
        st.error("Not fitted: " + md(error))
        return
    data_phases = [row.phase or "" for row in rows] if by_phase else None
    estimates = [row.estimate for row in rows]
    actuals = [row.actual for row in rows]
    summary = fit_summary(reference, estimates, actuals, data_phases)
    check: HeldOut | str | None = None
    if fraction is not None:
        try:
            check = held_out(rows, train_fraction=fraction, by_phase=by_phase)
        except UserError as error:
            check = f"No held-out check: {error}"
    spec = goodness_of_fit_spec(reference, estimates, actuals, data_phases)
    st.session_state[FITTED_KEY] = (reference, summary, spec, check)


def _show_fit(reference: ReferenceClass, summary: FitSummary, spec: Spec,
              check: HeldOut | str | None) -> None:
    with st.container(border=True):
        st.markdown(f"**Fitted class '{md(reference.name)}'** (not saved yet)")
        columns = st.columns(4)
        columns[0].metric("Finished tasks", f"{summary.n:,}")
        columns[1].metric("Exactly on estimate", f"{summary.share_exact:.0%}")
        columns[2].metric("Median actual / estimate", f"{summary.median_ratio:.2f}")
        columns[3].metric(f"In the fitted {summary.level:.0%} interval",
                          f"{summary.coverage:.0%}",
                          help="In-sample: the share of these tasks whose actual falls inside "
                               "the fitted interval of their own estimate.")
        st.markdown("\n".join(f"- {md(text)}" for text in summary.sentences()))
        st.caption(md(f"In the simulation: each project's tasks share a factor with median "
                      f"{summary.bias_median:.2f} and log-spread {summary.bias_sigma:.2f}. "
                      f"{reference.description}"))
        draw(spec)
        if isinstance(check, str):
            st.warning(md(check))
        elif check is not None:
            st.markdown("**Held-out check**")
            st.caption(md(check.sentence()))
            st.dataframe(pd.DataFrame(check.coverage_rows()), hide_index=True)
            st.caption("Coverage: the share of the later tasks whose actual fell inside each "
                       "method's interval; close to the nominal coverage is well calibrated.")
        exists = reference.name in list_reference_classes()
        st.button(f"Save as '{reference.name}'" + (" (replaces the saved one)" if exists
                                                    else ""),
                  key="calibration.save", on_click=_save, args=(reference,), type="primary",
                  icon=":material/save:")


def _save(reference: ReferenceClass) -> None:
    """Callback: save the fitted class into the store."""
    try:
        save_reference_class(reference)
    except UserError as error:
        state.flash(f"Not saved: {error}", "error")
        return
    st.session_state[FITTED_KEY] = None
    simulation._estimate.clear()  # estimates cached under this class's name are stale now
    state.flash(f"Saved the reference class '{reference.name}'; choose it for a scenario "
                "below.")


# ------------------------------------------------------------------------------ choosing
def _classes() -> dict[str, ReferenceClass | str]:
    """Every available class by name, or why it cannot be read."""
    found: dict[str, ReferenceClass | str] = {}
    for name in sorted(list_reference_classes()):
        try:
            found[name] = load_reference_class(name)
        except UserError as error:
            found[name] = str(error)
    return found


def _choose() -> None:
    """Callback: the picked class becomes the scenario's."""
    state.set_value(REFERENCE_PATH, st.session_state.get(CHOICE_KEY), label="Reference class")


def choose_section() -> None:
    """Which class the open scenario's simulation uses, with every class's details."""
    st.subheader("Reference class for this scenario")
    classes = _classes()
    sources = list_reference_classes()
    st.dataframe(pd.DataFrame([
        {"Name": name, "From": SOURCE_LABELS.get(sources.get(name, ""), ""),
         "Finished tasks": rc.n_points if isinstance(rc, ReferenceClass) else None,
         "Projects": rc.n_groups if isinstance(rc, ReferenceClass) else None,
         "Unit": rc.estimate_unit if isinstance(rc, ReferenceClass) else "",
         "Description": rc.description if isinstance(rc, ReferenceClass) else rc,
         "Source and attribution": " ".join(filter(None, (rc.source, rc.attribution,
                                                          rc.licence)))
         if isinstance(rc, ReferenceClass) else ""}
        for name, rc in classes.items()]), hide_index=True,
        column_config={"Description": st.column_config.TextColumn(width="large"),
                       "Source and attribution": st.column_config.TextColumn(width="large")})
    current = state.scenario()
    if current is None:
        st.info("No scenario is open. Open or start one on the Home page to choose its "
                "reference class.")
        return
    chosen = current.simulation.reference_class
    options = list(classes) if chosen in classes else [*classes, chosen]
    st.session_state[CHOICE_KEY] = chosen
    st.selectbox("Reference class for the estimator bias", options, key=CHOICE_KEY,
                 on_change=_choose,
                 format_func=lambda n: f"{n} ({SOURCE_LABELS.get(sources.get(n, ''), 'missing')})")
    error = state.field_errors().get(REFERENCE_PATH)
    if error:
        st.error(md(error))
    picked = classes.get(chosen)
    if picked is None:
        st.error(md(f"This scenario uses the reference class '{chosen}', which is not "
                    "available here: the simulation cannot run until you choose another."))
    elif isinstance(picked, str):
        st.error(md(picked))
    else:
        st.markdown(f"**{md(picked.name)}**: {md(picked.description or 'no description')}")
        st.caption(md(f"{picked.n_points:,} finished tasks, {picked.n_groups} projects, "
                      f"estimates in {picked.estimate_unit}. " + " ".join(
                          filter(None, (picked.source, picked.attribution, picked.licence)))))
    if not current.simulation.correlation:
        st.warning("The estimator-bias correlation is switched off for this scenario, so no "
                   "reference class is used. Switch it on to use one.")
    forms.field("simulation.correlation")
