"""The Team & tasks page explains a proposal fitted to the team."""

from __future__ import annotations

from mlpm_core.assessment.utilisation import deadline_capacity_days
from mlpm_core.breakdown import days_by_scope
from tests.app.support import goto, new_app, start_example, texts
from tests.conftest import ROOT

TEMPLATES_DIR = ROOT / "data" / "templates"
BIKE_SHOP = ROOT / "data" / "examples" / "bike_shop_service_forecast.json"
COMPLIANCE = "Regulatory compliance review"


def test_team_tasks_page_shows_the_notes_and_adopts_tasks_for_the_team(fresh_app):
    """On the Bike Shop's Team & tasks page the proposal explains remapped roles and sizes, the
    confirmation compares the proposal's days with the table's, and replacing the tasks keeps
    the one-person team."""
    at = new_app()
    start_example(at)
    goto(at, "team_tasks")
    shown = " ".join(texts(at))
    assert "assigned to the data scientist" in shown and "judgement" in shown
    [generate] = [b for b in at.button if b.label == "Generate work breakdown"]
    generate.click().run()
    assert any("assigned to the data scientist" in caption.value for caption in at.caption)
    assert any(info.value.replace("\\", "").startswith(
        "Your task table adds up to 13.5 person-days most likely") for info in at.info)
    [replace] = [b for b in at.button if b.label == "Replace my tasks"]
    replace.click().run()
    assert not at.exception
    scenario_now = at.session_state["mlpm.scenario"]
    assert {task.role for task in scenario_now.tasks} == {"data_scientist"}
    assert [member.role for member in scenario_now.team] == ["data_scientist"]


def test_a_proposal_scaled_down_for_a_small_team_says_what_that_assumes(fresh_app):
    """The Bike Shop's one-person team shrinks the template days: the page says the factor
    reads a small team as a small project, and how to size a fixed scope instead."""
    at = new_app()
    start_example(at)
    goto(at, "team_tasks")
    shown = " ".join(texts(at)).replace("\\", "")
    assert "reads a small team as a small project" in shown
    assert "both ways of sizing propose the same tasks" not in shown
    at = new_app()
    start_example(at, "fraud_card_payments.json")  # ten people: the reference team size
    goto(at, "team_tasks")
    shown = " ".join(texts(at)).replace("\\", "")
    assert "reads a small team as a small project" not in shown
    assert "both ways of sizing propose the same tasks" in shown


def test_choosing_the_full_scope_on_the_page_sizes_the_proposal_for_the_work(fresh_app):
    """A one-person team asking what the work needs: the full scope is saved with the
    scenario, the proposal grows and no longer says it read the team as a small project."""
    at = new_app()
    start_example(at)
    goto(at, "team_tasks")
    [expander] = [e for e in at.expander if e.label.startswith("What the proposal is based on")]
    before = expander.label
    at.radio(key="f:project.scope").set_value("full").run()
    assert not at.exception
    assert at.session_state["mlpm.scenario"].project.scope == "full"
    [expander] = [e for e in at.expander if e.label.startswith("What the proposal is based on")]
    assert expander.label != before
    shown = " ".join(texts(at)).replace("\\", "")
    assert "Full scope, team of 0.6 FTE" in shown
    assert "reads a small team as a small project" not in shown


def test_calendar_waits_typed_on_the_team_tasks_page_lengthen_the_reported_duration(fresh_app):
    """A certain eight-week wait, typed into both ends, is stored and reaches the Report
    page's pace sentence."""
    at = new_app()
    start_example(at)
    goto(at, "team_tasks")
    for end in ("low", "high"):
        at.number_input(key=f"f:project.wait_weeks:{end}").set_value(8.0).run()
    assert not at.exception
    wait = at.session_state["mlpm.scenario"].project.wait_weeks
    assert (wait.low, wait.high) == (8.0, 8.0)
    goto(at, "report")
    assert not at.exception
    assert "calendar waits 8.0" in " ".join(texts(at)).replace("\\", "")  # Markdown-escaped


def test_the_scope_choice_shows_the_days_each_way_gives(fresh_app):
    """The Bike Shop's one-person team: beside the choice, the proposal's most-likely days
    sized from the team and at full scope, each what generating that way adds up to."""
    at = new_app()
    start_example(at)
    goto(at, "team_tasks")
    scenario_now = at.session_state["mlpm.scenario"]
    by_scope = days_by_scope(scenario_now)
    assert by_scope["from_team"] < by_scope["full"]
    shown = " ".join(texts(at)).replace("\\", "")
    assert (f"adds up to {by_scope['from_team']:g} person-days sized from the team and "
            f"{by_scope['full']:g} at full scope") in shown
    capacity = deadline_capacity_days(scenario_now)  # 0.6 FTE over 24 weeks
    assert capacity is not None and by_scope["from_team"] < capacity / 2
    assert (f"Your team has about {capacity:,.0f} person-days before the "
            f"{scenario_now.project.deadline_weeks:g}-week deadline") in shown


def test_tasks_an_answer_added_after_generating_are_named_and_appended(fresh_app):
    """Generate, then say the data is regulated: the Team & tasks page names the compliance
    review the task table lacks, and one click appends it without touching the generated tasks."""
    at = new_app()
    start_example(at)
    goto(at, "team_tasks")
    [generate] = [b for b in at.button if b.label == "Generate work breakdown"]
    generate.click().run()
    [replace] = [b for b in at.button if b.label == "Replace my tasks"]
    replace.click().run()
    assert not [info for info in at.info if "the task table lacks" in info.value]
    generated = at.session_state["mlpm.scenario"].tasks
    goto(at, "data")
    at.toggle(key="f:data.regulated").set_value(True).run()
    goto(at, "team_tasks")
    assert not at.exception
    [notice] = [info.value for info in at.info if "the task table lacks" in info.value]
    assert COMPLIANCE in notice.replace("\\", "")
    [append] = [b for b in at.button if b.key == "mlpm.tasks.append_missing"]
    append.click().run()
    assert not at.exception
    tasks = at.session_state["mlpm.scenario"].tasks
    assert tasks[:len(generated)] == generated
    assert COMPLIANCE in {task.name for task in tasks}
    assert not [info for info in at.info if "the task table lacks" in info.value]

