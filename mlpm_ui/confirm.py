"""The second step of anything that cannot be undone: a bordered question with yes and cancel.

A destructive button only asks; this box, drawn on the next run, does it. One shape for every
such step (deleting actuals, a room, re-issuing a seat link), so a user meets the same words and
the same primary button each time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st


def confirmation(question: str, *, yes: str, yes_key: str, on_yes: Callable[..., Any],
                 args: tuple[Any, ...] = (), cancel_key: str,
                 on_cancel: Callable[[], Any]) -> None:
    """``question`` (Markdown, its user text escaped by the caller) with the two buttons."""
    with st.container(border=True):
        st.markdown(question)
        left, right = st.columns(2)
        left.button(yes, key=yes_key, type="primary", on_click=on_yes, args=args)
        right.button("Cancel", key=cancel_key, on_click=on_cancel)
