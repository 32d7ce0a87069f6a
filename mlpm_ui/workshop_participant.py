"""The participant's side of a workshop room: join under a name, estimate, see earlier rounds.

Reached by the join link (``join?room=<token>``). Authorisation never comes from widget
state: the token is read from the URL (and kept in this session under a non-widget key, so a page
switch that drops the query string keeps the room), the participant id and secret that ``join``
returns are kept in this session, and all three are passed to the core on every call, which
checks them each time. Only a hash of the secret is stored. After joining, the page's address
also carries the id and secret (``&seat=<id>.<secret>``): a reload, or the page reopened from
the browser's history, starts a new session, and the seat (checked by the core like any other
call) lets it continue as the same participant instead of joining again under another name.

Every click of Submit sends an idempotency key: the same key as the previous click when the
form holds exactly what was last sent (a double click or a retry is then a replay the store
recognises and does not duplicate), a fresh one when anything changed. The receipt under the form
is read back from the room, not from this session, so a reload shows the same one, and the
page's watch redraws it if the room holds a newer input than the page shows.
"""

from __future__ import annotations

import uuid
from contextlib import suppress
from dataclasses import dataclass
from functools import partial
from typing import Any

import streamlit as st

from mlpm_core.errors import UserError
from mlpm_core.store import (
    PARTICIPANT_REFUSED,
    SubmitReceipt,
)
from mlpm_core.wording import counted
from mlpm_core.workshop import (
    MAX_DAYS,
    NUMERIC_QUESTIONS,
    RISK_QUESTIONS,
    Room,
    RoomView,
    question_text,
)
from mlpm_ui import state
from mlpm_ui.labels import field_label, option_label
from mlpm_ui.text import md
from mlpm_ui.workshop_links import (
    ROOM_PARAM,
    SEAT_PARAM,
    seat_from_param,
    seat_param,
    token_from_link,
)
from mlpm_ui.workshop_phone import CARDS_KEY, big_inputs
from mlpm_ui.workshop_spread import PHONE_CHART_PX, spread_section
from mlpm_ui.workshop_tables import (
    answers_from_form,
    choice_label,
    estimates_from_form,
    fingerprint,
    previous_estimates,
    question_choices,
)

TOKEN_KEY = "workshop.join_token"
ME_KEY = "workshop.me"
PENDING_KEY = "workshop.pending"
RECEIPT_KEY = "workshop.receipt"
FORM_ERRORS_KEY = "workshop.form_errors"
JOIN_ERROR_KEY = "workshop.join_error"
NAME_KEY = "workshop.display_name"
PASTE_KEY = "workshop.paste_link"
POINTS = (("optimistic", "Optimistic"), ("most_likely", "Most likely"),
          ("pessimistic", "Pessimistic"))
WATCH_S = 10


@dataclass(frozen=True)
class Me:
    """This session's participant in one room: the id and secret ``join`` returned."""

    id: str
    secret: str
    display_name: str
    number: int


def _mine(name: str) -> dict[str, Any]:
    mine: dict[str, Any] = st.session_state.setdefault(name, {})
    return mine


def room_token() -> str | None:
    """The room token from the link (or, after a page switch, from this session)."""
    token = st.query_params.get(ROOM_PARAM)
    if token:
        st.session_state[TOKEN_KEY] = token
        return token
    kept = st.session_state.get(TOKEN_KEY)
    if kept:
        st.query_params[ROOM_PARAM] = kept
    return kept


def _use_pasted_link() -> None:
    token = token_from_link(st.session_state.get(PASTE_KEY))
    if token:
        st.session_state[TOKEN_KEY] = token
        st.query_params[ROOM_PARAM] = token


def no_link() -> None:
    """Explain where the link comes from, and take a pasted one."""
    st.info("This page opens from a workshop link that the facilitator shares "
            "(it ends in `join?room=...`), or from the room code on the facilitator's screen.")
    st.text_input("Paste the workshop link, or type the room code", key=PASTE_KEY,
                  on_change=_use_pasted_link, placeholder="e.g. K7QD-M2XP")


def open_room(token: str) -> Room | None:
    """The room of the link, or None after a readable refusal (wrong, closed or expired)."""
    try:
        return state.store().room_for_token(token)
    except UserError as error:
        st.error(md(error), icon=":material/block:")
        return None


