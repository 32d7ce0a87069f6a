"""The workshop in a meeting room, through AppTest: the link and the present view, the chart
of the spread, the chosen tasks and questions, and a room's life (close, reopen, archive,
delete). Sessions as in ``test_workshop.py``: each ``AppTest`` is one browser.
"""

from __future__ import annotations

import json

import pytest
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest

from mlpm_core.store import list_rooms, room_code
from mlpm_ui import state
from mlpm_ui import workshop_facilitator as facilitator
from mlpm_ui import workshop_participant as participant
from mlpm_ui.labels import field_label
from mlpm_ui.workshop_links import token_from_link
from tests.app.support import goto, new_app, plain, start_example, store
from tests.app.test_workshop import (
    click,
    estimate,
    facilitator_with_room,
    join_as,
    participant_session,
    table_text,
)

pytestmark = pytest.mark.usefixtures("fresh_app")


def charts(at: AppTest) -> list[tuple[dict, list[dict]]]:
    """Each Vega-Lite chart's spec and its data rows (Streamlit sends the rows apart, as Arrow)."""
    return [(json.loads(chart.proto.spec),
             convert_arrow_bytes_to_pandas_df(chart.proto.data.data).to_dict("records"))
            for chart in at.get("vega_lite_chart")]


def test_the_link_uses_the_public_url_and_the_present_view_shows_only_what_the_room_needs(
        monkeypatch):
    """With MLPM_PUBLIC_URL the link starts there; Present shows the title, QR, link, count."""
    monkeypatch.setenv("MLPM_PUBLIC_URL", "https://mlpm.example.org/team/")
    at, _, link, _ = facilitator_with_room("Kick-off")
    assert link.startswith("https://mlpm.example.org/team/join?room=")
    assert not any("Other devices cannot" in w.value for w in at.warning)
    token = token_from_link(link)
    join_as(token, "Ada")
    assert "Cost P50" in sidebar_text(at)
    click(at, "Present to the room")
    assert [t.value for t in at.title] == ["Kick\\-off"]
    # the projector shows no decision or cost for the room to anchor on
    assert "Cost P50" not in sidebar_text(at) and "go]" not in sidebar_text(at)
    code = room_code(token)
    assert [code.value for code in at.code] == [f"mlpm.example.org/team/join?room={code}"]
    assert [(m.label, m.value) for m in at.metric] == [
        ("Room code (on the join page)", code), ("People joined", "1")]
    assert not at.subheader and not at.table  # nothing else of the facilitator view
    click(at, "Back")
    assert any(s.value.startswith("Steering") for s in at.subheader)
    assert "Cost P50" in sidebar_text(at)


def sidebar_text(at: AppTest) -> str:
    return " ".join(str(getattr(element, "value", "")) for element in at.sidebar)


def test_a_bad_public_url_and_a_loopback_address_are_explained(monkeypatch):
    monkeypatch.setenv("MLPM_PUBLIC_URL", "https://ada:pw@mlpm.example.org")
    at, _, link, _ = facilitator_with_room()
    assert "ada:pw" not in link
    assert any("must not contain a user name" in e.value for e in at.error)
    warning = next(w.value for w in at.warning if "Other devices cannot" in w.value)
    assert "mlpm run --address 0.0.0.0" in warning and "MLPM_PUBLIC_URL" in warning


def test_the_facilitator_sees_every_range_as_a_chart_with_the_outlier_and_both_rounds():
    """Chart data: one row per participant and one for the group, per round; words above."""
    at, _, link, _ = facilitator_with_room()
    token = token_from_link(link)
    people = [join_as(token, name) for name in ("Ada", "Bob", "Cy", "Di")]
    for person, points in zip(people, [(2, 3, 5), (2, 3, 6), (3, 4, 6), (20, 30, 40)],
                              strict=True):
        estimate(person, {0: points})
    at.run()
    ((spec, rows),) = charts(at)
    assert [(r["who"], r["low"], r["likely"], r["high"], r["kind"]) for r in rows] == [
        ("Participant 1", 2, 3, 5, "Estimate"), ("Participant 2", 2, 3, 6, "Estimate"),
        ("Participant 3", 3, 4, 6, "Estimate"), ("Participant 4", 20, 30, 40, "Outlier"),
        ("Group", 2.5, 3.5, 6, "Group (median of each point)")]
    assert any("One person sees it very differently (Participant 4 (higher)): discuss."
               in m.value.replace("\\", "") for m in at.markdown)
    click(at, "Start round 2")
    for person, points in zip(people, [(3, 4, 6), (3, 4, 6), (3, 4, 6), (3, 4, 7)],
                              strict=True):
        person.run()
        estimate(person, {0: points})
    at.run()
    ((spec, rows),) = charts(at)
    assert [r["round"] for r in rows] == ["Round 1"] * 5 + ["Round 2"] * 5
    assert spec["facet"]["column"]["sort"] == ["Round 1", "Round 2"]
    assert "Outlier" not in {r["kind"] for r in rows[5:]}
    # Centres (PERT means) 4.17, 4.17, 4.17 and 4.33 days: within 4% of their median.
    assert any("The group agrees within ±4%." in m.value.replace("\\", "")
               for m in at.markdown)


