"""`mlpm validate` refuses a custom rule whose condition can never work, naming the rule and
the column; `mlpm estimate` reports a rule whose condition fails for this scenario."""

from __future__ import annotations

import json

import pytest

from mlpm_cli.main import main
from tests.conftest import EXAMPLES_DIR
from tests.unit.conditions.test_typecheck import SEMANTIC_ERRORS

FRAUD = EXAMPLES_DIR / "fraud_card_payments.json"
HOSTILE = ["__import__('os').system('true')", "a.__class__", "open('f').read()", "x ** 2",
           "lambda: 1", "data.size; import os", "(a := 1)", "x.y()"]


def with_rule(tmp_path, when: str, rule_id: str = "bad_rule", disabled: bool = False):
    document = json.loads(FRAUD.read_text(encoding="utf-8"))
    document["rules"]["custom"] = [{"id": rule_id, "title": "A rule", "when": when,
                                    "multiplier": [1.1, 1.5]}]
    if disabled:
        document["rules"]["disabled"].append(rule_id)
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


@pytest.mark.parametrize(("text", "column", "fragment"), SEMANTIC_ERRORS,
                         ids=[case[0] for case in SEMANTIC_ERRORS])
def test_validate_refuses_each_semantic_error_with_the_rule_and_column(tmp_path, capsys, text,
                                                                      column, fragment):
    """Exit 2 and one line naming the field, the rule id and the column."""
    assert main(["validate", str(with_rule(tmp_path, text))]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    [line] = captured.err.splitlines()
    assert line.startswith("mlpm: error: rules.custom[1].when: rule 'bad_rule': ")
    assert f"the condition fails at column {column}: " in line
    assert fragment in line


@pytest.mark.parametrize("text", HOSTILE)
def test_validate_still_refuses_hostile_expressions(tmp_path, capsys, text):
    """Python beyond the tiny language never gets as far as the type check."""
    assert main(["validate", str(with_rule(tmp_path, text))]) == 2
    assert "rule 'bad_rule': the condition fails" in capsys.readouterr().err


def test_a_switched_off_rule_is_only_parsed(tmp_path, capsys):
    """A rule the scenario switched off is never evaluated, so a stale condition is accepted;
    the estimate then names it among the rules not applied."""
    path = with_rule(tmp_path, "data.size == 3", disabled=True)
    assert main(["validate", str(path)]) == 0
    capsys.readouterr()
    assert main(["estimate", str(path), "--trials", "5000"]) == 0
    warnings = json.loads(capsys.readouterr().out)["warnings"]
    assert any(w.startswith("Rule not applied: A rule (bad_rule) \u2014 switched off: the "
                            "condition fails at column 11") for w in warnings)


def test_estimate_reports_a_condition_that_fails_for_this_scenario(tmp_path, capsys):
    """A division by a field that is zero in this scenario: valid, and never silent."""
    path = with_rule(tmp_path, "technical.tokens_in / technical.tool_calls_per_request > 100")
    assert main(["validate", str(path)]) == 0
    capsys.readouterr()
    assert main(["estimate", str(path), "--trials", "5000"]) == 0
    warnings = json.loads(capsys.readouterr().out)["warnings"]
    assert ("Rule not applied: A rule (bad_rule) \u2014 its condition (technical.tokens_in / "
            "technical.tool_calls_per_request > 100) failed for this scenario: division by "
            "zero in 0 / 0") in warnings