# ------------------------------------------------------------------------------ joining
def me_in(token: str, room: Room) -> Me | None:
    """This session's participant in the room: joined in this session, or earlier under the
    seat the page's address carries (a reload). The address keeps the seat either way."""
    me = _mine(ME_KEY).get(room.id) or _seated(token, room)
    if me is not None and st.query_params.get(SEAT_PARAM) != seat_param(me.id, me.secret):
        st.query_params[SEAT_PARAM] = seat_param(me.id, me.secret)
    return me


def _seated(token: str, room: Room) -> Me | None:
    given = st.query_params.get(SEAT_PARAM)
    if not given:
        return None
    seat, person = seat_from_param(given), None
    if seat is not None:
        with suppress(UserError):  # refused: treated as no seat at all
            person = state.store().participant_for(token, *seat)
    if seat is None or person is None:
        del st.query_params[SEAT_PARAM]
        st.info("This page's address held a place in this room that the room does not know "
                "(any more): join below.")
        return None
    me = Me(person.id, seat[1], person.display_name, person.number)
    _mine(ME_KEY)[room.id] = me
    return me


def _join(token: str, room_id: str) -> None:
    name = st.session_state.get(NAME_KEY) or ""
    try:
        person = state.store().join(token, name)
    except UserError as error:
        # Shown under the form, next to the name: a taken name says how to get one's seat back.
        _mine(JOIN_ERROR_KEY)[room_id] = f"You did not join: {error}"
        return
    _mine(JOIN_ERROR_KEY).pop(room_id, None)
    _mine(ME_KEY)[room_id] = Me(person.id, person.secret or "", person.display_name,
                                person.number)


def join_form(token: str, room: Room) -> None:
    """Ask for a display name and join."""
    st.markdown(f"You are invited to estimate **{md(room.title)}**: "
                f"{counted(len(room.tasks), 'task')}, "
                "each as three numbers of person-days.")
    with st.form("workshop.join"):
        st.text_input("Your name, as the facilitator will see it", max_chars=60, key=NAME_KEY)
        st.caption("Other participants never see your name: they see 'Participant N'. The "
                   "facilitator sees names only if they choose to reveal them.")
        st.form_submit_button("Join", type="primary", on_click=_join, args=(token, room.id))
    refused = _mine(JOIN_ERROR_KEY).get(room.id)
    if refused:
        st.error(md(refused))


# ------------------------------------------------------------------------------ watching
@st.fragment(run_every=WATCH_S)
def watch(token: str, me: Me, seen: tuple[int, str | None]) -> None:
    """Redraw the page when the room moved on (another round, closed) or holds an input of this
    participant newer than the page shows (``seen``: the round and the receipt's time drawn):
    whatever happened to the run after a Submit, the page shows the room's receipt within
    WATCH_S seconds. A refused call (room closed, seat forgotten) redraws it too, to say so."""
    try:
        now = state.store().participant_status(token, me.id, me.secret)
    except UserError:
        st.rerun()
    if now != seen:
        st.rerun()


def view_for(token: str, room: Room, me: Me) -> RoomView | None:
    """What this participant may see; None after explaining a refusal (a participant the
    room no longer knows is forgotten, so the page offers to join again)."""
    try:
        return state.store().room_view(token, participant_id=me.id, participant_secret=me.secret)
    except UserError as error:
        if str(error) == PARTICIPANT_REFUSED:
            _mine(ME_KEY).pop(room.id, None)
            st.query_params.pop(SEAT_PARAM, None)
        st.error(md(error))
        return None


def earlier_rounds(view: RoomView) -> None:
    """The results of the latest earlier round, anonymised: a chart and words per task."""
    if not view.rounds:
        return
    latest = view.rounds[-1]
    people = "1 person" if latest.participants == 1 else f"{latest.participants} people"
    with st.expander(f"Round {latest.number} results (anonymised; {people} submitted)",
                     expanded=True):
        spread_section(view.rounds[-1:], PHONE_CHART_PX)


# ------------------------------------------------------------------------------ estimating
def _point_key(room: Room, index: int, point: str) -> str:
    return f"workshop.e.{room.id}.{room.current_round}.{index}.{point}"


def _question_key(room: Room, field: str) -> str:
    return f"workshop.q.{room.id}.{room.current_round}.{field}"


