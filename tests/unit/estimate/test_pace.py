"""Where the weeks come from: each phase's mean length and the role that paces it."""

from __future__ import annotations

import io
import re

import numpy as np
import pytest
from pypdf import PdfReader

from mlpm_core.assessment import run_estimate
from mlpm_core.assessment.pace import pace_sentence
from mlpm_core.estimate import WORK_DAYS_PER_WEEK
from mlpm_core.estimate.engine import simulate
from mlpm_core.report.model import build_report
from mlpm_core.report.render import render
from mlpm_core.scenario import PHASES, Scenario, role_name
from mlpm_core.scenario.document import load_scenario
from tests.conftest import EXAMPLES_DIR

TRIALS, SEED = 5_000, 3


def two_roles(engineer_fte: float) -> Scenario:
    """One pipeline phase: a data scientist with 10 days at 1 FTE, a data engineer with 8."""
    return Scenario.model_validate({
        "team": [{"role": "data_scientist", "fte": 1.0},
                 {"role": "data_engineer", "fte": engineer_fte}],
        "tasks": [
            {"name": "Features", "phase": "pipeline", "role": "data_scientist",
             "optimistic": 8, "most_likely": 10, "pessimistic": 12},
            {"name": "Pipeline", "phase": "pipeline", "role": "data_engineer",
             "optimistic": 6, "most_likely": 8, "pessimistic": 10}]})


@pytest.mark.parametrize("name", ["fraud_card_payments", "genai_support_assistant"])
def test_the_phases_mean_weeks_add_up_to_the_mean_duration(name):
    simulation = simulate(load_scenario(EXAMPLES_DIR / f"{name}.json"), trials=TRIALS,
                          seed=SEED)
    phases = simulation.pace.phase_days
    assert len(phases) == len(PHASES)
    assert phases.sum() / WORK_DAYS_PER_WEEK == pytest.approx(
        simulation.duration_weeks.mean(), rel=1e-9)


def test_a_half_time_role_with_fewer_days_paces_the_phase_and_is_named_with_its_fte():
    """8 days at 0.5 FTE take longer than 10 at 1 FTE: the data engineer sets the pace; at
    2 FTE the data scientist does. The phase lasts at least as long as its pacer's days."""
    half = simulate(two_roles(0.5), trials=TRIALS, seed=SEED)
    assert pace_sentence(half).startswith(
        "Mean weeks by phase, each paced by the data engineer at 0.5 FTE: Pipeline building")
    double = simulate(two_roles(2.0), trials=TRIALS, seed=SEED)
    assert "paced by the data scientist at 1 FTE" in pace_sentence(double)
    assert half.pace.phase_days.max() >= half.pace.pair_days.max() - 1e-9
    assert np.mean(half.duration_weeks) > np.mean(double.duration_weeks)


def test_every_format_and_the_report_say_where_the_weeks_come_from():
    result = run_estimate(load_scenario(EXAMPLES_DIR / "fraud_card_payments.json"),
                          trials=TRIALS, seed=SEED)
    assert "(engineering manager, 0.5 FTE)" in result.pace_note
    report = build_report(result, with_charts=False)
    assert result.pace_note in report.duration_basis
    assert "Mean weeks by phase" in render(result, "md").decode()
    assert "Mean weeks by phase" in render(result, "html").decode()
    pdf = PdfReader(io.BytesIO(render(result, "pdf")))
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in pdf.pages))
    assert re.sub(r"\s+", "", result.pace_note) in text


def test_no_tasks_no_pace():
    assert pace_sentence(simulate(Scenario(), trials=TRIALS, seed=SEED)) == ""


def test_a_missed_deadline_names_the_part_time_role_that_paces_the_weeks_and_it_works():
    """The RAG example misses its 16-week deadline: the condition names the part-time role
    that paces the most weeks (not only scope and date), and giving that role full time does
    shorten the P80 duration."""
    from mlpm_core.assessment.pace import pacing_role

    scenario = load_scenario(EXAMPLES_DIR / "genai_support_assistant.json")
    result = run_estimate(scenario, trials=TRIALS, seed=SEED)
    found = pacing_role(result.simulation)
    assert found is not None
    role, share, fte = found
    assert fte < 1 and 0 < share <= 1
    [condition] = [c for c in result.decision.conditions if "deadline" in c]
    assert f"give the {role_name(role)} more time" in condition
    assert f"(now {fte:g} FTE, pacing {share:.0%} of the weeks)" in condition
    team = [member.model_copy(update={"fte": member.fte.model_copy(
        update={"low": 1.0, "high": 1.0, "most_likely": None})})
        if member.role == role else member for member in scenario.team]
    faster = run_estimate(scenario.model_copy(update={"team": team}), trials=TRIALS, seed=SEED)
    assert faster.estimate.duration_weeks.p80 < result.estimate.duration_weeks.p80
