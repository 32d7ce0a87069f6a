"""The facilitator's list of rooms and each room's life: steer or resume one, start rounds,
reveal names, close, reopen, archive and delete.

As in ``workshop_facilitator``: the token and the facilitator key this session holds are passed
to the core on every call, which checks them; nothing a widget holds is trusted.
"""

from __future__ import annotations

import streamlit as st

from mlpm_core.errors import UserError
from mlpm_core.workshop import Room
from mlpm_ui import state
from mlpm_ui.confirm import confirmation
from mlpm_ui.text import md
from mlpm_ui.workshop_facilitator import (
    ACTIVE_KEY,
    CONFIRM_KEY,
    RoomKeys,
    credentials,
    manage,
    room_status,
)
from mlpm_ui.workshop_links import token_from_link
from mlpm_ui.workshop_present import PRESENT_KEY

DELETE_KEY = "workshop.confirm_delete"


def _resume(room_id: str, link_key: str, key_key: str) -> None:
    token = token_from_link(st.session_state.get(link_key))
    key = (st.session_state.get(key_key) or "").strip()
    try:
        room = state.store().room_for_facilitator(token or "", key)
    except UserError as error:
        state.flash(str(error), "error")
        return
    if room.id != room_id:
        state.flash("That link belongs to another room; paste the link of this room.", "error")
        return
    credentials()[room.id] = RoomKeys(token or "", key)
    manage(room.id)
    state.flash(f"You are facilitating '{room.title}' again.")


def _steer(action: str, keys: RoomKeys, current_round: int) -> None:
    store = state.store()
    try:
        if action == "next":
            room = store.next_round(keys.token, keys.key, from_round=current_round)
            state.flash(f"Round {room.current_round} started: participants now see the "
                        f"round {room.current_round - 1} results, anonymised.")
        elif action in ("reveal", "hide"):
            store.reveal_names(keys.token, keys.key, revealed=action == "reveal")
        elif action == "close":
            store.close_room(keys.token, keys.key)
            state.flash("The room is closed: nobody can join or submit any more. You can "
                        "still adopt its results, or reopen it.", "info")
        elif action == "reopen":
            store.reopen_room(keys.token, keys.key)
            state.flash("The room is open again: the same link works.")
        elif action in ("archive", "unarchive"):
            store.archive_room(keys.token, keys.key, archived=action == "archive")
        elif action == "delete":
            _delete(keys)
    except UserError as error:
        state.flash(str(error), "error")
    st.session_state[CONFIRM_KEY] = None


def rooms_section(scenario_id: str) -> None:
    """The scenario's rooms: steer one this session holds the keys of, or resume with a key."""
    rooms = state.store().list_rooms(scenario_id)
    if not rooms:
        st.caption("No rooms yet for this scenario.")
        return
    current = [room for room in rooms if room.archived_at is None]
    archived = [room for room in rooms if room.archived_at is not None]
    if not current:
        st.caption("No rooms outside the archive.")
    _room_rows(current)
    if archived:
        with st.expander(f"Archived rooms ({len(archived)})"):
            _room_rows(archived)


def _room_rows(rooms: list[Room]) -> None:
    held, active = credentials(), st.session_state.get(ACTIVE_KEY)
    for room in rooms:
        text, action = st.columns([3, 1], vertical_alignment="center")
        text.markdown(f"**{md(room.title)}**  \n{md(room_status(room))}"
                      + (" (steering now)" if room.id == active else ""))
        if room.id in held:
            action.button("Steer this room", key=f"workshop.manage.{room.id}",
                          on_click=manage, args=(room.id,), disabled=room.id == active)
            continue
        with action.popover("Resume with the key"):
            link_key, key_key = f"workshop.resume_link.{room.id}", f"workshop.resume_key.{room.id}"
            st.text_input("Join link (or its room token)", key=link_key)
            st.text_input("Facilitator key", key=key_key, type="password")
            st.button("Resume", key=f"workshop.resume.{room.id}", on_click=_resume,
                      args=(room.id, link_key, key_key))


def controls(keys: RoomKeys, room: Room) -> None:
    """Next round, reveal or hide names; close or reopen, archive, delete the room."""
    open_now = room.closed_at is None
    first, second, third = st.columns(3)
    first.button(f"Start round {room.current_round + 1}", key="workshop.next_round",
                 on_click=_steer, args=("next", keys, room.current_round), disabled=not open_now,
                 help="Participants then see this round's ranges, anonymised, and estimate "
                      "again (wideband Delphi).")
    revealed = room.names_revealed
    second.button("Hide names" if revealed else "Reveal names", key="workshop.reveal",
                  on_click=_steer, args=("hide" if revealed else "reveal", keys,
                                         room.current_round),
                  help="Names are only ever shown to you, never to other participants.")
    with third.popover("Close, archive or delete"):
        lifecycle(keys, room)
    delete_confirmation(keys, room)


def lifecycle(keys: RoomKeys, room: Room) -> None:
    """Close or reopen, archive or restore, and delete (after a confirmation)."""
    args = (keys, room.current_round)
    if room.closed_at is None:
        st.button("Close the room", key="workshop.close", on_click=_steer, args=("close", *args),
                  help="Nobody can join or submit afterwards; you can still adopt the "
                       "results, and reopen it.")
    else:
        st.button("Reopen the room", key="workshop.reopen", on_click=_steer,
                  args=("reopen", *args), help="The same link works again.")
    archived = room.archived_at is not None
    st.button("Restore from the archive" if archived else "Archive the room",
              key="workshop.archive", on_click=_steer,
              args=("unarchive" if archived else "archive", *args),
              help="Archived rooms are closed and listed last, folded away.")
    st.button("Delete the room...", key="workshop.delete_ask",
              on_click=lambda: st.session_state.update({DELETE_KEY: room.id}))


def delete_confirmation(keys: RoomKeys, room: Room) -> None:
    """The explicit second step of deleting (outside the menu, which closes on a click)."""
    if st.session_state.get(DELETE_KEY) != room.id:
        return
    confirmation(f"**Delete '{md(room.title)}' for good?** The participants' names, ranges "
                 "and answers are removed. Values already adopted stay in the scenario and in "
                 "its history.", yes="Yes, delete the room", yes_key="workshop.delete",
                 on_yes=_steer, args=("delete", keys, room.current_round),
                 cancel_key="workshop.delete_cancel",
                 on_cancel=lambda: st.session_state.update({DELETE_KEY: None}))


def _delete(keys: RoomKeys) -> None:
    st.session_state[DELETE_KEY] = None
    room = state.store().delete_room(keys.token, keys.key)
    credentials().pop(room.id, None)
    if st.session_state.get(ACTIVE_KEY) == room.id:
        st.session_state[ACTIVE_KEY] = None
    st.session_state[PRESENT_KEY] = False
    state.flash(f"Deleted the room '{room.title}'. What was adopted from it keeps its history.")
