"""A team its tasks leave mostly idle is said, with what paying it for the whole time costs."""

from __future__ import annotations

import re

import pytest

from mlpm_core.assessment import run_estimate
from mlpm_core.assessment.utilisation import IDLE_NOTE_BELOW, idle_team_sentence
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
    dedicated = _numbers(note.split("costs about")[1])[0]
    assert dedicated > 2 * estimate.cost.p50


def test_a_team_its_tasks_keep_busy_gets_no_note():
    """The Bike Shop's one part-time data scientist is busy for the whole duration."""
    scenario = load_scenario(ROOT / "data/examples/bike_shop_service_forecast.json")
    estimate = run_estimate(scenario, trials=TRIALS, seed=1).estimate
    assert not [w for w in estimate.warnings if "of the team's time" in w]


@pytest.mark.parametrize(("effort", "expected"), [(49.0, True), (51.0, False)])
def test_the_note_starts_below_half_the_team_days(effort, expected):
    """One person for 20 weeks is 100 days: 49 task days are said, 51 are not."""
    scenario = Scenario.model_validate({"team": [{"role": "ml_engineer", "fte": 1.0}]})
    assert (idle_team_sentence(scenario, effort, 20.0) is not None) is expected
    assert idle_team_sentence(Scenario(), effort, 20.0) is None  # no team, nothing to say
