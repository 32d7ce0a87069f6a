"""Portfolio: compare saved scenarios side by side and rank them by impact against feasibility."""

import streamlit as st

from mlpm_ui import page, saved_scenarios
from mlpm_ui import portfolio_view as portfolio

page.header(
    "Portfolio",
    "Compares **2 to 6 saved scenarios** (candidate projects, MVP vs growth, build vs buy) "
    "side by side and ranks them by **expected value against feasibility**.",
    "fsdl-2021", "ml-projects-max-roi",
)
saved = saved_scenarios.saved()
if len(saved) < 2:
    st.info("Save at least two scenarios to compare them: start them on Home (the three "
            "examples make a quick portfolio), or duplicate one below as a what-if.")
names = portfolio.labels_by_id(saved)

if saved:
    picked = portfolio.pick(saved, names)
    rows, results = portfolio.rows_for(picked, names)
    if rows:
        st.subheader("Side by side")
        portfolio.comparison_table(rows)
        portfolio.cost_curves(results)
        st.subheader("Impact x feasibility")
        portfolio.matrix(rows)
    st.subheader("What-if")
    portfolio.what_if_section(saved, names)
