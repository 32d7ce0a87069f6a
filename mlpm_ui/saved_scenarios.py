"""The Home page's actions on saved scenarios: open, rename, duplicate, delete, restore a version.

They act on the store, not on the working copy, so a change to the open scenario's stored copy
reopens it, unless the working copy has changes the store refused, which a reopen would drop.
The functions are widget callbacks, which cannot draw, so outcomes are flashed for the next run.
"""

from __future__ import annotations

import builtins

import streamlit as st

from mlpm_core.errors import UserError
from mlpm_core.scenario import ConflictError, StoredScenario
from mlpm_ui.state import (
    MAX_NAME,
    PROBLEM_KEY,
    SaveProblem,
    close,
    flash,
    open_scenario,
    save_problem,
    scenario_id,
    store,
    version,
)


def saved() -> builtins.list[StoredScenario]:
    """Live scenarios, most recently saved first."""
    return store().list()


def _after_change_of(target: str) -> None:
    if target == scenario_id() and save_problem() is None:
        open_scenario(target)


def open_saved(target: str) -> None:
    """Callback: open a saved scenario."""
    try:
        open_scenario(target)
    except UserError as error:
        flash(str(error), "error")


def rename_saved(target: str, name_key: str) -> None:
    """Callback: rename a saved scenario to the text in widget ``name_key``."""
    name = (st.session_state.get(name_key) or "").strip()
    try:
        row = store().rename(target, name)
        _after_change_of(target)
    except UserError as error:
        flash(str(error), "error")
        return
    flash(f"Renamed to '{row.name}'.")


def duplicate_saved(target: str, name: str) -> None:
    """Callback: copy a saved scenario under a new name and open the copy."""
    try:
        row = store().duplicate(target, name[:MAX_NAME])
        open_scenario(row.id)
    except UserError as error:
        flash(str(error), "error")
        return
    flash(f"Duplicated as '{row.name}'; the copy is now open.")


def delete_saved(target: str, name: str) -> None:
    """Callback: delete a saved scenario (closing it if it is open)."""
    try:
        store().delete(target)
    except UserError as error:
        flash(str(error), "error")
        return
    if target == scenario_id():
        close()
    flash(f"Deleted '{name}'.", "info")


def restore_version(number: int) -> None:
    """Callback: make an old version of the open scenario the latest (history is kept)."""
    sid, expected = scenario_id(), version()
    if sid is None or expected is None:
        return
    try:
        store().restore(sid, number, expected_version=expected)
        open_scenario(sid)
    except ConflictError as error:
        st.session_state[PROBLEM_KEY] = SaveProblem("conflict", str(error))
        return
    except UserError as error:
        flash(str(error), "error")
        return
    flash(f"Restored version {number}; it is saved as the newest version.")
