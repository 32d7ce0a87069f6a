"""A task that does the work a fired rule stands for, and does not say it covers it, is
named under the rules table: the rule multiplies it too (README, "How rules, templates and
the reference class combine")."""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from mlpm_core.assessment import run_estimate
from mlpm_core.breakdown import (
    LikelyDoubleCount,
    likely_double_counts,
    load_task_hints,
    ongoing_sentence,
)
from mlpm_core.errors import UserError
from mlpm_core.report.render import render
from mlpm_core.scenario import Scenario
from mlpm_core.scenario.document import load_scenario
from tests.app.support import plain
from tests.conftest import EXAMPLES_DIR


def dirty(*tasks: dict, **data: object) -> Scenario:
    """Dirty data ("Dirty data: cleaning work in experimentation and pipelines") and tasks."""
    return Scenario.model_validate({
        "data": {"cleanliness": "dirty", **data},
        "tasks": [{"role": "data_scientist", "optimistic": 2, "most_likely": 4,
                   "pessimistic": 8, **task} for task in tasks]})


CLEANING = {"name": "Export and clean the spreadsheets", "phase": "experimentation"}


def test_a_cleaning_task_under_the_dirty_data_rule_is_named():
    assert likely_double_counts(dirty(CLEANING)) == [
        LikelyDoubleCount(task=CLEANING["name"], group="data_understanding")]


@pytest.mark.parametrize("scenario", [
    dirty({**CLEANING, "covers": "data_understanding"}),  # the team says it covers it
    dirty(CLEANING, cleanliness="clean"),  # no rule of the group fires
    dirty({**CLEANING, "phase": "production"}),  # the rule leaves production alone
    dirty({**CLEANING, "name": "Model the unclean signal"}),  # a whole word, not a part
    dirty({**CLEANING, "name": "Clean up and refactor the service code",  # not data work
           "role": "ml_engineer"}),
])
def test_nothing_is_named_when_the_rule_does_not_multiply_that_work(scenario):
    assert likely_double_counts(scenario) == []


def test_the_report_names_the_task_and_how_to_mark_it():
    text = html.unescape(plain(render(run_estimate(dirty(CLEANING), trials=500, seed=1),
                                      "md").decode()))
    assert ("Tasks that look like the work an applied rule of thumb stands for, which the rule "
            "multiplies too: Export and clean the spreadsheets (understanding and cleaning the "
            "data)") in text
    assert "mark the risk it covers on Team & tasks (Covers risk)" in text


@pytest.mark.parametrize("name", ["bike_shop_service_forecast", "fraud_card_payments",
                                  "genai_support_assistant"])
def test_the_examples_mark_the_tasks_that_hold_a_rules_work(name):
    """The shipped examples set the good example: their cleaning, red-teaming and review
    tasks say which risk they cover."""
    assert likely_double_counts(load_scenario(EXAMPLES_DIR / f"{name}.json")) == []


def test_a_broken_word_list_is_a_readable_error(tmp_path: Path):
    broken = tmp_path / "task_hints.toml"
    broken.write_text('[covers.data_understanding]\nwords = "clean"\n', encoding="utf-8")
    with pytest.raises(UserError, match=r"\[covers\.data_understanding\] words must be a list"):
        load_task_hints(broken)
    broken.write_text('[ongoing]\nwords = [', encoding="utf-8")
    with pytest.raises(UserError, match=r"task_hints\.toml is invalid"):
        load_task_hints(broken)


def test_check_ins_estimated_as_a_phase_task_are_named_until_marked_ongoing():
    """A 0.3-FTE product manager's check-ins as a planning task lengthen planning while the
    others wait; marked Ongoing they share the role's time over the project."""
    check_ins = {"name": "Project management and stakeholder check-ins", "phase": "planning",
                 "role": "data_scientist", "optimistic": 4, "most_likely": 8,
                 "pessimistic": 12}
    scenario = Scenario.model_validate({"tasks": [check_ins]})
    assert ongoing_sentence(scenario).startswith(
        "Tasks that may go on all project long, each now lengthening its phase by its days at "
        "its role's FTE: Project management and stakeholder check-ins (ideation and "
        "planning). If one does, mark it Ongoing")
    for name in ("Model management",  # not a phrase for all-project work
                 "Pilot with two triage clerks and weekly check-ins",  # phase work: a pilot
                 "Go-live decision and status reports to the steering committee"):
        named = Scenario.model_validate({"tasks": [{**check_ins, "name": name}]})
        assert ongoing_sentence(named) == "", name
    marked = Scenario.model_validate({"tasks": [{**check_ins, "ongoing": True}]})
    assert ongoing_sentence(marked) == ""


def test_documentation_of_an_api_is_not_governance_work():
    """'documentation' alone named an API's docs as the work of the privacy rule."""
    scenario = Scenario.model_validate({
        "data": {"personal_data": True, "ethics_security_privacy": True},
        "tasks": [{"name": name, "phase": "production", "role": "ml_engineer",
                   "optimistic": 1, "most_likely": 2, "pessimistic": 4}
                  for name in ("Handover, runbook and API documentation",
                               "DPIA and privacy review")]})
    assert [item.task for item in likely_double_counts(scenario)] == [
        "DPIA and privacy review"]


def test_the_estimate_warns_of_check_ins_that_lengthen_their_phase():
    check_ins = {"name": "Weekly stand-ups", "phase": "planning", "role": "data_scientist",
                 "optimistic": 2, "most_likely": 4, "pessimistic": 6}
    result = run_estimate(Scenario.model_validate({"tasks": [check_ins]}), trials=500, seed=1)
    assert any(warning.startswith("Tasks that may go on all project long")
               and "Weekly stand-ups" in warning for warning in result.estimate.warnings)
