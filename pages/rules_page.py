"""Rules: the rules of thumb that widen the estimate, their sources, switches and effects."""

import streamlit as st

from mlpm_ui import forms, page, rules_editor, state
from mlpm_ui.rule_table import known_fields, rule_rows

page.header(
    "Rules",
    "Decides **which rules of thumb widen the estimate** (\"double it\" for complex data, big "
    "data, a complex platform, work over 20 days, ...).",
    "thompson-2022",
)
scenario = state.require()

forms.field("rules.mode")

st.subheader("Effect on P80 effort")
rules_editor.effects(scenario)

st.subheader("Rules of thumb")
st.caption("Switch a rule off, edit its multiplier range or probability, and note why: the "
           "report lists every rule that fired with its source and your notes.")
rules_editor.rule_table(scenario)
with st.expander("Sources and conditions of every rule"):
    rules_editor.sources(rule_rows(scenario))

st.subheader("Add your own rule")
rules_editor.custom_rules(scenario, known_fields(scenario))
