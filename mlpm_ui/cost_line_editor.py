"""The custom cost lines of the Costs & value page: a table to add, edit and delete them.

Like the team and task tables (``mlpm_ui.task_editor``), the ``st.data_editor``'s input stays
the same from run to run (feeding its output back in loses every second edit): it is rebuilt
only when the scenario's lines changed elsewhere (another scenario, a restored version) or when
the widget's state is gone (the user left the page). Edits are read from the widget's edit state
right after it is drawn; a change reruns the page so that the sidebar shows its effect.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from mlpm_core.errors import UserError
from mlpm_core.scenario import Scenario, with_value
from mlpm_ui import state
from mlpm_ui.cost_line_table import PAID, lines_frame, paid_label, read_lines
from mlpm_ui.range_input import SHAPE_LABELS, SHAPES
from mlpm_ui.task_editor import EditorSession, show_problems, stable_session, table_height
from mlpm_ui.task_table import apply_edits

KIND = "cost_lines"  # widget key mlpm.cost_lines.table.<generation>
PATH = "costs.custom_lines"


def _session(current: Scenario) -> EditorSession:
    """The editor's stable input, rebuilt only when the lines changed outside the editor."""
    return stable_session(KIND, list(current.costs.custom_lines), lines_frame)


def _save(session: EditorSession, current: Scenario) -> bool:
    """Write the valid lines of the edited table; whether the scenario changed."""
    edited = apply_edits(session.base, st.session_state.get(session.widget_key(KIND)))
    result = read_lines(edited, session.last_valid)
    session.last_valid.update(result.valid)
    session.errors, session.table_error = result.errors, ""
    if result.items == list(current.costs.custom_lines):
        return False
    try:
        updated = with_value(current, PATH, [line.model_dump() for line in result.items])
    except UserError as error:
        session.table_error = str(error)
        return False
    state.replace_scenario(updated, note="edited the custom cost lines")
    session.written = list(updated.costs.custom_lines)
    return True


def _shape_label(option: object) -> str:
    return SHAPE_LABELS.get(str(option), str(option))


def cost_line_editor() -> None:
    """The table of the scenario's own cost lines, with what its rows could not save."""
    current = state.require()
    session = _session(current)
    currency = current.project.currency
    money = partial(st.column_config.NumberColumn, min_value=0.0, step=100.0, format="%g")
    st.data_editor(
        session.base, key=session.widget_key(KIND), num_rows="dynamic", hide_index=True,
        width="stretch", height=table_height(len(session.base), 8),
        column_config={
            "name": st.column_config.TextColumn(
                "Cost line", max_chars=100, width=200,
                help="What the cost is, e.g. 'Gateway installation'."),
            "paid": st.column_config.SelectboxColumn(
                "Paid", options=list(PAID), format_func=paid_label,
                default="one_off", help="One-off: in the delivery cost. Yearly: every year of "
                "the horizon, in the NPV."),
            "low": money(f"Low ({currency})", help="Low end of the 90% range."),
            "most_likely": money(f"Most likely ({currency})",
                                 help="Optional: makes the range a PERT shape."),
            "high": money(f"High ({currency})", help="High end of the 90% range (empty or "
                          "the same as low for a certain amount)."),
            "shape": st.column_config.SelectboxColumn(
                "Shape", options=list(SHAPES), format_func=_shape_label,
                default=SHAPES[0], help="Automatic: lognormal for a positive range, PERT with "
                "a most-likely value. Normal or uniform for a range that can reach zero."),
        },
    )
    if _save(session, current):
        st.rerun()
    show_problems(session)
