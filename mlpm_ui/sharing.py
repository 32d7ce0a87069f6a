"""Team mode, Home: share the open scenario with named people or the whole team, read-only or
editable, and see how a scenario someone else owns is shared with you.

Every change goes through the guarded store, which lets only the owner (or the admin) share.
"""

from __future__ import annotations

import streamlit as st

from mlpm_core.access import TEAM, Level
from mlpm_core.errors import UserError
from mlpm_ui import sponsor, state, team
from mlpm_ui.text import md

EMAIL_KEY = "sharing.email"
WHOLE_TEAM_KEY = "sharing.team"
EDIT_KEY = "sharing.can_edit"
ACCESS_WORDS = {Level.READ: "read-only", Level.EDIT: "to edit"}


def _level(scenario_id: str) -> Level | None:
    try:
        return state.store().access(scenario_id)
    except UserError:
        return None


def _share(scenario_id: str) -> None:
    """Callback: share with the person or team in the form."""
    grantee = TEAM if st.session_state.get(WHOLE_TEAM_KEY) else \
        (st.session_state.get(EMAIL_KEY) or "")
    can_edit = st.session_state.get(EDIT_KEY) == "Can edit"
    try:
        grant = state.store().share(scenario_id, grantee, can_edit)
    except UserError as error:
        state.flash(f"Not shared: {error}", "error")
        return
    who = "the whole team" if grant.grantee == TEAM else grant.grantee
    state.flash(f"Shared with {who}, {'editable' if can_edit else 'read-only'}.")
    st.session_state[EMAIL_KEY] = ""


def _unshare(scenario_id: str, grantee: str) -> None:
    """Callback: stop sharing with one grantee."""
    try:
        state.store().unshare(scenario_id, grantee)
    except UserError as error:
        state.flash(f"Still shared: {error}", "error")
        return
    state.flash("No longer shared with " + ("the team" if grantee == TEAM else grantee) + ".",
                "info")


def read_only_note() -> None:
    """On every page: say when the open scenario can be read but not changed."""
    sid = state.scenario_id()
    if sid is not None and team.enabled() and _level(sid) == Level.READ:
        st.info("This scenario is shared with you read-only: you can read it, and duplicate it "
                "on Home to work on your own copy; changes are not saved.",
                icon=":material/visibility:")


def share_section() -> None:
    """Who the open scenario is shared with, and a form to share it (team mode, owner)."""
    sid = state.scenario_id()
    if sid is None or not team.enabled():
        return
    have = _level(sid)
    if have is None:
        return
    st.subheader("Sharing")
    if have < Level.OWN:
        st.caption(f"This scenario is shared with you {ACCESS_WORDS[have]}; only its owner "
                   "can share it further.")
        return
    grants = state.store().shares(sid)
    if not grants:
        st.caption("Private: only you (and the administrator) can see this scenario.")
    for grant in grants:
        who, rights, remove = st.columns([3, 2, 1], vertical_alignment="center")
        who.markdown("The whole team" if grant.grantee == TEAM else md(grant.grantee))
        rights.markdown("can edit" if grant.can_edit else "read-only")
        remove.button("Remove", key=f"sharing.remove.{grant.grantee}", on_click=_unshare,
                      args=(sid, grant.grantee))
    with st.form("sharing.form", clear_on_submit=False, border=True):
        st.text_input("Share with (e-mail address)", key=EMAIL_KEY, max_chars=320)
        st.checkbox("Share with the whole team instead", key=WHOLE_TEAM_KEY)
        st.radio("Access", ["Read only", "Can edit"], key=EDIT_KEY, horizontal=True)
        st.form_submit_button("Share", on_click=_share, args=(sid,), type="primary",
                              icon=":material/share:")
    current = state.version()
    if current is not None:
        sponsor.links_section(sid, current)
