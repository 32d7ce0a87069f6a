"""Drawing a room's spread per task: the words, the chart, and the numbers one click away."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from mlpm_core.workshop import RoundView
from mlpm_ui.text import md
from mlpm_ui.workshop_chart import agreement_words, spread_spec, task_rows
from mlpm_ui.workshop_tables import entry_rows, round_summary_rows

FACILITATOR_CHART_PX = 780  # two rounds side by side in the main column at 1280 px
PHONE_CHART_PX = 290  # one round on a 390 px phone, inside the expander and the card


def spread_section(rounds: Sequence[RoundView], width: int) -> None:
    """Per task with estimates: agreement in words, the chart of the last two rounds, and
    (in an expander) the numbers of the latest round."""
    if not rounds or not any(task.entries for view in rounds for task in view.tasks):
        st.caption("No estimates yet.")
        return
    latest = rounds[-1]
    for task in latest.tasks:
        rows = task_rows(rounds, task.task_name)
        if not rows:
            continue
        number, shown = next((view.number, t) for view in reversed(rounds) for t in view.tasks
                             if t.task_name == task.task_name and t.entries)
        with st.container(border=True):
            st.markdown(f"**{md(task.task_name)}**  \n"
                        f"Round {number}: {md(agreement_words(shown))}")
            st.vega_lite_chart(spread_spec(rows, width), width="content",
                               theme=None)
            with st.expander("The numbers"):
                summary = RoundView(number, (shown,), (), latest.participants)
                st.table(round_summary_rows(summary), hide_index=True)
                st.table(entry_rows(shown), hide_index=True)
