"""Team mode: sign-in through the OpenID Connect provider configured under ``[auth]`` in
``.streamlit/secrets.toml`` (Streamlit's native ``st.login`` / ``st.user``).

The identity is read from ``st.user`` on every run, never from widget or session state: the
provider's signed cookie is the only thing that says who a browser is. Solo and meeting-room
servers (no ``[auth]``) act for the person who started them (``LOCAL``).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from mlpm_core.access import LOCAL, Identity, admin_from, team_identity
from mlpm_core.errors import UserError
from mlpm_core.store import GuardedStore, Store
from mlpm_ui.text import md


def enabled() -> bool:
    """Whether a sign-in provider is configured (``[auth]`` in the secrets)."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:  # no secrets file at all (Streamlit's error subclasses it)
        return False


def _setting(name: str) -> Any:
    """A setting under ``[mlpm]`` in the secrets, or None."""
    section: Any = st.secrets.get("mlpm", {})
    return section.get(name) if hasattr(section, "get") else None


def admin_email() -> str:
    """The team's administrator: ``$MLPM_ADMIN_EMAIL`` or ``admin_email`` under ``[mlpm]``."""
    return admin_from(_setting("admin_email"))


def allowed_domains() -> tuple[str, ...]:
    """The e-mail domains of the team (``allowed_domains`` under ``[mlpm]``; empty: any)."""
    value = _setting("allowed_domains") or ()
    if isinstance(value, str) or not all(isinstance(item, str) for item in value):
        raise UserError('allowed_domains under [mlpm] must be a list, e.g. ["example.org"]')
    return tuple(value)


def identity() -> Identity | None:
    """Who this run acts for: ``LOCAL`` without team mode, else the signed-in person or None."""
    if not enabled():
        return LOCAL
    if st.user.get("is_logged_in") is not True:  # absent when Streamlit sees no [auth]: out
        return None
    email, subject, verified = (st.user.get(claim) for claim in ("email", "sub",
                                                                 "email_verified"))
    return team_identity(email if isinstance(email, str) else None,
                         subject if isinstance(subject, str) else None, admin_email(),
                         email_verified=verified if isinstance(verified, bool) else None,
                         allowed_domains=allowed_domains())


@st.cache_resource(show_spinner=False)
def _handed_over(_store: Store, url: str, admin: str) -> int:
    """Once per process and database: what was created before team mode (or since, from the
    command line) becomes the admin's."""
    return GuardedStore(_store, Identity(admin, admin, is_admin=True)).hand_over_local_data()


def signed_in(store: Store) -> bool:
    """Whether this run may open the workbench (the sign-in page says why not)."""
    try:
        admin = admin_email()
        if identity() is None:
            return False
        _handed_over(store, store.url, admin)
    except UserError:
        return False
    return True


def setup_problem() -> str | None:
    """Why a signed-in person still cannot get in (no admin configured, no e-mail claim)."""
    try:
        admin_email()
        identity()
    except UserError as error:
        return str(error)
    return None


def provider_session() -> bool:
    """Whether the browser holds a provider session (signed in, even if refused)."""
    return st.user.get("is_logged_in") is True


def sign_in_pages() -> list[st.Page]:
    """The only page a signed-out browser can reach."""
    return [st.Page("pages/sign_in_page.py", title="Sign in", url_path="sign-in",
                    icon=":material/login:", default=True)]


def account_box() -> None:
    """Who is signed in, and the way out (in the sidebar)."""
    me = identity()
    if me is None or me is LOCAL:
        return
    with st.sidebar:
        st.caption(md(f"Signed in as {me.email}") + (" (administrator)" if me.is_admin else ""))
        if st.button("Sign out", key="team.sign_out", icon=":material/logout:"):
            st.logout()
