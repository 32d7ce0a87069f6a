"""A rule whose condition fails for this scenario is listed in every report format, with why."""

from __future__ import annotations

import io
from functools import cache

from pypdf import PdfReader

from mlpm_core.assessment.run import run_estimate
from mlpm_core.report.html import render_html
from mlpm_core.report.markdown import render_markdown
from mlpm_core.report.model import build_report
from mlpm_core.report.pdf import render_pdf
from mlpm_core.scenario.document import load_scenario
from tests.conftest import EXAMPLES_DIR

WHEN = "technical.tokens_in / technical.tool_calls_per_request > 100"  # 0 / 0 in the fraud case
LINE = (f"Many tokens per call (tokens_per_call) \u2014 its condition ({WHEN}) failed for this "
        "scenario: division by zero in 0 / 0")


@cache
def result():
    scenario = load_scenario(EXAMPLES_DIR / "fraud_card_payments.json")
    custom = {"id": "tokens_per_call", "title": "Many tokens per call", "when": WHEN,
              "multiplier": [1.1, 1.5]}
    document = scenario.model_dump(mode="json")
    document["rules"]["custom"] = [custom]
    return run_estimate(type(scenario).model_validate(document), trials=5000, seed=1)


def report():
    return build_report(result(), with_charts=False)


def test_the_estimate_warns_and_the_report_model_lists_the_rule():
    """In the JSON estimate's warnings, and apart in the report model (not in the bridge)."""
    assert f"Rule not applied: {LINE}" in result().estimate.warnings
    [row] = report().rules_not_applied
    assert (row.id, row.title, row.line) == ("tokens_per_call", "Many tokens per call", LINE)
    assert "Rule not applied" not in report().bridge_note
    assert "tokens_per_call" not in {rule.id for rule in result().estimate.rules_fired}


def test_markdown_lists_the_rules_not_applied():
    text = render_markdown(report())
    assert "### Rules not applied" in text
    assert "Many tokens per call \\(tokens\\_per\\_call\\) \u2014 its condition" in text


def test_html_lists_the_rules_not_applied():
    text = render_html(report())
    assert ("<h3>Rules not applied</h3><ul><li>Many tokens per call (tokens_per_call) \u2014 "
            in text)


def test_pdf_lists_the_rules_not_applied():
    pdf = render_pdf(report(), "A4")
    text = " ".join(" ".join(page.extract_text().split())
                    for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Rules not applied" in text
    assert "Many tokens per call (tokens_per_call) \u2014 its condition" in text
    assert "division by zero in 0 / 0" in text


def test_no_section_when_every_rule_could_be_weighed():
    """The shipped example alone has nothing to report, so no empty heading appears."""
    plain = run_estimate(load_scenario(EXAMPLES_DIR / "fraud_card_payments.json"), trials=5000)
    built = build_report(plain, with_charts=False)
    assert built.rules_not_applied == []
    assert "Rules not applied" not in render_markdown(built)
    assert not any(w.startswith("Rule not applied") for w in plain.estimate.warnings)
