"""The facilitator's side of a workshop room: open, share, watch live, steer rounds, adopt.

Authorisation: the room token and the facilitator key returned by ``open_room`` are kept
in this session under a non-widget key (``workshop.credentials``, by room id) and passed to the
core on every call; the core checks them each time. Nothing a widget holds is trusted: a pasted
key is only ever an argument to ``room_for_facilitator``, which refuses a wrong one. The key is
never stored in the database (only its hash), so it is shown once, right after opening, with a
note to keep it; with the link it resumes the room after a reload or on another device.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from mlpm_core.errors import UserError
from mlpm_core.scenario import ConflictError, Scenario
from mlpm_core.wording import counted, shown_time
from mlpm_core.workshop import RISK_QUESTIONS, Room, default_task_names, plan_adoption
from mlpm_ui import state
from mlpm_ui.labels import field_label
from mlpm_ui.text import md
from mlpm_ui.workshop_present import PRESENT_KEY, explain_base, qr_png, room_link
from mlpm_ui.workshop_seats import seat_buttons, seat_handover
from mlpm_ui.workshop_spread import FACILITATOR_CHART_PX, spread_section
from mlpm_ui.workshop_tables import (
    adoption_preview_rows,
    answer_rows,
    member_rows,
    provenance_rows,
)

CREDENTIALS_KEY = "workshop.credentials"
ACTIVE_KEY = "workshop.active"
SHOW_KEY_KEY = "workshop.show_key"
CONFIRM_KEY = "workshop.confirm_adopt"
TITLE_KEY = "workshop.title"
HOURS_KEY = "workshop.hours"
ROUND_PICK_KEY = "workshop.adopt_round"
ROUND_PICK_FOR_KEY = "workshop.adopt_round_for"
ANSWERS_PICK_KEY = "workshop.adopt_answers"
TASKS_PICK_KEY = "workshop.pick_tasks"
QUESTIONS_PICK_KEY = "workshop.pick_questions"
LIVE_REFRESH_S = 3
DEFAULT_HOURS = 8


@dataclass(frozen=True)
class RoomKeys:
    """What this session holds to steer one room: the link's token and the facilitator key."""

    token: str
    key: str


def credentials() -> dict[str, RoomKeys]:
    credentials: dict[str, RoomKeys] = st.session_state.setdefault(CREDENTIALS_KEY, {})
    return credentials


def active_keys() -> tuple[str, RoomKeys] | None:
    """The room this session is steering (id and keys), if any."""
    room_id: str | None = st.session_state.get(ACTIVE_KEY)
    keys = credentials().get(room_id) if room_id else None
    return (room_id, keys) if room_id and keys else None


# ------------------------------------------------------------------------------ callbacks
def _open(scenario_id: str) -> None:
    title = (st.session_state.get(TITLE_KEY) or "").strip()
    hours = st.session_state.get(HOURS_KEY) or DEFAULT_HOURS
    tasks = list(st.session_state.get(TASKS_PICK_KEY) or [])
    questions = list(st.session_state.get(QUESTIONS_PICK_KEY) or [])
    try:
        room, token, key = state.store().open_room(scenario_id, title, ttl_hours=float(hours),
                                     tasks=tasks, questions=questions)
    except UserError as error:
        state.flash(f"The room was not opened: {error}", "error")
        return
    credentials()[room.id] = RoomKeys(token, key)
    st.session_state[ACTIVE_KEY] = room.id
    st.session_state[SHOW_KEY_KEY] = room.id
    st.session_state[CONFIRM_KEY] = None


def manage(room_id: str) -> None:
    """Make this room the one this session steers."""
    st.session_state[ACTIVE_KEY] = room_id
    st.session_state[CONFIRM_KEY] = None


def _ask_adopt(room_id: str) -> None:
    st.session_state[CONFIRM_KEY] = (room_id, st.session_state.get(ROUND_PICK_KEY),
                                     bool(st.session_state.get(ANSWERS_PICK_KEY, True)))


def _cancel_adopt() -> None:
    st.session_state[CONFIRM_KEY] = None


