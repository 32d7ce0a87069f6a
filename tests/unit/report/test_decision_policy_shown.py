"""The decision policy, with the scenario's own thresholds, in every report a sponsor reads:
Markdown, HTML and PDF say what go and no-go need, not only the verdict."""

from __future__ import annotations

import html
import io
import re
from functools import cache

import pytest
from pypdf import PdfReader

from mlpm_core.assessment.run import run_estimate
from mlpm_core.report.render import render
from mlpm_core.scenario.document import load_scenario
from tests.app.support import plain
from tests.conftest import EXAMPLES_DIR

BIKE_SHOP = EXAMPLES_DIR / "bike_shop_service_forecast.json"


@cache
def strict_result():
    """The Bike Shop with go asking P(NPV > 0) of at least 85% and no-go below 40%."""
    scenario = load_scenario(BIKE_SHOP)
    thresholds = scenario.project.thresholds.model_copy(update={
        "min_p_npv_positive": 0.85, "no_go_p_npv_positive": 0.4})
    scenario = scenario.model_copy(update={
        "project": scenario.project.model_copy(update={"thresholds": thresholds})})
    return run_estimate(scenario, trials=2000, seed=1)


def squeeze(text: str) -> str:
    """Text without whitespace, so a line the PDF wraps still matches."""
    return re.sub(r"\s+", "", text)


def report_text(kind: str) -> str:
    data = render(strict_result(), kind)
    if kind == "pdf":
        return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    text = data.decode("utf-8")
    return html.unescape(plain(text))  # as a reader sees the Markdown or the page


@pytest.mark.parametrize("kind", ["md", "html", "pdf"])
def test_each_report_states_the_decision_lines_with_the_scenario_thresholds(kind):
    text = squeeze(report_text(kind))
    assert squeeze("How the decision is made") in text
    assert squeeze("Go: nothing blocks it, P(NPV > 0) is at least 85%") in text
    assert squeeze("P(NPV > 0) is below 40%") in text
    assert squeeze("Conditional go: anything in between") in text
    assert "atleast70%" not in text  # the defaults are not what this scenario decides by
