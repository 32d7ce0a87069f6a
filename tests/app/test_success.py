"""The Report page shows the chance of reaching the acceptability threshold."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from mlpm_core.assessment import run_estimate
from mlpm_core.scenario.document import load_scenario
from mlpm_core.success.probability import success_probability
from mlpm_ui import state
from mlpm_ui.figures import amount
from tests.app.support import goto, new_app, plain, start_example, texts
from tests.conftest import EXAMPLES_DIR

BIKE_SHOP = EXAMPLES_DIR / "bike_shop_service_forecast.json"  # derives the chance from answers
FRAUD = EXAMPLES_DIR / "fraud_card_payments.json"  # sets its own chance (0.8)
HEAD = "Chance of reaching the acceptability threshold"
BIKE_CHANCE = f"{success_probability(load_scenario(BIKE_SHOP)).p:.0%}"


def report_of(example: str) -> tuple[AppTest, list[str]]:
    """The app on the Report page of an example, and the page's texts as a reader sees them."""
    at = new_app()
    start_example(at, example)
    goto(at, "report")
    assert not at.exception
    return at, [plain(text) for text in texts(at)]


def test_report_page_shows_the_chance_reasons_and_a_link_to_quality(fresh_app):
    """The Report page states the chance with its source and reasons and links to Quality."""
    at, shown = report_of(BIKE_SHOP.name)
    assert f"**{HEAD}: {BIKE_CHANCE}** (mlpm's judgement from your answers)" in shown
    assert any("- Base 85% because a public solution exists" in text for text in shown)
    links = [(link.proto.label, link.proto.page) for link in at.get("page_link")]
    assert ("Set your own chance on the Quality page", "quality") in links
    sidebar = [plain(str(element.value)) for element in at.sidebar.markdown]
    assert f"{HEAD} **{BIKE_CHANCE}** (mlpm's judgement from your answers)" in sidebar


def test_report_page_gives_the_npv_mean_beside_its_p50(fresh_app):
    """Value is all or nothing (a model that misses its threshold earns none), so the P50
    alone can read as a loss while the mean is a gain: the page gives both."""
    at = new_app()
    start_example(at, BIKE_SHOP.name)
    goto(at, "report")
    scenario = at.session_state[state.SCENARIO_KEY]
    npv = run_estimate(scenario).estimate.npv  # the page's own trials and seed
    captions = [plain(caption.value) for caption in at.caption]
    [line] = [text for text in captions if text.startswith(f"{scenario.simulation.trials:,} ")]
    assert f"mean {amount(npv.mean, scenario.project.currency)}." in line
    assert "a model that misses its threshold earns nothing" in line
    assert "the mean and the P50 can differ" in line


def test_report_page_gives_the_npv_for_each_outcome(fresh_app):
    """Beside the chance, the Report page says the NPV if the model reaches its threshold and
    if not (the sponsor view draws the same section)."""
    at = new_app()
    start_example(at, BIKE_SHOP.name)
    scenario = at.session_state[state.SCENARIO_KEY]
    estimate = run_estimate(scenario).estimate
    assert estimate.npv_if_success is not None and estimate.npv_if_failure is not None
    goto(at, "report")
    assert not at.exception
    [line] = [plain(text) for text in texts(at) if "NPV by outcome" in plain(text)]
    assert "if the model reaches its acceptability threshold, median GBP " in line
    assert "the delivery cost with no benefit" in line


def test_a_teams_own_chance_is_shown_beside_the_answers_everywhere(fresh_app):
    """The fraud team's 80% stands beside the answers' own chance on the Report page, in the
    sidebar and under the field on the Quality page, where the team types it."""
    from mlpm_core.success import answers_chance

    answers = f"{answers_chance(load_scenario(FRAUD)):.0%}"
    said = f"(your own estimate; the answers alone would give {answers})"
    at, shown = report_of(FRAUD.name)
    assert f"**{HEAD}: 80%** {said}" in shown
    note = run_estimate(at.session_state[state.SCENARIO_KEY]).own_chance_note
    assert note.startswith(f"With the {answers} chance of success the answers give")
    assert any(f"- {note}" in text for text in shown)  # among the decision's reasons
    sidebar = [plain(str(element.value)) for element in at.sidebar.markdown]
    assert f"{HEAD} **80%** {said}" in sidebar
    goto(at, "quality")
    captions = [plain(caption.value) for caption in at.caption]
    assert f"The answers alone would give {answers} (mlpm's judgement)." in " ".join(captions)


def test_the_quality_page_says_where_an_empty_chance_comes_from(fresh_app):
    at = new_app()
    start_example(at, BIKE_SHOP.name)
    goto(at, "quality")
    assert not at.exception
    captions = " ".join(plain(caption.value) for caption in at.caption)
    assert f"Left empty, the chance comes from your answers: {BIKE_CHANCE} now" in captions
