"""Starting a scenario on the Home page: from a shipped example, the blank template or a file.

Every start is saved as a new scenario at once and opened (``state.create_and_open``), so it is
in the store and in the URL before the first answer; a refused file leaves the open scenario as
it was and keeps one readable message for the page. The functions are widget callbacks, which
cannot draw, so outcomes are flashed for the next run.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from mlpm_core.errors import UserError
from mlpm_core.paths import repo_data_dir
from mlpm_core.scenario import Scenario, load_scenario, scenario_from_bytes, with_value
from mlpm_ui.state import MAX_NAME, create_and_open, flash

IMPORT_ERROR_KEY = "mlpm.import_error"


def example_files() -> list[Path]:
    """The shipped example scenarios."""
    return sorted((repo_data_dir() / "examples").glob("*.json"))


@st.cache_data(show_spinner=False)
def example_summaries() -> list[dict[str, str]]:
    """Name, file and problem statement of each shipped example."""
    rows = []
    for path in example_files():
        example = load_scenario(path)
        rows.append({"file": path.name, "name": example.project.name,
                     "problem": example.project.problem_statement})
    return rows


def new_from_example(file_name: str) -> None:
    """Callback: start a new scenario from a shipped example."""
    paths = {path.name: path for path in example_files()}
    try:
        row = create_and_open(load_scenario(paths[file_name]),
                              note=f"created from the example {file_name}")
    except UserError as error:
        flash(str(error), "error")
        return
    flash(f"Started '{row.name}' from an example.")


def new_blank(name_key: str) -> None:
    """Callback: start a blank scenario named from the text widget ``name_key``."""
    name = (st.session_state.get(name_key) or "").strip() or "Untitled project"
    try:
        blank = with_value(Scenario(), "project.name", name[:MAX_NAME])
        row = create_and_open(blank, note="created from the blank template")
    except UserError as error:
        flash(str(error), "error")
        return
    flash(f"Started '{row.name}' from the blank template. Next: the Project page, then the "
          "pages below it in the sidebar, top to bottom; the Report page gathers the result.")


def import_scenario(raw: bytes, file_name: str) -> bool:
    """Save an uploaded scenario file as a new scenario and open it.

    An invalid file leaves everything as it was and keeps one readable message for the page.
    """
    try:
        imported = scenario_from_bytes(raw, what=f"the file {file_name}")
        row = create_and_open(imported, note=f"imported from {file_name}"[:MAX_NAME])
    except UserError as error:
        st.session_state[IMPORT_ERROR_KEY] = str(error)
        return False
    st.session_state[IMPORT_ERROR_KEY] = None
    flash(f"Imported '{row.name}' from {file_name}.")
    return True


def import_error() -> str | None:
    """The message of the last refused import, if the last import failed."""
    return st.session_state.get(IMPORT_ERROR_KEY)
