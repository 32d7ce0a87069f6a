"""Tasks follow the team: a role left out hands its tasks to the nearest role on the team."""

from __future__ import annotations

from mlpm_core.assessment import run_estimate
from mlpm_core.breakdown import (
    LARGE_ROLE_FTE,
    assumed_team_sentence,
    give_tasks,
    large_fte_sentence,
    tasks_for_team,
)
from mlpm_core.breakdown.fit import load_roles
from mlpm_core.report.model import build_report
from mlpm_core.scenario import Range, Scenario, Task, TeamMember


def task(name: str, role: str) -> Task:
    return Task(name=name, phase="experimentation", role=role, optimistic=1, most_likely=2,
                pessimistic=4)


TASKS = [task("Pipeline", "data_engineer"), task("Model", "data_scientist"),
         task("Deploy", "devops"), task("Plan", "eng_manager")]


def test_each_missing_role_goes_to_its_first_fallback_on_the_team() -> None:
    team = [TeamMember(role="ml_engineer"), TeamMember(role="ml_pm")]
    moved, moves = tasks_for_team(TASKS, team)
    table = load_roles()
    for before, after in zip(TASKS, moved, strict=True):
        expected = next(r for r in table.role[before.role].fallbacks if r in ("ml_engineer",
                                                                              "ml_pm"))
        assert after.role == expected and after.name == before.name
        assert (after.optimistic, after.most_likely, after.pessimistic) == (1, 2, 4)
    assert {(m.source, m.target, m.tasks) for m in moves} == {
        (t.role, a.role, 1) for t, a in zip(TASKS, moved, strict=True)}
    assert "given to the" in moves[0].sentence()


def test_roles_on_the_team_and_an_empty_team_move_nothing() -> None:
    on_team = [TeamMember(role=role) for role in {t.role for t in TASKS}]
    assert tasks_for_team(TASKS, on_team) == (TASKS, [])
    assert tasks_for_team(TASKS, []) == (TASKS, [])


def test_giving_a_role_s_tasks_moves_exactly_those() -> None:
    moved, count = give_tasks([*TASKS, task("Features", "data_engineer")], "data_engineer",
                              "ml_engineer")
    assert count == 2
    assert [t.role for t in moved] == ["ml_engineer", "data_scientist", "devops",
                                       "eng_manager", "ml_engineer"]


def test_an_assumed_team_is_said_in_the_estimate_and_in_the_report_assumptions() -> None:
    document = Scenario().model_dump()
    document["tasks"] = [t.model_dump() for t in TASKS]
    document["value"]["annual_benefit"] = {"low": 50000, "high": 90000}
    scenario = Scenario.model_validate(document)
    sentence = assumed_team_sentence(scenario)
    assert sentence and "No team given" in sentence and "Data engineer" in sentence
    result = run_estimate(scenario, trials=5000)
    assert sentence in result.estimate.warnings
    report = build_report(result)
    assert report.assumptions[0].source == sentence
    assert sentence not in report.bridge_note
    staffed = scenario.model_copy(update={"team": [TeamMember(role=t.role) for t in TASKS]})
    assert assumed_team_sentence(staffed) is None


def staffed(*fte: Range) -> Scenario:
    roles = ("data_scientist", "ml_engineer")
    team = [TeamMember(role=role, fte=value) for role, value in zip(roles, fte, strict=False)]
    tasks = [task("Model", "data_scientist"), task("Serve", "ml_engineer")]
    return Scenario(team=team, tasks=tasks[:len(team)])


def test_an_fte_that_reads_like_a_percentage_is_questioned_with_the_fraction_to_enter() -> None:
    """80.8 for 80.8% of one person: the sentence names the role and its FTE and says how a
    share is entered; 9.5 people in a role is plausible and passes in silence."""
    assert large_fte_sentence(staffed(Range(low=9.5, high=9.5))) is None
    said = large_fte_sentence(staffed(Range(low=1, high=1), Range(low=80.8, high=80.8)))
    assert said is not None
    assert "ML engineer 80.8 FTE" in said and "Data scientist" not in said
    assert "50% is 0.5" in said
    ranged = large_fte_sentence(staffed(Range(low=0.5, high=LARGE_ROLE_FTE)))
    assert ranged is not None and "Data scientist 0.5-10 FTE" in ranged


def test_the_estimate_and_the_report_carry_the_fte_question() -> None:
    scenario = staffed(Range(low=50, high=50))
    result = run_estimate(scenario, trials=500, seed=1)
    said = large_fte_sentence(scenario)
    assert said in result.estimate.warnings
    assert said in build_report(result, with_charts=False).risks
