"""A team its tasks leave mostly idle is said, with what paying it for the whole time costs."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from mlpm_core.assessment import run_estimate
from mlpm_core.assessment.utilisation import (
    IDLE_NOTE_BELOW,
    deadline_capacity_days,
    idle_team_sentence,
)
from mlpm_core.report.model import build_report
from mlpm_core.report.render import render
from mlpm_core.scenario import Scenario, load_scenario
from tests.conftest import ROOT

TRIALS = 5_000


def _numbers(text: str) -> list[float]:
    return [float(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", text)]


def test_a_large_team_with_few_task_days_is_told_what_a_dedicated_team_costs():
    """The fraud example's 11 FTE over its P50 duration are about three times its task days:
    the warning gives the share, the team's days and a dedicated team's cost, which is above
    the estimate's own P50 cost (task days only)."""
    scenario = load_scenario(ROOT / "data/examples/fraud_card_payments.json")
    estimate = run_estimate(scenario, trials=TRIALS, seed=1).estimate
    (note,) = [w for w in estimate.warnings if "of the team's time" in w]
    fte = sum(member.fte.midpoint for member in scenario.team)
    days = fte * estimate.duration_weeks.p50 * 5
    share = estimate.effort_days.p50 / days
    assert share < IDLE_NOTE_BELOW
    assert f"{share:.0%}" in note and f"{days:,.0f} person-days" in note
    dedicated = _numbers(note.split("payroll is about")[1])[0]
    assert dedicated > 2 * estimate.cost.p50
    # the idle days are waiting, which a lower FTE would not remove: no advice to lower it
    assert "the rest is waiting on other roles and phases" in note
    assert "FTE to" not in note


def test_a_team_its_tasks_keep_busy_gets_no_note():
    """The Bike Shop's one part-time data scientist is busy for the whole duration."""
    scenario = load_scenario(ROOT / "data/examples/bike_shop_service_forecast.json")
    estimate = run_estimate(scenario, trials=TRIALS, seed=1).estimate
    assert not [w for w in estimate.warnings if "of the team's time" in w]


@pytest.mark.parametrize(("effort", "expected"), [(49.0, True), (66.0, True), (67.0, False)])
def test_the_note_starts_below_two_thirds_of_the_team_days(effort, expected):
    """One person for 20 weeks is 100 days: 66 task days are said, 67 are not (a team on a
    project for half its days costs twice what its tasks cost)."""
    scenario = Scenario.model_validate({"team": [{"role": "ml_engineer", "fte": 1.0}]})
    assert (idle_team_sentence(scenario, effort, 20.0) is not None) is expected
    assert idle_team_sentence(Scenario(), effort, 20.0) is None  # no team, nothing to say


def test_the_report_states_the_idle_team_beside_the_delivery_cost_once():
    """The sponsor reading the PDF sees what the JSON warns of, under the key ranges on the
    first page (not only among the risks pages later): the delivery cost counts task days,
    and what a dedicated team would cost."""
    scenario = load_scenario(ROOT / "data/examples/genai_support_assistant.json")
    result = run_estimate(scenario, trials=TRIALS, seed=1)
    (note,) = [w for w in result.estimate.warnings if "of the team's time" in w]
    report = build_report(result, with_charts=False)
    assert report.team_cost_note == note and note not in report.risks
    first_page = PdfReader(io.BytesIO(render(result, "pdf"))).pages[0].extract_text()
    assert re.sub(r"\s+", "", note)[:120] in re.sub(r"\s+", "", first_page)


def test_a_busy_team_is_told_what_it_costs_dedicated_and_every_report_says_it():
    """Raising a person's FTE moved the date and left the cost: the report now says the cost
    counts task days and what the team costs working only on this project. An idle team's
    warning says it already, so it is not said twice."""
    scenario = load_scenario(ROOT / "data/examples/bike_shop_service_forecast.json")
    result = run_estimate(scenario, trials=TRIALS, seed=1)
    note = result.team_cost_note
    assert "0.6 FTE for" in note and "person-days (P50)" in note
    assert note.startswith("The delivery cost and the NPV count the tasks' ")  # both: a
    # sponsor who funds the dedicated team must know the NPV did not count it either
    dedicated = _numbers(note.split("would be about")[1])[0]
    assert 0.5 * result.estimate.cost.p50 < dedicated < 3 * result.estimate.cost.p50
    report = build_report(result, with_charts=False)
    assert report.team_cost_note == note
    assert render(result, "md").decode().count("working only on this project") == 1
    document = scenario.model_dump(mode="json")
    document["team"][0]["fte"] = {"low": 0.9, "high": 0.9}  # still a solo job
    doubled = run_estimate(Scenario.model_validate(document), trials=TRIALS, seed=1)
    assert doubled.estimate.cost.p50 == pytest.approx(result.estimate.cost.p50)
    assert "0.9 FTE for" in doubled.team_cost_note
    fraud = run_estimate(load_scenario(ROOT / "data/examples/fraud_card_payments.json"),
                         trials=TRIALS, seed=1)
    assert "of the team's time" in fraud.team_cost_note  # the idle warning says it already
    assert "working only on this project" not in fraud.team_cost_note


def test_the_team_has_fte_times_the_working_weeks_before_the_deadline():
    """2 FTE and a 20-week deadline with 4 weeks of certain waits: 2 x 16 x 5 person-days;
    without a deadline or a team there is nothing to compare a proposal with."""
    document = load_scenario(ROOT / "data/examples/bike_shop_service_forecast.json").model_dump(
        mode="json")
    document["team"] = [{"role": "data_scientist", "fte": {"low": 1.0, "high": 1.0}},
                        {"role": "data_engineer", "fte": {"low": 1.0, "high": 1.0}}]
    document["tasks"] = [{**task, "role": "data_scientist"} for task in document["tasks"]]
    document["project"].update(deadline_weeks=20, wait_weeks={"low": 4.0, "high": 4.0})
    scenario = Scenario.model_validate(document)
    assert deadline_capacity_days(scenario) == pytest.approx(2 * 16 * 5)
    document["project"]["deadline_weeks"] = None
    assert deadline_capacity_days(Scenario.model_validate(document)) is None
