"""Problem difficulty: prior solutions, human performance, adversaries, research share."""

import streamlit as st

from mlpm_ui import forms, page, state
from mlpm_ui.answer_score import show_answer_score

page.header(
    "Difficulty",
    "Decides **how likely the model is to work at all**: problems solved before and easy for "
    "people are safer bets than novel research.",
    "google-managing-ml", "fsdl-2021",
)
state.require()

left, right = st.columns(2)
with left:
    forms.field("difficulty.solved_before", horizontal=False)
    forms.field("difficulty.human_success_rate")
with right:
    forms.fields("difficulty.research_share", "difficulty.models_count",
                 "difficulty.adversaries")

with st.expander("Generative AI: where prompts come from and where answers go"):
    left, right = st.columns(2)
    with left:
        forms.field("difficulty.genai_input_source")
    with right:
        forms.field("difficulty.genai_output_use")

show_answer_score("difficulty")
