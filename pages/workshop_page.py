"""Workshop: open a room on this scenario, watch the group's estimates live, adopt the result."""

import streamlit as st

from mlpm_ui import page, state
from mlpm_ui import workshop_facilitator as workshop
from mlpm_ui import workshop_rooms as rooms
from mlpm_ui.text import md
from mlpm_ui.workshop_present import PRESENT_KEY, present_view

scenario = state.require()
scenario_id = state.scenario_id() or ""
steering = workshop.active_keys()
room = workshop.steering_room(steering[1]) if steering else None
steered = steering is not None and room is not None and room.scenario_id == scenario_id

if steered and steering and room and st.session_state.get(PRESENT_KEY):
    present_view(room, steering[1].token, steering[1].key)
    st.stop()

page.header(
    "Workshop",
    "Lets **several people estimate the tasks** on their own devices: they open a link, give "
    "three-point estimates and answer the key risk questions; you see agreement, spread and "
    "outliers, run another round, and adopt the group's result into the scenario.",
    "thompson-2022",
)
workshop.open_section(scenario, scenario_id)
st.subheader("Rooms of this scenario")
rooms.rooms_section(scenario_id)

if steered and steering and room:
    room_id, keys = steering
    st.subheader("Steering: " + md(room.title), anchor=False)
    workshop.share_section(room_id, keys)
    rooms.controls(keys, room)
    workshop.live_view(keys)
    st.subheader("Adopt the result")
    workshop.adopt_section(keys, room, scenario)

st.subheader("Adopted from workshops")
workshop.provenance_section(scenario_id)
