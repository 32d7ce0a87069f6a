"""The Team & tasks and Rules pages, driven through Streamlit's AppTest against a real store."""

import pytest
from streamlit.testing.v1 import AppTest

from mlpm_core.breakdown import double_count_sentence, tasks_for_team
from mlpm_core.breakdown.generate import propose_tasks
from mlpm_core.scenario.document import load_scenario
from mlpm_core.scenario.model import Scenario
from mlpm_ui.text import md
from tests.app.support import APP, TIMEOUT, page_file, store
from tests.conftest import EXAMPLES, EXAMPLES_DIR

pytestmark = pytest.mark.usefixtures("fresh_app")

FRAUD = EXAMPLES_DIR / "fraud_card_payments.json"
TASKS_PAGE = page_file("team_tasks")
RULES_PAGE = page_file("rules")


def open_page(page: str, scenario: Scenario) -> tuple[AppTest, str]:
    """The app with ``scenario`` saved and opened from the URL, showing ``page``."""
    row = store().create(scenario, note="test")
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params["scenario"] = row.id
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at, row.id


def working_copy(at: AppTest) -> Scenario:
    return at.session_state["mlpm.scenario"]


def edit(at: AppTest, editor: int, *, edited=None, added=None, deleted=None) -> AppTest:
    """Apply a data-editor edit state, as the browser sends it, and rerun."""
    key = at.data_editor[editor].key
    at.session_state[key] = {"edited_rows": edited or {}, "added_rows": added or [],
                             "deleted_rows": deleted or []}
    return at.run()


def errors(at: AppTest) -> str:
    return "\n".join(element.value for element in at.error).replace("\\", "")


def click(at: AppTest, label: str) -> AppTest:
    [button] = [b for b in at.button if b.label == label]
    return button.click().run()


# ------------------------------------------------------------------------------ tasks
TASKS_EDITOR, TEAM_EDITOR = 1, 0


def test_editing_a_task_changes_and_saves_the_scenario():
    """A valid cell edit updates the working copy and is saved to the store."""
    at, sid = open_page(TASKS_PAGE, load_scenario(FRAUD))
    edit(at, TASKS_EDITOR, edited={0: {"most_likely": 9.0, "name": "Discovery"}})
    assert not at.exception and not errors(at)
    first = working_copy(at).tasks[0]
    assert (first.name, first.most_likely) == ("Discovery", 9.0)
    assert store().load(sid)[0].tasks[0] == first


def test_a_pessimistic_edit_moves_the_pert_sum_said_under_the_table():
    """Raising a pessimistic point left "N person-days most likely" unchanged, so the table
    seemed to ignore it: the caption also gives the PERT sum the estimate starts from."""
    at, _ = open_page(TASKS_PAGE, load_scenario(FRAUD))

    def pert_sum() -> float:
        [caption] = [c.value for c in at.caption if "as PERT means" in c.value]
        return float(caption.split("most likely, ")[1].split(" as PERT")[0].replace(",", ""))

    before = pert_sum()
    assert before == pytest.approx(sum(t.pert_mean for t in working_copy(at).tasks), abs=0.05)
    first = working_copy(at).tasks[0]
    edit(at, TASKS_EDITOR, edited={0: {"pessimistic": first.pessimistic + 12.0}})
    assert pert_sum() == pytest.approx(before + 2.0, abs=0.05)  # 12 / 6


def test_invalid_row_shows_which_row_and_why_and_changes_nothing():
    """An optimistic above most likely names the row and reason; the scenario stays as it was."""
    before = load_scenario(FRAUD)
    at, sid = open_page(TASKS_PAGE, before)
    edit(at, TASKS_EDITOR, edited={2: {"optimistic": 99.0}})
    name = before.tasks[2].name
    assert f"row 3 '{name}': optimistic (99) must be <= most likely" in errors(at)
    assert not at.exception
    assert working_copy(at).tasks == before.tasks
    assert store().load(sid)[0].tasks == before.tasks


