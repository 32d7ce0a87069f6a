"""The meeting-room lock, as the app applies it on every run of every session.

The decision rests on the session's own record of having brought the key (kept server-side in
the session, never in a widget) or on the key in this request's URL; the key is then removed
from the address bar so that it does not travel on in links and screenshots.
"""

from __future__ import annotations

import streamlit as st

from mlpm_core.access import key_matches, lock_from_environment
from mlpm_core.errors import UserError

UNLOCKED_KEY = "mlpm.access.unlocked"
KEY_PARAM = "key"


def unlocked() -> bool:
    """Whether this session may use the whole workbench."""
    try:
        expected = lock_from_environment()
    except UserError as error:  # a lock that cannot be read keeps the workbench locked
        st.error(str(error))
        return False
    if expected is None:
        return True
    if st.session_state.get(UNLOCKED_KEY) == expected:
        return True
    given = st.query_params.get(KEY_PARAM)
    if given is not None:
        del st.query_params[KEY_PARAM]
        if key_matches(given, expected):
            st.session_state[UNLOCKED_KEY] = expected
            return True
    return False


def locked_pages() -> list[st.Page]:
    """The only pages a session without the key can reach: a room's join page and a note."""
    return [st.Page("pages/locked_page.py", title="mlpm", url_path="locked",
                    icon=":material/lock:", default=True),
            st.Page("pages/join_page.py", title="Join a workshop", url_path="join",
                    icon=":material/login:")]
