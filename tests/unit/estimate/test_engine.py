"""The Monte Carlo engine: statistical checks against closed forms, and exact bookkeeping.

Tolerances are Monte Carlo standard errors (z = 4, about a 1-in-15,000 false alarm per check)
computed from the sample itself, never tuned.
"""

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from scipy import stats

from mlpm_core.estimate.engine import CHUNK_TRIALS, simulate
from mlpm_core.rules.catalog import ActiveRule, applicable_rules, load_catalog
from mlpm_core.scenario.model import Scenario
from tests.strategies import scenarios

Z = 4.0
ALL_RULES = [rule.id for rule in load_catalog()]


def plain(tasks, **simulation) -> Scenario:
    """A scenario with no rules, no correlation and no phase factor: tasks only."""
    return Scenario.model_validate({
        "tasks": tasks,
        "rules": {"disabled": ALL_RULES},
        "simulation": {"correlation": False, "phase_sigma": 0.0, "trials": 20000,
                       "seed": 1, **simulation},
    })


def task(name, a, m, b, phase="experimentation", role="ml_engineer"):
    return {"name": name, "phase": phase, "role": role, "optimistic": a, "most_likely": m,
            "pessimistic": b}


def pert_moments(a: float, m: float, b: float) -> tuple[float, float]:
    alpha = 1 + 4 * (m - a) / (b - a)
    beta = 1 + 4 * (b - m) / (b - a)
    dist = stats.beta(alpha, beta, loc=a, scale=b - a)
    return dist.mean(), dist.var()


def test_single_task_mean_is_the_pert_mean():
    """One PERT task's simulated mean effort is (a + 4m + b) / 6."""
    result = simulate(plain([task("t", 2, 5, 14)]), trials=50000)
    expected = (2 + 4 * 5 + 14) / 6
    se = result.effort.std(ddof=1) / np.sqrt(result.effort.size)
    assert abs(result.effort.mean() - expected) < Z * se


def test_total_mean_and_variance_match_the_closed_form_without_correlation():
    """With correlation off, tasks are independent: the total's mean and variance add up."""
    points = [(1, 2, 6), (3, 4, 5), (2, 8, 9), (0, 1, 10), (5, 5, 12)]
    result = simulate(plain([task(f"t{i}", *p) for i, p in enumerate(points)]), trials=100000)
    moments = [pert_moments(*p) for p in points]
    mean = sum(m for m, _ in moments)
    variance = sum(v for _, v in moments)
    x = result.effort
    n = x.size
    assert abs(x.mean() - mean) < Z * np.sqrt(variance / n)
    fourth = np.mean((x - x.mean()) ** 4)
    assert abs(x.var(ddof=1) - variance) < Z * np.sqrt((fourth - variance**2) / n)


def _with_rule(tasks, applies_to, mode="strict"):
    document = plain(tasks).model_dump()
    document["rules"]["mode"] = mode
    document["rules"]["custom"] = [{
        "id": "double_it", "title": "Double it", "when": "derived.task_count > 0",
        "multiplier": {"low": 1.5, "high": 2.5}, "strict_multiplier": 2.0,
        "applies_to": applies_to,
    }]
    return Scenario.model_validate(document)


def test_a_firing_times_two_rule_doubles_its_phase_and_nothing_else():
    """In strict mode a x2 rule on one phase doubles exactly that phase's effort, trial by trial."""
    tasks = [task("plan", 1, 2, 4, phase="planning"), task("build", 3, 5, 9)]
    without = simulate(plain(tasks)).effort
    project = simulate(_with_rule(tasks, [])).effort
    phase = simulate(_with_rule(tasks, ["experimentation"])).effort
    np.testing.assert_allclose(project, 2 * without)
    planning_only = simulate(plain([tasks[0]])).effort
    build_only = without - planning_only
    np.testing.assert_allclose(phase, planning_only + 2 * build_only)


