"""What a signed-out browser sees on a team server: the way in, and nothing else."""

import streamlit as st

from mlpm_ui import team

st.set_page_config(initial_sidebar_state="collapsed")
st.title("mlpm")
st.info("This workbench is open to its team. Sign in with your work account to see the "
        "scenarios you own or that colleagues shared with you.", icon=":material/lock:")
problem = team.setup_problem()
if problem:
    st.error(problem, icon=":material/error:")
if team.provider_session():
    if st.button("Sign out", icon=":material/logout:"):
        st.logout()
elif st.button("Sign in", type="primary", icon=":material/login:"):
    st.login()
