"""The Streamlit app through AppTest: pages, autosave, reload, conflicts, Home, import, escaping."""

from __future__ import annotations

import json
import re
import tomllib

import pytest
from streamlit.testing.v1 import AppTest

from mlpm_core.assessment.run import run_estimate
from mlpm_core.scenario import relevant
from mlpm_core.scenario.document import load_scenario, scenario_to_json
from mlpm_core.scenario.field_paths import with_value
from mlpm_core.scenario.labels import DECISION_LABELS
from mlpm_core.sources import load_sources
from mlpm_core.store.database import open_store
from mlpm_ui import state
from mlpm_ui.text import md
from tests.app.support import (
    ALL_PAGES,
    APP,
    EXAMPLE_NAMES,
    QUESTION_PAGES,
    TIMEOUT,
    goto,
    new_app,
    plain,
    scenario_id,
    start_example,
    store,
    texts,
)
from tests.conftest import EXAMPLES, EXAMPLES_DIR

pytestmark = pytest.mark.usefixtures("fresh_app")

HOSTILE_NAMES = ("<script>alert(1)</script>", "**bold** [x](javascript:alert(1))")


def current(at):
    return at.session_state[state.SCENARIO_KEY]


def sidebar_text(at) -> str:
    return "\n".join(str(element.value) for kind in ("markdown", "info")
                     for element in getattr(at.sidebar, kind))




def progress_text(at) -> str:
    bars = at.sidebar.get("progress")
    return bars[0].proto.text if bars else ""


