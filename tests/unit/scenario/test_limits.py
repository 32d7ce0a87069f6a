"""The limits that keep every simulated quantity finite are enforced at validation.

The reproduction from the field: 200 custom rules with multiplier [99, 100] validated and then
multiplied the effort by 1e400, printing ``null`` costs with exit 0.
"""

from __future__ import annotations

import json
import math

import pytest

from mlpm_cli.main import main
from mlpm_core.errors import UserError
from mlpm_core.rules.catalog import load_catalog
from mlpm_core.scenario import MULTIPLIER_PRODUCT_MAX
from mlpm_core.scenario.document import scenario_from_document
from mlpm_core.scenario.limits import log10_multiplier_product
from tests.conftest import EXAMPLES


def example() -> dict:
    return json.loads(EXAMPLES[0].read_text(encoding="utf-8"))


def custom_rule(number: int, multiplier: list[float], **extra: object) -> dict:
    return {"id": f"rule_{number}", "title": f"Rule {number}", "when": "true",
            "multiplier": multiplier, **extra}


def refused(document: dict) -> str:
    with pytest.raises(UserError) as caught:
        scenario_from_document(document)
    return str(caught.value)


def test_two_hundred_rules_of_ninety_nine_to_a_hundred_are_refused():
    document = example()
    document["rules"]["custom"] = [custom_rule(n, [99, 100]) for n in range(200)]
    message = refused(document)
    assert message.startswith("rules: together, the custom rules and edited multipliers could "
                              "multiply the effort by about 1e400")
    assert "at most 1,000,000" in message


def test_mlpm_validate_refuses_the_reproduction_with_exit_2(tmp_path, capsys):
    document = example()
    document["rules"]["custom"] = [custom_rule(n, [99, 100]) for n in range(200)]
    path = tmp_path / "many-rules.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "rules: together, the custom rules" in err and len(err.strip().splitlines()) == 1


def test_a_product_of_exactly_the_limit_is_accepted_and_just_above_it_refused():
    document = example()
    document["rules"]["custom"] = [custom_rule(n, [50, 100]) for n in range(3)]
    scenario_from_document(document)  # 100 x 100 x 100 = 1e6
    document["rules"]["custom"].append(custom_rule(3, [1.01, 1.02]))
    assert "could multiply the effort by 1,020,000" in refused(document)


def test_rules_of_one_group_count_once_as_only_the_largest_applies():
    """Many rules about one risk multiply by their largest factor, never by the product."""
    document = example()
    document["rules"]["custom"] = [custom_rule(n, [99, 100], group="one_risk")
                                   for n in range(200)]
    assert len(scenario_from_document(document).rules.custom) == 200


def test_a_strict_factor_counts_when_it_is_above_the_range():
    document = example()
    document["rules"]["custom"] = [custom_rule(n, [1.1, 1.5], strict_multiplier=100)
                                   for n in range(4)]
    assert "could multiply the effort by 100,000,000" in refused(document)


def test_edited_multipliers_count_towards_the_product():
    document = example()
    document["rules"]["overrides"] = {f"shipped_{n}": {"multiplier": [90, 100]}
                                      for n in range(4)}
    assert "could multiply the effort by 100,000,000" in refused(document)


@pytest.mark.parametrize(("multiplier", "problem"), [
    ([0.001, 2], "a multiplier must lie between 0.01 and 100, got [0.001, 2]"),
    ([2, 101], "a multiplier must lie between 0.01 and 100, got [2, 101]"),
])
def test_one_multiplier_outside_the_bounds_is_refused(multiplier, problem):
    document = example()
    document["rules"]["custom"] = [custom_rule(1, multiplier)]
    assert refused(document).startswith(f"rules.custom[1].multiplier: {problem}")
    document["rules"]["custom"] = []
    document["rules"]["overrides"] = {"some_rule": {"multiplier": multiplier}}
    assert refused(document).startswith(f"rules.overrides.some_rule.multiplier: {problem}")


def test_a_strict_factor_below_the_smallest_multiplier_is_refused():
    document = example()
    document["rules"]["custom"] = [custom_rule(1, [1.1, 1.5], strict_multiplier=0.001)]
    assert refused(document).startswith("rules.custom[1].strict_multiplier: Input should be "
                                        "greater than or equal to 0.01")


def test_the_shipped_catalogue_stays_below_the_product_limit_on_its_own():
    """So that shipped and custom rules together stay below 1e12, far from overflow."""
    rules = load_catalog()
    highs = [max(rule.multiplier.high, rule.strict_multiplier or 0.0) for rule in rules]
    assert 10 ** log10_multiplier_product([[high] for high in highs]) <= MULTIPLIER_PRODUCT_MAX


@pytest.mark.parametrize("fte", [0.0, 1e-300, 0.009, 101])
def test_an_fte_outside_its_bounds_is_refused(fte):
    """A duration is days divided by FTE: a vanishing FTE would make it infinite."""
    document = example()
    document["team"][0]["fte"] = fte
    assert "FTE must lie between 0.01 and 100" in refused(document)


@pytest.mark.parametrize(("section", "field", "value"), [
    ("value", "annual_benefit", [1, 1e14]),
    ("costs", "gpu_hour_price", [1, 2e13]),
    ("quality", "false_negative_cost", -2e13),
])
def test_money_beyond_ten_trillion_is_refused(section, field, value):
    document = example()
    document[section][field] = value
    assert refused(document).startswith(
        f"{section}.{field}: an amount of money must lie between -10,000,000,000,000 and "
        "10,000,000,000,000")


def test_team_day_rates_are_money_too():
    document = example()
    document["team"][0]["day_rate"] = [500, 1e14]
    assert "an amount of money must lie between" in refused(document)


@pytest.mark.parametrize("field", ["target", "acceptability_threshold", "baseline_value"])
def test_quality_values_are_bounded(field):
    document = example()
    document["quality"][field] = 1e300
    assert refused(document).startswith(f"quality.{field}: Input should be less than or equal")


def test_the_product_is_computed_without_overflowing():
    assert math.isclose(log10_multiplier_product([[100.0]] * 200), 400.0)
    assert log10_multiplier_product([[2.0, 100.0], [10.0]]) == pytest.approx(3.0)


def test_a_lognormal_task_distribution_needs_every_optimistic_estimate_above_zero():
    """Refused at validation: the engine used to raise mid-run (a traceback, exit 70)."""
    document = example()
    document["simulation"]["task_distribution"] = "lognormal"
    document["tasks"][1]["optimistic"] = 0
    name = document["tasks"][1]["name"]
    assert refused(document) == (
        f"the document: task 2 '{name}': the lognormal task distribution needs an optimistic "
        "estimate above 0 days, got 0; give it a small positive number or choose the PERT or "
        "triangular distribution")
    for task in document["tasks"]:
        task["optimistic"] = max(task["optimistic"], 0.5)
        task["most_likely"] = max(task["most_likely"], task["optimistic"])
        task["pessimistic"] = max(task["pessimistic"], task["most_likely"])
    assert scenario_from_document(document).simulation.task_distribution == "lognormal"
