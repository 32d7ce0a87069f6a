"""The one scenario a browser session edits, kept in step with the store.

Design (two edits of one scenario conflict visibly, README "Safety"; Streamlit drops the state
of widgets that are not drawn):

* The store is the source of truth. The open scenario's id is in the URL
  (``?scenario=<id>``), so a reload or a shared link reopens it from the store; session state
  only holds a working copy (``mlpm.scenario``, a non-widget key) and the version it was based
  on (``mlpm.version``).
* Every change is saved at once, quoting that version (``expected_version``). If someone else
  saved in between, the store refuses with ``ConflictError``; the working copy keeps the user's
  change, nothing is overwritten, and every page shows the conflict with two ways out: reload
  the saved version, or keep this version as a new scenario.
* Widgets never own a value: their callbacks write into the scenario through
  :func:`set_value`, and forms re-seed each widget from the scenario on every run, so answers
  survive page switches (Streamlit drops the state of widgets that are not drawn); a widget
  holding a refused value keeps it, beside its message, until it is corrected or left.
* One ``Store`` per database URL and process (``st.cache_resource``); ``MLPM_DATA_DIR`` and
  ``MLPM_DATABASE_URL`` choose the database. Pages reach it only through a ``GuardedStore``
  for the identity of the current run, which checks every read and write.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import streamlit as st

from mlpm_core.access import AccessDenied
from mlpm_core.errors import UserError
from mlpm_core.scenario import (
    ConflictError,
    NotFoundError,
    Scenario,
    StoredScenario,
    distinct_name,
    with_name,
    with_value,
)
from mlpm_core.store import GuardedStore, Store, open_store, resolve_url
from mlpm_ui import team
from mlpm_ui.text import md

SCENARIO_KEY = "mlpm.scenario"
ID_KEY = "mlpm.scenario_id"
VERSION_KEY = "mlpm.version"
ERRORS_KEY = "mlpm.field_errors"
PROBLEM_KEY = "mlpm.save_problem"
MESSAGE_KEY = "mlpm.message"
PAGE_KEY = "mlpm.page"
QUERY_PARAM = "scenario"
MAX_NAME = 200


@dataclass(frozen=True)
class SaveProblem:
    """Why the working copy is not what the store holds."""

    kind: Literal["conflict", "error"]
    message: str


# ------------------------------------------------------------------------------ the store
@st.cache_resource(show_spinner=False)
def _store_for(url: str) -> Store:
    return open_store(url)


def raw_store() -> Store:
    """The process-wide store for the configured database, unchecked: for the start-up steps
    of access control only; everything else goes through ``store()``."""
    return _store_for(resolve_url())


def store() -> GuardedStore:
    """The store as this run's identity may use it (see ``mlpm_ui.team``)."""
    return GuardedStore(raw_store(), team.identity())


# ------------------------------------------------------------------------------ reading
def scenario() -> Scenario | None:
    """The open scenario's working copy, if a scenario is open."""
    return st.session_state.get(SCENARIO_KEY)


def scenario_id() -> str | None:
    """The open scenario's id, if any."""
    return st.session_state.get(ID_KEY)


def version() -> int | None:
    """The stored version the working copy is based on."""
    return st.session_state.get(VERSION_KEY)


def save_problem() -> SaveProblem | None:
    """The conflict or error of the last save, if it failed."""
    return st.session_state.get(PROBLEM_KEY)


def field_errors() -> dict[str, str]:
    """Refused changes by field path, shown next to their widgets."""
    errors: dict[str, str] = st.session_state.setdefault(ERRORS_KEY, {})
    return errors


def require() -> Scenario:
    """The open scenario; without one, say where to start and stop the page."""
    current = scenario()
    if current is None:
        st.info("No scenario is open. Start one from an example, a blank template or a file "
                "on the Home page, or open a saved one there.")
        st.page_link("pages/home_page.py", label="Go to Home", icon=":material/home:")
        st.stop()
    return current


# ------------------------------------------------------------------------------ messages
def flash(text: str, kind: Literal["success", "info", "error"] = "success") -> None:
    """A message for the next run (callbacks cannot draw)."""
    st.session_state[MESSAGE_KEY] = (kind, text)


def show_messages() -> None:
    """Show the pending message and the save problem, if any; called once per run."""
    pending = st.session_state.pop(MESSAGE_KEY, None)
    if pending:
        kind, text = pending
        {"success": st.success, "info": st.info, "error": st.error}[kind](md(text))
    problem = save_problem()
    if problem is None:
        return
    with st.container(border=True):
        if problem.kind == "conflict":
            st.error(md(problem.message), icon=":material/sync_problem:")
            st.caption("Nothing was overwritten. Your version stays on screen until you "
                       "choose what to do with it.")
        else:
            st.error("Your latest changes are not saved: " + md(problem.message))
        left, middle, right = st.columns(3)
        left.button("Reload the saved version (drop my changes)", key="mlpm.reload",
                    on_click=reload_saved, width="stretch")
        middle.button("Keep my version as a new scenario", key="mlpm.save_copy",
                      on_click=save_as_copy, width="stretch")
        if problem.kind == "error":
            right.button("Try saving again", key="mlpm.retry", on_click=retry_save,
                         width="stretch")


