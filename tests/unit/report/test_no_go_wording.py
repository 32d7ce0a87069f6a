"""A no-go says what rules it out in its first line, and its actions are not called conditions."""

from __future__ import annotations

import io

from pypdf import PdfReader

from mlpm_core.assessment.run import run_estimate
from mlpm_core.report.render import render
from mlpm_core.scenario.document import load_scenario
from tests.conftest import EXAMPLES_DIR

GENAI = EXAMPLES_DIR / "genai_support_assistant.json"


def test_a_no_go_headline_names_every_line_that_rules_it_out():
    """The generative-AI example with a 10-week deadline: a blocker, P(NPV > 0) under the
    no-go line and a median duration beyond the deadline even with phases overlapped are each
    named in the first reason (their figures follow in the reasons below it). With its own
    16 weeks, overlapping the phases could meet the date, which is then no no-go line."""
    scenario = load_scenario(GENAI)
    result = run_estimate(scenario, trials=5000, seed=1)
    assert result.estimate.decision == "no-go"
    assert result.estimate.reasons[0] == ("No-go for the MVP stage: ruled out by 1 blocker and "
                                          "P(NPV > 0) under the 30% no-go line.")
    tight = scenario.model_copy(update={"project": scenario.project.model_copy(
        update={"deadline_weeks": 10.0})})
    headline = run_estimate(tight, trials=5000, seed=1).estimate.reasons[0]
    assert headline == ("No-go for the MVP stage: ruled out by 1 blocker, P(NPV > 0) under the "
                        "30% no-go line and the median duration beyond the deadline even with "
                        "phases overlapped.")


def test_a_no_go_report_heads_its_actions_as_what_would_have_to_change():
    """Markdown, HTML and PDF: 'What would have to change', never 'Conditions', under a no-go."""
    result = run_estimate(load_scenario(GENAI), trials=5000, seed=1)
    markdown = render(result, "md").decode("utf-8")
    assert "### What would have to change" in markdown and "### Conditions" not in markdown
    html = render(result, "html").decode("utf-8")
    assert "<h3>What would have to change</h3>" in html and "<h3>Conditions</h3>" not in html
    pdf = PdfReader(io.BytesIO(render(result, "pdf")))
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "What would have to change" in text


def test_each_blocker_is_said_once_in_the_reports_and_kept_in_the_json():
    """Page 1 printed every blocker twice: as a decision reason and in the Blockers table just
    below it. The reports now leave it to the table; the JSON reasons keep it."""
    import re

    result = run_estimate(load_scenario(GENAI), trials=5000, seed=1)
    blockers = result.decision.blockers
    assert len(blockers) == 2
    assert sum(reason.startswith("Blocker (") for reason in result.estimate.reasons) == 2
    markdown = render(result, "md").decode("utf-8").replace("\\", "")
    pdf = PdfReader(io.BytesIO(render(result, "pdf")))
    flat = re.sub(r"\s+", "", "".join(page.extract_text() for page in pdf.pages))
    for blocker in blockers:
        assert markdown.count(blocker.text) >= 1
        assert "Blocker (" not in markdown
        first = re.sub(r"\s+", "", blocker.text)[:60]
        assert flat.count(first) == markdown.count(blocker.text), blocker.text
