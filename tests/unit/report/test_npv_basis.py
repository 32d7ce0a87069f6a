"""Every report says what its NPV counts, with the scenario's own horizon and discount rate:
the benefit starts when delivery ends, and a model that misses its threshold earns nothing."""

from __future__ import annotations

import html
import io
import re

import pytest
from pypdf import PdfReader

from mlpm_core.assessment.run import run_estimate
from mlpm_core.report import npv_basis
from mlpm_core.report.render import render
from mlpm_core.scenario import Scenario
from mlpm_core.scenario.document import load_scenario
from tests.conftest import EXAMPLES_DIR


def bike(**value: object) -> Scenario:
    scenario = load_scenario(EXAMPLES_DIR / "bike_shop_service_forecast.json")
    raw = scenario.model_dump(mode="json")
    raw["value"].update(value)
    return Scenario.model_validate(raw)


def test_the_sentence_names_the_scenarios_horizon_and_rate():
    sentence = npv_basis(bike(horizon_years=5, discount_rate=0.12).value)
    assert "for 5 years from the end of delivery" in sentence
    assert "discounted at 12% a year" in sentence
    assert "for 1 year from" in npv_basis(bike(horizon_years=1).value)


@pytest.mark.parametrize("kind", ["md", "html", "pdf"])
def test_every_report_says_it(kind):
    scenario = bike(horizon_years=4, discount_rate=0.07)
    data = render(run_estimate(scenario, trials=500), kind)
    if kind == "pdf":
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    else:
        text = html.unescape(data.decode("utf-8")).replace("\\", "")  # and Markdown's escapes
    flat = re.sub(r"\s+", "", text)
    assert re.sub(r"\s+", "", npv_basis(scenario.value)) in flat
