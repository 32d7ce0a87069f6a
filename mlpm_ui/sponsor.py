"""Sponsor links in the app: the owner hands out a read-only link to one version's Report, and
a browser that opens it sees that Report and nothing else (no navigation, no sign-in).

The token stays in the address (a reload must still work) and is checked against the store on
every run, so a revoked link stops working at the sponsor's next click.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import streamlit as st

from mlpm_core.errors import UserError
from mlpm_core.scenario import Scenario
from mlpm_core.store import SponsorLink, open_sponsor_link
from mlpm_core.wording import shown_time
from mlpm_ui import state
from mlpm_ui.text import md
from mlpm_ui.workshop_links import PUBLIC_URL_ENV, checked_public_url

PARAM = "sponsor"
FRESH_KEY = "sponsor.fresh_link"  # the link just created: its token is shown this once


def requested() -> bool:
    """Whether this browser opened a sponsor link."""
    return PARAM in st.query_params


def pages() -> list[st.Page]:
    """The one page a sponsor link reaches."""
    return [st.Page("pages/sponsor_page.py", title="Report", url_path="sponsor",
                    icon=":material/summarize:", default=True)]


def opened() -> tuple[Scenario, SponsorLink] | None:
    """The scenario version of this run's link, or None after saying why it opens nothing."""
    try:
        return open_sponsor_link(state.raw_store(), st.query_params.get(PARAM))
    except UserError as error:
        st.error(str(error), icon=":material/link_off:")
        return None


def _link_url(token: str) -> str:
    public = os.environ.get(PUBLIC_URL_ENV)
    if public:
        base = checked_public_url(public).rstrip("/")
    else:
        parts = urlsplit(st.context.url or "")
        base = f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""
    return f"{base}/?{PARAM}={token}"


def _create(scenario_id: str, version: int) -> None:
    """Callback: a new link to the given version; its address is shown once."""
    try:
        _, token = state.store().create_sponsor_link(scenario_id, version)
    except UserError as error:
        state.flash(f"No link made: {error}", "error")
        return
    st.session_state[FRESH_KEY] = _link_url(token)


def _revoke(scenario_id: str, link_id: str) -> None:
    """Callback: withdraw one link."""
    try:
        state.store().revoke_sponsor_link(scenario_id, link_id)
    except UserError as error:
        state.flash(str(error), "error")
        return
    state.flash("The sponsor link is withdrawn; it opens nothing any more.", "info")


def links_section(scenario_id: str, version: int) -> None:
    """The owner's sponsor links: make one for the current version, see and withdraw them."""
    st.markdown("**Sponsor links** (read-only Report of one version, no sign-in needed)")
    fresh = st.session_state.pop(FRESH_KEY, None)
    if fresh:
        st.success("Send this link to the sponsor; it is shown only now (only a fingerprint "
                   "of it is kept).")
        st.code(fresh, language=None)
    for link in state.store().sponsor_links(scenario_id):
        text, revoke = st.columns([4, 1], vertical_alignment="center")
        text.markdown(md(f"Version {link.scenario_version}, made {shown_time(link.created_at)} "
                         f"by {link.created_by}"))
        revoke.button("Withdraw", key=f"sponsor.revoke.{link.id}", on_click=_revoke,
                      args=(scenario_id, link.id))
    st.button(f"Make a sponsor link to version {version}", key="sponsor.create",
              on_click=_create, args=(scenario_id, version), icon=":material/add_link:")
