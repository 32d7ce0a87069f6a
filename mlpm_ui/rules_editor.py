"""The Rules page's components: the rule table, each rule's source, effects, custom rules.

The rule table is an ``st.data_editor`` with a stable input (see :mod:`mlpm_ui.task_editor`
for why): rebuilt only when the scenario's rules changed outside the table or the widget's state
is gone. Edits are read from the widget's edit state after it is drawn and saved at once; the run
then starts again so the sidebar shows their effect. Conversions live in
:mod:`mlpm_ui.rule_table`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from mlpm_core.calibration import ReferenceClass
from mlpm_core.errors import UserError
from mlpm_core.estimate import EFFECT_TRIALS, RuleEffect, rule_effects
from mlpm_core.scenario import PHASES, RulesSection, Scenario, scenario_to_json, with_value
from mlpm_core.sources import short_citation
from mlpm_core.store import reference_for
from mlpm_ui import state
from mlpm_ui.rule_table import (
    RuleRow,
    applied_text,
    custom_rule,
    phases_text,
    rule_rows,
    rules_frame,
    rules_from_table,
    with_custom_rule,
    without_custom_rule,
)
from mlpm_ui.task_editor import ROW_PIXELS
from mlpm_ui.task_table import RowError, apply_edits, phase_label
from mlpm_ui.text import code, md

SESSION_KEY = "mlpm.rules.editor"
FORM_ERROR_KEY = "mlpm.rules.custom_error"
FORM_PREFIX = "mlpm.rules.custom."


@dataclass
class RulesSession:
    """What the rule table remembers between runs."""

    owner: str | None
    generation: int
    base: pd.DataFrame
    written: RulesSection
    errors: list[RowError] = field(default_factory=list)

    @property
    def widget_key(self) -> str:
        return f"mlpm.rules.table.{self.generation}"


def _save_rules(current: Scenario, section: RulesSection, note: str) -> bool:
    try:
        updated = with_value(current, "rules", section)
    except UserError as error:
        state.flash(str(error), "error")
        return False
    state.replace_scenario(updated, note=note)
    return True


# ------------------------------------------------------------------------------ the table
def _session(current: Scenario, rows: list[RuleRow]) -> RulesSession:
    session: RulesSession | None = st.session_state.get(SESSION_KEY)
    stale = (session is None or session.owner != state.scenario_id()
             or session.written != current.rules or session.widget_key not in st.session_state)
    if stale:
        session = RulesSession(owner=state.scenario_id(),
                               generation=session.generation + 1 if session else 0,
                               base=rules_frame(rows), written=current.rules)
        st.session_state[SESSION_KEY] = session
    assert session is not None
    return session


def rule_table(current: Scenario) -> None:
    """Every rule with its switch, status, multiplier range, probability, note and source."""
    rows = rule_rows(current)
    session = _session(current, rows)
    st.data_editor(
        session.base, key=session.widget_key, num_rows="fixed", hide_index=True,
        width="stretch", height=ROW_PIXELS * (len(session.base) + 1) + 3,
        disabled=["title", "group", "applies", "basis", "source"],
        column_config={
            "on": st.column_config.CheckboxColumn("On", help="Switch the rule off for this "
                                                  "scenario (say why in the note)."),
            "title": st.column_config.TextColumn("Rule", width=300),
            "group": st.column_config.TextColumn(
                "Group", width=160,
                help="Rules of one group count once (the largest that fires); the report's "
                     "bridge names its step after the group."),
            "applies": st.column_config.TextColumn(
                "Condition", width=110,
                help="Whether the rule's condition holds for your answers."),
            "low": st.column_config.NumberColumn(
                "x low", min_value=0.01, max_value=100.0, step=0.01, format="%.2f", width=75,
                help="Low end of the 90% range of the effort multiplier when it fires."),
            "high": st.column_config.NumberColumn(
                "x high", min_value=0.01, max_value=100.0, step=0.01, format="%.2f", width=75,
                help="High end of the 90% range of the effort multiplier."),
            "basis": st.column_config.TextColumn(
                "Range from", width=120,
                help="Where the range comes from: the source's own factor (Thompson's "
                     "'double it') or mlpm's judgement (a range no source gives)."),
            "probability": st.column_config.NumberColumn(
                "Chance", min_value=0.0, max_value=1.0, step=0.05, format="%.2f", width=75,
                help="Probability that the rule bites in a given project (0-1). No source "
                     "gives one: below 1 it is mlpm's judgement until you edit it."),
            "note": st.column_config.TextColumn(
                "Note", max_chars=500, width="medium",
                help="Why you switched it off or edited it; shown in the report."),
            "source": st.column_config.TextColumn("Source", width="large"),
        },
    )
    edited = apply_edits(session.base, st.session_state.get(session.widget_key))
    section, session.errors = rules_from_table(edited, current)
    if section != current.rules and _save_rules(current, section, "edited the rules"):
        session.written = section
        st.rerun()
    if session.errors:
        lines = "\n".join(f"- {md(str(error))}" for error in session.errors)
        st.error("Not saved until fixed (the rule keeps its previous values):\n" + lines,
                 icon=":material/error:")
    for row in rows:
        if row.error and row.enabled:
            st.error(md(f"Rule '{row.definition.title}': {row.error}"),
                     icon=":material/error:")
        elif row.error and row.custom:
            st.warning(md(f"Rule '{row.definition.title}' stays switched off until its "
                          f"condition works (delete it and add it again): {row.error}"),
                       icon=":material/rule:")


# ------------------------------------------------------------------------------ effects
@st.cache_data(show_spinner=False, max_entries=32)
def _effects(scenario_json: str, trials: int, reference_json: str | None) -> list[RuleEffect]:
    reference = (None if reference_json is None
                 else ReferenceClass.model_validate_json(reference_json))
    return rule_effects(Scenario.model_validate_json(scenario_json), trials=trials,
                        reference=reference)


def effects(current: Scenario) -> None:
    """The effect of each fired rule on P80 effort (cached per scenario)."""
    reference = reference_for(current)
    found = _effects(scenario_to_json(current), EFFECT_TRIALS,
                     None if reference is None else reference.model_dump_json())
    if not current.tasks:
        st.info("No tasks yet: the rules multiply the task estimates, so add tasks on the "
                "Team & tasks page to see their effect.")
        return
    if not found:
        st.caption("No rule fires for this scenario.")
        return
    st.dataframe(pd.DataFrame([{
        "Rule": effect.title, "P80 without it": effect.p80_without,
        "Adds (days)": effect.delta_days,
        "Adds (%)": 100 * effect.delta_share} for effect in found]),
        hide_index=True, width="stretch",
        column_config={
            "P80 without it": st.column_config.NumberColumn(format="%.0f d"),
            "Adds (days)": st.column_config.NumberColumn(format="+%.0f d"),
            "Adds (%)": st.column_config.ProgressColumn(
                format="%.0f%%", min_value=0.0,
                max_value=max(100.0, max(100 * effect.delta_share for effect in found))),
        })
    st.caption(f"P80 effort in person-days without one of the fired rules, and what that rule "
               f"alone adds on top of all the others, on {EFFECT_TRIALS:,} simulated projects "
               "from the scenario's seed (the Report's P80 comes from all of the scenario's "
               "trials, so it can differ by a day or two). The report's bridge "
               "measures another thing, so its steps differ: it adds the rule groups one after "
               "another, at the median, and a group counts only its largest rule.")


# ------------------------------------------------------------------------------ sources
def sources(rows: list[RuleRow]) -> None:
    """Each rule's source quote, condition, phases and the multiplier the engine applies."""
    for row in rows:
        definition = row.definition
        state_word = "off" if not row.enabled else row.status
        st.markdown(f"**{md(definition.title)}** ({md(state_word)}): applies "
                    f"{md(applied_text(row.active))} to {md(phases_text(definition.applies_to))}")
        st.markdown(f"> {md(definition.source.quote)}  \n"
                    f"> \u2014 {short_citation(definition.source.id)}")
        st.caption(f"When: {code(definition.when)}" + (
            f" · {md(definition.warning)}" if definition.warning else ""))


