"""The live summary in the sidebar of every page: decision, key ranges, steps answered."""

from __future__ import annotations

from typing import Literal

import streamlit as st

from mlpm_core.errors import UserError
from mlpm_core.report import SUCCESS_HEAD, source_said
from mlpm_core.scenario import (
    DECISION_LABELS,
    STAGE_LABELS,
    STEPS,
    Scenario,
    label,
    step_statuses,
)
from mlpm_core.success import answers_chance
from mlpm_ui import simulation, state
from mlpm_ui.figures import amount, quantity, share
from mlpm_ui.text import md

DECISION_COLOURS: dict[str, Literal["green", "orange", "red", "gray"]] = {
    "go": "green", "conditional": "orange", "no-go": "red"}
DECISION_ICONS = {"go": ":material/check_circle:", "conditional": ":material/warning:",
                  "no-go": ":material/block:"}


def decision_badge(decision: str) -> None:
    """The decision as a coloured badge."""
    st.badge(label(DECISION_LABELS, decision), color=DECISION_COLOURS.get(decision, "gray"),
             icon=DECISION_ICONS.get(decision))


def render_sidebar(show_estimate: bool = True) -> None:
    """Draw the summary of the open scenario (or a hint when none is open) in the sidebar;
    without the estimate (decision, cost, duration) while the room is shown on the projector:
    a group that sees "Go, EUR 454k" before it estimates anchors on it."""
    with st.sidebar:
        current = state.scenario()
        if current is None:
            st.caption("No scenario open: start one on Home.")
            return
        st.markdown(f"**{md(current.project.name)}**")
        stage = label(STAGE_LABELS, current.project.stage)
        problem = state.save_problem()
        saved = (f"not saved ({problem.kind})" if problem
                 else f"saved, version {state.version()}")
        st.caption(f"{md(stage)} stage · {saved}")
        if show_estimate and not simulation.said_missing(current):
            _estimate_summary(current)
        _progress(current)


def _estimate_summary(current: Scenario) -> None:
    """The decision badge, the key ranges and the chance of success."""
    try:
        result = simulation.estimate(current)
    except UserError as error:
        st.error(md(f"No estimate yet: {error}"))
        return
    estimate = result.estimate
    currency = current.project.currency
    decision_badge(estimate.decision)
    st.markdown(
        f"Cost P50 **{md(amount(estimate.cost.p50, currency))}**, "
        f"P80 **{md(amount(estimate.cost.p80, currency))}**  \n"
        f"Duration P50 **{md(quantity(estimate.duration_weeks.p50, 'wk'))}**, "
        f"P80 **{md(quantity(estimate.duration_weeks.p80, 'wk'))}**")
    success = estimate.success
    source = source_said(success, answers_chance(current) if success.source == "user" else None)
    st.markdown(f"{SUCCESS_HEAD} **{md(share(success.p))}** "
                f"({md(source)})")
    for warning in estimate.warnings:
        st.caption(md(warning))


def _progress(current: Scenario) -> None:
    """How many steps are answered, and what is left."""
    statuses = step_statuses(current)
    done = sum(status.answered for status in statuses)
    st.progress(done / len(STEPS), text=f"{done} of {len(STEPS)} steps answered")
    missing = [status for status in statuses if not status.answered]
    if missing:
        with st.expander("What is left"):
            for status in missing:
                st.markdown(f"- **{md(status.title)}**: {md(status.missing)}")