# ------------------------------------------------------------------------------ opening
def _set_open(current: Scenario, row: StoredScenario) -> None:
    st.session_state[SCENARIO_KEY] = current
    st.session_state[ID_KEY] = row.id
    st.session_state[VERSION_KEY] = row.version
    st.session_state[PROBLEM_KEY] = None
    st.session_state[ERRORS_KEY] = {}
    st.query_params[QUERY_PARAM] = row.id


def close() -> None:
    """Forget the open scenario (it stays in the store)."""
    for key in (SCENARIO_KEY, ID_KEY, VERSION_KEY, PROBLEM_KEY):
        st.session_state.pop(key, None)
    st.session_state[ERRORS_KEY] = {}
    if QUERY_PARAM in st.query_params:
        del st.query_params[QUERY_PARAM]


def open_scenario(wanted: str) -> None:
    """Load a saved scenario's latest version and make it the open one."""
    current, row = store().load(wanted)
    _set_open(current, row)


def sync() -> None:
    """Match the session to the URL: reopen the URL's scenario from the store on a fresh
    session or a changed link, and put the open scenario's id back into the URL when a page
    switch dropped it."""
    wanted = st.query_params.get(QUERY_PARAM)
    if wanted and wanted != scenario_id():
        try:
            open_scenario(wanted)
        except UserError as error:
            close()
            flash(f"Could not open the scenario in the link: {error}", "error")
    elif not wanted and (current := scenario_id()):
        st.query_params[QUERY_PARAM] = current
    _forget_if_no_longer_shared()


def _forget_if_no_longer_shared() -> None:
    """Team mode: drop the working copy of a scenario this person may no longer read (the
    owner withdrew the share since it was opened), so no page draws it from session state."""
    current = scenario_id()
    if current is None or not team.enabled():
        return
    try:
        store().access(current)
    except (AccessDenied, NotFoundError) as error:  # not a busy database: that passes
        close()
        flash(f"The open scenario was closed: {error}", "error")


def note_page(page: str) -> None:
    """Forget refused-change messages when the user moves to another page."""
    if st.session_state.get(PAGE_KEY) != page:
        st.session_state[PAGE_KEY] = page
        st.session_state[ERRORS_KEY] = {}


# ------------------------------------------------------------------------------ creating
def create_and_open(new: Scenario, note: str) -> StoredScenario:
    """Save ``new`` as a new scenario and open it, numbered when its name is already saved."""
    name = distinct_name(new.project.name, (saved.name for saved in store().list()))
    named = new if name == new.project.name else with_name(new, name)
    row = store().create(named, note=note)
    _set_open(named, row)
    return row


# ------------------------------------------------------------------------------ editing
def _save(updated: Scenario, note: str) -> None:
    st.session_state[SCENARIO_KEY] = updated
    sid, expected = scenario_id(), version()
    if sid is None or expected is None:
        return
    try:
        row = store().save(sid, updated, expected_version=expected, note=note[:MAX_NAME])
    except ConflictError as error:
        st.session_state[PROBLEM_KEY] = SaveProblem("conflict", str(error))
        return
    except UserError as error:
        st.session_state[PROBLEM_KEY] = SaveProblem("error", str(error))
        return
    st.session_state[VERSION_KEY] = row.version
    st.session_state[PROBLEM_KEY] = None


def _for_field(message: str, path: str, label: str | None) -> str:
    """Name the field by its label instead of its dotted location when they are the same."""
    where, _, rest = message.partition(": ")
    if label and rest and (where == path or where.startswith(f"{path}.")):
        return f"{label}: {rest}"
    return message


def set_value(path: str, value: Any, label: str | None = None) -> bool:
    """Apply one answer to the open scenario and save it; a refused value is kept as a
    message for the field and the scenario stays as it was."""
    current = scenario()
    if current is None:
        return False
    errors = field_errors()
    try:
        updated = with_value(current, path, value)
    except UserError as error:
        errors[path] = _for_field(str(error), path, label)
        return False
    errors.pop(path, None)
    if updated != current or save_problem() is not None:
        _save(updated, note=f"changed {label or path}")
    return True


def replace_scenario(updated: Scenario, note: str) -> None:
    """Save a whole new working copy (for editors of lists such as tasks or rules)."""
    _save(Scenario.model_validate(updated.model_dump()), note)


def reload_saved() -> None:
    """Callback: drop the working copy and reopen the latest saved version."""
    sid = scenario_id()
    if sid is None:
        return
    try:
        open_scenario(sid)
    except UserError as error:
        close()
        flash(str(error), "error")
        return
    flash("Reloaded the latest saved version.", "info")


def retry_save() -> None:
    """Callback: try the failed save again."""
    current = scenario()
    if current is not None:
        _save(current, note="saved again after a failed save")


def save_as_copy() -> None:
    """Callback: keep the working copy as a new scenario, leaving the other one untouched."""
    current = scenario()
    if current is None:
        return
    name = f"{current.project.name} (my version)"[:MAX_NAME]
    try:
        row = create_and_open(with_value(current, "project.name", name),
                              note=f"kept as a copy of {current.project.name}"[:MAX_NAME])
    except UserError as error:
        flash(str(error), "error")
        return
    flash(f"Saved your version as '{row.name}'.")
