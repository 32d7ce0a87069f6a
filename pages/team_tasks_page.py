"""Team & tasks: who does the work, the work breakdown, and a proposed breakdown to start from."""

import streamlit as st

from mlpm_ui import forms, page, proposal_section, state, task_editor

page.header(
    "Team & tasks",
    "Decides **who does the work and how long each piece takes**, as three-point estimates "
    "in person-days.",
    "google-managing-ml", "thompson-2022",
)
scenario = state.require()

st.subheader("Team")
st.caption("FTE and day rate are 90% ranges: give the same number twice when certain. "
           "FTE sets the pace, not the cost: phases run one after another, and within a phase "
           "each role works through its days at its FTE (5 days at 0.5 FTE take two weeks), so "
           "the slowest role sets the phase's length. The cost counts the task days.")
task_editor.team_editor(scenario)

st.subheader("Work breakdown")
st.caption("Thompson: splitting the project into tasks helps the estimate a lot and shows "
           "stakeholders how you came up with it. Start from a proposal, then make it yours.")
proposal_section.generate_section(scenario)
task_editor.task_editor(scenario)

st.subheader("Calendar waits")
st.caption("Weeks the project waits with no work to do: added to the duration (and so to the "
           "deadline check and to when the value starts), not to effort or cost.")
forms.field("project.wait_weeks")