def _adopt(keys: RoomKeys, room: Room, round_number: int, include_answers: bool) -> None:
    st.session_state[CONFIRM_KEY] = None
    expected = state.version() if room.scenario_id == state.scenario_id() else None
    try:
        adoption = state.store().adopt(keys.token, keys.key, round_number,
                         expected_version=expected, include_answers=include_answers)
    except ConflictError as error:
        state.flash(str(error), "error")
        return
    except UserError as error:
        state.flash(f"Nothing was adopted: {error}", "error")
        return
    if room.scenario_id == state.scenario_id():
        state.open_scenario(room.scenario_id)
    skipped = (f" Skipped (no longer in the scenario): {', '.join(adoption.skipped_tasks)}."
               if adoption.skipped_tasks else "")
    unanswered = (" No risk answer had a group answer to adopt (two or more answers without a "
                  "tie); the scenario keeps its own." if include_answers
                  and not adoption.answers else "")
    state.flash(f"Adopted round {round_number}: {counted(len(adoption.tasks), 'task')} and "
                f"{counted(len(adoption.answers), 'answer')}, saved as version "
                f"{adoption.version}.{skipped}{unanswered}")


# ------------------------------------------------------------------------------ sections
def open_section(scenario: Scenario, scenario_id: str) -> None:
    """Open a room on the scenario's saved tasks."""
    with st.form("workshop.open", border=True):
        st.markdown("**Open a room**: participants estimate the saved version of this "
                    "scenario's tasks.")
        left, right = st.columns([3, 1])
        left.text_input("Room title", value=f"{scenario.project.name} estimation"[:200],
                        max_chars=200, key=TITLE_KEY)
        right.number_input("Open for (hours)", min_value=1, max_value=168,
                           value=DEFAULT_HOURS, step=1, key=HOURS_KEY)
        names = [task.name for task in scenario.tasks]
        st.multiselect("Tasks the room estimates", names,
                       default=default_task_names(scenario.tasks), key=TASKS_PICK_KEY,
                       help="Chosen for you: the ten widest ranges, where the group's view "
                            "matters most. Each task asks every participant for three numbers.")
        st.multiselect("Risk questions the room answers", list(RISK_QUESTIONS),
                       default=list(RISK_QUESTIONS), key=QUESTIONS_PICK_KEY,
                       format_func=lambda field: field_label(RISK_QUESTIONS[field]),
                       help="Participants may leave any of them unanswered.")
        unsaved = state.save_problem() is not None
        if unsaved:
            st.warning("Your latest changes are not saved; the room would use the saved "
                       "version. Resolve the save problem first.")
        if not scenario.tasks:
            st.info("This scenario has no tasks yet: add them on Team & tasks first.")
        st.form_submit_button("Open a room", type="primary", on_click=_open,
                              args=(scenario_id,), disabled=unsaved or not scenario.tasks)


def share_section(room_id: str, keys: RoomKeys) -> None:
    """The join link and its QR code, the present view's switch, and the facilitator key
    once, right after opening."""
    link, base = room_link(keys.token)
    explain_base(base)
    text, code = st.columns([3, 1], vertical_alignment="center")
    with text:
        st.markdown("**Join link**: send it to the participants or show it on the screen. "
                    "Anyone with it can join this room and estimate.")
        st.code(link, language=None, wrap_lines=True)
        st.button("Present to the room", key="workshop.present_open", icon=":material/tv:",
                  on_click=lambda: st.session_state.update({PRESENT_KEY: True}),
                  help="Only the title, a large QR code, the link and how many joined: for "
                       "the projector. Press Back to return.")
    code.image(qr_png(link, scale=4), caption="Scan to join", width=180)
    if st.session_state.get(SHOW_KEY_KEY) != room_id:
        return
    with st.container(border=True):
        st.warning("**Keep this facilitator key now: it is shown only once.** With the join "
                   "link it lets you steer this room after a reload or from another device. "
                   "mlpm stores only a fingerprint of it and cannot show it again.",
                   icon=":material/key:")
        st.code(keys.key, language=None)
        st.button("I have saved the key", key="workshop.key_saved",
                  on_click=lambda: st.session_state.pop(SHOW_KEY_KEY, None))