def open_link(sid: str):
    """Start the app as a browser does from a link with ``?scenario=``."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params["scenario"] = sid
    return at.run()


# ------------------------------------------------------------------ every page runs
@pytest.mark.parametrize("page", ALL_PAGES)
def test_every_page_runs_without_a_scenario(page):
    """Each page runs without an exception when no scenario is open."""
    at = goto(new_app(), page)
    assert not at.exception
    if page != "home":
        assert any("No scenario is open" in info.value for info in at.info)


@pytest.mark.parametrize("page", ALL_PAGES)
def test_every_page_runs_with_a_scenario_and_shows_the_summary(page):
    """Each page runs with a scenario open and has the live summary in its sidebar."""
    at = new_app()
    start_example(at, "fraud_card_payments.json")
    goto(at, page)
    assert not at.exception
    assert progress_text(at) == "8 of 8 steps answered"
    assert ":green-badge[" in sidebar_text(at)


@pytest.mark.parametrize("page", QUESTION_PAGES)
def test_question_pages_say_what_they_decide_and_cite_their_sources(page):
    """A question page names what the step decides and cites the sources behind its questions
    by title, linked to them."""
    at = goto(new_app(), page)
    captions = " ".join(c.value for c in at.caption)
    cited = [source for source in load_sources().values() if f"*{md(source.title)}*" in captions]
    assert cited and captions.startswith("Questions from ")
    assert any(f"](<{source.url}>)" in captions for source in cited if source.url)
    assert "ecides" in at.markdown[0].value


def test_no_page_url_is_a_page_file_name():
    """Page URLs differ from file names in pages/, or Streamlit's old page-folder mode would
    run a page without the entrypoint (no sidebar, no scenario from the URL)."""
    at = new_app()
    stems = {path.stem for path in (APP.parent / "pages").glob("*.py")}
    urls = {info.get("url_pathname") for info in at._registered_pages.values()}
    assert urls and not urls & stems


def test_starting_an_example_twice_gives_two_names_home_tells_apart():
    """The second start from one example is numbered; both stay in the store."""
    at = new_app()
    first = start_example(at)
    second = start_example(at)
    names = {row.id: row.name for row in store().list()}
    name = load_scenario(EXAMPLES_DIR / "bike_shop_service_forecast.json").project.name
    assert (names[first], names[second]) == (name, f"{name} (2)")
    assert at.session_state["mlpm.scenario"].project.name == f"{name} (2)"


def test_the_summary_survives_a_second_run():
    """A rerun of the same page still runs the entrypoint (the sidebar summary is there)."""
    at = new_app()
    start_example(at)
    at.run()
    assert "steps answered" in progress_text(at)


# ------------------------------------------------------------------ editing and autosave
def test_changing_a_widget_changes_and_autosaves_the_scenario():
    """Typing a new project name changes the scenario and saves a new version to the store."""
    at = new_app()
    sid = start_example(at)
    goto(at, "project")
    at.text_input(key="f:project.name").set_value("Bike demand v2").run()
    assert not at.exception
    assert current(at).project.name == "Bike demand v2"
    saved, row = open_store().load(sid)
    assert saved.project.name == "Bike demand v2"
    assert row.version == 2
    assert "Bike demand v2" in plain(sidebar_text(at))


def test_the_sidebar_summary_updates_as_answers_change():
    """The steps count and the cost figures follow the answers immediately."""
    at = new_app()
    goto(at, "home")
    at.button(key="home.blank").click().run()
    assert progress_text(at) == "0 of 8 steps answered"
    goto(at, "project")
    at.text_area(key="f:project.problem_statement").set_value("Refunds take too long").run()
    at.selectbox(key="f:project.rules_baseline").set_value("no").run()
    assert progress_text(at) == "1 of 8 steps answered"
    start_example(at)
    goto(at, "costs_value")
    before = p50_cost_thousands(sidebar_text(at))
    at.number_input(key="f:costs.data_purchase:low").set_value(250000.0).run()
    assert p50_cost_thousands(sidebar_text(at)) - before >= 250 - 1  # rounding to 1k


def p50_cost_thousands(sidebar: str) -> float:
    match = re.search(r"Cost P50 \*\*GBP (\d+)k", sidebar)
    assert match, sidebar
    return float(match.group(1))


def test_a_blank_scenario_says_what_is_missing_instead_of_a_decision():
    """Before there are tasks and a benefit, the sidebar and the Report page name the steps to
    answer; no decision badge, no zero cost."""
    at = new_app()
    goto(at, "home")
    at.button(key="home.blank").click().run()
    text = sidebar_text(at)
    assert "No estimate yet" in text and "answer Team \\& tasks" in text
    assert "Costs \\& value" in text
    assert "No-go" not in text and "Cost P50" not in text
    goto(at, "report")
    assert not at.exception
    assert any("No estimate yet" in info.value for info in at.info)
    assert not [m for m in at.metric]
    goto(at, "costs_value")
    at.number_input(key="f:value.annual_benefit:low").set_value(30000.0).run()
    hint = sidebar_text(at).split("No estimate yet")[1].split("see one")[0]
    assert "Team \\& tasks" in hint and "Costs \\& value" not in hint


def test_a_reload_reopens_the_scenario_from_the_store():
    """A new session with the scenario id in the URL loads the latest saved version."""
    at = new_app()
    sid = start_example(at)
    goto(at, "project")
    at.text_input(key="f:project.name").set_value("Saved before reload").run()
    reloaded = open_link(sid)
    assert not reloaded.exception
    assert current(reloaded).project.name == "Saved before reload"


def test_an_unknown_scenario_in_the_url_is_a_readable_error():
    """A link to a missing scenario says so and opens nothing."""
    at = open_link("0" * 32)
    assert not at.exception
    assert any("Could not open the scenario" in error.value for error in at.error)
    assert state.SCENARIO_KEY not in at.session_state


# ------------------------------------------------------------------ conflicts
def _someone_else_renames(sid: str, name: str) -> None:
    with open_store() as other:
        scenario, row = other.load(sid)
        other.save(sid, with_value(scenario, "project.name", name), expected_version=row.version)


def test_a_concurrent_save_is_a_visible_conflict_not_an_overwrite():
    """When someone else saved meanwhile, the edit is refused visibly and their save stays."""
    at = new_app()
    sid = start_example(at)
    goto(at, "project")
    _someone_else_renames(sid, "Their name")
    at.text_input(key="f:project.name").set_value("My name").run()
    assert not at.exception
    assert any("saved by someone else" in error.value for error in at.error)
    assert open_store().load(sid)[0].project.name == "Their name"
    assert current(at).project.name == "My name"


def test_after_a_conflict_reload_takes_the_saved_version():
    """'Reload the saved version' replaces the working copy with the store's latest."""
    at = new_app()
    sid = start_example(at)
    goto(at, "project")
    _someone_else_renames(sid, "Their name")
    at.text_input(key="f:project.name").set_value("My name").run()
    at.button(key="mlpm.reload").click().run()
    assert current(at).project.name == "Their name"
    assert not any("saved by someone else" in error.value for error in at.error)
    at.text_input(key="f:project.name").set_value("Agreed name").run()
    assert open_store().load(sid)[0].project.name == "Agreed name"


