"""ROI and payback: in the JSON estimate and every report's key ranges, as the README promises.

A certain project (50 days at 1,000 a day, 10 weeks, then 100,000 a year for three years with
nothing to run and no discount) makes both closed forms: ROI = (300,000 - 50,000) / 50,000 = 5,
payback = 10/52 of a year of delivery + half a year of benefit.
"""

from __future__ import annotations

import io
import json

import pytest
from pypdf import PdfReader

from mlpm_core.assessment import run_estimate
from mlpm_core.report import RETURNS_BASIS, render, returns_sentence
from mlpm_core.rules.catalog import load_catalog
from mlpm_core.scenario import Scenario

TRIALS, SEED = 5_000, 1


def certain(chance: float) -> Scenario:
    return Scenario.model_validate({
        "quality": {"p_reach_threshold": chance},
        "team": [{"role": "ml_engineer", "fte": 1.0, "day_rate": 1000}],
        "tasks": [{"name": "Build", "phase": "experimentation", "role": "ml_engineer",
                   "optimistic": 50, "most_likely": 50, "pessimistic": 50}],
        "rules": {"disabled": [rule.id for rule in load_catalog()]},
        "costs": {"maintenance_share_per_year": 0, "server_cost_per_year": 0},
        "value": {"annual_benefit": 100_000, "discount_rate": 0, "adoption": [1.0]},
        "simulation": {"correlation": False, "phase_sigma": 0.0}})


def test_roi_and_payback_are_the_closed_forms_for_a_certain_project():
    estimate = run_estimate(certain(1.0), trials=TRIALS, seed=SEED).estimate
    for quantile in ("p10", "p50", "p90", "mean"):
        assert getattr(estimate.roi, quantile) == pytest.approx(5.0)
        assert getattr(estimate.payback_years, quantile) == pytest.approx(10 / 52 + 0.5)
    document = json.loads(estimate.model_dump_json())
    assert document["roi"]["p50"] == pytest.approx(5.0)
    assert document["payback_years"]["p50"] == pytest.approx(10 / 52 + 0.5)


def test_a_model_that_falls_short_loses_all_it_cost_and_never_pays_back():
    """A 30% chance: the P50 project's model falls short, so its ROI is -100% and its
    payback never comes; the JSON says never as null and the reports as 'never'."""
    result = run_estimate(certain(0.3), trials=TRIALS, seed=SEED)
    estimate = result.estimate
    assert estimate.roi.p50 == pytest.approx(-1.0)
    assert estimate.roi.p90 == pytest.approx(5.0)
    assert estimate.payback_years.p50 is None and estimate.payback_years.mean is None
    assert estimate.payback_years.p10 == pytest.approx(10 / 52 + 0.5)
    markdown = render(result, "md").decode("utf-8").replace("\\", "")
    assert "| ROI (NPV / money in) | -100% | -100% | 500% | 500% |" in markdown
    assert "| Payback (years from start) | 0.7 | never | never | never | n/a |" in markdown
    assert " ".join(RETURNS_BASIS.split()) in " ".join(markdown.split())
    pdf = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(
        render(result, "pdf"))).pages)
    assert "ROI (NPV / money in)" in pdf and "Payback (years from start)" in pdf
    assert "0.7 never never never n/a" in pdf
    assert returns_sentence(estimate).startswith(
        "ROI P10 to P90: -100% to 500%; payback P50: never. ROI: the NPV over")