@st.fragment(run_every=LIVE_REFRESH_S)
def live_view(keys: RoomKeys) -> None:
    """Every participant's range per task, spread, outliers and aggregate; refreshes itself."""
    try:
        view = state.store().room_view(keys.token, facilitator_key=keys.key)
    except UserError as error:
        st.error(md(error))
        return
    room = view.room
    done = sum(member.submitted_this_round for member in view.members)
    names = "names shown to you" if room.names_revealed else "anonymous"
    submitted = (f"{done} of {len(view.members)} participants have submitted"
                 if view.members else "nobody has joined yet")
    st.markdown(f"**Round {room.current_round}**: {submitted} · {names} · "
                f"{md(room_status(room))}")
    st.caption(f"Refreshes every {LIVE_REFRESH_S} seconds. Each bar is one person's range "
               "from optimistic to pessimistic, the black tick their most likely value; the "
               "black bar is the group's median of each point, which adopting writes. Red: an "
               "outlier, whose range misses the middle half of the group or touches no other "
               "range while most do.")
    if view.members:
        with st.expander(f"Participants ({len(view.members)})"):
            st.table(member_rows(view.members), hide_index=True)
            seat_buttons(view)
        seat_handover(keys, view)
    spread_section(view.rounds, FACILITATOR_CHART_PX)
    for round_view in reversed(view.rounds):
        if round_view.answers:
            with st.expander(f"Risk questions, round {round_view.number}"):
                st.table(answer_rows(round_view.answers), hide_index=True)


def adopt_section(keys: RoomKeys, room: Room, scenario: Scenario | None) -> None:
    """Pick a round, preview what changes, and adopt it after an explicit confirmation."""
    rounds = list(range(room.current_round, 0, -1))
    left, right = st.columns([1, 2], vertical_alignment="bottom")
    if st.session_state.get(ROUND_PICK_FOR_KEY) != (room.id, room.current_round):
        # A new round (or room) makes its latest round the one to adopt by default.
        st.session_state[ROUND_PICK_FOR_KEY] = (room.id, room.current_round)
        st.session_state[ROUND_PICK_KEY] = rounds[0]
    left.selectbox("Round to adopt", rounds, key=ROUND_PICK_KEY,
                   format_func=lambda number: f"Round {number}")
    right.checkbox("Also adopt the group's answers to the risk questions", value=True,
                   key=ANSWERS_PICK_KEY)
    pending = st.session_state.get(CONFIRM_KEY)
    if not pending or pending[0] != room.id:
        st.button("Adopt into the scenario...", key="workshop.adopt", on_click=_ask_adopt,
                  args=(room.id,))
        return
    _, round_number, include_answers = pending
    try:
        view = state.store().room_view(keys.token, facilitator_key=keys.key)
        current = scenario if room.scenario_id == state.scenario_id() else None
        current = current or state.store().load(room.scenario_id)[0]
        plan = plan_adoption(current, view.rounds[round_number - 1],
                             include_answers=include_answers)
    except (UserError, IndexError) as error:
        st.error(md(f"Cannot adopt round {round_number}: {error}"))
        st.button("Cancel", key="workshop.adopt_cancel", on_click=_cancel_adopt)
        return
    with st.container(border=True):
        if not plan.tasks and not plan.answers:
            st.info(f"Round {round_number} has nothing to adopt yet.")
            st.button("Cancel", key="workshop.adopt_cancel", on_click=_cancel_adopt)
            return
        st.markdown(f"**Adopt round {round_number}?** These values replace the scenario's as a "
                    "new version (the old one stays in the history):")
        st.table(adoption_preview_rows(current, plan), hide_index=True)
        yes, no = st.columns(2)
        yes.button("Yes, adopt", key="workshop.adopt_confirm", type="primary",
                   on_click=_adopt, args=(keys, room, round_number, include_answers))
        no.button("Cancel", key="workshop.adopt_cancel", on_click=_cancel_adopt)


def provenance_section(scenario_id: str) -> None:
    """Every value adopted into the scenario from a workshop, newest first."""
    records = state.store().provenance(scenario_id)
    if not records:
        st.caption("Nothing adopted from a workshop yet.")
        return
    st.table(provenance_rows(records), hide_index=True)


def room_status(room: Room) -> str:
    """Where the room stands, in a few words."""
    if room.closed_at:
        return f"closed {shown_time(room.closed_at)}"
    return f"round {room.current_round}, open until {shown_time(room.expires_at)}"



def steering_room(keys: RoomKeys) -> Room | None:
    """The active room as its facilitator sees it, or None after showing why it is refused."""
    try:
        return state.store().room_for_facilitator(keys.token, keys.key)
    except UserError as error:
        st.error(md(error))
        return None
