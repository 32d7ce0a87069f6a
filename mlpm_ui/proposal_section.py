"""The work-breakdown generator of the Team & tasks page: the proposal, what it is based on,
and adopting it (replace or append, after asking when the table already has tasks)."""

from __future__ import annotations

from typing import Literal

import pandas as pd
import streamlit as st

from mlpm_core.assessment import deadline_capacity_days
from mlpm_core.breakdown import (
    Proposal,
    apply_proposal,
    days_by_scope,
    matching_blocks,
    missing_from_table,
    missing_tasks_sentence,
    proposal_against_table,
    propose,
    scope_changes_sizes,
)
from mlpm_core.errors import UserError
from mlpm_core.scenario import Scenario, Task
from mlpm_core.sources import short_citation
from mlpm_core.wording import counted
from mlpm_ui import forms, state
from mlpm_ui.task_table import phase_label, role_label
from mlpm_ui.text import md

CONFIRM_KEY = "mlpm.tasks.confirm_generate"


def _apply(mode: Literal["replace", "append"]) -> None:
    """Callback: adopt the proposed work breakdown."""
    st.session_state[CONFIRM_KEY] = False
    current = state.scenario()
    if current is None:
        return
    try:
        proposal = propose(current)
        updated = apply_proposal(current, proposal.tasks, mode)
    except UserError as error:
        state.flash(str(error), "error")
        return
    added = len(updated.tasks) - (len(current.tasks) if mode == "append" else 0)
    state.replace_scenario(updated, note=f"generated the work breakdown ({mode})")
    verb = "Replaced the task table with" if mode == "replace" and current.tasks else "Added"
    fitted = (" They are sized for the project and given to the roles on your team; "
              "'What the proposal is based on' says how." if current.team else "")
    state.flash(f"{verb} {added} proposed tasks.{fitted} Review the estimates: they are a "
                "starting point, not your team's numbers.")


def _generate_clicked() -> None:
    current = state.scenario()
    if current is not None and not current.tasks:
        _apply("replace")
    else:
        st.session_state[CONFIRM_KEY] = True


TEAM_SCOPE_NOTE = (
    "The team factor reads a small team as a small project: it assumes the team was sized for "
    "the scope. If the scope is fixed and the question is what team it needs, size the "
    "proposed tasks for the full scope (above): the work stays whole and the team's size "
    "sets the pace and the duration.")


def _cancel() -> None:
    st.session_state[CONFIRM_KEY] = False


def _proposal_notes(proposal: Proposal) -> None:
    """Who does the work the team lacks, and how the sizes were scaled, with the reasons."""
    st.markdown("**Roles** (mlpm's fallbacks; an organisation can edit them in "
                "data/templates/roles.toml)")
    for note in proposal.role_notes or ["Every task's role is on the team."]:
        st.markdown(f"- {md(note)}")
    st.markdown("**Sizes**: template days \u00d7 these factors, rounded to half days (mlpm's "
                "judgement, not from a source; editable in data/templates/scale.toml)")
    for note in proposal.size_notes:
        st.markdown(f"- {md(note)}")
    if proposal.team_scaled_down:
        st.caption(TEAM_SCOPE_NOTE)
    if proposal.dropped:
        st.markdown(f"- Left out: {md(', '.join(proposal.dropped))}")


def _missing_notice(missing: list[Task]) -> None:
    """Work the answers now call for that a generated table lacks, with a way to add it."""
    sentence = missing_tasks_sentence(missing)
    if sentence is None:
        return
    st.info(md(sentence), icon=":material/playlist_add:")
    st.button(f"Append {counted(len(missing), 'missing task')}", key="mlpm.tasks.append_missing",
              on_click=_apply, args=("append",))


def generate_section(current: Scenario) -> None:
    """Propose tasks from the answers; ask before replacing or appending to existing tasks."""
    try:
        blocks = matching_blocks(current)
        proposal = propose(current)
    except UserError as error:
        st.error(md(f"The work-breakdown templates cannot be used: {error}"))
        return
    proposed = proposal.tasks
    forms.field("project.scope", horizontal=True)
    if current.team and not scope_changes_sizes(current):
        st.caption("Your team is at the size the templates are written for, so both ways of "
                   "sizing propose the same tasks.")
    elif current.team:
        by_scope = days_by_scope(current)
        capacity = deadline_capacity_days(current)
        room = (f" Your team has about {capacity:,.0f} person-days before the "
                f"{current.project.deadline_weeks:g}-week deadline: if it was staffed for the "
                "calendar rather than the work, size at full scope."
                if capacity and by_scope["from_team"] < capacity / 2 else "")
        st.caption(f"Most likely, the proposal adds up to {by_scope['from_team']:g} "
                   f"person-days sized from the team and {by_scope['full']:g} at full "
                   f"scope.{room}")
    st.button("Generate work breakdown", icon=":material/auto_awesome:",
              on_click=_generate_clicked, key="mlpm.tasks.generate",
              help="Propose tasks from your answers (data, serving, generative AI, risks, "
              "stage), using the templates in data/templates, for the roles on your team and "
              "sized for the project.")
    _missing_notice(missing_from_table(current, proposal))
    days = sum(task.most_likely for task in proposed)
    with st.expander(f"What the proposal is based on ({counted(len(proposed), 'task')}, "
                     f"{days:g} person-days most likely, from "
                     f"{counted(len(blocks), 'template block')})"):
        _proposal_notes(proposal)
        st.markdown("**Template blocks**")
        for block in blocks:
            st.markdown(f"- **{md(block.title)}**: {counted(len(block.tasks), 'task')}; "
                        f"{short_citation(block.source.id)}: \u201c{md(block.source.quote)}\u201d")
    if not st.session_state.get(CONFIRM_KEY):
        return
    with st.container(border=True):
        st.warning(f"The scenario already has {counted(len(current.tasks), 'task')}. Replace "
                   f"them with the {counted(len(proposed), 'proposed task')}, or append the "
                   "proposed tasks whose names are not in the table yet?", icon=":material/help:")
        compared = proposal_against_table(current, proposal)
        if compared:
            st.info(md(compared), icon=":material/compare_arrows:")
        st.dataframe(pd.DataFrame(
            [{"Task": task.name, "Phase": phase_label(task.phase), "Role": role_label(task.role),
              "Days (o / m / p)": f"{task.optimistic:g} / {task.most_likely:g} / "
                                  f"{task.pessimistic:g}"} for task in proposed]),
            hide_index=True, width="stretch", height=220)
        for note in proposal.role_notes:
            st.caption(md(note))
        left, middle, right = st.columns(3)
        left.button("Replace my tasks", key="mlpm.tasks.replace", on_click=_apply,
                    args=("replace",), type="primary", width="stretch")
        middle.button("Append new tasks", key="mlpm.tasks.append", on_click=_apply,
                      args=("append",), width="stretch")
        right.button("Cancel", key="mlpm.tasks.cancel", on_click=_cancel, width="stretch")
