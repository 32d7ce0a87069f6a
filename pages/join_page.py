"""Join a workshop: the focused page a participant's link (``join?room=<token>``) opens."""

import streamlit as st

from mlpm_ui import workshop_participant as participant
from mlpm_ui.text import md

st.set_page_config(initial_sidebar_state="collapsed")
st.title("Workshop estimation")
token = participant.room_token()
if not token:
    participant.no_link()
    st.stop()
room = participant.open_room(token)
if room is None:
    st.stop()
me = participant.me_in(token, room)
if me is None:
    participant.join_form(token, room)
    st.stop()
view = participant.view_for(token, room, me)
if view is None:
    st.stop()
participant.watch(token, me, (room.current_round, view.your_submitted_at))
st.markdown(f"**{md(room.title)}** · round {room.current_round} · you are "
            f"**{md(me.display_name)}** (Participant {me.number} to the others)")
st.caption("This page's address now keeps your place: reload or reopen it to carry on as "
           "yourself. To invite someone, share the facilitator's link, not this address.")
participant.earlier_rounds(view)
participant.estimate_form(token, room, me, view)
