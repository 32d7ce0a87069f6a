"""The Scenario document: defaults, validation messages, lossless round-trip, schema."""

import json

import pytest
from hypothesis import given, settings

from mlpm_core.errors import UserError
from mlpm_core.scenario.document import (
    load_scenario,
    migrate,
    scenario_from_document,
    scenario_schema,
    scenario_to_json,
)
from mlpm_core.scenario.model import SCHEMA_VERSION, Scenario
from tests.conftest import EXAMPLES
from tests.strategies import scenarios

TOP_LEVEL_KEYS = ["schema_version", "project", "data", "difficulty", "quality", "technical",
                  "team", "tasks", "costs", "value", "rules", "simulation"]


def test_blank_scenario_has_the_stable_top_level_keys():
    """An empty document is a valid scenario with exactly the stable top-level keys, in order."""
    assert list(Scenario().model_dump()) == TOP_LEVEL_KEYS


def test_every_field_has_a_description_for_the_app_help_text():
    """Every field of every section carries a description, shown as help in the app."""
    def walk(schema: dict, defs: dict, path: str) -> list[str]:
        missing = []
        for name, prop in schema.get("properties", {}).items():
            ref = prop.get("$ref") or next((item.get("$ref") for item in prop.get("anyOf", [])
                                            if "$ref" in item), None)
            referenced = defs[ref.split("/")[-1]] if ref else {}
            if "description" not in prop and "description" not in referenced:
                missing.append(f"{path}{name}")
            if ref and path.count(".") < 3:
                missing += walk(defs[ref.split("/")[-1]], defs, f"{path}{name}.")
        return missing

    schema = scenario_schema()
    sections = {key: value for key, value in schema["properties"].items()}
    assert set(sections) == set(TOP_LEVEL_KEYS)
    assert walk(schema, schema["$defs"], "") == []


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_examples_round_trip_losslessly(path):
    """Loading an example, writing it and loading it again gives an equal scenario."""
    scenario = load_scenario(path)
    again = scenario_from_document(json.loads(scenario_to_json(scenario)))
    assert again == scenario
    assert scenario_to_json(again) == scenario_to_json(scenario)


@settings(max_examples=30, deadline=None)
@given(scenarios())
def test_generated_scenarios_round_trip_losslessly(scenario):
    """Any valid scenario survives JSON and back unchanged."""
    assert Scenario.model_validate_json(scenario_to_json(scenario)) == scenario


def test_inverted_task_estimate_names_the_task_and_values():
    """An optimistic estimate above the pessimistic one is refused with the task's name."""
    document = {"tasks": [{"name": "Train", "phase": "experimentation", "role": "ml_engineer",
                           "optimistic": 9, "most_likely": 5, "pessimistic": 3}]}
    with pytest.raises(UserError, match=r"tasks\[1\].*'Train'.*9 / 5 / 3"):
        scenario_from_document(document)


def test_negative_days_are_refused():
    """A task cannot take negative days."""
    document = {"tasks": [{"name": "x", "phase": "planning", "role": "ml_pm",
                           "optimistic": -1, "most_likely": 1, "pessimistic": 2}]}
    with pytest.raises(UserError, match="optimistic"):
        scenario_from_document(document)


@pytest.mark.parametrize("section, field, value", [
    ("difficulty", "human_success_rate", 1.5),
    ("quality", "p_reach_threshold", -0.1),
    ("value", "discount_rate", 2),
])
def test_probabilities_and_rates_are_bounded(section, field, value):
    """Probabilities live in [0, 1]; the message names the field and the value."""
    with pytest.raises(UserError, match=rf"{section}\.{field}.*{value}"):
        scenario_from_document({section: {field: value}})


def test_unknown_keys_are_refused_not_ignored():
    """A typo in a key is an error, so an answer is never silently dropped."""
    with pytest.raises(UserError, match="projet"):
        scenario_from_document({"projet": {}})


def test_tasks_for_roles_missing_from_the_team_are_refused():
    """Every task's role must be on the team when a team is given."""
    document = {"team": [{"role": "ml_engineer"}],
                "tasks": [{"name": "x", "phase": "planning", "role": "ml_pm",
                           "optimistic": 1, "most_likely": 1, "pessimistic": 1}]}
    with pytest.raises(UserError, match="ml_pm"):
        scenario_from_document(document)


def test_a_newer_schema_version_is_refused_clearly():
    """A file from a newer mlpm says so instead of failing on unknown fields."""
    with pytest.raises(UserError, match="newer mlpm"):
        migrate({"schema_version": SCHEMA_VERSION + 1})


def test_migrations_run_in_order_up_to_the_current_version():
    """The migration hook walks old documents forward one version at a time."""
    steps = {0: lambda doc: {**doc, "seen": [*doc.get("seen", []), 0]}}
    migrated = migrate({"schema_version": 0}, steps)
    assert migrated == {"schema_version": 1, "seen": [0]}


def test_top_level_must_be_an_object():
    """A JSON array or number is not a scenario."""
    with pytest.raises(UserError, match="JSON object"):
        scenario_from_document([1, 2])
