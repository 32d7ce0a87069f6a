"""Big inputs for the participant's estimate cards, for thumbs on a 390 px phone screen.

Streamlit has no size option for a number input, so a fixed style sheet (no user text in it)
enlarges the boxes, their +/- buttons and the Submit button, scoped to the container keyed
``CARDS_KEY`` (Streamlit gives a keyed container the class ``st-key-<key>``): nothing else on
the page, and no other page, changes. Text of 18 px or more also keeps phone browsers from
zooming into a box when it is tapped.
"""

from __future__ import annotations

import streamlit as st

CARDS_KEY = "workshop-cards"
TOUCH_PX = 48  # the smallest comfortable touch target (Material Design, Apple's HIG: 44 pt)
_SCOPE = f".st-key-{CARDS_KEY}"
STYLE = f"""<style>
{_SCOPE} [data-testid="stNumberInput"] input {{
  font-size: 1.2rem; min-height: {TOUCH_PX}px; }}
{_SCOPE} [data-testid="stNumberInputContainer"] {{ min-height: {TOUCH_PX}px; }}
{_SCOPE} [data-testid="stNumberInput"] button {{ min-width: {TOUCH_PX}px; }}
{_SCOPE} [data-testid="stNumberInput"] label p {{ font-size: 1rem; }}
{_SCOPE} [data-testid="stFormSubmitButton"] button {{
  min-height: {TOUCH_PX + 8}px; font-size: 1.1rem; }}
</style>"""


def big_inputs() -> None:
    """Add the style sheet to the page (it takes no space)."""
    st.html(STYLE)
