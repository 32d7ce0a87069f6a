"""Each applicable rule's effect on P80 effort, measured with common random numbers."""

import numpy as np
import pytest

from mlpm_core.estimate.engine import simulate
from mlpm_core.estimate.engine_model import build_model
from mlpm_core.estimate.rule_effects import effort_samples, rule_effects
from mlpm_core.rules.catalog import load_catalog
from mlpm_core.scenario.document import load_scenario
from mlpm_core.scenario.model import Scenario
from tests.conftest import EXAMPLES

ALL_RULES = [rule.id for rule in load_catalog()]
TASKS = [
    {"name": "Explore", "phase": "experimentation", "role": "data_scientist",
     "optimistic": 2, "most_likely": 4, "pessimistic": 9},
    {"name": "Pipeline", "phase": "pipeline", "role": "data_engineer",
     "optimistic": 3, "most_likely": 5, "pessimistic": 12},
    {"name": "Deploy", "phase": "production", "role": "devops",
     "optimistic": 1, "most_likely": 2, "pessimistic": 5},
]


def custom_rule(rule_id: str, **fields) -> dict:
    """A custom whole-project rule that always fires, 'double it' by default."""
    return {"id": rule_id, "title": rule_id, "when": "true",
            "multiplier": {"low": 1.5, "high": 2.5}, "strict_multiplier": 2.0, **fields}


def scenario(custom: list[dict], mode: str = "ranged", disabled=tuple(ALL_RULES),
             correlation: bool = True) -> Scenario:
    """Three tasks, the shipped rules off, and the given custom rules."""
    return Scenario.model_validate({
        "tasks": TASKS,
        "rules": {"mode": mode, "disabled": list(disabled), "custom": custom},
        "simulation": {"seed": 7, "correlation": correlation},
    })


def test_strict_double_on_the_whole_project_doubles_p80():
    """A strict x2 rule on every phase doubles P80 effort (delta share 1.0) when no estimator
    bias shares in the overrun."""
    [effect] = rule_effects(scenario([custom_rule("double")], mode="strict", correlation=False))
    assert effect.id == "double"
    assert effect.p80_with == pytest.approx(2 * effect.p80_without, rel=1e-9)
    assert effect.delta_share == pytest.approx(1.0, rel=1e-9)
    assert effect.delta_days == pytest.approx(effect.p80_without, rel=1e-9)


def test_ranged_double_roughly_doubles_p80():
    """The ranged 'double it' (1.5 to 2.5) roughly doubles P80 effort."""
    [effect] = rule_effects(scenario([custom_rule("double")]))
    assert 0.7 < effect.delta_share < 1.5


def test_disabled_rule_has_no_effect_and_is_not_listed():
    """A switched-off rule is not listed, and P80 then equals 'without' it when it was on."""
    rules = [custom_rule("double"), custom_rule("half_more", multiplier=[1.2, 1.8])]
    on = {effect.id: effect for effect in rule_effects(scenario(rules))}
    off_scenario = scenario(rules, disabled=[*ALL_RULES, "double"])
    off = rule_effects(off_scenario)
    assert set(on) == {"double", "half_more"} and [e.id for e in off] == ["half_more"]
    engine_p80 = np.quantile(simulate(off_scenario, trials=5000).effort, 0.8)
    assert on["double"].p80_without == pytest.approx(engine_p80, rel=1e-12)


def test_rule_that_never_bites_has_zero_effect():
    """A rule with probability 0 fires in no trial, so it adds nothing."""
    [effect] = rule_effects(scenario([custom_rule("never", probability=0.0)]))
    assert effect.delta_days == 0.0 and effect.delta_share == 0.0


def test_rule_whose_condition_fails_is_not_listed():
    """A rule whose condition does not hold is not applied and so has no effect to show."""
    assert rule_effects(scenario([custom_rule("big", when='data.size == "big"')])) == []


def test_effects_are_largest_first_and_reproducible():
    """Effects come sorted by days added, and the same scenario gives the same numbers."""
    rules = [custom_rule("small", multiplier=[1.05, 1.1]), custom_rule("large")]
    first = rule_effects(scenario(rules))
    assert [e.id for e in first] == ["large", "small"]
    assert first == rule_effects(scenario(rules))


def test_no_tasks_means_no_effects():
    """Without tasks there is no effort for a rule to multiply."""
    assert rule_effects(Scenario()) == []


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_effort_path_is_exactly_the_engines_effort(path):
    """The effort-only path draws exactly what engine.simulate draws, so effects match it."""
    s = load_scenario(path)
    samples = effort_samples(build_model(s), 6000, seed=11)
    assert np.array_equal(samples, simulate(s, trials=6000, seed=11).effort)
    for effect in rule_effects(s):
        assert effect.p80_with >= effect.p80_without >= 0