def test_valid_rows_are_saved_while_an_invalid_one_is_held_back():
    """A complete new row is saved next to an invalid edit, which keeps its last valid version."""
    before = load_scenario(FRAUD)
    at, _ = open_page(TASKS_PAGE, before)
    new = {"name": "Load test", "phase": "production", "role": "devops",
           "optimistic": 1.0, "most_likely": 2.0, "pessimistic": 4.0}
    incomplete = {"name": "Half typed", "phase": "planning"}
    edit(at, TASKS_EDITOR, edited={0: {"pessimistic": 1.0}}, added=[new, incomplete])
    tasks = working_copy(at).tasks
    assert tasks[0] == before.tasks[0] and tasks[-1].name == "Load test"
    assert len(tasks) == len(before.tasks) + 1
    message = errors(at)
    assert "row 1 " in message and "most likely (8) must be <= pessimistic (1)" in message
    assert f"row {len(before.tasks) + 2} 'Half typed': choose a role" in message


def test_deleting_a_row_removes_the_task():
    """Deleting a row in the editor removes that task from the scenario."""
    before = load_scenario(FRAUD)
    at, _ = open_page(TASKS_PAGE, before)
    edit(at, TASKS_EDITOR, deleted=[1])
    assert working_copy(at).tasks == [before.tasks[0], *before.tasks[2:]]


def test_removing_a_role_from_the_team_gives_its_tasks_to_the_nearest_role():
    """Deleting a staffed role that tasks use saves the team and moves those tasks to the
    nearest role on it (roles.toml order), saying so; no task is left on a missing role."""
    before = load_scenario(FRAUD)
    at, sid = open_page(TASKS_PAGE, before)
    used = before.tasks[0].role
    position = [member.role for member in before.team].index(used)
    edit(at, TEAM_EDITOR, deleted=[position])
    after = store().load(sid)[0]
    assert [m.role for m in after.team] == [m.role for m in before.team if m.role != used]
    expected, moves = tasks_for_team(before.tasks, after.team)
    assert after.tasks == expected and moves[0].source == used
    assert all(task.role != used for task in after.tasks)
    assert [t.name for t in after.tasks] == [t.name for t in before.tasks]
    shown = " ".join(str(element.value) for element in at.success)
    assert "given to the" in shown.replace("\\", "")


def test_all_tasks_of_a_role_are_given_to_another_in_one_action():
    """'Give all Data engineer tasks to the ML engineer' is one click, not one cell per task."""
    before = load_scenario(FRAUD)
    at, sid = open_page(TASKS_PAGE, before)
    roles = {task.role for task in before.tasks}
    source = max(roles, key=lambda role: sum(task.role == role for task in before.tasks))
    target = next(member.role for member in before.team if member.role != source)
    at.selectbox(key="mlpm.give.source").set_value(source)
    at.selectbox(key="mlpm.give.target").set_value(target).run()
    at.button(key="mlpm.give").click().run()
    after = store().load(sid)[0]
    assert not [task for task in after.tasks if task.role == source]
    moved = sum(task.role == source for task in before.tasks)
    assert sum(t.role == target for t in after.tasks) == moved + sum(
        t.role == target for t in before.tasks)


def test_team_edit_changes_the_day_rate():
    """Editing a day rate in the team table saves the new range."""
    at, _ = open_page(TASKS_PAGE, load_scenario(FRAUD))
    edit(at, TEAM_EDITOR, edited={0: {"rate_low": 700.0, "rate_high": 1100.0}})
    rate = working_copy(at).team[0].day_rate
    assert (rate.low, rate.high) == (700.0, 1100.0)


def test_an_fte_typed_as_a_percentage_is_questioned_under_the_team_table():
    """50 typed for half a person's time: the page asks, below the table, whether a fraction
    was meant; back at 0.5 the question goes."""
    at, _ = open_page(TASKS_PAGE, load_scenario(FRAUD))
    edit(at, TEAM_EDITOR, edited={0: {"fte_low": 50.0, "fte_high": 50.0}})
    assert working_copy(at).team[0].fte.high == 50.0
    asked = " ".join(w.value for w in at.warning).replace("\\", "")
    assert "50 FTE means that many people" in asked and "50% is 0.5" in asked
    edit(at, TEAM_EDITOR, edited={0: {"fte_low": 0.5, "fte_high": 0.5}})
    assert not [w for w in at.warning if "FTE counts full-time people" in w.value]


