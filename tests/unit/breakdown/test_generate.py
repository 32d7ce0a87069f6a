"""Proposed work breakdowns from the templates in data/templates/, and each template file."""

import tomllib

import pytest
from hypothesis import HealthCheck, given, settings

from mlpm_core.breakdown.generate import (
    apply_proposal,
    load_templates,
    propose_tasks,
    read_template,
    template_paths,
)
from mlpm_core.conditions.condition import parse, validate_paths
from mlpm_core.errors import UserError
from mlpm_core.feasibility.scoring import flatten
from mlpm_core.rules.catalog import condition_context
from mlpm_core.scenario.document import load_scenario
from mlpm_core.scenario.model import PHASES, Scenario, Task, TeamMember
from tests.conftest import EXAMPLES, scenario_with
from tests.strategies import scenarios

TEMPLATES = template_paths()


def names(tasks: list[Task]) -> set[str]:
    return {task.name for task in tasks}


# ------------------------------------------------------------------ proposals


def test_default_scenario_gets_the_whole_lifecycle_in_phase_order():
    """A blank scenario gets tasks in all four phases, ordered planning to production."""
    tasks = propose_tasks(Scenario())
    phases = [PHASES.index(task.phase) for task in tasks]
    assert phases == sorted(phases)
    assert set(phases) == set(range(len(PHASES)))
    assert {"Design doc", "Baseline model", "Training pipeline", "Deploy the model"} <= names(tasks)


def test_proposal_is_deterministic_and_unique_by_name():
    """The same scenario always gets the same list, and no name appears twice."""
    for path in EXAMPLES:
        s = load_scenario(path)
        first, second = propose_tasks(s), propose_tasks(s)
        assert first == second
        keys = [" ".join(task.name.casefold().split()) for task in first]
        assert len(keys) == len(set(keys)), path.name


def test_missing_labels_add_labelling_tasks():
    """A label gap adds labelling work; having every label needed adds none."""
    gap = propose_tasks(scenario_with(data={"labelled_available": 0, "labelled_needed": 5000}))
    none = propose_tasks(scenario_with(data={"labelled_available": 5000, "labelled_needed": 5000}))
    assert {"Labelling guidelines", "Label quality review"} <= names(gap)
    assert not {"Labelling guidelines", "Label quality review"} & names(none)


def test_unobtainable_labels_ask_for_a_ground_truth_instead():
    """When labels cannot be obtained, the proposal looks for a ground truth, not a vendor."""
    tasks = propose_tasks(scenario_with(data={"labels_obtainable": False}))
    assert "Find a source of ground truth (logs, weak labels)" in names(tasks)
    assert "Labelling set-up and vendor management" not in names(tasks)


def test_online_serving_adds_serving_and_load_test_but_batch_does_not():
    """Online serving proposes an API and a load test; batch proposes a scoring job instead."""
    online = names(propose_tasks(scenario_with(technical={"platform": "online"})))
    batch = names(propose_tasks(scenario_with(technical={"platform": "batch"})))
    assert {"Serving API", "Load test"} <= online
    assert "Batch scoring job and schedule" in batch and not {"Serving API", "Load test"} & batch


def test_rag_route_adds_indexing_and_evaluation():
    """The RAG route proposes ingestion, an index and retrieval evaluation."""
    tasks = names(propose_tasks(scenario_with(project={"task_type": "generation"},
                                              data={"genai_route": "rag"})))
    assert {"Document ingestion and chunking", "Embedding index build and refresh",
            "Retrieval quality evaluation", "LLM evaluation set and rubric"} <= tasks


def test_personal_data_adds_a_privacy_review_and_adversaries_add_red_teaming():
    """Personal data brings a privacy review; adversaries bring red-teaming and monitoring."""
    plain = names(propose_tasks(Scenario()))
    risky = names(propose_tasks(scenario_with(data={"personal_data": True},
                                              difficulty={"adversaries": True})))
    added = risky - plain
    assert "Privacy review (data protection impact assessment)" in added
    assert {"Red-teaming", "Abuse and drift monitoring"} <= added


def test_growth_stage_replaces_the_mvp_model_iteration_with_a_bigger_one():
    """Exactly one 'Model iteration' task, larger at growth than for an MVP."""
    def iteration(stage: str) -> Task:
        found = [t for t in propose_tasks(scenario_with(project={"stage": stage}))
                 if t.name == "Model iteration"]
        assert len(found) == 1
        return found[0]

    assert iteration("growth").most_likely > iteration("mvp").most_likely


def test_first_block_wins_when_two_propose_the_same_name():
    """Growth and frequent retraining both propose automated retraining: it appears once."""
    tasks = propose_tasks(scenario_with(project={"stage": "growth"},
                                             technical={"retraining": "daily"}))
    assert [task.name for task in tasks].count("Automated retraining") == 1


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_any_valid_scenario_gets_a_proposal_it_can_adopt(s):
    """Proposing never fails, and replacing the tasks with it gives a valid scenario."""
    proposed = propose_tasks(s)
    adopted = apply_proposal(s, proposed, "replace")
    assert adopted.tasks == proposed


