"""Technical requirements: platform, latency, load, memory, tokens, retraining."""

import streamlit as st

from mlpm_ui import forms, page, state
from mlpm_ui.device_questions import device_questions

page.header(
    "Technical",
    "Decides whether **the model can run where and as fast as it must**: memory against the "
    "platform's RAM, servers from load and latency, batch or real time.",
    "google-managing-ml", "ml-projects-max-roi",
)
state.require()

left, middle, right = st.columns(3)
with left:
    forms.fields("technical.platform", "technical.latency_p95_ms")
with middle:
    forms.fields("technical.peak_qps", "technical.mean_qps")
with right:
    forms.fields("technical.concurrency_per_server", "technical.retraining")
forms.field("technical.model_latency_ms")
device_questions()

st.subheader("Model size and memory")
left, middle, right = st.columns(3)
with left:
    forms.field("technical.model_parameters_millions")
with middle:
    forms.fields("technical.precision", "technical.memory_overhead")
with right:
    forms.field("technical.ram_budget_gb")

st.subheader("Operations")
left, middle, right = st.columns(3)
with left:
    forms.field("technical.interpretability")
with middle:
    forms.field("technical.fallback_required")
with right:
    forms.field("technical.distributed_platform")

with st.expander("Generative models: tokens, speed and tool calls"):
    left, middle, right = st.columns(3)
    with left:
        forms.fields("technical.tokens_in", "technical.tokens_out")
    with middle:
        forms.fields("technical.time_to_first_token_ms", "technical.tokens_per_second")
    with right:
        forms.field("technical.tool_calls_per_request")
