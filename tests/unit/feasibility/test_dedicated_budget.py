"""The budget check counts a dedicated team too (README "Feasibility and decision").

The delivery cost counts task days; a team staffed for the calendar is paid while its tasks
leave it waiting. A go whose P80 task cost fits the budget while the team dedicated to the
project for the P80 duration does not hide that from the sponsor.
"""

from __future__ import annotations

import numpy as np
import pytest

from mlpm_core.assessment.run import run_estimate
from mlpm_core.feasibility import decision_lines
from mlpm_core.scenario.document import load_scenario
from tests.conftest import EXAMPLES_DIR
from tests.unit.feasibility.test_decision import healthy, outcome, run

BUDGET = 100_000  # healthy()'s budget; OUTCOME's P80 cost is 80,000


@pytest.mark.parametrize(("dedicated", "verdict"), [(None, "go"), (70_000, "go"),
                                                    (95_000, "go"), (130_000, "conditional")])
def test_a_dedicated_team_above_the_budget_makes_the_go_conditional(dedicated, verdict):
    decision = run(healthy(), outcome(dedicated_cost=dedicated))
    assert decision.decision == verdict, decision.reasons
    budget_reason = next(reason for reason in decision.reasons if "budget" in reason)
    if dedicated is None or dedicated <= 80_000:  # no team, or busy: nothing more to say
        assert budget_reason == "P80 cost USD 80k is within the USD 100k budget."
        assert decision.conditions == []
    elif dedicated <= BUDGET:
        assert budget_reason.endswith("budget; with a dedicated team (its payroll for the P80 "
                                      "duration, with the other one-off costs) it would be "
                                      "USD 95k, still within it.")
        assert decision.conditions == []
    else:
        assert budget_reason.endswith("budget; with a dedicated team (its payroll for the P80 "
                                      "duration, with the other one-off costs) it would be "
                                      "USD 130k, above it.")  # never read as a 130k budget
        (condition,) = decision.conditions
        assert condition == ("Confirm that the team's free time goes to other work, or fund "
                             "a dedicated team (USD 130k in all)")


def test_the_calendar_waits_left_out_of_the_payroll_are_said():
    """No one works while the project waits, so the payroll leaves the waits out: said beside
    the figure, which a review read as the whole P80 duration's payroll."""
    decision = run(healthy(), outcome(dedicated_cost=95_000, dedicated_waits=3.26))
    assert any("(its payroll for the P80 duration less 3.3 weeks of calendar waits, with the "
               "other one-off costs) it would be USD 95k" in reason
               for reason in decision.reasons)


def test_the_outcome_carries_the_delivery_cost_with_a_dedicated_team():
    """The figure the decision weighs: the team's payroll for the P80 duration (the percentile
    the cost is checked at: a dedicated team is paid for the calendar), with the other one-off
    costs (here labelling) that a team's days leave as they are."""
    scenario = load_scenario(EXAMPLES_DIR / "genai_support_assistant.json")
    result = run_estimate(scenario, trials=5000, seed=1)
    payroll = sum(member.fte.midpoint * member.day_rate.midpoint for member in scenario.team)
    weeks = result.estimate.duration_weeks.p80
    others = sum(line.mean for line in result.estimate.cost_breakdown
                 if line.paid == "one_off" and line.key != "people")
    assert others > 0
    reason = next(reason for reason in result.decision.reasons if "dedicated team" in reason)
    assert "k, above it; with phases overlapped" in reason  # USD 250k budget
    shown = float(reason.split("it would be USD ")[1].split("k")[0]) * 1000
    assert shown == pytest.approx(payroll * weeks * 5 + others, rel=0.01)
    overlapped = float(np.quantile(result.simulation.overlapped_weeks, 0.8))
    said = float(reason.split("allows, about USD ")[1].split("k")[0]) * 1000
    assert said == pytest.approx(payroll * overlapped * 5 + others, rel=0.01)
    assert any(text.startswith("Confirm that the team's free time goes to other work")
               and text.endswith("k with phases overlapped)")
               for text in result.decision.conditions)


@pytest.mark.parametrize(("overlapped", "said"), [(90_000, "USD 90k, within it"),
                                                  (120_000, "USD 120k, still above it")])
def test_a_dedicated_team_is_also_priced_on_the_overlapped_plan(overlapped, said):
    """A review's condition asked for EUR 1.27M of dedicated team for 67 weeks in order beside
    an action to overlap the phases (28 weeks at the median): one report priced one plan and
    advised another. The overlapped plan's payroll is said beside it."""
    decision = run(healthy(), outcome(dedicated_cost=130_000,
                                      dedicated_cost_overlapped=overlapped))
    assert decision.decision == "conditional"
    assert any(reason.endswith(f"USD 130k, above it; with phases overlapped as far as the "
                               f"team's time allows, about {said}.")
               for reason in decision.reasons), decision.reasons
    (condition,) = decision.conditions
    assert condition.endswith(f"(USD 130k in all, or about USD {overlapped // 1000}k with "
                              "phases overlapped)")


def test_the_stated_policy_names_the_dedicated_team():
    """No hidden driver: the policy every report prints says a go needs it within budget."""
    (go, *_) = decision_lines(healthy())
    assert "P80 cost (and the cost with a dedicated team) is within the budget" in go
