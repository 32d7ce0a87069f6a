"""The team and task tables of the Team & tasks page (the generator is
:mod:`mlpm_ui.proposal_section`).

Each table is an ``st.data_editor`` whose input stays the same from run to run (feeding the
editor's output back in as its input loses every second edit): the input is rebuilt only when
the scenario's list changed elsewhere (a generated breakdown, another scenario, a restored
version) or when the widget's state is gone (the user left the page). Edits are read from the
widget's edit state (its key) right after it is drawn; when they change the scenario, the run
starts again so that the sidebar, drawn before the page, shows their effect. Conversion and row
checks live in :mod:`mlpm_ui.task_table`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Literal

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from mlpm_core.breakdown import (
    double_count_sentence,
    give_tasks,
    large_fte_sentence,
    ongoing_sentence,
    tasks_for_team,
)
from mlpm_core.rules import rule_group_label, rule_groups
from mlpm_core.scenario import ROLES, Scenario, describe_validation_error
from mlpm_core.wording import counted
from mlpm_ui import state
from mlpm_ui.task_table import (
    NO_COVER,
    PHASE_OPTIONS,
    ROLE_OPTIONS,
    RowError,
    TableRead,
    apply_edits,
    read_tasks,
    read_team,
    role_label,
    tasks_frame,
    team_frame,
)
from mlpm_ui.text import md

Kind = Literal["tasks", "team"]
ROW_PIXELS = 35  # st.data_editor's default row height


@dataclass
class EditorSession:
    """What one table editor remembers between runs (a non-widget session key)."""

    owner: str | None
    generation: int
    base: pd.DataFrame
    written: list[Any]
    last_valid: dict[Hashable, Any]
    errors: list[RowError] = field(default_factory=list)
    table_error: str = ""

    def widget_key(self, kind: str) -> str:
        return f"mlpm.{kind}.table.{self.generation}"


NEW_ROWS_ROOM = 2
"""Rows a user can add before the table scrolls: without them, the grid scrolls to the empty
add-a-row line after the first added row, and the row just typed seems to vanish."""


def table_height(rows: int, most: int) -> int:
    """Pixels for a header, ``rows`` rows (at most ``most``), room for new rows and the empty
    row to add one.

    Computed from the stable input table, so it only changes when the input does (a changing
    parameter could reset the widget and drop the user's edits).
    """
    return ROW_PIXELS * (min(rows, most) + 2 + NEW_ROWS_ROOM) + 3


def _session_key(kind: str) -> str:
    return f"mlpm.{kind}.editor"


def _items(current: Scenario, kind: Kind) -> list[Any]:
    return list(current.tasks if kind == "tasks" else current.team)


def stable_session(kind: str, items: list[Any],
                   frame: Callable[[list[Any]], pd.DataFrame]) -> EditorSession:
    """A table editor's stable input, rebuilt only when ``items`` changed outside the editor
    (another scenario, a restored version) or its widget state is gone (the user left the
    page)."""
    session: EditorSession | None = st.session_state.get(_session_key(kind))
    stale = (session is None or session.owner != state.scenario_id()
             or session.written != items or session.widget_key(kind) not in st.session_state)
    if stale:
        session = EditorSession(owner=state.scenario_id(),
                                generation=session.generation + 1 if session else 0,
                                base=frame(items), written=items,
                                last_valid=dict(enumerate(items)))
        st.session_state[_session_key(kind)] = session
    assert session is not None
    return session


def covers_label(current: Scenario, group: str | None) -> str:
    """A "Covers risk" option: the rule group's label; a dash for no group (``NO_COVER``, also
    what a task without one holds, so its cell shows a dash rather than the grid's "None")."""
    return NO_COVER if not group or group == NO_COVER else rule_group_label(current, group)


def editor_session(current: Scenario, kind: Kind) -> EditorSession:
    """The team's or the tasks' editor session."""
    return stable_session(kind, _items(current, kind),
                          tasks_frame if kind == "tasks" else team_frame)


def _with(current: Scenario, kind: Kind, items: list[Any]) -> Scenario:
    """The scenario with the edited list; a new team takes the tasks of roles it lacks to the
    nearest role it has (and the user is told which)."""
    document = current.model_dump()
    document[kind] = [item.model_dump() for item in items]
    if kind == "team":
        tasks, moves = tasks_for_team(current.tasks, items)
        document["tasks"] = [task.model_dump() for task in tasks]
        if moves:
            state.flash("The team no longer has every role the tasks use: "
                        + "; ".join(move.sentence() for move in moves)
                        + ". Change any of them in the task table, give a role's tasks to "
                        "another role below it, or (for a generated breakdown) generate it "
                        "again for the whole team once every row is in.")
    return Scenario.model_validate(document)


def _save_edits(kind: Kind, session: EditorSession, current: Scenario,
                read: Callable[[pd.DataFrame, EditorSession, Scenario], TableRead],
                check: Callable[[Scenario, list[Any]], str] | None = None) -> bool:
    """Turn the editor's edit state into scenario objects and save the valid ones.

    Returns whether the scenario changed.
    """
    edited = apply_edits(session.base, st.session_state.get(session.widget_key(kind)))
    result = read(edited, session, current)
    session.last_valid.update(result.valid)
    session.errors = result.errors
    session.table_error = check(current, result.items) if check else ""
    if session.table_error or result.items == _items(current, kind):
        return False
    try:
        updated = _with(current, kind, result.items)
    except ValidationError as error:
        session.table_error = describe_validation_error(error)
        return False
    state.replace_scenario(updated, note=f"edited the {kind} table")
    session.written = _items(updated, kind)
    return True


def _read_tasks(edited: pd.DataFrame, session: EditorSession, current: Scenario) -> TableRead:
    roles = frozenset(member.role for member in current.team) or None
    return read_tasks(edited, session.last_valid, roles)


def _read_team(edited: pd.DataFrame, session: EditorSession, current: Scenario) -> TableRead:
    return read_team(edited, session.last_valid)


def show_problems(session: EditorSession) -> None:
    """What the table could not save, naming each row, under the table."""
    if session.table_error:
        st.error(md(session.table_error), icon=":material/error:")
    if session.errors:
        lines = "\n".join(f"- {md(str(error))}" for error in session.errors)
        st.error("Not saved until fixed (the scenario keeps the last valid version of these "
                 f"rows):\n{lines}", icon=":material/error:")


# ------------------------------------------------------------------------------ team
def team_editor(current: Scenario) -> None:
    """The team table: role, FTE range and day-rate range per row."""
    session = editor_session(current, "team")
    st.data_editor(
        session.base, key=session.widget_key("team"), num_rows="dynamic", hide_index=True,
        # room for four more roles than stored, up to every role (each is on the team at most
        # once): rows typed into a one-row table scrolled out of sight inside it
        width="stretch", height=table_height(
            min(len(session.base) + 2, len(ROLES) - NEW_ROWS_ROOM), len(ROLES)),
        column_config={
            "role": st.column_config.SelectboxColumn(
                "Role", options=list(ROLE_OPTIONS), width="medium",
                help="One row per role; use FTE for several people in one role."),
            "fte_low": st.column_config.NumberColumn(
                "FTE low", min_value=0.0, max_value=100.0, step=0.1, default=1.0,
                help="Full-time equivalents on the project, low end of the 90% range."),
            "fte_high": st.column_config.NumberColumn(
                "FTE high", min_value=0.0, max_value=100.0, step=0.1, default=1.0,
                help="High end of the 90% range (the same as low when certain)."),
            "rate_low": st.column_config.NumberColumn(
                f"Day rate low ({current.project.currency})", min_value=0.0, step=50.0,
                default=500.0, help="Cost of one person-day, low end of the 90% range."),
            "rate_high": st.column_config.NumberColumn(
                f"Day rate high ({current.project.currency})", min_value=0.0, step=50.0,
                default=900.0, help="High end of the 90% range."),
        },
    )
    if _save_edits("team", session, current, _read_team):
        st.rerun()
    if not current.team:
        st.info("No team yet: every role in the task table counts as one full-time person at "
                "the default day rate (the sidebar and the report say so). Add rows to set FTE "
                "and day rates; tasks of a role you leave out go to the nearest role you add.",
                icon=":material/group_add:")
    question = large_fte_sentence(current)
    if question:
        st.warning(md(question), icon=":material/help:")
    show_problems(session)


# ------------------------------------------------------------------------------ tasks
def task_editor(current: Scenario) -> None:
    """The work breakdown: one row per task with a three-point estimate in person-days."""
    session = editor_session(current, "tasks")
    days_column = partial(st.column_config.NumberColumn, min_value=0.0, max_value=1e5, step=0.5,
                          width=105)  # 'Pessimistic' in full
    st.data_editor(
        session.base, key=session.widget_key("tasks"), num_rows="dynamic", hide_index=True,
        width="stretch", height=table_height(len(session.base), 16),
        column_config={
            # pinned: the table is wider than a page beside the sidebar, and a row scrolled
            # to its Ongoing tick must still show which task it is
            "name": st.column_config.TextColumn("Task", max_chars=200, width=240, pinned=True),
            "phase": st.column_config.SelectboxColumn(
                "Phase", options=list(PHASE_OPTIONS), width=140),
            "role": st.column_config.SelectboxColumn(
                "Role", options=list(ROLE_OPTIONS), width=140),
            "optimistic": days_column(
                "Optimistic", help="Person-days if everything goes well."),
            "most_likely": days_column(
                "Most likely", help="Person-days you would bet on."),
            "pessimistic": days_column(
                "Pessimistic", help="Person-days if things go badly (but not a disaster)."),
            "covers": st.column_config.SelectboxColumn(
                "Covers risk", options=[NO_COVER, *rule_groups(current)], width=150,
                format_func=partial(covers_label, current),
                help="The rule group whose risk this task already budgets for (e.g. "
                     "understanding and cleaning the data, for data cleaning): that group's "
                     "rules of thumb do not multiply it again. Generated tasks fill this in."),
            "ongoing": st.column_config.CheckboxColumn(
                "Ongoing", width=80, default=False,
                help="Runs alongside the whole project (management, stakeholder check-ins, "
                     "reviews): its days take a steady share of its role's time over the "
                     "project instead of lengthening its phase. Its phase still decides which "
                     "rules of thumb multiply it."),
        },
    )
    if _save_edits("tasks", session, current, _read_tasks):
        st.rerun()
    tasks = current.tasks
    st.caption(f"{counted(len(tasks), 'task')} saved, "
               f"{sum(t.most_likely for t in tasks):g} person-days most likely, "
               f"{sum(t.pert_mean for t in tasks):,.1f} as PERT means (where the estimate "
               "starts, before the rules of thumb). Edits are saved as you make them. "
               "A task that already budgets for a risk (your own data-cleaning estimate) "
               "names it under Covers risk, so that risk's rules of thumb do not multiply it "
               "again; work that goes on all project long (check-ins, management) is "
               "Ongoing, so it shares its role's time instead of adding a phase's length.")
    for hint in (double_count_sentence(current), ongoing_sentence(current)):
        if hint:
            st.info(md(hint))  # task names are the user's text
    show_problems(session)
    _give_section(current)


def _give(source: str, target: str) -> None:
    """Callback: give every task of one role to another, in one step."""
    current = state.scenario()
    if current is None or source == target:
        return
    tasks, count = give_tasks(current.tasks, source, target)  # type: ignore[arg-type]
    try:
        updated = Scenario.model_validate({**current.model_dump(),
                                           "tasks": [task.model_dump() for task in tasks]})
    except ValidationError as error:
        state.flash(describe_validation_error(error), "error")
        return
    state.replace_scenario(updated, note=f"gave {count} {source} tasks to {target}")
    state.flash(f"Gave {counted(count, role_label(source) + ' task')} to the "
                f"{role_label(target)}.")


def _give_section(current: Scenario) -> None:
    """"Give all Data engineer tasks to the ML engineer": re-assign a role's tasks at once."""
    used = sorted({task.role for task in current.tasks}, key=ROLES.index)
    if not used:
        return
    targets = [member.role for member in current.team] or list(ROLES)
    with st.expander("Give all of a role's tasks to another role"):
        left, right, button = st.columns([1, 1, 0.6], vertical_alignment="bottom")
        source = left.selectbox("Tasks of", used, format_func=role_label, key="mlpm.give.source")
        target = right.selectbox("Give to", targets, format_func=role_label,
                                 key="mlpm.give.target")
        button.button("Give", key="mlpm.give", on_click=_give, args=(source, target),
                      disabled=source == target, width="stretch")
