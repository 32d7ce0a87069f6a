"""Prediction quality: metric, threshold, baseline, cost of mistakes, evaluation."""

import streamlit as st

from mlpm_core.report import chance_beside_own
from mlpm_ui import forms, page, state
from mlpm_ui.answer_score import show_answer_score

page.header(
    "Quality",
    "Decides **what good enough means** (one metric, an acceptability threshold, a baseline "
    "to beat) and what a wrong prediction costs.",
    "google-managing-ml", "fsdl-2021",
)
current = state.require()

st.subheader("Metric")
left, middle, right = st.columns(3)
with left:
    forms.fields("quality.metric", "quality.higher_is_better", "quality.metric_counts",
                 "quality.scale")
with middle:
    forms.fields("quality.acceptability_threshold", "quality.target")
with right:
    forms.fields("quality.baseline_value", "quality.p_reach_threshold")
    # the answers' chance beside the field that replaces it: a team's 45% against the
    # answers' 8% is a driver the team must see where it types its own
    st.caption(chance_beside_own(current))

st.subheader("Cost of mistakes")
forms.fields("quality.false_positive_cost", "quality.false_negative_cost",
             "quality.cases_per_year")  # range rows at full width, as on every page
left, _ = st.columns(2)
with left:
    forms.field("quality.false_negative_share")
st.caption("With a metric that is a share of cases (an accuracy, an error rate, a recall or a "
           "precision; not an F1 or an AUC), a baseline, a threshold or target and the cases a "
           "year, the errors the model avoids against the baseline are worth money every year: "
           "they are added to the value unless the annual benefit (Costs & value) already "
           "includes them. The technical checks show the sum.")

st.subheader("Handling and evaluation")
left, right = st.columns(2)
with left:
    forms.fields("quality.wrong_prediction_handling", "quality.documentation")
with right:
    forms.field("quality.evaluation_complexity")

with st.expander("Generative AI: factual accuracy", expanded=current.data.genai_route != "none"
                 or current.project.task_type == "generation"):
    forms.field("quality.factual_accuracy")

show_answer_score("quality")
