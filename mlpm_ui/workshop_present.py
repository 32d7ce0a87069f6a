"""Sharing a room in a meeting: the join link from an address others can reach, its QR code,
and a "present" view for the projector (room title, QR code, a short link with the room's code,
people joined).

Which address the link starts with is decided in ``workshop_links.join_base`` (pure, tested);
this module reads the inputs it needs from the environment and Streamlit's server options.
"""

from __future__ import annotations

import io
import os
import socket
from functools import lru_cache

import segno
import streamlit as st

from mlpm_core.errors import UserError
from mlpm_core.store import room_code
from mlpm_core.workshop import Room
from mlpm_ui import state
from mlpm_ui.text import md
from mlpm_ui.workshop_links import PUBLIC_URL_ENV, JoinBase, join_base, link_for

PRESENT_KEY = "workshop.presenting"  # not a widget key: it survives runs without the button
QR_SCALE = 12  # pixels per module: sharp when the present view stretches it to half the page
# (about 330 px of a 1280x720 projector image: a quarter of a 2 m wide screen, 50 cm)
COUNT_REFRESH_S = 3
FIX = (f"start the app with `mlpm run --address 0.0.0.0` (the link then uses this computer's "
       f"network address), or set `{PUBLIC_URL_ENV}` (`mlpm run --public-url URL`) to the "
       "address the participants reach the app at.")


@lru_cache(maxsize=1)
def _machine_addresses() -> tuple[str, ...]:
    """This computer's own addresses by its host name (from the hosts file or resolver)."""
    try:
        return tuple(socket.gethostbyname_ex(socket.gethostname())[2])
    except OSError:
        return ()


def current_base() -> JoinBase:
    """Where this server's join links point (see ``join_base`` for the order of the rules)."""
    address = st.get_option("server.address")
    return join_base(os.environ.get(PUBLIC_URL_ENV), st.context.url, address,
                     int(st.get_option("server.port")),
                     st.get_option("server.baseUrlPath") or "",
                     _machine_addresses() if address is not None else ())


def room_link(token: str) -> tuple[str, JoinBase]:
    """The join link of a room, and the base it was built on."""
    base = current_base()
    return link_for(base, token), base


def explain_base(base: JoinBase) -> None:
    """Say plainly when the link cannot be opened from other devices, and how to fix it."""
    if base.problem:
        st.error(md(f"{base.problem} The link below ignores it."))
    if not base.reachable:
        st.warning("**Other devices cannot open this link**: the app listens only on this "
                   "computer, so it works in this browser and nowhere else. To let "
                   f"participants join from their own phones and laptops, {FIX}",
                   icon=":material/wifi_off:")


def qr_png(link: str, scale: int = QR_SCALE) -> bytes:
    """The link as a QR code PNG (error correction M: survives a glare on a projector)."""
    buffer = io.BytesIO()
    segno.make(link, error="m", micro=False).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def short_link(link: str) -> str:
    """The link without its scheme, as people would type it."""
    return link.split("://", 1)[-1]


def typeable_link(room: Room, token: str) -> tuple[str, str | None]:
    """What people can type from the screen: the join link with the room's short code instead
    of the 43-character token, and the code (None, and the full link, for a room opened before
    rooms had codes). The code works only while the room is open (``room_codes``)."""
    if not room.has_code:
        return short_link(room_link(token)[0]), None
    code = room_code(token)
    return short_link(room_link(code)[0]), code


@st.fragment(run_every=COUNT_REFRESH_S)
def _joined(token: str, key: str) -> None:
    try:
        people = len(state.store().room_view(token, facilitator_key=key).members)
    except UserError as error:
        st.error(md(error))
        return
    st.metric("People joined", people)


def presenting(page: str) -> bool:
    """Whether the workshop page is in its projector view (the sidebar leaves out the
    estimate then)."""
    return page == "workshop" and bool(st.session_state.get(PRESENT_KEY))


def present_view(room: Room, token: str, key: str) -> None:
    """Only what the room needs to see: the title, the QR code, the link, who has joined."""
    link, base = room_link(token)
    st.button("Back", key="workshop.present_back",
              on_click=lambda: st.session_state.update({PRESENT_KEY: False}),
              icon=":material/close_fullscreen:")
    st.title(md(room.title), anchor=False)
    explain_base(base)
    code, side = st.columns([1, 1], vertical_alignment="center")
    code.image(qr_png(link), width="stretch", caption="Scan to join")
    typed, short_code = typeable_link(room, token)
    with side:
        st.markdown("**Or type this link**")
        st.code(typed, language=None, wrap_lines=True)
        if short_code:
            st.metric("Room code (on the join page)", short_code)
        _joined(token, key)