def test_after_a_conflict_my_version_can_be_kept_as_a_new_scenario():
    """'Keep my version' saves it as a new scenario and leaves the other one untouched."""
    at = new_app()
    sid = start_example(at)
    goto(at, "project")
    _someone_else_renames(sid, "Their name")
    at.text_input(key="f:project.name").set_value("My name").run()
    at.button(key="mlpm.save_copy").click().run()
    names = {row.name for row in open_store().list()}
    assert names == {"Their name", "My name (my version)"}
    assert scenario_id(at) != sid


# ------------------------------------------------------------------ the report
@pytest.mark.parametrize("example", EXAMPLE_NAMES)
def test_the_report_shows_the_decision_of_the_estimate(example):
    """The report's banner states the same decision as the core estimate."""
    at = new_app()
    start_example(at, example)
    goto(at, "report")
    assert not at.exception
    expected = run_estimate(load_scenario(EXAMPLES_DIR / example))
    headline = DECISION_LABELS[expected.estimate.decision]
    banners = [*at.success, *at.warning, *at.error]
    assert any(plain(banner.value).startswith(f"**{headline} for the") for banner in banners)
    assert any("Are you sure you need ML?" in m.value for m in at.markdown)
    assert any(m.label.startswith("P(NPV") for m in at.metric)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Effort P50, person-days"] == f"{expected.estimate.effort_days.p50:,.0f}"


def test_the_reports_assumptions_table_wraps_each_source_whole():
    """A sponsor reads every source in full: the Report page's assumptions are a static table
    (not a grid that cuts long text), each source escaped with its link."""
    at = new_app()
    start_example(at, "fraud_card_payments.json")
    goto(at, "report")
    assert not at.exception
    [table] = [t.value for t in at.table if "Override with" in t.value.columns]
    used = relevant(load_scenario(EXAMPLES_DIR / "fraud_card_payments.json"))
    longest = max((entry.assumption.source for entry in used), key=len)
    assert len(longest) > 80  # long enough for a grid to cut
    assert any(plain(cell).startswith(longest) for cell in table["Source"])
    assert not [frame for frame in at.dataframe if "Override with" in frame.value.columns]


def test_the_report_names_the_rules_the_team_switched_off_and_what_they_would_add():
    """The fraud example switches off two rules with notes: the Report page says so, with the
    notes, and warns what switching them back on would do to the P50."""
    at = new_app()
    start_example(at, "fraud_card_payments.json")
    goto(at, "report")
    assert not at.exception
    expected = run_estimate(load_scenario(EXAMPLES_DIR / "fraud_card_payments.json"))
    assert expected.switched_off_note
    assert any(plain(w.value) == expected.switched_off_note for w in at.warning)
    shown = plain(" ".join(m.value for m in at.markdown))
    for change in expected.rule_changes:
        assert change.line in shown


def test_the_report_says_how_the_decision_is_made_with_the_scenarios_thresholds():
    """A go line moved to 80% on the Project page is the line the Report page states."""
    at = new_app()
    start_example(at)
    goto(at, "project")
    at.text_input(key="f:project.thresholds.min_p_npv_positive").input("80%").run()
    goto(at, "report")
    assert not at.exception
    [policy] = [e for e in at.expander if e.label == "How the decision is made"]
    shown = plain(" ".join(m.value for m in policy.markdown))
    assert "P(NPV > 0) is at least 80%" in shown


