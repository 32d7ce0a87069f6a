"""Home: what mlpm does, start or import a scenario, saved scenarios and version history."""

import streamlit as st

from mlpm_ui import home, sharing

st.title("mlpm: is this ML project worth doing?")
st.markdown(
    "mlpm estimates whether a machine-learning project is feasible and what it will cost. "
    "You answer questions on data, difficulty, quality, technical needs, the team's tasks and "
    "value; mlpm simulates thousands of possible projects and gives ranges, not single "
    "numbers. The report ends in go, conditional or no-go, with the reasons and the rules of "
    "thumb behind it."
)
home.start_section()
home.saved_section()
sharing.share_section()
home.history_section()
