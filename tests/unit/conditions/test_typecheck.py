"""The condition type checker: every class of condition that can never work is refused with its
column, and nothing the shipped data or a careful author writes is refused by mistake."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from mlpm_core.conditions import ConditionError, check_types, parse
from mlpm_core.feasibility import flatten
from mlpm_core.feasibility.scoring import scoring_context
from mlpm_core.rules import condition_context
from mlpm_core.scenario import (
    check_condition,
    condition_fields,
    condition_problem,
    load_scenario,
    score_condition_fields,
)
from tests.conftest import DATA, EXAMPLES

# (condition, column the message points at, a fragment of the message): each can never work.
SEMANTIC_ERRORS = [
    ('data.sise == "big"', 1, "unknown field 'data.sise' (did you mean 'data.size'?)"),
    ("nope > 1", 1, "unknown field 'nope'"),
    ("data.size.low > 1", 1, "'data.size' is one of \"small\", \"big\", which has no field"),
    ("data.size < 3", 11, "cannot order 'data.size'"),
    ("project.name >= 2", 14, "need two numbers or two texts"),
    ("data.personal_data > 0", 20, "cannot order 'data.personal_data' (true or false)"),
    ("data.label_cost > 1", 17, "cannot order 'data.label_cost' (a group of fields)"),
    ("project.name + 1 > 2", 14, "cannot compute 'project.name' (a text) + 1"),
    ("data.regulated * 2 > 1", 16, "both must be numbers"),
    ("-data.size > 0", 1, "cannot negate 'data.size'"),
    ("derived.task_count / 0 > 1", 20, "division by zero in 'derived.task_count' (a number) / 0"),
    ("derived.task_count / (1 - 1) > 1", 20, "division by zero"),
    ("1/0 > 1", 2, "division by zero in 1 / 0"),
    ("derived.task_count + 1", 1, "must be true or false, but it is a number"),
    ("data.size", 1, "must be true or false, but it is 'data.size'"),
    ("technical.peak_qps", 1, "must be true or false"),
    ("not derived.task_count", 5, "'not' needs true or false"),
    ("data.regulated and derived.task_count", 20, "'and' needs true or false"),
    ("data.size == 3", 11, "can never be equal"),
    ('data.size == "hueg"', 11, "can never be equal"),
    ('data.size in ["small", "hueg"]', 24, "'data.size' (one of \"small\", \"big\") can never be"),
    ("data.size in data.complexity", 11, "'in' needs a list on its right"),
    ("technical.peak_qps > null", 20, "an order with null never holds"),
    ("data.size == null", 11, "can never be equal"),
]

# Conditions that can work, some only for some scenarios (then the estimate reports a failure).
ACCEPTED = [
    "quality.target - quality.baseline_value > 0.1",  # null in some scenarios
    "quality.target == null",
    "costs.gpu_hour_price.low > 1",
    "rules.overrides.complex_data.probability > 0.5",  # free keys: checked when evaluated
    'data.size in ["small", "big"]',
    '"big" == data.size',
    "derived.solo and not data.regulated",
    "team == []",
    "true",
    'project.stage != "mvp" or derived.task_count / derived.team_fte > 3',
    "-(derived.task_count) < 0",
    "value.adoption == [1, 1]",
]


@pytest.mark.parametrize(("text", "column", "fragment"), SEMANTIC_ERRORS,
                         ids=[case[0] for case in SEMANTIC_ERRORS])
def test_a_condition_that_can_never_work_is_refused_at_its_column(text, column, fragment):
    """Unknown fields, type mismatches, a constant zero divisor and a non-boolean result."""
    with pytest.raises(ConditionError) as caught:
        check_condition(text)
    assert caught.value.column == column
    assert fragment in caught.value.reason
    assert f"at column {column}" in condition_problem(text)


@pytest.mark.parametrize("text", ACCEPTED)
def test_a_condition_that_can_work_is_accepted(text):
    """No false alarms: nullable fields, free-keyed edits, lists and literals pass."""
    assert condition_problem(text) == ""
    assert check_condition(text) == parse(text)


def _whens(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [found for key, value in node.items()
                for found in ([value] if key == "when" and isinstance(value, str)
                              else _whens(value))]
    if isinstance(node, list):
        return [found for value in node for found in _whens(value)]
    return []


def _shipped(paths: list[Path]) -> list[str]:
    return sorted({text for path in paths
                   for text in _whens(tomllib.loads(path.read_text(encoding="utf-8")))})


SCORES = DATA / "feasibility.toml"
SCORED = _shipped([SCORES])
"""The feasibility scores' conditions, which may also name ``success.*``."""
SHIPPED = _shipped([path for path in sorted(DATA.rglob("*.toml")) if path != SCORES])


def test_the_shipped_data_has_conditions_to_check():
    """The collector below finds the rules', blockers' and templates' conditions."""
    assert len(SHIPPED) > 80


@pytest.mark.parametrize("text", SHIPPED)
def test_every_shipped_condition_type_checks(text):
    """Every ``when`` in data/ (rules, blockers, success, stages, templates) passes."""
    assert condition_problem(text) == ""


@pytest.mark.parametrize("text", SCORED)
def test_every_score_condition_type_checks_with_the_chances(text):
    """The scores' conditions pass with ``success.*``; the ones that name it fail without it,
    so a rule could not name it and meet a missing field at run time."""
    check_types(parse(text), score_condition_fields())
    if "success." in text:
        assert "unknown field 'success." in condition_problem(text)


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_shipped_condition_evaluates_on_every_example(path: Path):
    """What the checker passes, the evaluator runs without a type error on real scenarios."""
    scenario = load_scenario(path)
    context = condition_context(scenario)
    results = {text: parse(text).evaluate(context) for text in SHIPPED}
    assert set(results.values()) == {True, False}
    scored = scoring_context(scenario)
    assert {parse(text).evaluate(scored) for text in SCORED} == {True, False}


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_field_types_come_from_the_schema_and_match_real_values(path: Path):
    """Every field of a real condition context has a type, and its value is of that type: the
    table is the scenario's own schema, not a list kept by hand."""
    kinds = {bool: "bool", int: "number", float: "number", str: "text", list: "list",
             type(None): "null"}
    for name, value in flatten(condition_context(load_scenario(path))).items():
        node = condition_fields()
        for part in name.split("."):
            node = node.fields.get(part) or node.entries
            assert node is not None, name
        assert node.has(kinds[type(value)]), (name, value, node.describe())
        assert len(node.without_null()) == 1, f"{name}: an annotation the table cannot read"
