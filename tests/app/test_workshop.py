"""The workshop pages through AppTest: facilitator and participants as separate sessions.

Each session is its own ``AppTest`` (its own session state) on one SQLite store, as separate
browsers would be. The participant learns the token only from the link the facilitator's page
shows; the facilitator's key only from the page, once.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from mlpm_core.store import list_rooms
from mlpm_core.store.room_access import FACILITATOR_REFUSED, ROOM_REFUSED
from mlpm_core.store.schema import submission_requests, submissions
from mlpm_ui import state
from mlpm_ui import workshop_facilitator as facilitator
from mlpm_ui import workshop_participant as participant
from mlpm_ui.text import md
from mlpm_ui.workshop_links import token_from_link
from tests.app.support import APP, TIMEOUT, goto, new_app, start_example, store

pytestmark = pytest.mark.usefixtures("fresh_app")

JOIN_PAGE = "pages/join_page.py"
HOSTILE = "**Eve** [x](javascript:alert(1)) <img src=x onerror=alert(2)>"


def click(at: AppTest, label: str) -> AppTest:
    """Click the (first enabled) button with this label and run."""
    for button in at.button:
        if button.label == label and not button.disabled:
            return button.click().run()
    raise AssertionError(f"no enabled button {label!r}: {[b.label for b in at.button]}")


def facilitator_with_room(title: str = "Kick-off") -> tuple[AppTest, str, str, str]:
    """A facilitator session with the bike-shop example open and a room opened on it.

    Returns the session, the scenario id, the join link and the facilitator key as shown."""
    at = new_app()
    sid = start_example(at, "bike_shop_service_forecast.json")
    goto(at, "workshop")
    at.text_input(key=facilitator.TITLE_KEY).set_value(title)
    click(at, "Open a room")
    assert not at.exception
    link, key = (code.value for code in at.code)
    return at, sid, link, key


def participant_session(token: str | None, seat: str | None = None) -> AppTest:
    """A new browser session opening the join link (or the join page without a token), or a
    participant's own page address (with the seat) after a reload."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    if token is not None:
        at.query_params["room"] = token
    if seat is not None:
        at.query_params["seat"] = seat
    return at.switch_page(JOIN_PAGE).run()


def join_as(token: str, name: str) -> AppTest:
    at = participant_session(token)
    at.text_input(key=participant.NAME_KEY).input(name)
    click(at, "Join")
    assert not at.exception and not at.error, [e.value for e in at.error]
    return at


def estimate(at: AppTest, values: dict[int, tuple[float, float, float]]) -> AppTest:
    """Fill tasks (by position) with three points and submit."""
    boxes = at.number_input
    for task, points in values.items():
        for offset, value in enumerate(points):
            boxes[3 * task + offset].set_value(value)
    return click(at, "Submit my estimates")


def table_text(at: AppTest) -> str:
    return "\n".join(table.value.to_string() for table in at.table)


def count(table) -> int:
    with store().read() as connection:
        return connection.execute(select(func.count()).select_from(table)).scalar_one()


# ------------------------------------------------------------------------------ facilitator
def test_opening_a_room_shows_the_join_link_and_the_key_only_once():
    """The link carries the room token; the key is shown with a keep-it note until dismissed."""
    at, _, link, key = facilitator_with_room()
    assert re.fullmatch(r"join\?room=[A-Za-z0-9_-]{43}", link)
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", key) and key != token_from_link(link)
    assert any("shown only once" in warning.value for warning in at.warning)
    click(at, "I have saved the key")
    assert [code.value for code in at.code] == [link]
    assert not any("shown only once" in warning.value for warning in at.warning)
    with store().read() as connection:
        stored = " ".join(str(row) for row in connection.exec_driver_sql("SELECT * FROM rooms"))
    assert key not in stored and token_from_link(link) not in stored


def test_participant_joins_with_the_link_submits_and_the_facilitator_sees_it():
    """A joined participant's three points appear in the facilitator's live view."""
    at, _, link, _ = facilitator_with_room()
    person = join_as(token_from_link(link), "Ada")
    assert any("you are **Ada**" in m.value for m in person.markdown)
    estimate(person, {0: (2, 3, 7)})
    assert "Saved your round 1 input" in person.success[0].value
    at.run()
    text = table_text(at)
    assert "Participant 1" in text and "yes" in text
    assert re.search(r"Participant 1\s+2\s+3\s+7", text)
    assert "Ada" not in text  # anonymous until names are revealed
    click(at, "Reveal names")
    assert re.search(r"Ada\s+2\s+3\s+7", table_text(at))