def test_generate_fills_an_empty_task_table():
    """With no tasks yet, generating adopts the proposal at once."""
    blank = Scenario()
    at, _ = open_page(TASKS_PAGE, blank)
    click(at, "Generate work breakdown")
    assert working_copy(at).tasks == propose_tasks(blank)
    assert not at.exception
    assert len(at.data_editor[TASKS_EDITOR].value) == len(propose_tasks(blank))


def test_generate_asks_before_touching_existing_tasks_then_appends():
    """With tasks, generating asks first; appending keeps them and adds only new names."""
    before = load_scenario(FRAUD)
    at, _ = open_page(TASKS_PAGE, before)
    click(at, "Generate work breakdown")
    assert working_copy(at).tasks == before.tasks
    assert any("already has" in warning.value for warning in at.warning)
    click(at, "Append new tasks")
    tasks = working_copy(at).tasks
    assert tasks[:len(before.tasks)] == before.tasks
    assert len(tasks) == len(before.tasks) + len(propose_tasks(before))


def test_generate_replace_swaps_the_tasks():
    """Choosing replace puts the proposal in place of the old tasks."""
    before = load_scenario(FRAUD)
    at, _ = open_page(TASKS_PAGE, before)
    click(at, "Generate work breakdown")
    click(at, "Replace my tasks")
    assert working_copy(at).tasks == propose_tasks(before)


# ------------------------------------------------------------------------------ rules
def rule_position(at: AppTest, rule_id: str) -> int:
    return list(at.data_editor[0].value.index).index(rule_id)


def test_toggling_a_rule_off_puts_it_in_disabled():
    """Unticking a rule's switch adds its id to rules.disabled and saves it."""
    at, sid = open_page(RULES_PAGE, load_scenario(FRAUD))
    position = rule_position(at, "complex_data")
    edit(at, 0, edited={position: {"on": False, "note": "Data team knows it well"}})
    rules = working_copy(at).rules
    assert "complex_data" in rules.disabled
    assert rules.notes["complex_data"] == "Data team knows it well"
    assert "complex_data" in store().load(sid)[0].rules.disabled


def test_editing_a_multiplier_stores_an_override_and_a_bad_one_is_refused():
    """A valid range becomes an override; a low end above the high end is named and refused."""
    at, _ = open_page(RULES_PAGE, load_scenario(FRAUD))
    position = rule_position(at, "complex_data")
    edit(at, 0, edited={position: {"low": 1.2, "high": 1.8, "probability": 0.5}})
    override = working_copy(at).rules.overrides["complex_data"]
    assert (override.multiplier.low, override.multiplier.high) == (1.2, 1.8)
    assert override.probability == 0.5
    edit(at, 0, edited={position: {"low": 3.0, "high": 1.8}})
    assert "low end (3) must be <= its high end (1.8)" in errors(at)
    assert working_copy(at).rules.overrides["complex_data"] == override


def fill_custom_rule(at: AppTest, title: str, when: str) -> AppTest:
    at.text_input(key="mlpm.rules.custom.title").input(title)
    at.text_area(key="mlpm.rules.custom.when").input(when)
    return click(at, "Add rule")


def test_bad_custom_rule_condition_shows_a_readable_error():
    """A typo in a custom rule's field is explained with a suggestion, and nothing is added."""
    at, _ = open_page(RULES_PAGE, load_scenario(FRAUD))
    fill_custom_rule(at, "Vendor API", 'data.sise == "big"')
    assert "unknown field 'data.sise' (did you mean 'data.size'?)" in errors(at)
    assert not at.exception and working_copy(at).rules.custom == []
    fill_custom_rule(at, "Vendor API", "data.size ==")
    assert "unexpected end of condition" in errors(at)


def test_valid_custom_rule_is_added_and_fires():
    """A custom rule that holds is added, listed in the table and shown with its effect."""
    at, _ = open_page(RULES_PAGE, load_scenario(FRAUD))
    fill_custom_rule(at, "Vendor API", "technical.peak_qps > 10")
    [rule] = working_copy(at).rules.custom
    assert rule.id == "custom_vendor_api"
    assert "custom_vendor_api" in at.data_editor[0].value.index
    effects = at.dataframe[0].value
    assert "Vendor API" in set(effects["Rule"])