def test_the_report_draws_each_chart_across_its_column_at_the_specs_plot_height():
    """Every report chart fits its width only, so banded charts keep a row per driver."""
    at = new_app()
    start_example(at)
    goto(at, "report")
    specs = [json.loads(element.proto.spec) for element in at.get("vega_lite_chart")]
    assert [spec["title"] for spec in specs] == [
        "From the tasks to the P50 effort", "Delivery cost: cumulative chance",
        "Total effort", "What drives the spread in cost", "Where the money goes",
        "Feasibility by dimension"]
    assert all(spec["autosize"] == {"type": "fit-x", "contains": "padding"} for spec in specs)
    bridge, tornado = specs[0], specs[3]
    steps = bridge["layer"][0]["data"]["values"]
    assert bridge["height"] >= 20 * len(steps)
    drivers = {row["driver"] for row in tornado["layer"][0]["data"]["values"]}
    assert tornado["height"] >= 20 * len(drivers)


def test_the_report_trials_are_adjustable():
    """Changing the trials on the Report re-runs the estimate with that many trials."""
    at = new_app()
    start_example(at)
    goto(at, "report")
    at.text_input(key="f:simulation.trials").input("5000").run()
    assert not at.exception
    assert any("5,000 simulated projects" in plain(caption.value) for caption in at.caption)
    assert current(at).simulation.trials == 5000


def test_the_report_offers_every_format_the_tasks_and_the_scenario():
    """The report has a download button per report format, the task CSV and the scenario."""
    at = new_app()
    start_example(at)
    goto(at, "report")
    assert not at.exception
    labels = {element.proto.label for element in at.get("download_button")}
    assert labels == {"Report (PDF)", "Report (HTML)", "Report (Markdown)", "Estimate (JSON)",
                      "Task table (CSV)", "Scenario (JSON, to import later)"}


# ------------------------------------------------------------------ Home
def test_home_starts_a_blank_scenario_with_its_name():
    """'Start blank' creates and opens a scenario with the typed name."""
    at = goto(new_app(), "home")
    at.text_input(key="home.blank_name").set_value("Churn model")
    at.button(key="home.blank").click().run()
    assert current(at).project.name == "Churn model"
    assert [row.name for row in open_store().list()] == ["Churn model"]
    # a new user is told where to go next, not left on Home
    assert any("Next: the Project page" in plain(message.value) for message in at.success)


def test_home_duplicates_renames_and_deletes_with_confirmation():
    """Saved scenarios can be duplicated, renamed and deleted (from the confirm button)."""
    at = new_app()
    sid = start_example(at)
    at.button(key=f"home.duplicate.{sid}").click().run()
    copy_id = scenario_id(at)
    assert copy_id != sid and current(at).project.name.endswith("(copy)")
    at.text_input(key=f"home.rename_to.{sid}").set_value("Renamed original")
    at.button(key=f"home.rename.{sid}").click().run()
    assert open_store().load(sid)[0].project.name == "Renamed original"
    at.button(key=f"home.delete.{copy_id}").click().run()
    assert [row.id for row in open_store().list()] == [sid]
    assert state.SCENARIO_KEY not in at.session_state
    assert "scenario" not in at.query_params


def test_home_restores_an_old_version():
    """'Restore this version' makes an old version the newest, keeping the history."""
    at = new_app()
    sid = start_example(at)
    original = current(at).project.name
    goto(at, "project")
    at.text_input(key="f:project.name").set_value("Changed name").run()
    goto(at, "home")
    at.selectbox(key="home.version_pick").set_value(1).run()
    at.button(key="home.restore").click().run()
    assert not at.exception
    assert current(at).project.name == original
    scenario, row = open_store().load(sid)
    assert (scenario.project.name, row.version) == (original, 3)


def test_importing_a_valid_file_opens_it():
    """A valid scenario file is saved as a new scenario and opened."""
    at = new_app()
    text = scenario_to_json(load_scenario(EXAMPLES[0]))
    at.file_uploader(key="home.upload").set_value(("mine.json", text.encode(),
                                                   "application/json")).run()
    assert not at.exception
    assert current(at).project.name == load_scenario(EXAMPLES[0]).project.name


@pytest.mark.parametrize(
    "raw",
    [b"{not json", b'{"project": {"name": ""}}', b'{"a": 1, "a": 2}',
     b'{"project": {"budget": NaN}}', b"[" * 5000, b'{"schema_version": 99}'],
    ids=["broken", "invalid-name", "duplicate-key", "nan", "deep", "future-version"],
)
def test_an_invalid_upload_is_a_readable_error_and_changes_nothing(raw):
    """An invalid file shows one readable error; the open scenario and the store are untouched."""
    at = new_app()
    sid = start_example(at)
    before = current(at)
    at.file_uploader(key="home.upload").set_value(("bad.json", raw, "application/json")).run()
    assert not at.exception
    assert any(error.value.startswith("The file was not imported") for error in at.error)
    assert current(at) == before and scenario_id(at) == sid
    assert [row.id for row in open_store().list()] == [sid]


