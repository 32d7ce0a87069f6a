"""Actuals & calibration page parts that record finished work: one task by hand, many from a
CSV file, and the table of everything recorded, which the reference-class fit then learns from
(and where a mistyped row or a wrong import is deleted again).

User text (task, phase and team names, file names, column names, error messages quoting cells)
goes through ``md``; tables go through ``st.dataframe``, which never interprets markup.
Recorded actuals live in the store (``Store.add_actuals``, ``Store.delete_actuals``); which rows
a person may delete is the store's guard's decision, not this page's.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from mlpm_core.calibration import (
    Actual,
    already_recorded_note,
    csv_columns,
    frame_to_actuals,
    load_actuals,
    not_yet_recorded,
    units,
)
from mlpm_core.errors import UserError
from mlpm_core.report import rows_to_csv
from mlpm_core.scenario import PHASE_LABELS, PHASES
from mlpm_core.wording import counted
from mlpm_ui import state
from mlpm_ui.calibration import FITTED_KEY
from mlpm_ui.confirm import confirmation
from mlpm_ui.text import md

MAX_UPLOAD_MB = 5  # the app's server.maxUploadSize
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
PREVIEW_ROWS = 20
UNITS = ("days", "hours")
NOT_MAPPED = "(not in the file)"
UPLOAD_ROUND_KEY = "calibration.upload_round"
MAPPED_FILE_KEY = "calibration.mapped_file"
DELETE_PICK_KEY = "calibration.delete.pick"
DELETE_CONFIRM_KEY = "calibration.delete.confirm"
DELETED_KEY = "calibration.delete.done"
MAP_KEYS = tuple(f"calibration.map.{field}"
                 for field in ("estimate", "actual", "phase", "date", "team", "unit"))


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


def _new_mapping_for_a_new_file(file_id: str, columns: list[str]) -> None:
    """Guess the mapping afresh for each file: choices kept from an earlier file that shares a
    column name mapped estimate and actual both to it ("Task") before anything was clicked."""
    if st.session_state.get(MAPPED_FILE_KEY) == file_id:
        return
    for key in MAP_KEYS:
        st.session_state.pop(key, None)
    st.session_state[MAPPED_FILE_KEY] = file_id
    hours = _guess(columns, "hour", "(h)", " h)")
    st.session_state["calibration.map.unit"] = "hours" if hours else UNITS[0]


def _column_choice(label: str, key: str, columns: list[str], guess: str | None,
                   required: bool) -> str | None:
    options = columns if required else [NOT_MAPPED, *columns]
    if st.session_state.get(key) not in options:
        st.session_state[key] = guess if guess in options else options[0]
    picked = st.selectbox(label, options, key=key)
    return None if picked == NOT_MAPPED else picked


def _import_rows(rows: list[Actual], file_name: str) -> None:
    """Callback: store the previewed rows not recorded yet and start a fresh upload."""
    try:
        store = state.store()
        fresh = not_yet_recorded(rows, store.list_actuals())
        store.add_actuals(fresh)
    except UserError as error:
        state.flash(f"Nothing was imported: {error}", "error")
        return
    st.session_state[UPLOAD_ROUND_KEY] = st.session_state.get(UPLOAD_ROUND_KEY, 0) + 1
    state.flash(f"Recorded {counted(len(fresh), 'finished task')} from {file_name}."
                + already_recorded_note(len(rows) - len(fresh)),
                "success" if fresh else "info")


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
    _new_mapping_for_a_new_file(upload.file_id, columns)
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
                              _guess(columns, "date", "finish", "done", "complet", "end"),
                              required=False)
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
def _table(rows: list[Actual], *, with_ids: bool = False) -> pd.DataFrame:
    return pd.DataFrame([{**({"Id": row.id} if with_ids else {}),
                          "Task": row.task,
                          "Phase": PHASE_LABELS.get(row.phase or "", row.phase or ""),
                          "Estimate": row.estimate,
                          "Actual": row.actual, "Unit": row.unit,
                          "Actual / estimate": row.actual / row.estimate,
                          "Finished": row.finished_on, "Team": row.team or ""}
                         for row in rows])


def table_section() -> list[Actual]:
    """Every recorded actual, with a CSV download and a way to delete some; returns them."""
    st.subheader("Recorded actuals")
    done = st.session_state.pop(DELETED_KEY, None)
    if done:
        st.success(md(done), icon=":material/delete:")
    rows = state.store().list_actuals()
    if not rows:
        st.caption("Nothing recorded yet: record finished tasks by hand or import a CSV file.")
        return rows
    counts = units(rows)
    st.caption(md(f"{counted(len(rows), 'finished task')} recorded (" + ", ".join(
        f"{count:,} in {unit}" for unit, count in counts.items()) + ")."))
    st.dataframe(_table(rows, with_ids=True), hide_index=True,
                 height=min(38 + 35 * len(rows), 400),
                 column_config={"Actual / estimate": st.column_config.NumberColumn(
                     format="%.2f")})
    header = ["id", "task", "phase", "estimate", "actual", "unit", "finished_on", "team"]
    text = rows_to_csv(header, [[r.id, r.task, r.phase or "", r.estimate, r.actual, r.unit,
                                 str(r.finished_on or ""), r.team or ""] for r in rows])
    st.download_button("Download the actuals (CSV)", text, file_name="mlpm-actuals.csv",
                       mime="text/csv", key="calibration.download", on_click="ignore",
                       icon=":material/download:")
    delete_section(rows)
    return rows


# ------------------------------------------------------------------------------ deleting
def _label(row: Actual) -> str:
    """How a row reads in the delete picker (plain text: options are not Markdown)."""
    return f"{row.id}: {row.task} ({row.estimate:g} -> {row.actual:g} {row.unit})"


def _ask_to_delete() -> None:
    """Callback: the picked ids wait for the confirmation, as they were when asked."""
    st.session_state[DELETE_CONFIRM_KEY] = tuple(st.session_state.get(DELETE_PICK_KEY) or ())


def _cancel_delete() -> None:
    st.session_state[DELETE_CONFIRM_KEY] = None


def _delete(ids: tuple[int, ...]) -> None:
    """Callback: delete the confirmed rows (all or none) and say how many went."""
    st.session_state[DELETE_CONFIRM_KEY] = None
    try:
        deleted = state.store().delete_actuals(ids)
    except UserError as error:
        state.flash(str(error), "error")
        return
    st.session_state[DELETE_PICK_KEY] = []
    unsaved = st.session_state.pop(FITTED_KEY, None) is not None
    # said beside the table, where the user clicked (the page's top message is out of sight)
    st.session_state[DELETED_KEY] = (f"Deleted {counted(deleted, 'recorded actual')}."
                                     + (" The fit not saved yet included them: fit again."
                                        if unsaved else ""))


def delete_section(rows: list[Actual]) -> None:
    """Pick recorded actuals (a mistyped row, a wrong import) and delete them after a
    confirmation; the store checks the rows are this person's to delete."""
    labels = {row.id: _label(row) for row in rows if row.id is not None}
    picked = [i for i in st.session_state.get(DELETE_PICK_KEY) or () if i in labels]
    st.session_state[DELETE_PICK_KEY] = picked  # rows deleted elsewhere drop out
    picked = st.multiselect(
        "Actuals to delete", list(labels), key=DELETE_PICK_KEY, format_func=labels.__getitem__,
        on_change=_cancel_delete, placeholder="Type an id, a task or a file name",
        help="An imported file's rows are named after the file and their row number.")
    pending = st.session_state.get(DELETE_CONFIRM_KEY)
    if not pending:
        st.button(f"Delete {counted(len(picked), 'selected actual')}...",
                  key="calibration.delete_ask", disabled=not picked, on_click=_ask_to_delete,
                  icon=":material/delete:")
        return
    them = "it" if len(pending) == 1 else "them"
    confirmation(f"**Delete {counted(len(pending), 'recorded actual')} for good?** The next "
                 f"fit leaves {them} out; reference classes saved already keep what they learnt "
                 f"from {them}.", yes=f"Yes, delete {counted(len(pending), 'actual')}",
                 yes_key="calibration.delete", on_yes=_delete, args=(pending,),
                 cancel_key="calibration.delete_cancel", on_cancel=_cancel_delete)