def test_rule_conditions_are_shown_as_code_without_markdown_escapes():
    """The sources list shows each condition as typed, in a code span (a backslash inside a
    code span is shown, so escaping it there printed "derived\\.total\\_most...")."""
    at, _ = open_page(RULES_PAGE, load_scenario(FRAUD))
    captions = [str(element.value) for element in at.caption]
    assert any(text.startswith("When: ` derived.total_most_likely_days > 20 ` ·")
               for text in captions)
    conditions = [text.split(" · ")[0] for text in captions if text.startswith("When:")]
    assert len(conditions) > 10 and not any("\\" in text for text in conditions)


def test_strict_mode_is_saved_from_the_page():
    """Choosing strict mode on the page sets rules.mode."""
    at, _ = open_page(RULES_PAGE, load_scenario(FRAUD))
    at.radio(key="f:rules.mode").set_value("strict").run()
    assert working_copy(at).rules.mode == "strict"


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
@pytest.mark.parametrize("page", [TASKS_PAGE, RULES_PAGE])
def test_pages_render_every_example_without_an_exception(page, path):
    """Both pages draw each shipped example without an exception or an error."""
    at, _ = open_page(page, load_scenario(path))
    assert not at.exception and not errors(at)


def test_the_report_tables_wrap_whole_findings_and_escape_a_users_rule(fresh_app):
    """The Report page's rules and checks tables are static tables (a grid cut findings and
    quotes off); their cells are Markdown, so a user's own rule title and warning are shown as
    typed, never as a link or markup."""
    document = load_scenario(FRAUD).model_dump(mode="json")
    document["rules"]["custom"] = [{
        "id": "user_markup", "title": "**Hype** [click](https://evil.example)",
        "when": "true", "multiplier": {"low": 1.1, "high": 1.2},
        "warning": "<b>careful</b> _now_"}]
    at, _ = open_page(page_file("report"), Scenario.model_validate(document))
    tables = [table.value for table in at.table]
    assert len(tables) >= 2, "rules and checks as static tables"
    cells = " ".join(str(cell) for frame in tables for cell in frame.to_numpy().ravel())
    assert r"\*\*Hype\*\* \[click\]" in cells and "](https://evil" not in cells
    assert "<b>" not in cells
    checks = next(frame for frame in tables if "Finding" in frame.columns)
    assert any(len(str(text)) > 120 for text in checks["Finding"])  # whole, not cut


def test_a_task_the_rules_multiply_for_its_own_work_is_named_until_it_covers_it():
    """The Bike Shop's cleaning task under its dirty-data rule: with its cover taken away,
    the page names it; marking the cover (as the example does) clears the note."""
    bike = load_scenario(EXAMPLES_DIR / "bike_shop_service_forecast.json")
    document = bike.model_dump(mode="json")
    for task in document["tasks"]:
        task["covers"] = ""
    at, _ = open_page(TASKS_PAGE, Scenario.model_validate(document))
    notes = [info.value for info in at.info if "look like the work" in info.value]
    assert len(notes) == 1 and "Export and clean two years" in notes[0]
    at, _ = open_page(TASKS_PAGE, bike)
    assert not [info.value for info in at.info if "look like the work" in info.value]


def test_a_task_name_in_a_hint_is_shown_as_typed_not_as_markdown():
    """The hints quote the user's task names: Markdown in a name is shown, never rendered."""
    document = Scenario().model_dump(mode="json")
    document["data"]["cleanliness"] = "dirty"
    document["tasks"] = [{"name": "Clean **data** [now](https://example.com)",
                          "phase": "experimentation", "role": "data_scientist",
                          "optimistic": 1, "most_likely": 2, "pessimistic": 4}]
    scenario = Scenario.model_validate(document)
    at, _ = open_page(TASKS_PAGE, scenario)
    (note,) = [info.value for info in at.info if "look like the work" in info.value]
    assert note == md(double_count_sentence(scenario))
    assert "Clean \\*\\*data\\*\\* \\[now\\]" in note
