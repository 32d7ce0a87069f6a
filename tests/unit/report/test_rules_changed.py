"""Rules the team switched off or edited are drivers too: every report names them with the
team's reason, and says what the switched-off ones that would fire would add to the P50."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from mlpm_core.assessment import run_estimate
from mlpm_core.feasibility import money
from mlpm_core.report.markdown import escape
from mlpm_core.report.model import RULES_CHANGED_HEADING, build_report
from mlpm_core.report.render import render
from mlpm_core.rules.team_changes import rule_changes
from mlpm_core.scenario import Scenario
from mlpm_core.scenario.document import load_scenario
from tests.conftest import EXAMPLES_DIR

TRIALS, SEED = 20_000, 7


@pytest.fixture(scope="module")
def fraud() -> Scenario:
    """Switches off big data and the complex platform, each with a note."""
    return load_scenario(EXAMPLES_DIR / "fraud_card_payments.json")


def numbers(sentence: str) -> list[float]:
    return [float(text.replace(",", "")) for text in re.findall(r"\d[\d,]*", sentence)]


def test_every_format_names_the_switched_off_rules_with_the_teams_reason(fraud):
    result = run_estimate(fraud, trials=5000, seed=SEED)
    report = build_report(result, with_charts=False)
    assert len(report.rules_changed) == 2
    markdown = render(result, "md").decode()
    html = render(result, "html").decode()
    pages = PdfReader(io.BytesIO(render(result, "pdf"))).pages
    # without the running header and footer, which split a list that flows onto a new page
    body = [line for page in pages for line in page.extract_text().splitlines()
            if not line.startswith("mlpm report ·") and fraud.project.name not in line]
    pdf = re.sub(r"\s+", "", "".join(body))
    for rule_id, note in fraud.rules.notes.items():
        line = next(line for line in report.rules_changed if note in line)
        assert "switched off by the team; it would apply to this scenario" in line
        assert escape(line) in markdown
        assert note in html
        assert re.sub(r"\s+", "", line) in pdf, rule_id
    assert RULES_CHANGED_HEADING in markdown and RULES_CHANGED_HEADING in html
    assert result.switched_off_note in result.estimate.warnings


def test_the_switched_off_rules_effect_is_the_estimate_with_them_switched_on(fraud):
    """'from 505 to 637 person-days, the P80 cost from EUR 573k to EUR 700k ... and turn the
    decision from go to conditional go': this estimate's figures, then those of the same
    scenario, trials and seed with the rules back on."""
    result = run_estimate(fraud, trials=TRIALS, seed=SEED)
    switched_on = fraud.model_copy(update={"rules": fraud.rules.model_copy(
        update={"disabled": []})})
    on = run_estimate(switched_on, trials=TRIALS, seed=SEED).estimate
    before = result.estimate
    note = result.switched_off_note
    assert (f"from {before.effort_days.p50:,.0f} to {on.effort_days.p50:,.0f} person-days"
            in note)
    assert f"the P80 cost from {money(before.cost.p80, 'EUR')} to {money(on.cost.p80, 'EUR')}" \
        in note
    assert (f"P80 duration from {before.duration_weeks.p80:.1f} to "
            f"{on.duration_weeks.p80:.1f} weeks") in note
    assert on.effort_days.p50 > before.effort_days.p50 + 50
    said = {"go": "go", "conditional": "conditional go", "no-go": "no-go"}
    if on.decision != before.decision:
        assert (f"turn the decision from {said[before.decision]} to {said[on.decision]}"
                in note)
    else:
        assert f"leave the decision at {said[before.decision]}" in note
    assert on.warnings.count(note) == 0  # the switched-on run has nothing switched off


def test_an_edited_rule_says_what_it_replaced_and_a_rule_that_would_not_fire_says_so(fraud):
    raw = fraud.model_dump(mode="json")
    raw["rules"]["overrides"] = {"complex_data": {"multiplier": {"low": 1.1, "high": 1.4},
                                                  "probability": 0.5}}
    raw["rules"]["notes"]["complex_data"] = "Our features are tabular and well understood."
    raw["rules"]["disabled"].append("unstructured_data")
    lines = [change.line for change in rule_changes(Scenario.model_validate(raw))]
    edited = next(line for line in lines if line.startswith("Complex data"))
    assert "x1.1 to x1.4" in edited and "chance 50%" in edited
    assert "edited by the team (shipped x1.5 to x2.5, shipped chance 100%)" in edited
    assert "it applies to this scenario" in edited and "well understood" in edited
    unstructured = next(line for line in lines if "nstructured" in line)
    assert "it would not apply to this scenario anyway" in unstructured
    assert "No reason given." in unstructured
    # the rules that would fire come first, the edits last
    assert lines.index(unstructured) < lines.index(edited)
    assert all("would apply" in line for line in lines[:2])


def test_nothing_switched_off_or_edited_says_nothing():
    result = run_estimate(load_scenario(EXAMPLES_DIR / "bike_shop_service_forecast.json"),
                          trials=5000, seed=SEED)
    assert result.rule_changes == () and result.switched_off_note == ""
    assert RULES_CHANGED_HEADING not in render(result, "md").decode()