def test_the_import_function_refuses_invalid_bytes_without_touching_the_scenario():
    """Called directly, the import keeps the message and leaves the open scenario alone."""

    def script():
        import streamlit as st

        from mlpm_ui import scenario_start, state
        from mlpm_ui.home import show_import_error

        state.sync()
        if st.button("import", key="go"):
            st.session_state["result"] = scenario_start.import_scenario(b'{"project": 3}', "x.json")
        show_import_error()

    at = new_app()
    sid = start_example(at)
    direct = AppTest.from_function(script, default_timeout=60)
    direct.query_params["scenario"] = sid
    direct.run()
    before = direct.session_state[state.SCENARIO_KEY]
    direct.button(key="go").click().run()
    assert direct.session_state["result"] is False
    assert direct.session_state[state.SCENARIO_KEY] == before
    assert any("project" in error.value for error in direct.error)


# ------------------------------------------------------------------ hostile text
@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_user_text_is_rendered_escaped_on_every_page(name):
    """A project name with HTML or Markdown is shown literally everywhere, never as markup."""
    at = new_app()
    start_example(at)
    goto(at, "project")
    at.text_input(key="f:project.name").set_value(name).run()
    at.text_area(key="f:project.problem_statement").set_value(name).run()
    assert current(at).project.name == name
    for page in ALL_PAGES:
        goto(at, page)
        assert not at.exception
        for text in texts(at):
            markup = re.sub(r"\\.", "", text)  # what Markdown would interpret
            assert "<script" not in markup, (page, text)
            assert "**bold**" not in markup and "](javascript" not in markup, (page, text)
        assert not any(element.proto.allow_html for element in at.markdown)
    goto(at, "home")
    escaped = "\\<script\\>" if "<" in name else "\\*\\*bold\\*\\*"
    assert any(escaped in text for text in texts(at))


def test_the_shipped_streamlit_config_hides_errors_and_limits_uploads():
    """The app's config hides tracebacks, keeps XSRF on, limits uploads and stays local."""
    config = tomllib.loads((APP.parent / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == "none"  # false still shows the stack trace
    assert config["server"]["enableXsrfProtection"] is True
    assert 0 < config["server"]["maxUploadSize"] <= 10
    assert config["server"]["address"] == "127.0.0.1"
    assert config["browser"]["gatherUsageStats"] is False


def test_the_shipped_streamlit_config_skips_the_full_collection_after_every_run():
    """No full garbage collection after each script run: a workshop's self-refreshing views
    would otherwise hold the server's GIL for tens of milliseconds every few seconds each."""
    config = tomllib.loads((APP.parent / ".streamlit" / "config.toml").read_text())
    assert config["runner"]["postScriptGC"] is False


def test_the_shipped_streamlit_config_never_reloads_changed_source_files():
    """A source file changed under a running server (an upgrade in place) was re-imported
    beside the old copy: ``isinstance(value, Range)`` failed for a Range and every question
    page raised a TypeError until a restart. The shipped config watches no files."""
    config = tomllib.loads((APP.parent / ".streamlit" / "config.toml").read_text())
    assert config["server"]["fileWatcherType"] == "none"


def test_the_project_page_states_the_whole_decision_policy_with_its_thresholds(fresh_app):
    """The thresholds panel named no median line, yet a median beyond the deadline is a
    no-go: the panel says every line, and a changed threshold changes the sentence."""
    at = new_app()
    start_example(at)
    goto(at, "project")
    shown = plain(" ".join(texts(at)))
    assert "even the median duration with overlapped phases beyond the deadline" in shown
    assert "P(NPV > 0) is at least 70%" in shown
    at.text_input(key="f:project.thresholds.min_p_npv_positive").input("80%").run()
    assert "P(NPV > 0) is at least 80%" in plain(" ".join(texts(at)))
