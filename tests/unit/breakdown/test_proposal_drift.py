"""A generated table that the answers have since outgrown, and the proposal's size for each way
of sizing it (``missing_from_table``, ``days_by_scope``)."""

from __future__ import annotations

from mlpm_core.assessment import run_estimate
from mlpm_core.breakdown import (
    apply_proposal,
    days_by_scope,
    missing_from_table,
    missing_tasks_sentence,
    propose,
    scope_changes_sizes,
    table_lacks_sentence,
)
from mlpm_core.report.model import build_report
from mlpm_core.scenario import Scenario, Task, TeamMember

PRIVACY = "Privacy review (data protection impact assessment)"


def generated(s: Scenario) -> Scenario:
    return apply_proposal(s, propose(s).tasks, "replace")


def staffed(*roles: str) -> Scenario:
    """A default scenario with one full-time person in each of ``roles``."""
    return Scenario(team=[TeamMember(role=role, fte={"low": 1.0, "high": 1.0})
                          for role in roles])


def with_answers(s: Scenario, section: str, **fields) -> Scenario:
    return s.model_copy(update={section: getattr(s, section).model_copy(update=fields)})


def test_an_answer_given_after_generating_names_the_tasks_the_table_lacks():
    """Personal data answered after the table was generated: the privacy review is missing,
    and appending the proposal leaves nothing missing."""
    table = generated(Scenario())
    assert missing_from_table(table, propose(table)) == []
    later = with_answers(table, "data", personal_data=True)
    missing = missing_from_table(later, propose(later))
    assert PRIVACY in {task.name for task in missing}
    assert all(task.name not in {t.name for t in table.tasks} for task in missing)
    appended = apply_proposal(later, propose(later).tasks, "append")
    assert missing_from_table(appended, propose(appended)) == []
    assert appended.tasks[:len(table.tasks)] == table.tasks


def test_names_match_ignoring_case_and_spacing():
    """A generated task the user renamed only in case or spacing is not reported missing."""
    table = generated(Scenario())
    first = table.tasks[0]
    renamed = first.model_copy(update={"name": f"  {first.name.upper()} "})
    edited = table.model_copy(update={"tasks": [renamed, *table.tasks[1:]]})
    assert missing_from_table(edited, propose(edited)) == []


def test_a_table_the_team_wrote_itself_or_an_empty_one_is_not_nagged():
    """No task in common with the proposal (the team's own table) or no tasks at all: nothing
    is reported, since every proposed task would be listed."""
    own = Task(name="Our own plan", phase="planning", role="ml_pm", optimistic=1,
               most_likely=2, pessimistic=3)
    assert missing_from_table(Scenario(tasks=[own]), propose(Scenario(tasks=[own]))) == []
    assert missing_from_table(Scenario(), propose(Scenario())) == []


def test_the_days_for_each_way_of_sizing_are_the_proposals_own():
    """A one-person team: sized from the team the proposal is smaller than at full scope, and
    each figure is what generating with that choice would give."""
    solo = staffed("data_scientist")
    by_scope = days_by_scope(solo)
    assert by_scope["from_team"] < by_scope["full"]
    for scope, days in by_scope.items():
        sized = with_answers(solo, "project", scope=scope)
        assert days == sum(task.most_likely for task in propose(sized).tasks)


def test_a_team_at_the_reference_size_gets_the_same_days_both_ways():
    team = staffed("data_scientist", "ml_engineer", "data_engineer", "ml_pm")
    assert not scope_changes_sizes(team)
    by_scope = days_by_scope(team)
    assert by_scope["from_team"] == by_scope["full"]


def test_the_estimate_and_the_report_say_what_the_table_lacks() -> None:
    """A sponsor reading only the report learns that the P50 leaves out work the answers now
    call for, named; an up-to-date table, or one of the team's own, says nothing."""
    table = generated(staffed("data_scientist", "ml_engineer"))
    assert table_lacks_sentence(table) is None
    outgrown = with_answers(table, "data", personal_data=True)
    said = table_lacks_sentence(outgrown)
    assert said is not None and PRIVACY in said and "counts only the tasks in the table" in said
    result = run_estimate(outgrown, trials=500, seed=1)
    assert said in result.estimate.warnings
    assert said in build_report(result, with_charts=False).risks
    own = outgrown.model_copy(update={"tasks": [Task(
        name="Our own model work", phase="experimentation", role="data_scientist",
        optimistic=5, most_likely=8, pessimistic=15)]})
    assert table_lacks_sentence(own) is None


def test_a_long_list_of_missing_tasks_names_four_and_counts_the_rest() -> None:
    tasks = [Task(name=f"Task {n}", phase="experimentation", role="data_scientist",
                  optimistic=1, most_likely=2, pessimistic=3) for n in range(6)]
    said = missing_tasks_sentence(tasks)
    assert said is not None and "6 tasks" in said
    assert "\u2018Task 3\u2019 and 2 more" in said and "Task 4" not in said
    assert missing_tasks_sentence([]) is None
