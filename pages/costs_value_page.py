"""Costs and value: compute, inference, running costs, benefit and horizon."""

import streamlit as st

from mlpm_core.scenario import field_applies
from mlpm_ui import forms, ledger, page, state
from mlpm_ui.cost_line_editor import cost_line_editor

page.header(
    "Costs & value",
    "Decides **what the project costs to build and run, and what it is worth**: together with "
    "the work breakdown they give the NPV and its chance of being positive.",
    "google-managing-ml", "thompson-2022",
)
scenario = state.require()

with st.expander("Assumptions this scenario uses (value, source, date checked)", expanded=True):
    ledger.exchange_rate_field(scenario)
    ledger.show_ledger(scenario)

st.subheader("Value")
forms.field("value.annual_benefit")
forms.field("value.error_costs_in_benefit")
left, middle, right = st.columns(3)
with left:
    forms.field("value.horizon_years")
with middle:
    forms.field("value.discount_rate")
with right:
    forms.field("value.adoption")
forms.field("value.model_gate")

st.subheader("Training compute")
forms.fields("costs.training_gpu_hours", "costs.gpu_hour_price")
left, right = st.columns(2)
with left:
    forms.field("costs.experiments")
with right:
    forms.field("costs.retrains_per_year")
if scenario.costs.training_gpu_hours.high == 0:
    st.caption("No GPU-hours per training run: training runs and retraining cost nothing in "
               "this estimate, however many there are. A model trained on CPUs: give its "
               "machine-hours here and the machine's hourly price as the GPU-hour price.")

st.subheader("Serving")
if field_applies(scenario, "costs.server_cost_per_year"):  # no servers on a device
    forms.field("costs.server_cost_per_year")
forms.fields("costs.inference_cost_per_1k_requests", "costs.price_per_1m_input_tokens",
             "costs.price_per_1m_output_tokens")

st.subheader("Data and running costs")
forms.fields("costs.data_purchase", "costs.storage_per_year", "costs.licences_per_year",
             "costs.maintenance_share_per_year")

st.subheader("Your own cost lines")
st.caption("Costs the questions above miss (installing gateways, a certification, a support "
           "contract): one-off lines add to the delivery cost, yearly ones to every year's "
           "running cost. Edits are saved as you make them.")
cost_line_editor()