def test_a_repeated_click_of_submit_never_duplicates():
    """Clicking Submit twice with the same input stores one request and one row per task."""
    _, _, link, _ = facilitator_with_room()
    person = join_as(token_from_link(link), "Ada")
    estimate(person, {0: (1, 2, 3), 1: (2, 4, 8)})
    click(person, "Submit my estimates")
    assert any("nothing was counted twice" in c.value for c in person.caption)
    assert (count(submission_requests), count(submissions)) == (1, 2)
    estimate(person, {1: (2, 5, 9)})  # changed input: a new key, the row is replaced
    assert (count(submission_requests), count(submissions)) == (2, 2)


def test_round_two_shows_participants_round_one_anonymised():
    """After Start round 2 each participant sees round 1 as "Participant N", never names."""
    at, _, link, _ = facilitator_with_room()
    token = token_from_link(link)
    ada, bob = join_as(token, "Ada"), join_as(token, "Bob")
    estimate(ada, {0: (1, 2, 3)})
    estimate(bob, {0: (5, 8, 20)})
    click(at, "Reveal names")
    click(at, "Start round 2")
    bob.run()
    assert any("Round 2: your estimates" in m.value for m in bob.markdown)
    text = table_text(bob)
    assert re.search(r"Participant 1\s+1\s+2\s+3", text)
    assert re.search(r"Participant 2 \(you\)\s+5\s+8\s+20", text)
    assert "Ada" not in text and "Bob" not in text
    assert bob.number_input[0].value == 5  # round 2 starts from your round 1 range
    estimate(bob, {0: (4, 6, 12)})
    assert "round 2" in bob.success[0].value


def test_adopting_after_confirmation_writes_the_scenario_and_shows_provenance():
    """Adopt asks first, then saves the medians as a new version and lists where they came from."""
    at, sid, link, _ = facilitator_with_room()
    token = token_from_link(link)
    estimate(join_as(token, "Ada"), {0: (1, 2, 4)})
    estimate(join_as(token, "Bob"), {0: (3, 4, 10)})
    before, row = store().load(sid)
    at.run()
    click(at, "Adopt into the scenario...")
    assert store().load(sid)[1].version == row.version  # nothing written before "Yes"
    assert "Adopt round 1?" in " ".join(m.value for m in at.markdown)
    click(at, "Yes, adopt")
    assert not at.exception
    after, saved = store().load(sid)
    task = after.tasks[0]
    assert (task.optimistic, task.most_likely, task.pessimistic) == (2.0, 3.0, 7.0)
    assert after.tasks[1:] == before.tasks[1:] and saved.version == row.version + 1
    assert at.session_state[state.VERSION_KEY] == saved.version
    assert at.session_state[state.SCENARIO_KEY].tasks[0].most_likely == 3.0
    assert any("Adopted round 1" in s.value for s in at.success)
    assert re.search(r"Kick\\-off\s+1\s+.*2 / 3 / 7\s+2\s+" + str(saved.version),
                     table_text(at))


def test_a_new_round_becomes_the_round_to_adopt():
    """Once round 2 starts, Adopt offers round 2 by default even after round 1 was shown."""
    at, _, link, _ = facilitator_with_room()
    token = token_from_link(link)
    ada = join_as(token, "Ada")
    estimate(ada, {0: (1, 2, 4)})
    at.run()
    assert at.selectbox(key="workshop.adopt_round").value == 1
    click(at, "Start round 2")
    assert at.selectbox(key="workshop.adopt_round").value == 2
    ada.run()
    estimate(ada, {0: (2, 3, 5)})
    click(at, "Adopt into the scenario...")
    assert "Adopt round 2?" in " ".join(m.value for m in at.markdown)


def test_resuming_a_room_needs_the_right_key():
    """A new facilitator session resumes a room with its link and key; a wrong key is refused."""
    _, sid, link, key = facilitator_with_room()
    again = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    again.query_params["scenario"] = sid
    goto(again.run(), "workshop")
    room_id = next(iter(list_rooms(store(), sid))).id
    again.text_input(key=f"workshop.resume_link.{room_id}").input(link)
    again.text_input(key=f"workshop.resume_key.{room_id}").input(key[::-1])
    click(again, "Resume")
    assert any(md(FACILITATOR_REFUSED) in e.value for e in again.error)
    assert not any(b.label == "Start round 2" for b in again.button)
    again.text_input(key=f"workshop.resume_link.{room_id}").input(link)
    again.text_input(key=f"workshop.resume_key.{room_id}").input(key)
    click(again, "Resume")
    assert any(b.label == "Start round 2" for b in again.button)