def _submit(token: str, room: Room, me: Me) -> None:
    values = st.session_state
    errors = _mine(FORM_ERRORS_KEY)
    errors[room.id] = []
    names = [task.name for task in room.tasks]
    estimates, problems = estimates_from_form(
        names, [tuple(values.get(_point_key(room, index, point)) for point, _ in POINTS)
                for index in range(len(names))])
    answers, wrong = answers_from_form({field: values.get(_question_key(room, field))
                                        for field in room.questions})
    problems += wrong
    if problems:
        errors[room.id] = problems
        return
    sent = fingerprint(room.current_round, estimates, answers)
    pending = _mine(PENDING_KEY).get(room.id)
    key = pending[0] if pending and pending[1] == sent else uuid.uuid4().hex
    _mine(PENDING_KEY)[room.id] = (key, sent)
    try:
        receipt = state.store().submit(token, me.id, me.secret, room.current_round, estimates,
                         answers if answers.given() else None, idempotency_key=key)
    except UserError as error:
        errors[room.id] = [str(error)]
        return
    _mine(RECEIPT_KEY)[room.id] = receipt


def received_text(room: Room, view: RoomView) -> str | None:
    """What the room holds of this participant's current-round input, in one sentence; None
    before their first submission. Read from the store, not this session: the page says the
    same after a reload, and a run after a Submit can only show that Submit or a later one."""
    if view.your_submitted_at is None:
        return None
    answered = " and your answers" if view.your_answers else ""
    return (f"Saved your round {room.current_round} input at {view.your_submitted_at[11:19]} "
            f"UTC: {len(view.your_estimates)} of {len(room.tasks)} tasks{answered}. You can "
            "change it and submit again until the facilitator starts the next round; this page "
            f"moves to it by itself within {WATCH_S} seconds.")


def _task_inputs(room: Room, view: RoomView) -> None:
    prior = {e.task_name: e for e in view.your_estimates} or previous_estimates(view.rounds)
    for index, task in enumerate(room.tasks):
        earlier = prior.get(task.name)
        with st.container(border=True):  # one card per task: on a phone, one at a time
            st.markdown(f"**{md(task.name)}**")
            st.caption(md(f"Task {index + 1} of {len(room.tasks)} · "
                          f"{option_label('task.phase', task.phase)} · "
                          f"{option_label('task.role', task.role)}"))
            # Left to right as on the question pages (stacked in that order on a phone); each
            # box keeps what was typed: nothing is recomputed until Submit.
            for column, (point, label) in zip(st.columns(3), POINTS, strict=True):
                column.number_input(f"{label} (days)", min_value=0.0, max_value=MAX_DAYS,
                                    value=getattr(earlier, point) if earlier else None,
                                    step=0.5, format="%g", key=_point_key(room, index, point))


def _question_inputs(room: Room, view: RoomView) -> None:
    given = view.your_answers.given() if view.your_answers else {}
    for field in room.questions:
        path = RISK_QUESTIONS[field]
        label, key, before = field_label(path), _question_key(room, field), given.get(field)
        if field in NUMERIC_QUESTIONS:
            st.number_input(label, min_value=0.0, max_value=1.0, value=before, step=0.05,
                            format="%g", key=key, help=question_text(field))
            continue
        choices = question_choices(field)
        st.selectbox(label, choices, index=choices.index(before) if before in choices else 0,
                     key=key, help=question_text(field),
                     format_func=partial(choice_label, field))


def estimate_form(token: str, room: Room, me: Me, view: RoomView) -> None:
    """Three-point estimates per task and the key risk questions, for the current round."""
    saved, total = len(view.your_estimates), len(room.tasks)
    st.progress(saved / total if total else 0.0,
                text=f"{saved} of {total} tasks received for round {room.current_round}")
    big_inputs()
    with st.container(key=CARDS_KEY), st.form(f"workshop.estimates.{room.id}.{room.current_round}"):
        st.markdown(f"**Round {room.current_round}: your estimates** in person-days. Give "
                    "all three numbers for the tasks you can judge; leave the others empty.")
        _task_inputs(room, view)
        if room.questions:
            with st.expander("Key risk questions (optional)"):
                _question_inputs(room, view)
        st.caption("Submitting again replaces your earlier numbers; pressing Submit twice, or "
                   "again after a slow answer, never counts them twice.")
        st.form_submit_button("Submit my estimates", type="primary", on_click=_submit,
                              args=(token, room, me), width="stretch")
    for problem in _mine(FORM_ERRORS_KEY).get(room.id, []):
        st.error(md(problem))
    received = received_text(room, view)
    if received:
        st.success(md(received), icon=":material/check_circle:")
    receipt: SubmitReceipt | None = _mine(RECEIPT_KEY).get(room.id)
    if received and receipt and receipt.replayed and receipt.round == room.current_round:
        st.caption("Your last Submit repeated one the room already had: nothing was counted "
                   "twice.")
