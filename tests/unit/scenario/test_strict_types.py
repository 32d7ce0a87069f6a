"""Strict types: a value of the wrong JSON type is refused, naming the field and what it expected.

Lenient coercion turned typos into other answers without a word (``"budget": true`` became a
budget of 1, ``"personal_data": "off"`` became *no*); only JSON's own conversion of a whole number
into a decimal stays allowed, because JSON does not tell ``3`` from ``3.0`` apart.
"""

from __future__ import annotations

import json

import pytest

from mlpm_core.errors import UserError
from mlpm_core.scenario.document import scenario_from_document
from tests.conftest import EXAMPLES


def example() -> dict:
    return json.loads(EXAMPLES[0].read_text(encoding="utf-8"))


def refusal(section: str, field: str, value: object) -> str:
    document = example()
    document[section][field] = value
    with pytest.raises(UserError) as caught:
        scenario_from_document(document)
    return str(caught.value)


@pytest.mark.parametrize(("section", "field", "value", "expected"), [
    ("project", "budget", True, "project.budget: expected a number (got true)"),
    ("project", "budget", "100000", 'project.budget: expected a number (got "100000")'),
    ("data", "personal_data", "off", 'data.personal_data: expected true or false (got "off")'),
    ("data", "personal_data", 0, "data.personal_data: expected true or false (got 0)"),
    ("simulation", "trials", "20000",
     'simulation.trials: expected a whole number (got "20000")'),
    ("simulation", "trials", 20000.0, "simulation.trials: expected a whole number (got 20000.0)"),
    ("simulation", "trials", True, "simulation.trials: expected a whole number (got true)"),
    ("data", "labelled_needed", 3.5, "data.labelled_needed: expected a whole number (got 3.5)"),
    ("project", "name", 42, "project.name: expected text (in double quotes) (got 42)"),
    ("value", "adoption", "0.5", 'value.adoption: expected a list ([...]) (got "0.5")'),
    ("project", "thresholds", [], "project.thresholds: expected an object ({...}) (got [])"),
])
def test_a_value_of_the_wrong_type_is_refused_saying_what_was_expected(section, field, value,
                                                                        expected):
    """Booleans, numbers in quotes and 3.0 for a whole number are refused, one line each."""
    assert refusal(section, field, value) == expected


def test_a_boolean_for_a_range_is_refused_rather_than_read_as_one():
    """``true`` is no quantity, even where a range's shorthand takes a bare number."""
    message = refusal("value", "annual_benefit", True)
    assert message.startswith("value.annual_benefit: expected a number, [low, high]")


def test_a_string_inside_a_range_is_refused():
    """The ends of a range are numbers, not numbers in quotes."""
    assert refusal("value", "annual_benefit", ["1000", 2000]).startswith(
        "value.annual_benefit.low: expected a number")


def test_json_natural_values_are_still_accepted():
    """A whole number for a decimal field, choices from strings and null for an empty
    answer all load, and the whole number becomes a float."""
    document = example()
    document["project"]["budget"] = 250000
    document["project"]["deadline_weeks"] = None
    document["data"]["cleanliness"] = "dirty"
    document["technical"]["peak_qps"] = 3
    scenario = scenario_from_document(document)
    assert scenario.project.budget == 250000.0 and isinstance(scenario.project.budget, float)
    assert scenario.technical.peak_qps == 3.0 and isinstance(scenario.technical.peak_qps, float)
    assert scenario.data.cleanliness == "dirty"
    assert scenario.project.deadline_weeks is None


def test_every_shipped_example_is_valid_under_strict_types():
    """The examples under data/examples load as they are."""
    for path in EXAMPLES:
        scenario_from_document(json.loads(path.read_text(encoding="utf-8")))
