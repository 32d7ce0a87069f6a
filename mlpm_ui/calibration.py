"""Actuals & calibration page parts that turn recorded work into a reference class: fit one,
check it, save it, and choose the one the open scenario's simulation uses.

The finished work itself is recorded by ``mlpm_ui.actuals``. User text (class names and
descriptions, error messages) goes through ``md``; tables go through ``st.dataframe``, which
never interprets markup. Fitted classes are saved into the store with ``save_reference_class``.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from mlpm_core.calibration import (
    Actual,
    FitSummary,
    HeldOut,
    ReferenceClass,
    fit_from_actuals,
    fit_summary,
    goodness_of_fit_spec,
    held_out,
    influence_note,
    phases,
    teams,
    units,
)
from mlpm_core.charts import Spec
from mlpm_core.errors import UserError
from mlpm_core.report import bias_phrase
from mlpm_core.store import (
    check_new_reference_name,
    list_reference_classes,
    load_reference_class,
    save_reference_class,
)
from mlpm_ui import forms, state
from mlpm_ui.chart_view import draw
from mlpm_ui.text import md

FITTED_KEY = "calibration.fitted"
CHOICE_KEY = "calibration.reference"
REFERENCE_PATH = "simulation.reference_class"
SOURCE_LABELS = {"shipped": "shipped with mlpm", "user": "yours"}
CITATION = ("Idea: reference-class forecasting, predicting from the actual outcomes of similar "
            "finished work rather than from the plan alone (Kahneman & Tversky 1979; "
            "Flyvbjerg 2006, Project Management Journal 37(3)).")


# ------------------------------------------------------------------------------ intro
def intro() -> None:
    """Title, what the page does, the idea it rests on and what the default class is."""
    st.title("Actuals & calibration")
    st.markdown(
        "Records **what finished work really took** and learns from it how far actuals land "
        "from their estimates (a *reference class*). The simulation uses the scenario's class "
        "as the **estimator-bias factor** that all tasks of a simulated project share, and the "
        "report names the class and how many finished tasks it comes from.")
    st.caption(md(CITATION))
    try:
        default = load_reference_class("default")
    except UserError:
        return
    st.caption(md(
        f"The shipped class 'default' is fitted to {default.n_points:,} finished software tasks "
        f"estimated in {default.estimate_unit} at one UK company (the SiP dataset; "
        f"{default.p_exact:.0%} were booked at exactly their estimate). It shows how such "
        "estimates tend to miss. It does not represent ML projects, person-day estimates or "
        "your team: use it as a prior until you have recorded your own actuals."))


# ------------------------------------------------------------------------------ fitting
def fit_section(rows: list[Actual]) -> None:
    """Fit a reference class on the recorded actuals, check it, and save it."""
    st.subheader("Fit a reference class")
    if len(rows) < 2:
        st.caption("Record at least two finished tasks to fit a reference class.")
        return
    counts = units(rows)
    left, right = st.columns(2)
    name = left.text_input("Name", value="team", key="calibration.fit_name", max_chars=64,
                           help="1-64 letters, digits, '_' or '-'.")
    unit = right.selectbox("Tasks estimated in", list(counts), key="calibration.fit_unit",
                           format_func=lambda u: f"{u} ({counts[u]:,} tasks)")
    chosen = [row for row in rows if row.unit == unit]
    named_teams, named_phases = teams(chosen), phases(chosen)
    left, right = st.columns(2)
    by_phase = left.checkbox("Separate parameters per phase", key="calibration.by_phase",
                             disabled=not named_phases,
                             help="Only phases with enough tasks get their own parameters.")
    min_phase = left.number_input("Tasks a phase needs for its own parameters", min_value=20,
                                  value=200, step=10, key="calibration.min_phase",
                                  disabled=not by_phase)
    by_team = right.checkbox("Learn the bias a project shares from the teams",
                             key="calibration.by_team", disabled=len(named_teams) < 2,
                             help="Needs tasks of at least two teams. Without it, the spread "
                                  "between projects is borrowed from the class 'default'.")
    evaluate = right.checkbox("Also check it on held-out tasks", key="calibration.evaluate",
                              help="Fits on the earlier tasks and checks how often the later "
                                   "ones land inside its intervals.")
    fraction = right.slider("Share of (earlier) tasks to fit on", 0.5, 0.9, 0.7, 0.05,
                            key="calibration.fraction", disabled=not evaluate)
    if st.button("Fit", key="calibration.fit", type="primary", icon=":material/functions:"):
        _fit(chosen, name, bool(by_phase), bool(by_team), int(min_phase),
             fraction if evaluate else None)
    fitted = st.session_state.get(FITTED_KEY)
    if fitted is not None:
        _show_fit(*fitted)


def _fit(rows: list[Actual], name: str, by_phase: bool, by_team: bool, min_phase: int,
         fraction: float | None) -> None:
    st.session_state[FITTED_KEY] = None
    try:
        check_new_reference_name(name.strip())  # the store's own rule, before the fit
        prior = None if by_team else load_reference_class("default")
        reference = fit_from_actuals(rows, name=name.strip(), by_phase=by_phase,
                                     by_team=by_team, min_phase_points=min_phase, prior=prior)
    except UserError as error:
        st.error("Not fitted: " + md(error))
        return
    data_phases = [row.phase or "" for row in rows] if by_phase else None
    estimates = [row.estimate for row in rows]
    actuals = [row.actual for row in rows]
    summary = fit_summary(reference, estimates, actuals, data_phases)
    check: HeldOut | str | None = None
    if fraction is not None:
        try:
            check = held_out(rows, train_fraction=fraction, by_phase=by_phase)
        except UserError as error:
            check = f"No held-out check: {error}"
    spec = goodness_of_fit_spec(reference, estimates, actuals, data_phases)
    note = influence_note(rows, by_team=by_team)
    st.session_state[FITTED_KEY] = (reference, summary, spec, check, note)


def _show_fit(reference: ReferenceClass, summary: FitSummary, spec: Spec,
              check: HeldOut | str | None, note: str | None) -> None:
    with st.container(border=True):
        st.markdown(f"**Fitted class '{md(reference.name)}'** (not saved yet)")
        columns = st.columns(4)
        columns[0].metric("Finished tasks", f"{summary.n:,}")
        columns[1].metric("Exactly on estimate", f"{summary.share_exact:.0%}")
        columns[2].metric("Median actual / estimate", f"{summary.median_ratio:.2f}")
        columns[3].metric(f"In the fitted {summary.level:.0%} interval",
                          f"{summary.coverage:.0%}",
                          help="In-sample: the share of these tasks whose actual falls inside "
                               "the fitted interval of their own estimate.")
        st.markdown("\n".join(f"- {md(text)}" for text in summary.sentences()))
        st.caption(md(f"In the simulation: each project's tasks share a factor with median "
                      f"{summary.bias_median:.2f} and log-spread {summary.bias_sigma:.2f}. "
                      f"{reference.description}"))
        if note is not None:
            st.warning(md(note), icon=":material/search:")
        draw(spec)
        if isinstance(check, str):
            st.warning(md(check))
        elif check is not None:
            st.markdown("**Held-out check**")
            st.caption(md(check.sentence()))
            st.dataframe(pd.DataFrame(check.coverage_rows()), hide_index=True)
            st.caption("Coverage: the share of the later tasks whose actual fell inside each "
                       "method's interval; close to the nominal coverage is well calibrated.")
            st.dataframe(pd.DataFrame(check.score_rows()), hide_index=True)
            st.caption("Interval score (Winkler) as a multiple of the plain lognormal's: the "
                       "interval's width plus a penalty for each later task outside it, so an "
                       "interval that is merely wide does not win. Below 1x is better than "
                       "the plain lognormal; lower is better.")
        exists = reference.name in list_reference_classes()
        st.button(f"Save as '{reference.name}'" + (" (replaces the saved one)" if exists
                                                    else ""),
                  key="calibration.save", on_click=_save, args=(reference,), type="primary",
                  icon=":material/save:")


def _save(reference: ReferenceClass) -> None:
    """Callback: save the fitted class into the store."""
    try:
        save_reference_class(reference, into=state.store())
    except UserError as error:
        state.flash(f"Not saved: {error}", "error")
        return
    st.session_state[FITTED_KEY] = None
    state.flash(f"Saved the reference class '{reference.name}'; choose it for a scenario "
                "below.")


# ------------------------------------------------------------------------------ choosing
def _classes() -> dict[str, ReferenceClass | str]:
    """Every available class by name, or why it cannot be read."""
    found: dict[str, ReferenceClass | str] = {}
    for name in sorted(list_reference_classes()):
        try:
            found[name] = load_reference_class(name)
        except UserError as error:
            found[name] = str(error)
    return found


def _choose() -> None:
    """Callback: the picked class becomes the scenario's."""
    state.set_value(REFERENCE_PATH, st.session_state.get(CHOICE_KEY), label="Reference class")


