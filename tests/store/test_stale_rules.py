"""A scenario saved before conditions were type-checked still opens: a custom rule whose
condition no longer passes is switched off, with a note saying why, and stays editable."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import update

from mlpm_core.errors import UserError
from mlpm_core.rules import rules_not_applied
from mlpm_core.scenario import with_value
from mlpm_core.scenario.model import Scenario
from mlpm_core.store.database import Store
from mlpm_core.store.schema import scenario_versions

STALE = {"id": "big_data_typo", "title": "Big data", "when": "data.size == 3",
         "multiplier": [1.2, 1.5]}
FINE = {"id": "vendor_api", "title": "Vendor API", "when": "technical.peak_qps > 0",
        "multiplier": [1.1, 1.3]}


def saved_by_an_earlier_version(store: Store, notes: dict[str, str]) -> str:
    """A stored row holding what an earlier mlpm accepted: the stale rule switched on."""
    row = store.create(Scenario.model_validate({"project": {"name": "Old plan"},
                                                "rules": {"custom": [FINE]}}))
    document = json.loads(store.load(row.id)[0].model_dump_json())
    document["rules"]["custom"].append(STALE)
    document["rules"]["notes"] = notes
    with store.write() as connection:
        connection.execute(update(scenario_versions).values(document=json.dumps(document)))
    return row.id


@pytest.mark.parametrize("notes", [{}, {"big_data_typo": "From the kick-off."}])
def test_a_stale_rule_loads_switched_off_with_the_reason(store: Store, notes):
    scenario, _ = store.load(saved_by_an_earlier_version(store, notes))
    assert scenario.rules.disabled == ["big_data_typo"]
    note = scenario.rules.notes["big_data_typo"]
    assert note.startswith("Switched off when this saved scenario was opened: the condition "
                           "fails at column 11: 'data.size' (one of \"small\", \"big\") == 3")
    assert note.endswith(" From the kick-off.") == bool(notes)
    assert [rule.when for rule in scenario.rules.custom] == [FINE["when"], STALE["when"]]
    [skipped] = rules_not_applied(scenario)
    assert skipped.id == "big_data_typo" and skipped.reason.startswith("switched off: ")


def test_the_loaded_scenario_can_be_edited_saved_and_loaded_again(store: Store):
    """Every later validation accepts the switched-off rule; switching it on is refused."""
    scenario_id = saved_by_an_earlier_version(store, {})
    scenario, row = store.load(scenario_id)
    edited = with_value(scenario, "project.owner", "Ada")
    store.save(scenario_id, edited, expected_version=row.version)
    again, _ = store.load(scenario_id)
    assert again.project.owner == "Ada" and again.rules.disabled == ["big_data_typo"]
    with pytest.raises(UserError, match=r"rule 'big_data_typo': the condition fails at column"):
        with_value(again, "rules.disabled", [])


def test_a_rule_that_never_parsed_is_still_a_readable_error(store: Store):
    """Only type problems are forgiven: text that never parsed could not have been saved."""
    scenario_id = saved_by_an_earlier_version(store, {})
    document = json.loads(store.load(scenario_id)[0].model_dump_json())
    document["rules"]["custom"][1]["when"] = "data.size = 3"
    document["rules"]["disabled"] = []
    with store.write() as connection:
        connection.execute(update(scenario_versions).values(document=json.dumps(document)))
    with pytest.raises(UserError, match=r"stored scenario 'Old plan' \(version 1\) cannot be "
                       r"read: .*use '==' to compare"):
        store.load(scenario_id)
