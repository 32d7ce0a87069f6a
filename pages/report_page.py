"""Report: the decision and why, ranges, charts, drivers, rules, checks and downloads."""

import streamlit as st

from mlpm_core.errors import UserError
from mlpm_core.scenario import missing_for_estimate, missing_sentence
from mlpm_ui import page, report, simulation, state
from mlpm_ui.text import md

page.header(
    "Report",
    "Turns every answer into **ranges and a go / conditional / no-go decision** for the "
    "scenario's stage, with the reasons and the gate to the next stage.",
    "google-managing-ml", "fsdl-2021", "ml-projects-max-roi",
    "thompson-2022",
)
scenario = state.require()
needed = missing_for_estimate(scenario)
if needed:
    st.info(md(missing_sentence(needed)), icon=":material/pending:")
    st.stop()
report.simulation_settings()
try:
    result = simulation.estimate(scenario)
except UserError as error:
    st.error("No estimate: " + md(error))
    st.stop()

report.decision_section(result)
st.subheader("Key ranges")
report.metrics_section(result)
report.success_section(result)
st.subheader("From the tasks to the P50 effort")
report.bridge_section(result)
st.subheader("Charts")
report.charts_section(result)
st.subheader("Feasibility by dimension")
report.feasibility_section(result)
st.subheader("Rules of thumb that fired")
report.rules_section(result)
st.subheader("Technical checks")
report.checks_section(result)
st.subheader("Assumptions used")
report.assumptions_section(result)
st.subheader("References")
report.references_section(result)
st.subheader("Downloads")
report.downloads(scenario, result)
