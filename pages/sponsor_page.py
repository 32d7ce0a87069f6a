"""What a sponsor link opens: the Report of one scenario version, read-only, and nothing else."""

import streamlit as st

from mlpm_ui import report, simulation, sponsor
from mlpm_ui.text import md

st.set_page_config(initial_sidebar_state="collapsed")
found = sponsor.opened()
if found is None:
    st.stop()
scenario, link = found
st.title(f"Report: {md(scenario.project.name)}")
st.caption(md(f"Read-only report of version {link.scenario_version}, shared by "
              f"{link.created_by}. Nothing here can be changed."))
simulation.stop_unless_estimable(scenario)
result = simulation.estimate_or_stop(scenario)
report.decision_section(result)
st.subheader("Key ranges")
report.metrics_section(result)
report.success_section(result, link=False)
st.subheader("Feasibility by dimension")
report.feasibility_section(result)
st.subheader("Rules of thumb that fired")
report.rules_section(result)
st.subheader("Assumptions used")
report.assumptions_section(result)
