"""Portfolio page parts: pick saved scenarios, compare them, rank them, make what-if copies.

The figures and charts come from ``mlpm_core.portfolio`` and ``mlpm_core.charts``; this module
only reads widgets, loads, formats and draws.
Scenario names are user text: they appear in dataframes and widget options (plain text, never
Markdown) or, in Markdown, through :func:`mlpm_ui.text.md`.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from mlpm_core import charts
from mlpm_core.assessment import EstimateResult
from mlpm_core.errors import UserError
from mlpm_core.portfolio import (
    MAX_COMPARE,
    MIN_COMPARE,
    PortfolioRow,
    checked_selection,
    currencies,
    impact_feasibility_matrix_spec,
    portfolio_rows,
    ranked,
    unique_labels,
    what_if,
)
from mlpm_core.report import SUCCESS_HEAD, SUCCESS_SOURCE_LABELS
from mlpm_core.scenario import DIMENSION_LABELS, DIMENSIONS, STAGE_LABELS, StoredScenario, label
from mlpm_ui import simulation, state
from mlpm_ui.chart_view import draw
from mlpm_ui.figures import amount, quantity, share
from mlpm_ui.text import md

SELECT_KEY = "portfolio.selected"
SOURCE_KEY = "portfolio.what_if_source"
NAME_KEY = "portfolio.what_if_name"
STAGE_KEY = "portfolio.what_if_stage"
OPEN_KEY = "portfolio.what_if_open"
DEFAULT_PICKS = 3


def labels_by_id(saved: Sequence[StoredScenario]) -> dict[str, str]:
    """A unique label per saved scenario (repeated names are numbered)."""
    return dict(zip((row.id for row in saved), unique_labels([row.name for row in saved]),
                    strict=True))


def pick(saved: Sequence[StoredScenario], names: dict[str, str]) -> list[str]:
    """The scenarios to compare (ids), from a multiselect that starts with the latest few."""
    ids = [row.id for row in saved]
    chosen = [i for i in st.session_state.get(SELECT_KEY) or [] if i in names]
    if SELECT_KEY not in st.session_state:
        current = state.scenario_id()
        chosen = ([current] if current in names else []) + [i for i in ids if i != current]
        chosen = chosen[:DEFAULT_PICKS]
    st.session_state[SELECT_KEY] = chosen
    return st.multiselect(f"Scenarios to compare ({MIN_COMPARE} to {MAX_COMPARE})", ids,
                          key=SELECT_KEY, format_func=lambda i: names.get(i, i),
                          max_selections=MAX_COMPARE)


def estimates(ids: Sequence[str], names: dict[str, str]) -> dict[str, EstimateResult]:
    """Each picked scenario's (cached) estimate by label; one that fails is named and skipped."""
    found: dict[str, EstimateResult] = {}
    for scenario_id in ids:
        try:
            scenario, _ = state.store().load(scenario_id)
            found[names[scenario_id]] = simulation.estimate(scenario)
        except UserError as error:
            st.warning(md(f"'{names[scenario_id]}' is left out: {error}"))
    return found


def rows_for(ids: Sequence[str], names: dict[str, str]) -> tuple[list[PortfolioRow],
                                                                  dict[str, EstimateResult]]:
    """The comparison rows and the estimates behind them, or nothing if the pick is invalid."""
    try:
        checked_selection(ids)
    except UserError as error:
        st.info(md(error))
        return [], {}
    results = estimates(ids, names)
    by_label = {names[i]: i for i in ids}
    return portfolio_rows(results, ids=by_label), results


def _two(low: str, high: str) -> str:
    return f"{low} / {high}"


