"""Project: what the project is for, its stage, budget and the decision policy."""

import streamlit as st

from mlpm_core.feasibility import policy_sentences
from mlpm_ui import forms, ledger, page, state
from mlpm_ui.text import md

page.header(
    "Project",
    "Decides **what success means and for which stage** the go / no-go answer is given, "
    "and whether simple rules might make ML unnecessary.",
    "fsdl-2021", "ml-projects-max-roi",
)
state.require()

left, right = st.columns(2)
with left:
    forms.fields("project.name", "project.owner", "project.problem_statement")
with right:
    forms.field("project.business_metric", multiline=False)
    forms.field("project.business_target", multiline=False)
    forms.field("project.rules_baseline", horizontal=False)

st.subheader("Kind of project")
left, middle, right = st.columns(3)
with left:
    forms.field("project.archetype", horizontal=False)
with middle:
    forms.field("project.task_type")
with right:
    forms.field("project.stage", horizontal=False)

st.subheader("Budget and deadline")
left, middle, right = st.columns(3)
with left:
    forms.field("project.budget")
with middle:
    forms.field("project.deadline_weeks")
with right:
    forms.field("project.currency")
    ledger.currency_note(state.require())

with st.expander("Decision policy: when the answer is go, conditional or no-go"):
    for sentence in policy_sentences(state.require()):
        st.markdown(f"- {md(sentence)}")
    left, right = st.columns(2)
    with left:
        forms.fields("project.thresholds.min_p_npv_positive",
                     "project.thresholds.no_go_p_npv_positive",
                     "project.thresholds.cost_percentile")
    with right:
        forms.fields("project.thresholds.min_dimension_score",
                     "project.thresholds.no_go_dimension_score")
