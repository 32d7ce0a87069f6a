"""Rules of thumb as data: which apply, in which mode, with the user's edits and groups."""

import numpy as np
import pytest
from pydantic import ValidationError

from mlpm_core.estimate.engine import simulate
from mlpm_core.rules.catalog import applicable_rules, check_rules, derived_facts, load_catalog
from mlpm_core.scenario.model import Scenario
from mlpm_core.scenario.rule_spec import RuleDefinition
from mlpm_core.sources import load_sources

REQUIRED_THOMPSON = {"small_solo_job", "over_20_days", "complex_data", "big_data",
                     "complex_platform", "unclean_data", "ethics_security_privacy",
                     "several_models", "unstructured_data", "complicated_evaluation",
                     "heavy_documentation", "scope_growth"}


def scenario(**sections) -> Scenario:
    document = {"tasks": [{"name": "t", "phase": "experimentation", "role": "ml_engineer",
                           "optimistic": 2, "most_likely": 3, "pessimistic": 5}]}
    document.update(sections)
    return Scenario.model_validate(document)


def ids(value: Scenario) -> set[str]:
    return {rule.id for rule in applicable_rules(value)}


def test_the_catalogue_holds_every_required_rule_with_a_cited_source():
    """All required Thompson rules exist, and every rule cites a source of the bibliography."""
    catalog = load_catalog()
    assert {rule.id for rule in catalog} >= REQUIRED_THOMPSON
    assert all(rule.source.id in load_sources() and rule.source.quote for rule in catalog)
    assert {rule.source.id for rule in catalog} >= {"google-managing-ml", "fsdl-2021",
                                                    "thompson-2022"}


def test_complex_data_fires_only_when_the_data_is_complex():
    """A rule applies exactly when its condition holds."""
    assert "complex_data" in ids(scenario(data={"complexity": "complex"}))
    assert "complex_data" not in ids(scenario(data={"complexity": "simple"}))


def test_derived_facts_count_the_work_and_the_team():
    """Conditions can use totals no single field holds."""
    facts = derived_facts(scenario(team=[{"role": "ml_engineer", "fte": 0.5}]))
    assert facts["total_most_likely_days"] == 3 and facts["task_count"] == 1
    assert facts["solo"] is True


def test_a_solo_job_is_one_person_doing_the_tasks():
    """People on the team without tasks (a sponsor's tenth of a day) do not make it a team job;
    a second person with tasks does; without team rows, each role the tasks name is a person."""
    alone = [{"role": "ml_engineer", "fte": 1.0}]
    with_pm = [*alone, {"role": "ml_pm", "fte": 0.05}]
    assert derived_facts(scenario(team=with_pm))["solo"] is True
    assert "small_solo_job" in ids(scenario(team=with_pm))
    two = [*alone, {"role": "data_scientist", "fte": 0.5}]
    second_task = {"name": "u", "phase": "experimentation", "role": "data_scientist",
                   "optimistic": 1, "most_likely": 2, "pessimistic": 3}
    tasks = [*scenario().model_dump(mode="json")["tasks"], second_task]
    assert derived_facts(scenario(team=two))["solo"] is True  # the second person has no task
    assert derived_facts(scenario(team=two, tasks=tasks))["solo"] is False
    assert derived_facts(scenario(team=[], tasks=tasks))["solo"] is False
    assert derived_facts(scenario(team=[]))["solo"] is True
    assert derived_facts(scenario(team=[{"role": "ml_engineer", "fte": 1.5}]))["solo"] is False


def test_strict_mode_uses_the_exact_factor_and_ranged_mode_the_range():
    """Strict mode turns 'double it' into exactly 2; ranged mode into its 90% range."""
    ranged = {r.id: r for r in applicable_rules(scenario(data={"complexity": "complex"}))}
    strict = {r.id: r for r in applicable_rules(scenario(data={"complexity": "complex"},
                                                         rules={"mode": "strict"}))}
    assert (ranged["complex_data"].low, ranged["complex_data"].high) == (1.5, 2.5)
    assert (strict["complex_data"].low, strict["complex_data"].high) == (2.0, 2.0)


def test_disabled_rules_do_not_apply_and_overrides_replace_the_range():
    """Users switch rules off and edit ranges and probabilities per scenario."""
    base = {"data": {"complexity": "complex"}}
    assert "complex_data" not in ids(scenario(**base, rules={"disabled": ["complex_data"]}))
    edited = {r.id: r for r in applicable_rules(scenario(**base, rules={"overrides": {
        "complex_data": {"multiplier": [1.1, 1.3], "probability": 0.4}}}))}
    rule = edited["complex_data"]
    assert (rule.low, rule.high, rule.probability) == (1.1, 1.3, 0.4)


def test_a_custom_rule_applies_and_one_failing_for_this_scenario_is_reported():
    """Custom rules join the catalogue; one whose condition fails for this scenario (a division
    by a field that is zero here) is reported with its error, not fatal and not silent."""
    custom = [
        {"id": "vendor_api", "title": "Vendor API", "when": "technical.peak_qps > 0",
         "multiplier": [1.1, 1.4]},
        {"id": "per_fte", "title": "Per FTE", "when": "derived.task_count / derived.team_fte > 3",
         "multiplier": [1.1, 1.4]},
    ]
    checks = {check.rule.id: check for check in check_rules(scenario(rules={"custom": custom}))}
    assert checks["vendor_api"].applies and checks["vendor_api"].rule.custom
    assert not checks["per_fte"].applies and "division by zero" in checks["per_fte"].error


def test_a_custom_rule_naming_an_unknown_field_is_refused_at_validation():
    """A typo in a field name is a validation error naming the rule and the column."""
    custom = [{"id": "typo", "title": "Typo", "when": "data.complexityy == \"complex\"",
               "multiplier": [1.1, 1.4]}]
    with pytest.raises(ValidationError, match=r"rule 'typo': the condition fails at column 1: "
                       r"unknown field 'data\.complexityy' \(did you mean 'data\.complexity'"):
        scenario(rules={"custom": custom})


def test_a_custom_rule_with_an_unsafe_condition_is_refused():
    """Conditions are parsed by mlpm's own language: Python is never evaluated."""
    with pytest.raises(ValidationError, match="condition"):
        RuleDefinition(id="x", title="x", when="__import__('os').system('true')",
                       multiplier=[1.1, 1.2])


def test_rules_of_one_group_do_not_compound_but_different_groups_do():
    """Within a group only the largest multiplier applies; across groups, in strict mode,
    they multiply (without the estimator bias, which takes its share of the rules' inflation)."""
    def strict(*rules):
        return scenario(rules={"mode": "strict", "disabled": [r.id for r in load_catalog()],
                               "custom": list(rules)}, simulation={"correlation": False})

    def rule(rule_id, factor, group):
        return {"id": rule_id, "title": rule_id, "when": "true", "multiplier": [1.1, 3.0],
                "strict_multiplier": factor, "group": group}

    none = simulate(strict(), trials=5000).effort
    same = simulate(strict(rule("a", 2.0, "g"), rule("b", 1.5, "g")), trials=5000).effort
    apart = simulate(strict(rule("a", 2.0, "g"), rule("b", 1.5, "h")), trials=5000).effort
    np.testing.assert_allclose(same, 2.0 * none)
    np.testing.assert_allclose(apart, 3.0 * none)
