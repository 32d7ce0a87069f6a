"""Report: the decision and why, ranges, charts, drivers, rules, checks and downloads."""

import streamlit as st

from mlpm_ui import page, report, simulation, state

page.header(
    "Report",
    "Turns every answer into **ranges and a go / conditional / no-go decision** for the "
    "scenario's stage, with the reasons and the gate to the next stage.",
    "google-managing-ml", "fsdl-2021", "ml-projects-max-roi",
    "thompson-2022",
)
scenario = state.require()


def _downloads_without_estimate() -> None:
    st.subheader("Downloads")
    report.scenario_downloads(scenario)


simulation.stop_unless_estimable(scenario, _downloads_without_estimate)
report.simulation_settings()
result = simulation.estimate_or_stop(scenario, _downloads_without_estimate)

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
