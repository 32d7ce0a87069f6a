"""Technical requirements: serving mode first, then only the questions that mode asks.

"Batch or real-time?" decides the rest: load, latency and servers for an online service; latency
and usage on a device or in a browser; runs, predictions and a window for a batch job. Which
fields a platform asks is ``mlpm_core.scenario.SERVING_FIELDS``, the same table the numbers and
the report use, so a question hidden here counts nowhere.
"""

import streamlit as st

from mlpm_core.scenario import field_applies
from mlpm_ui import forms, page, state
from mlpm_ui.answer_score import show_answer_score
from mlpm_ui.device_questions import device_questions

page.header(
    "Technical",
    "Decides whether **the model can run where and as fast as it must**: memory against the "
    "platform's RAM, servers from load and latency, batch or real time.",
    "google-managing-ml", "ml-projects-max-roi",
)
current = state.require()

st.subheader("Where predictions run")
forms.field("technical.platform", horizontal=True)
SERVING_QUESTIONS = (
    "technical.latency_p95_ms", "technical.peak_qps", "technical.mean_qps",
    "technical.concurrency_per_server", "technical.peak_utilisation",
    "technical.batch_runs_per_year",
    "technical.batch_predictions_per_run", "technical.batch_window_hours",
)
asked = [path for path in SERVING_QUESTIONS if field_applies(current, path)]
columns = st.columns(3)
for index, path in enumerate(asked):
    with columns[index % 3]:
        forms.field(path)
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
    forms.fields("technical.interpretability", "technical.retraining")
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

show_answer_score("technical")