def test_a_reloaded_participant_page_carries_on_as_the_same_participant():
    """The page's address keeps the seat: a new session from it is the same participant, sees
    their own input, and a resubmission replaces it instead of adding a second person."""
    _, _, link, _ = facilitator_with_room()
    token = token_from_link(link)
    person = join_as(token, "Ada")
    estimate(person, {0: (1, 2, 3)})
    again = participant_session(token, person.query_params["seat"])
    assert not again.exception and not again.text_input  # no join form
    assert any("you are **Ada**" in m.value for m in again.markdown)
    assert [box.value for box in again.number_input[:3]] == [1, 2, 3]
    estimate(again, {0: (2, 3, 5)})
    assert "Saved your round 1 input" in again.success[0].value
    with store().read() as connection:
        rows = connection.execute(select(submissions.c.participant_id, submissions.c.pessimistic)
                                  ).all()
    assert [pessimistic for _, pessimistic in rows] == [5]


@pytest.mark.parametrize("seat", ["0" * 32 + ".not-the-secret", "nonsense", "." * 3])
def test_a_seat_the_room_does_not_know_gets_the_join_form(seat):
    """A wrong, mangled or foreign seat in the address is dropped with a note; one can join."""
    _, _, link, _ = facilitator_with_room()
    other = join_as(token_from_link(link), "Ada").query_params["seat"]
    assert other != seat
    at = participant_session(token_from_link(link), seat)
    assert not at.exception and not at.error
    assert "seat" not in at.query_params
    assert "join below" in at.info[0].value
    assert not any("you are **Ada**" in m.value for m in at.markdown)
    at.text_input(key=participant.NAME_KEY).input("Bob")
    click(at, "Join")
    assert any("you are **Bob**" in m.value for m in at.markdown)
    assert at.query_params["seat"] not in (seat, other)


def test_a_seat_from_another_room_is_refused():
    """A participant's seat in one room gives no place in another room."""
    _, _, first, _ = facilitator_with_room("First")
    seat = join_as(token_from_link(first), "Ada").query_params["seat"]
    _, _, second, _ = facilitator_with_room("Second")
    at = participant_session(token_from_link(second), seat)
    assert not any("you are **Ada**" in m.value for m in at.markdown)
    assert any("You are invited to estimate **Second**" in m.value for m in at.markdown)
    assert [box.key for box in at.text_input] == [participant.NAME_KEY] and not at.number_input


# ------------------------------------------------------------------------------ refusals
@pytest.mark.parametrize("token", ["wrong", "x" * 43, "a" * 5000])
def test_a_wrong_token_is_refused_with_a_readable_message(token):
    """A wrong or mangled token gets the one refusal message, no form and no traceback."""
    facilitator_with_room()
    at = participant_session(token)
    assert not at.exception
    assert [e.value for e in at.error] == [md(ROOM_REFUSED)]
    assert not at.text_input and not at.number_input


def test_the_join_page_without_a_token_explains_where_links_come_from():
    """Without ?room= the page says what it is for and takes a pasted link."""
    _, _, link, _ = facilitator_with_room()
    at = participant_session(None)
    assert not at.exception and "workshop link" in at.info[0].value
    at.text_input(key=participant.PASTE_KEY).input(f"http://host:8501/{link}").run()
    assert at.query_params["room"] == token_from_link(link)
    invitation = f"You are invited to estimate **{md('Kick-off')}**"
    assert any(invitation in m.value for m in at.markdown)
    assert at.text_input(key=participant.NAME_KEY).value == ""


def test_a_closed_room_refuses_participants_but_the_facilitator_can_still_adopt():
    """After Close, the link says the room is closed; the facilitator still sees the results."""
    at, _, link, _ = facilitator_with_room()
    person = join_as(token_from_link(link), "Ada")
    estimate(person, {0: (1, 2, 3)})
    click(at, "Close the room")
    person.run()
    assert any("closed this workshop room" in e.value for e in person.error)
    assert not person.number_input
    assert "Participant 1" in table_text(at)
    assert any(b.label == "Adopt into the scenario..." for b in at.button)


def test_hostile_names_and_titles_are_shown_as_plain_text():
    """Markup in a display name or room title is escaped wherever Markdown would render it."""
    at, _, link, _ = facilitator_with_room(title=HOSTILE)
    person = join_as(token_from_link(link), HOSTILE[:60])
    estimate(person, {0: (1, 2, 3)})
    at.run()
    click(at, "Reveal names")
    assert md(HOSTILE[:60]) in table_text(at)
    rendered = [m.value for m in at.markdown] + [m.value for m in person.markdown]
    assert any(md(HOSTILE) in text for text in rendered)
    for text in rendered + table_text(at).splitlines():
        assert not re.search(r"(?<!\\)(\]\(javascript|<img)", text)

