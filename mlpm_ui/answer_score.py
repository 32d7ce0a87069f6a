"""The feasibility score a question page's answers give its dimension, shown on that page.

A finding such as "the threshold is no better than the baseline" is not an input error, so
the form accepts it; this box says it where the answer is typed instead of only in the report.
"""

from __future__ import annotations

import streamlit as st

from mlpm_core.errors import UserError
from mlpm_core.feasibility import answer_score
from mlpm_core.scenario import DIMENSION_LABELS, Dimension
from mlpm_ui import state
from mlpm_ui.text import md


def show_answer_score(dimension: Dimension) -> None:
    """The dimension's score on these answers, and why it lost points."""
    scenario = state.require()
    try:
        score = answer_score(scenario, dimension)
    except UserError as error:  # e.g. no exchange rate for a price check: said on its page
        st.caption(md(f"No feasibility score yet: {error}"))
        return
    label = DIMENSION_LABELS[dimension]
    if score.score == 100:
        st.success(md(f"{label} scores 100/100 on these answers: none of them costs it a point."),
                   icon=":material/rule:")
        return
    thresholds = scenario.project.thresholds
    lines = "\n".join(f"- {md(reason)}" for reason in score.reasons)
    st.info(f"**{md(label)} scores {score.score}/100 on these answers** (a go needs "
            f"{thresholds.min_dimension_score}, below {thresholds.no_go_dimension_score} it is "
            f"a no-go):\n\n{lines}", icon=":material/rule:")