# ------------------------------------------------------------------------------ custom rules
def _key(name: str) -> str:
    return FORM_PREFIX + name


def _add_custom() -> None:
    """Callback of the custom-rule form."""
    current = state.scenario()
    if current is None:
        return
    values = {name: st.session_state.get(_key(name)) for name in
              ("title", "when", "low", "high", "strict", "phases", "probability", "why")}
    try:
        rule = custom_rule(current, title=values["title"] or "", when=values["when"] or "",
                           low=values["low"], high=values["high"], strict=values["strict"],
                           phases=values["phases"] or [],
                           probability=values["probability"] if values["probability"]
                           is not None else 1.0, why=values["why"] or "")
        section = with_custom_rule(current, rule)
    except UserError as error:
        st.session_state[FORM_ERROR_KEY] = str(error)
        return
    st.session_state[FORM_ERROR_KEY] = None
    if _save_rules(current, section, f"added the rule {rule.id}"):
        state.flash(f"Added the rule '{rule.title}'.")
        for name in ("title", "when", "why"):
            st.session_state[_key(name)] = ""


def _delete_custom(rule_id: str) -> None:
    current = state.scenario()
    if current is not None and _save_rules(current, without_custom_rule(current, rule_id),
                                           f"deleted the rule {rule_id}"):
        state.flash(f"Deleted the rule '{rule_id}'.", "info")


