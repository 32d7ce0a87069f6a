"""A participant who lost their page gets their seat back from the facilitator (AppTest).

Joining again under the same name is refused, with a message saying to ask the facilitator;
the facilitator issues a new seat link after a confirmation, the old link stops working, and the
new one opens the same participant with their estimates.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from mlpm_core.store.schema import submissions
from mlpm_ui import workshop_participant as participant
from mlpm_ui.text import md
from mlpm_ui.workshop_links import seat_link, token_from_link
from tests.app.support import store
from tests.app.test_workshop import (
    HOSTILE,
    click,
    estimate,
    facilitator_with_room,
    join_as,
    participant_session,
)

pytestmark = pytest.mark.usefixtures("fresh_app")


def test_a_taken_name_says_to_ask_the_facilitator_for_a_new_seat_link():
    """Joining under a name already in the room is refused, with what to do instead."""
    _, _, link, _ = facilitator_with_room()
    token = token_from_link(link)
    join_as(token, "Ada")
    again = participant_session(token)
    again.text_input(key=participant.NAME_KEY).input("ada")
    click(again, "Join")
    refusal = " ".join(error.value for error in again.error)
    assert "already goes by that name" in refusal
    assert md("ask the facilitator for a new link to your seat") in refusal
    assert not any("you are **" in m.value for m in again.markdown)


def test_the_facilitator_issues_a_new_seat_link_after_a_confirmation():
    """New seat link asks first; then the new link opens Ada's seat with her estimate, and the
    page holding the old link is told it no longer has a place."""
    at, _, link, _ = facilitator_with_room()
    token = token_from_link(link)
    ada = join_as(token, "Ada")
    estimate(ada, {0: (1, 2, 3)})
    old_seat = ada.query_params["seat"]
    at.run()
    click(at, "New seat link for Participant 1...")
    assert any("Issue a new seat link for Participant 1?" in m.value for m in at.markdown)
    assert any("disconnected" in m.value for m in at.markdown)
    click(at, "Cancel")
    assert not any("Issue a new seat link" in m.value for m in at.markdown)
    assert participant_session(token, old_seat).query_params["seat"] == old_seat  # still valid

    click(at, "New seat link for Participant 1...")
    click(at, "Yes, issue a new link")
    assert not at.exception and not at.error
    note = " ".join(m.value for m in at.markdown)
    assert "Give this link to Participant 1" in note and "no longer works" in note
    (new_link,) = [code.value for code in at.code if "seat=" in code.value]
    query = parse_qs(urlsplit(new_link).query)
    assert query["room"] == [token] and query["seat"] != [old_seat]
    assert new_link == seat_link(link, *query["seat"][0].split(".", 1))
    captions = [img.caption for image in at.get("image") for img in image.proto.imgs]
    assert "Scan to take the seat" in captions

    ada.run()  # the old page: its seat is refused, and the address forgets it
    assert any("no longer" in e.value for e in ada.error)
    assert "seat" not in ada.query_params
    back = participant_session(token, query["seat"][0])
    assert any("you are **Ada**" in m.value for m in back.markdown)
    assert [box.value for box in back.number_input[:3]] == [1, 2, 3]
    estimate(back, {0: (2, 3, 5)})
    with store().read() as connection:
        assert [row.pessimistic for row in connection.execute(select(submissions))] == [5]
    click(at, "Done")
    assert not any("seat=" in code.value for code in at.code)


def test_the_handover_note_escapes_a_revealed_name():
    """With names revealed, the note names the person, as plain text."""
    at, _, link, _ = facilitator_with_room()
    join_as(token_from_link(link), HOSTILE[:60])
    at.run()
    click(at, "Reveal names")
    click(at, f"New seat link for {md(HOSTILE[:60])}...")
    click(at, "Yes, issue a new link")
    assert any(f"Give this link to {md(HOSTILE[:60])}" in m.value for m in at.markdown)

