"""Home page parts: start a scenario, import one, manage saved ones, restore a version."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from mlpm_core.scenario import StoredScenario
from mlpm_core.wording import shown_time
from mlpm_ui import state
from mlpm_ui.saved_scenarios import (
    delete_saved,
    duplicate_saved,
    open_saved,
    rename_saved,
    restore_version,
    saved,
)
from mlpm_ui.scenario_start import (
    example_summaries,
    import_error,
    import_scenario,
    new_blank,
    new_from_example,
)
from mlpm_ui.text import md

UPLOAD_KEY = "home.upload"
BLANK_NAME_KEY = "home.blank_name"
VERSION_PICK_KEY = "home.version_pick"
SCROLL_AFTER = 8  # saved scenarios shown before the list scrolls


def _import_upload() -> None:
    upload = st.session_state.get(UPLOAD_KEY)
    if upload is not None:
        import_scenario(upload.getvalue(), upload.name)


def start_section() -> None:
    """New scenario from an example, the blank template or a file."""
    st.subheader("Start a scenario")
    examples = example_summaries()
    for column, example in zip(st.columns(len(examples)), examples, strict=True):
        with column.container(border=True):
            st.markdown(f"**{md(example['name'])}**")
            st.caption(md(example["problem"]))
            st.button("Start from this example", key=f"home.example.{example['file']}",
                      on_click=new_from_example, args=(example["file"],))
    left, right = st.columns(2)
    with left.container(border=True):
        st.markdown("**Blank template**")
        st.text_input("Project name", key=BLANK_NAME_KEY, max_chars=state.MAX_NAME,
                      placeholder="Untitled project")
        st.button("Start blank", key="home.blank", on_click=new_blank,
                  args=(BLANK_NAME_KEY,))
    with right.container(border=True):
        st.file_uploader("Import a scenario file (JSON)", type=["json"], key=UPLOAD_KEY,
                         on_change=_import_upload,
                         help="A scenario saved from mlpm (Report page, 'Download scenario').")
        show_import_error()


def show_import_error() -> None:
    """The readable reason the last import was refused, if it was."""
    message = import_error()
    if message:
        st.error("The file was not imported: " + md(message), icon=":material/error:")


def _saved_row(row: StoredScenario, is_open: bool) -> None:
    name, actions = st.columns([3, 4], vertical_alignment="center")
    opened = " (open)" if is_open else ""
    name.markdown(f"**{md(row.name)}**{opened}  \n"
                  f"{md(f'version {row.version}, saved {shown_time(row.updated_at)}')}")
    open_col, copy_col, rename_col, delete_col = actions.columns(4)
    open_col.button("Open", key=f"home.open.{row.id}", on_click=open_saved,
                    args=(row.id,), disabled=is_open)
    copy_col.button("Duplicate", key=f"home.duplicate.{row.id}", on_click=duplicate_saved,
                    args=(row.id, f"{row.name} (copy)"))
    with rename_col.popover("Rename"):
        key = f"home.rename_to.{row.id}"
        st.text_input("New name", value=row.name, key=key, max_chars=state.MAX_NAME)
        st.button("Rename", key=f"home.rename.{row.id}", on_click=rename_saved,
                  args=(row.id, key))
    with delete_col.popover("Delete"):
        st.markdown(f"Delete **{md(row.name)}**? It disappears from this list; its history "
                    "stays in the database.")
        st.button("Yes, delete", key=f"home.delete.{row.id}", type="primary",
                  on_click=delete_saved, args=(row.id, row.name))


def saved_section() -> None:
    """Saved scenarios with open, duplicate, rename and delete."""
    st.subheader("Saved scenarios")
    rows = saved()
    if not rows:
        st.caption("Nothing saved yet: every scenario you start or import is saved here, and "
                   "every change you make is saved as you go.")
        return
    box = st.container(height=480) if len(rows) > SCROLL_AFTER else st.container()
    with box:
        for row in rows:
            _saved_row(row, row.id == state.scenario_id())


def history_section() -> None:
    """Version history of the open scenario, with 'restore this version'."""
    sid = state.scenario_id()
    if sid is None:
        return
    st.subheader("Version history of the open scenario")
    versions = state.store().history(sid)
    st.dataframe(pd.DataFrame([{"Version": v.version, "Saved": shown_time(v.saved_at),
                                "Name": v.name, "Change": v.note} for v in versions]),
                 hide_index=True, height=min(38 + 35 * len(versions), 300))
    numbers = [v.version for v in versions]
    if st.session_state.get(VERSION_PICK_KEY) not in numbers:
        st.session_state[VERSION_PICK_KEY] = numbers[0]
    left, right = st.columns([2, 3], vertical_alignment="bottom")
    picked = left.selectbox("Version", numbers, key=VERSION_PICK_KEY,
                            format_func=lambda number: f"Version {number}")
    right.button("Restore this version", key="home.restore", on_click=restore_version,
                 args=(picked,), disabled=picked == state.version(),
                 help="Saves a copy of this version as the newest one; no history is lost.")
