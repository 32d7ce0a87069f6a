"""Data availability: labels, features at serving time, legal basis, size and shape."""

import streamlit as st

from mlpm_core.scenario import LABELS_HEADING, POSITIVE_CLASS_TASK_TYPES, option_label
from mlpm_ui import forms, page, state
from mlpm_ui.answer_score import show_answer_score

page.header(
    "Data",
    "Decides whether **the data you need exists, can be used legally and is available when "
    "the model predicts**: the biggest driver of feasibility and cost.",
    "google-managing-ml", "thompson-2022",
)
current = state.require()
task_type = current.project.task_type

NO_LABELS_BOUGHT = ("No cost per label is asked: the missing ones cannot be obtained, so none "
                    "are bought. The gap counts against feasibility instead.")

st.subheader(LABELS_HEADING.get(task_type, "Labels"))
left, middle, right = st.columns(3)
with left:
    forms.field("data.labelled_available")
with middle:
    forms.field("data.labelled_needed")
with right:
    forms.field("data.labels_obtainable")
if current.data.labels_obtainable:
    forms.field("data.label_cost")
else:
    st.caption(NO_LABELS_BOUGHT)

POSITIVES_CAPTION = ("The event the model must catch (a failure, a fraud): how common it is "
                     "sets the labels needed, how long collecting positive examples takes and "
                     "how hard evaluation is. Leave empty when there is no positive class.")
POSITIVES_ANSWERED = ("These answers count in the feasibility, the labels needed and the "
                      "evaluation even for this task type: clear the share and the events a "
                      "year if the project has no positive class.")


def positive_questions() -> None:
    left, middle, right = st.columns(3)
    with left:
        forms.field("data.positive_share")
    with middle:
        forms.field("data.positive_events_per_year")
    with right:
        forms.field("data.positives_needed")


if task_type in POSITIVE_CLASS_TASK_TYPES:
    st.subheader("Positive cases and rare events")
    st.caption(POSITIVES_CAPTION)
    positive_questions()
else:  # a forecast has no positive class: folded away, said why, still there if one applies
    answered = current.data.describes_positives  # answers that count are never hidden
    title = "Positive cases and rare events (classification and anomaly detection)"
    with st.expander(f"{title}: answered, they count" if answered else title,
                     expanded=answered):
        kind = option_label("project.task_type", task_type).lower()
        st.caption(f"{POSITIVES_CAPTION} A {kind} project usually has none.")
        if answered:
            st.warning(POSITIVES_ANSWERED)
        positive_questions()

st.subheader("Serving, law and ethics")
left, right = st.columns(2)
with left:
    forms.fields("data.features_at_serving", "data.legal_basis")
with right:
    forms.fields("data.personal_data", "data.regulated", "data.ethics_security_privacy")

st.subheader("Size, shape and state")
left, middle, right = st.columns(3)
with left:
    forms.fields("data.size", "data.structure")
with middle:
    forms.fields("data.complexity", "data.freshness")
with right:
    forms.fields("data.cleanliness", "data.versioning")

with st.expander("Generative AI"):
    left, right = st.columns(2)
    with left:
        forms.field("data.genai_route")
    with right:
        forms.field("data.genai_samples_needed")

show_answer_score("data")
