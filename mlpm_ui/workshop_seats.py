"""Giving a participant their seat back: a new seat link, issued by the facilitator.

A participant who closed the tab on a phone, or moved to another device, has lost their page's
address with its seat (``&seat=<id>.<secret>``), and joining again under their name is refused.
The facilitator issues a new seat link instead (``reissue_seat``): after a confirmation, since
whoever holds the old link is disconnected, the page shows the new link and its QR code to hand
over; the participant keeps their number, name and every estimate.

As elsewhere, the token and facilitator key this session holds are passed to the core, which
checks them; the new secret is kept in this session (not a widget) only to show it, until the
facilitator presses Done.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import streamlit as st

from mlpm_core.errors import UserError
from mlpm_core.workshop import RoomView
from mlpm_ui import state
from mlpm_ui.confirm import confirmation
from mlpm_ui.text import md
from mlpm_ui.workshop_links import seat_link
from mlpm_ui.workshop_present import qr_png, room_link

if TYPE_CHECKING:
    from mlpm_ui.workshop_facilitator import RoomKeys

ASK_KEY = "workshop.seat_ask"  # the seat awaiting confirmation: (room id, number, label)
ISSUED_KEY = "workshop.seat_issued"  # the new seat to hand over (an Issued), or a refusal


@dataclass(frozen=True)
class Issued:
    """A seat given a new secret in this session, to show as a link until dismissed."""

    room_id: str
    label: str
    participant_id: str
    secret: str


def _ask(room_id: str, number: int, label: str) -> None:
    st.session_state[ASK_KEY] = (room_id, number, label)
    st.session_state[ISSUED_KEY] = None


def _cancel() -> None:
    st.session_state[ASK_KEY] = None


def _done() -> None:
    st.session_state[ISSUED_KEY] = None


def _reissue(keys: RoomKeys, room_id: str, number: int, label: str) -> None:
    st.session_state[ASK_KEY] = None
    try:
        person = state.store().reissue_seat(keys.token, keys.key, number)
    except UserError as error:
        st.session_state[ISSUED_KEY] = (room_id, f"No new seat link for {label}: {error}")
        return
    st.session_state[ISSUED_KEY] = Issued(room_id, label, person.id, person.secret or "")


def seat_buttons(view: RoomView) -> None:
    """One small "New seat link" action per participant (under the list of participants)."""
    room = view.room
    hidden = "" if room.names_revealed else " Names are hidden: reveal them to find whose seat."
    st.caption("Someone lost their page (a closed tab, another device) and cannot join again "
               f"under their name? Give them a new link to their seat.{hidden}")
    for member in view.members:
        st.button(f"New seat link for {md(member.label)}...", type="tertiary",
                  key=f"workshop.seat.{room.id}.{member.number}", on_click=_ask,
                  args=(room.id, member.number, member.label),
                  disabled=room.closed_at is not None)


def seat_handover(keys: RoomKeys, view: RoomView) -> None:
    """The confirmation, then the new link with its QR code (or why there is none)."""
    room_id = view.room.id
    asked = st.session_state.get(ASK_KEY)
    if asked and asked[0] == room_id:
        _, number, label = asked
        confirmation(f"**Issue a new seat link for {md(label)}?** Whoever holds their "
                     "current link is disconnected at once; their name and estimates stay.",
                     yes="Yes, issue a new link", yes_key="workshop.seat_confirm",
                     on_yes=_reissue, args=(keys, room_id, number, label),
                     cancel_key="workshop.seat_cancel", on_cancel=_cancel)
    issued = st.session_state.get(ISSUED_KEY)
    if isinstance(issued, tuple) and issued[0] == room_id:
        st.error(md(issued[1]))
        st.button("Done", key="workshop.seat_done", on_click=_done)
    if not isinstance(issued, Issued) or issued.room_id != room_id:
        return
    link = seat_link(room_link(keys.token)[0], issued.participant_id, issued.secret)
    with st.container(border=True):
        text, code = st.columns([3, 1], vertical_alignment="center")
        with text:
            st.markdown(f"**Give this link to {md(issued.label)}**; their old link no longer "
                        "works. It opens their seat, with their estimates, on any device.")
            st.code(link, language=None, wrap_lines=True)
            st.button("Done", key="workshop.seat_done", on_click=_done,
                      help="Hides the link: it is not shown again (a new one can be issued).")
        code.image(qr_png(link, scale=4), caption="Scan to take the seat", width=180)