def test_a_rule_with_probability_fires_in_that_share_of_trials():
    """A rule that bites with probability 0.3 multiplies about 30% of trials."""
    scenario = _with_rule([task("build", 3, 5, 9)], [])
    document = scenario.model_dump()
    document["rules"]["custom"][0]["probability"] = 0.3
    fired = simulate(Scenario.model_validate(document)).effort
    base = simulate(plain([task("build", 3, 5, 9)])).effort
    share = np.mean(np.isclose(fired, 2 * base))
    assert abs(share - 0.3) < Z * np.sqrt(0.3 * 0.7 / fired.size)


def test_duration_runs_phases_in_order_and_roles_in_parallel():
    """Certain tasks: a phase lasts as long as its slowest role at its FTE; phases add up."""
    document = plain([
        task("a", 10, 10, 10, phase="planning", role="ml_pm"),
        task("b", 20, 20, 20, phase="experimentation", role="data_scientist"),
        task("c", 6, 6, 6, phase="experimentation", role="ml_engineer"),
    ]).model_dump()
    document["team"] = [{"role": "ml_pm", "fte": 0.5}, {"role": "data_scientist", "fte": 2},
                        {"role": "ml_engineer", "fte": 1}]
    result = simulate(Scenario.model_validate(document), trials=5000)
    expected_days = 10 / 0.5 + max(20 / 2, 6 / 1)
    np.testing.assert_allclose(result.duration_weeks, expected_days / 5)
    np.testing.assert_allclose(result.effort, 36)


def test_delivery_cost_adds_people_compute_labels_and_data():
    """With certain inputs, delivery cost is the exact sum of its parts."""
    document = plain([task("a", 10, 10, 10)]).model_dump()
    document["team"] = [{"role": "ml_engineer", "fte": 1, "day_rate": 800}]
    document["data"].update(labelled_available=100, labelled_needed=600, label_cost=2)
    document["costs"].update(training_gpu_hours=5, gpu_hour_price=3, experiments=4,
                             data_purchase=1000)
    result = simulate(Scenario.model_validate(document), trials=5000)
    np.testing.assert_allclose(result.cost, 10 * 800 + 500 * 2 + 5 * 3 * 4 + 1000)


def test_npv_matches_a_hand_computed_cash_flow_when_success_is_certain():
    """Certain costs, benefit and success give the discounted cash flow computed by hand."""
    document = plain([task("a", 5, 5, 5)]).model_dump()
    document["team"] = [{"role": "ml_engineer", "fte": 1, "day_rate": 1000}]
    document["quality"]["p_reach_threshold"] = 1.0
    document["technical"].update(platform="batch", mean_qps=0, peak_qps=0)
    document["costs"].update(maintenance_share_per_year=0.2)
    document["value"].update(annual_benefit=20000, horizon_years=2, discount_rate=0.1,
                             adoption=[0.5, 1.0])
    result = simulate(Scenario.model_validate(document), trials=5000)
    delivery, years = 5000.0, 1 / 52  # 5 days at 1 FTE = 1 week
    run = 0.2 * delivery
    flows = [(20000 * 0.5 - run) / 1.1 ** (years + 0.5), (20000 - run) / 1.1 ** (years + 1.5)]
    np.testing.assert_allclose(result.npv, sum(flows) - delivery)
    assert result.success_rate == 1.0


def test_same_seed_gives_identical_numbers_and_another_seed_does_not():
    """Reproducibility: a seed fixes every sample; changing it changes them."""
    scenario = plain([task("a", 1, 3, 9), task("b", 2, 2, 7)])
    first, second = simulate(scenario), simulate(scenario)
    other = simulate(scenario, seed=2)
    np.testing.assert_array_equal(first.effort, second.effort)
    np.testing.assert_array_equal(first.npv, second.npv)
    assert not np.array_equal(first.effort, other.effort)