def custom_rules(current: Scenario, fields: list[str]) -> None:
    """The form that adds a rule in the same condition language, and the added rules."""
    for rule in current.rules.custom:
        left, right = st.columns([4, 1])
        left.markdown(f"**{md(rule.title)}** \u2014 when `{md(rule.when)}`")
        right.button("Delete", key=f"mlpm.rules.delete.{rule.id}", on_click=_delete_custom,
                     args=(rule.id,), icon=":material/delete:")
    with st.form("mlpm.rules.custom_form", border=True):
        st.text_input("Title", key=_key("title"), max_chars=200,
                      placeholder="e.g. New payment provider API: add a third")
        st.text_area("When (condition)", key=_key("when"), height=80, max_chars=2000,
                     placeholder='e.g. data.size == "big" and technical.peak_qps > 100',
                     help="Field paths, comparisons (==, !=, <, <=, >, >=, in), and, or, not, "
                     "numbers, \"text\", true, false, null. Never Python.")
        low, high, strict, chance = st.columns(4)
        low.number_input("Multiplier low", key=_key("low"), min_value=0.01, max_value=100.0,
                         value=1.2, step=0.1)
        high.number_input("Multiplier high", key=_key("high"), min_value=0.01,
                          max_value=100.0, value=1.6, step=0.1)
        strict.number_input("Strict factor (optional)", key=_key("strict"), min_value=0.01,
                            max_value=100.0, value=None, step=0.1,
                            placeholder="middle of the range")
        chance.number_input("Probability", key=_key("probability"), min_value=0.0,
                            max_value=1.0, value=1.0, step=0.05)
        st.multiselect("Phases it multiplies (none: the whole project)", list(PHASES),
                       key=_key("phases"), format_func=phase_label)
        st.text_input("Why (source or reasoning, shown in the report)", key=_key("why"),
                      max_chars=2000)
        st.form_submit_button("Add rule", on_click=_add_custom, icon=":material/add:")
    problem = st.session_state.get(FORM_ERROR_KEY)
    if problem:
        st.error(md(f"The rule was not added: {problem}"), icon=":material/error:")
    with st.expander("Fields a condition can use"):
        st.caption(md(", ".join(fields)))
