"""What a browser without the workbench key sees: where to get in, and nothing else."""

import streamlit as st

st.set_page_config(initial_sidebar_state="collapsed")
st.title("mlpm")
st.info("This workbench is open to its facilitator only. If you are here for a workshop, ask "
        "the facilitator for the room's join link; if you are the facilitator, open the link "
        "with the key that `mlpm run` printed when it started.", icon=":material/lock:")