def choose_section() -> None:
    """Which class the open scenario's simulation uses, with every class's details."""
    st.subheader("Reference class for this scenario")
    classes = _classes()
    sources = list_reference_classes()
    st.dataframe(pd.DataFrame([
        {"Name": name, "From": SOURCE_LABELS.get(sources.get(name, ""), ""),
         "Finished tasks": rc.n_points if isinstance(rc, ReferenceClass) else None,
         "Projects": rc.n_groups if isinstance(rc, ReferenceClass) else None,
         "Estimator bias": bias_phrase(rc.bias_median, rc.shared_sigma)
         if isinstance(rc, ReferenceClass) else "",
         "Unit": rc.estimate_unit if isinstance(rc, ReferenceClass) else "",
         "Description": rc.description if isinstance(rc, ReferenceClass) else rc,
         "Source and attribution": " ".join(filter(None, (rc.source, rc.attribution,
                                                          rc.licence)))
         if isinstance(rc, ReferenceClass) else ""}
        for name, rc in classes.items()]), hide_index=True,
        column_config={"Description": st.column_config.TextColumn(width="large"),
                       "Source and attribution": st.column_config.TextColumn(width="large")})
    current = state.scenario()
    if current is None:
        st.info("No scenario is open. Open or start one on the Home page to choose its "
                "reference class.")
        return
    chosen = current.simulation.reference_class
    options = list(classes) if chosen in classes else [*classes, chosen]
    st.session_state[CHOICE_KEY] = chosen
    st.selectbox("Reference class for the estimator bias", options, key=CHOICE_KEY,
                 on_change=_choose,
                 format_func=lambda n: f"{n} ({SOURCE_LABELS.get(sources.get(n, ''), 'missing')})")
    error = state.field_errors().get(REFERENCE_PATH)
    if error:
        st.error(md(error))
    picked = classes.get(chosen)
    if picked is None:
        st.error(md(f"This scenario uses the reference class '{chosen}', which is not "
                    "available here: the simulation cannot run until you choose another."))
    elif isinstance(picked, str):
        st.error(md(picked))
    else:
        st.markdown(f"**{md(picked.name)}**: {md(picked.description or 'no description')}")
        bias = bias_phrase(picked.bias_median, picked.shared_sigma)
        st.caption(md(f"{picked.n_points:,} finished tasks, {picked.n_groups} projects, "
                      f"estimates in {picked.estimate_unit}; estimator bias: {bias}. "
                      + " ".join(filter(None, (picked.source, picked.attribution,
                                               picked.licence)))))
    if not current.simulation.correlation:
        st.warning("The estimator-bias correlation is switched off for this scenario, so no "
                   "reference class is used. Switch it on to use one.")
    forms.field("simulation.correlation")