# ------------------------------------------------------------------ adopting a proposal


def test_append_keeps_existing_tasks_and_skips_names_already_there():
    """Appending keeps the user's tasks first and does not duplicate a name."""
    mine = Task(name="design DOC", phase="planning", role="ml_pm", optimistic=1,
                most_likely=1, pessimistic=1)
    s = Scenario(tasks=[mine])
    merged = apply_proposal(s, propose_tasks(s), "append")
    assert merged.tasks[0] == mine
    assert "Design doc" not in names(merged.tasks)
    assert len(merged.tasks) == len(propose_tasks(s))


def test_replace_adds_missing_roles_to_a_staffed_team():
    """A role that a proposed task needs (here an edited proposal with DevOps work) joins a
    non-empty team, so the scenario stays valid; the existing member is kept as it was."""
    s = Scenario(team=[TeamMember(role="data_scientist")])
    extra = Task(name="Serving infrastructure", phase="production", role="devops",
                 optimistic=1, most_likely=2, pessimistic=4)
    adopted = apply_proposal(s, [*propose_tasks(s), extra], "replace")
    roles = {member.role for member in adopted.team}
    assert "devops" in roles
    assert {task.role for task in adopted.tasks} <= roles
    assert adopted.team[0] == s.team[0]


def test_an_empty_team_stays_empty():
    """With no team (defaults for every role), adopting a proposal adds no team members."""
    assert apply_proposal(Scenario(), propose_tasks(Scenario()), "replace").team == []


# ------------------------------------------------------------------ broken templates


def test_broken_template_is_reported_by_file_name(tmp_path):
    """A task with unordered days is refused with the file name and the reason."""
    (tmp_path / "bad.toml").write_text(
        'title = "t"\n[[block]]\nid = "b"\ntitle = "b"\nwhen = "true"\n'
        'source = { id = "user", quote = "q" }\n'
        'tasks = [{ name = "x", phase = "planning", role = "ml_pm", days = [5, 2, 8] }]\n',
        encoding="utf-8")
    with pytest.raises(UserError, match=r"bad\.toml.*optimistic <= most likely"):
        load_templates(tmp_path)


def test_unknown_field_in_a_condition_is_a_readable_error(tmp_path):
    """A block naming a field the scenario lacks fails with the block id, not a KeyError."""
    (tmp_path / "typo.toml").write_text(
        'title = "t"\n[[block]]\nid = "typo_block"\ntitle = "b"\nwhen = "data.sise == 1"\n'
        'source = { id = "user", quote = "q" }\n'
        'tasks = [{ name = "x", phase = "planning", role = "ml_pm", days = [1, 2, 3] }]\n',
        encoding="utf-8")
    with pytest.raises(UserError, match=r"typo_block.*data\.sise"):
        propose_tasks(Scenario(), load_templates(tmp_path))


def test_block_ids_are_unique_across_template_files():
    """No two shipped blocks share an id (the catalogue loads)."""
    ids = [block.id for template in load_templates() for block in template.block]
    assert len(ids) == len(set(ids)) and len(TEMPLATES) >= 3


# ------------------------------------------------------------------ each template file


@pytest.mark.parametrize("path", TEMPLATES, ids=[p.name for p in TEMPLATES])
def test_template_conditions_parse_and_name_known_fields(path):
    """Every `when` parses and refers only to fields of the condition context."""
    known = flatten(condition_context(Scenario()))
    for block in read_template(path).block:
        validate_paths(parse(block.when), known)


@pytest.mark.parametrize("path", TEMPLATES, ids=[p.name for p in TEMPLATES])
def test_template_tasks_are_valid_tasks(path):
    """Every task is a valid scenario task with ordered three points and a known phase/role."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    lines = [line for block in raw["block"] for line in block["tasks"]]
    assert lines
    for line in lines:
        a, m, b = line["days"]
        Task(name=line["name"], phase=line["phase"], role=line["role"], optimistic=a,
             most_likely=m, pessimistic=b)


@pytest.mark.parametrize("path", TEMPLATES, ids=[p.name for p in TEMPLATES])
def test_template_conditions_evaluate_on_every_example(path):
    """Every condition evaluates to true or false on the shipped example scenarios."""
    template = read_template(path)
    for example in EXAMPLES:
        context = condition_context(load_scenario(example))
        for block in template.block:
            assert parse(block.when).evaluate(context) in (True, False)


@pytest.mark.parametrize("path", TEMPLATES, ids=[p.name for p in TEMPLATES])
def test_template_quotes_are_verbatim_in_their_source(path, source_text):
    """Every block cites a source of the bibliography and quotes it word for word."""
    for block in read_template(path).block:
        text = source_text(block.source.id)
        assert block.source.quote in text, f"{block.id}: {block.source.quote!r}"