def comparison_table(rows: Sequence[PortfolioRow]) -> None:
    """Key figures side by side: one column per scenario."""
    table = {row.label: {
        "Stage": row.stage_label,
        "Decision": row.decision_label,
        "Effort P50 / P80": _two(quantity(row.effort_p50, "person-days"),
                                 quantity(row.effort_p80, "person-days")),
        "Duration P50 / P80": _two(quantity(row.duration_p50, "weeks"),
                                   quantity(row.duration_p80, "weeks")),
        "Delivery cost P50 / P80": _two(amount(row.cost_p50, row.currency),
                                        amount(row.cost_p80, row.currency)),
        "Expected NPV (mean)": amount(row.npv_mean, row.currency),
        "NPV P50": amount(row.npv_p50, row.currency),
        "P(NPV > 0)": share(row.p_npv_positive),
        SUCCESS_HEAD: f"{share(row.p_success)} "
        f"({SUCCESS_SOURCE_LABELS.get(row.success_source, row.success_source)})",
        f"Feasibility score (mean of {len(DIMENSIONS)})": f"{row.feasibility:.0f} / 100",
        "Weakest dimension": f"{label(DIMENSION_LABELS, row.weakest_dimension)} "
                             f"({row.weakest_score})",
        "Quadrant": row.quadrant,
    } for row in rows}
    st.dataframe(pd.DataFrame(table), width="stretch")
    found = currencies(rows)
    if len(found) > 1:
        st.warning("These scenarios use different currencies (" + md(", ".join(found)) + "); "
                   "amounts are shown as entered and never converted, so compare them with "
                   "care.", icon=":material/currency_exchange:")


def cost_curves(results: dict[str, EstimateResult]) -> None:
    """The delivery-cost S-curves on one chart."""
    draw(charts.overlay_cost_curves_spec(results), theme="streamlit")


def matrix(rows: Sequence[PortfolioRow]) -> None:
    """The impact x feasibility matrix and the ranking it implies."""
    draw(impact_feasibility_matrix_spec(rows), theme="streamlit")
    st.caption("x: the feasibility score, the mean of the dimension scores "
               f"({', '.join(DIMENSIONS)}; 0-100). y: the expected NPV (the mean of "
               "the simulated NPV). Bubble size: P80 delivery cost; colour: the decision. The "
               "dashed lines mark zero NPV and the green feasibility cut-off.")
    st.dataframe(pd.DataFrame([{"Rank": rank, "Scenario": row.label, "Quadrant": row.quadrant,
                                "Expected NPV": amount(row.npv_mean, row.currency),
                                "Feasibility": round(row.feasibility),
                                "Decision": row.decision_label}
                               for rank, row in enumerate(ranked(rows), start=1)]),
                 hide_index=True, width="stretch")


# ------------------------------------------------------------------------------ what-if
def _create_what_if(names: dict[str, str]) -> None:
    source = st.session_state.get(SOURCE_KEY)
    if source not in names:
        state.flash("Pick the scenario to copy.", "error")
        return
    name = (st.session_state.get(NAME_KEY) or "").strip() or f"{names[source]} (what-if)"
    stage = st.session_state.get(STAGE_KEY)
    try:
        row = what_if(state.store(), source, name[:state.MAX_NAME], stage=stage)
        if st.session_state.get(OPEN_KEY):
            state.open_scenario(row.id)
    except UserError as error:
        state.flash(f"No what-if was made: {error}", "error")
        return
    picked = list(st.session_state.get(SELECT_KEY) or [])
    if len(picked) < MAX_COMPARE:
        st.session_state[SELECT_KEY] = [*picked, row.id]
    st.session_state[NAME_KEY] = ""
    state.flash(f"Made the what-if '{row.name}'" + (" and opened it" if st.session_state.get(
        OPEN_KEY) else "; open it on Home to edit it") + ".")


def what_if_section(saved: Sequence[StoredScenario], names: dict[str, str]) -> None:
    """Duplicate a scenario as a named what-if, optionally for another stage."""
    with st.form("portfolio.what_if"):
        st.markdown("**Duplicate as what-if**: a new scenario to edit, e.g. the growth stage "
                    "of an MVP, or 'buy' next to 'build' (then change its tasks and costs).")
        left, middle, right = st.columns([2, 2, 1])
        left.selectbox("Copy", [row.id for row in saved], key=SOURCE_KEY,
                       format_func=lambda i: names.get(i, i))
        middle.text_input("Name of the what-if", key=NAME_KEY, max_chars=state.MAX_NAME,
                          placeholder="e.g. Fraud scoring: buy a vendor API")
        right.selectbox("Stage", [None, *STAGE_LABELS], key=STAGE_KEY,
                        format_func=lambda s: "Same stage" if s is None else STAGE_LABELS[s])
        st.checkbox("Open it for editing", key=OPEN_KEY)
        st.form_submit_button("Create what-if", on_click=_create_what_if, args=(names,))