@pytest.mark.slow
def test_a_million_trials_run_in_chunks_and_keep_samples_aligned():
    """1,000,000 trials work; chunks keep every per-trial array the same length."""
    scenario = plain([task(f"t{i}", 1, 2, 5) for i in range(10)])
    result = simulate(scenario, trials=1_000_000)
    assert result.effort.shape == result.cost.shape == result.npv.shape == (1_000_000,)
    assert CHUNK_TRIALS < 1_000_000
    assert abs(result.effort.mean() - 10 * (1 + 8 + 5) / 6) < Z * result.effort.std() / 1000


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_quantiles_are_ordered(scenario):
    """P10 <= P50 <= P80 <= P90 for effort, duration, cost and NPV."""
    result = simulate(scenario)
    for samples in (result.effort, result.duration_weeks, result.cost, result.npv):
        quantiles = np.quantile(samples, [0.1, 0.5, 0.8, 0.9])
        assert np.all(np.diff(quantiles) >= 0)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(), st.sampled_from([[], ["experimentation"], ["planning", "production"]]))
def test_adding_a_firing_rule_never_lowers_p80_effort(scenario, phases):
    """A rule with a multiplier of at least 1 that fires can only raise the P80 effort."""
    document = scenario.model_dump()
    document["rules"]["custom"] = [{
        "id": "extra", "title": "Extra", "when": "derived.task_count > 0",
        "multiplier": {"low": 1.2, "high": 2.0}, "applies_to": phases}]
    with_rule = simulate(Scenario.model_validate(document)).effort
    without = simulate(scenario).effort
    assert np.quantile(with_rule, 0.8) >= np.quantile(without, 0.8) - 1e-9


@pytest.mark.slow
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(), st.floats(min_value=0.25, max_value=4.0))
def test_scaling_every_task_by_k_scales_effort_by_k_when_the_same_rules_fire(scenario, k):
    """Effort is linear in the task estimates as long as the same rules apply, with the same
    ranges (the 'over 20 days' rule grows with the days between 20 and 40)."""
    document = scenario.model_dump()
    for item in document["tasks"]:
        for key in ("optimistic", "most_likely", "pessimistic"):
            item[key] *= k
    scaled = Scenario.model_validate(document)
    def acting(rules: list[ActiveRule]) -> list[tuple[str, float, float]]:
        return [(rule.id, rule.low, rule.high) for rule in rules]
    assume(acting(applicable_rules(scenario)) == acting(applicable_rules(scaled)))
    np.testing.assert_allclose(simulate(scaled).effort, k * simulate(scenario).effort,
                               rtol=1e-6, atol=1e-9)


@pytest.mark.slow
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_same_seed_same_numbers_for_any_scenario(scenario):
    """Every output is a pure function of the scenario and its seed."""
    first, second = simulate(scenario), simulate(scenario)
    for name in ("effort", "duration_weeks", "cost", "npv", "roi", "payback_years"):
        np.testing.assert_array_equal(getattr(first, name), getattr(second, name))


def test_task_sums_equal_the_group_matrix_product():
    """Summing task draws per (phase, role) as they are drawn gives exactly the 0/1 group
    matrix product of the full draw array, and the kept head is that array's first rows."""
    from mlpm_core.estimate.engine import task_sums
    from mlpm_core.estimate.engine_model import build_model
    from mlpm_core.estimate.three_point import sample_three_point

    tasks = [task(f"t{i}", 1 + i % 3, 3 + i % 4, 7 + i % 5,
                  phase=("planning", "experimentation", "pipeline")[i % 3],
                  role=("ml_engineer", "data_scientist")[i % 2]) for i in range(11)]
    model = build_model(plain(tasks))
    for n in (7, 5000, CHUNK_TRIALS):
        rows, head = task_sums(model, np.random.default_rng(n), n, 100)
        base = sample_three_point(np.random.default_rng(n), model.task_kind, model.optimistic,
                                  model.most_likely, model.pessimistic, n)
        groups = np.zeros((len(tasks), len(model.slot_phase)))
        groups[np.arange(len(tasks)), model.task_slot] = 1.0
        np.testing.assert_array_equal(rows, groups.T @ base.T)
        np.testing.assert_array_equal(head, base[:100])