def test_the_room_asks_only_the_tasks_and_questions_the_facilitator_chose():
    """Default: the ten widest ranges and every question; a narrower choice is all that is
    asked of the participants."""
    at = new_app()
    start_example(at, "bike_shop_service_forecast.json")
    goto(at, "workshop")
    tasks = at.multiselect(key=facilitator.TASKS_PICK_KEY)
    scenario = at.session_state[state.SCENARIO_KEY]
    assert len(tasks.value) == min(10, len(scenario.tasks)) and set(tasks.value) <= {
        task.name for task in scenario.tasks}
    chosen = [scenario.tasks[2].name, scenario.tasks[0].name]
    tasks.set_value(chosen)
    at.multiselect(key=facilitator.QUESTIONS_PICK_KEY).set_value(["data_size"])
    click(at, "Open a room")
    link = at.code[0].value
    person = join_as(token_from_link(link), "Ada")
    assert len(person.number_input) == 2 * 3
    assert [box.label for box in person.selectbox] == [field_label("data.size")]
    assert any(scenario.tasks[0].name in m.value.replace("\\", "") for m in person.markdown)


def test_the_facilitator_closes_reopens_archives_and_deletes_a_room():
    """Open rooms are listed first; archived ones folded away; a deleted room is gone and its
    link refused, while the adopted values keep their history."""
    at, sid, link, _ = facilitator_with_room("First")
    token = token_from_link(link)
    estimate(join_as(token, "Ada"), {0: (2, 3, 7)})
    at.run()
    click(at, "Close the room")
    click(at, "Reopen the room")
    assert not join_as(token, "Bob").error
    at.text_input(key=facilitator.TITLE_KEY).set_value("Second")
    click(at, "Open a room")  # now steering "Second"
    first, second = (room_id(sid, title) for title in ("First", "Second"))

    def listed() -> list[str]:
        return [m.value.split("**")[1] for m in at.markdown
                if m.value.startswith(("**First**", "**Second**"))]
    assert listed() == ["Second", "First"]  # both open: newest first
    click(at, "Archive the room")  # Second: archived and closed, folded away, listed last
    assert [e.label for e in at.expander if e.label.startswith("Archived")] == [
        "Archived rooms (1)"]
    assert listed() == ["First", "Second"]
    click(at, "Restore from the archive")
    assert not any(e.label.startswith("Archived") for e in at.expander)
    at.button(key=f"workshop.manage.{first}").click().run()
    click(at, "Adopt into the scenario...")
    click(at, "Yes, adopt")
    click(at, "Delete the room...")
    click(at, "Yes, delete the room")
    assert any("Deleted the room 'First'" in plain(s.value) for s in at.success)
    assert listed() == ["Second"] and second
    assert "First" in table_text(at)  # the provenance table still names the room
    assert any("was deleted" in e.value for e in participant_session(token).error)
    assert store().load(sid)[1].version == 2


def room_id(scenario_id: str, title: str) -> str:
    return next(room.id for room in list_rooms(store(), scenario_id) if room.title == title)


def test_the_phone_page_shows_progress_and_a_received_state_that_survives_a_reload():
    """One card per task ("Task 1 of N"), progress from what the room received, and after a
    reload (a new session from the page's address) the page shows the same receipt."""
    _, _, link, _ = facilitator_with_room()
    token = token_from_link(link)
    person = join_as(token, "Ada")
    total = len([box for box in person.number_input if box.label.endswith("(days)")]) // 3
    assert person.get("progress")[0].proto.text == f"0 of {total} tasks received for round 1"
    assert any(c.value.startswith(f"Task 1 of {total}") for c in person.caption)
    assert not person.success
    estimate(person, {0: (1, 2, 3)})
    again = participant_session(token, person.query_params["seat"])
    assert again.get("progress")[0].proto.text == f"1 of {total} tasks received for round 1"
    assert [plain(s.value) for s in again.success] == [plain(s.value) for s in person.success]
    assert plain(again.success[0].value).startswith("Saved your round 1 input at ")
    assert f"UTC: 1 of {total} tasks. You can change it" in plain(again.success[0].value)


def test_a_resubmission_is_acknowledged_at_once_in_this_session_and_after_a_reload():
    """Submitting again with another task: the receipt counts what the room now holds (not the
    previous receipt), in this session and in a reloaded one; a repeated Submit says so."""
    _, _, link, _ = facilitator_with_room()
    token = token_from_link(link)
    person = join_as(token, "Ada")
    estimate(person, {0: (1, 2, 3)})
    first = plain(person.success[0].value)
    estimate(person, {0: (1.5, 2.5, 3.5), 1: (2, 4, 9)})
    second = plain(person.success[0].value)
    assert ": 1 of " in first and ": 2 of " in second and len(person.success) == 1
    reloaded = participant_session(token, person.query_params["seat"])
    assert [plain(s.value) for s in reloaded.success] == [second]
    assert not any("repeated" in c.value for c in person.caption)
    click(person, "Submit my estimates")  # the same numbers again: a replay, not a new input
    assert [plain(s.value) for s in person.success] == [second]
    assert any("repeated one the room already had" in c.value for c in person.caption)


def test_a_participant_joins_by_typing_the_room_code_and_a_wrong_code_is_refused():
    """On the join page without a link, the code from the projector (typed loosely) opens the
    room; the page then keeps working under the code; a wrong code gets a readable refusal."""
    _, _, link, _ = facilitator_with_room("Kick-off")
    code = room_code(token_from_link(link))
    wrong = participant_session(None)
    wrong.text_input(key=participant.PASTE_KEY).input("ZZZZ-ZZZZ").run()
    assert any("No open workshop room has this code" in e.value for e in wrong.error)
    at = participant_session(None)
    at.text_input(key=participant.PASTE_KEY).input(code.lower().replace("-", " ")).run()
    assert any("You are invited to estimate **Kick" in m.value for m in at.markdown)
    at.text_input(key=participant.NAME_KEY).input("Ada")
    click(at, "Join")
    estimate(at, {0: (1, 2, 3)})
    assert plain(at.success[0].value).startswith("Saved your round 1 input at ")
