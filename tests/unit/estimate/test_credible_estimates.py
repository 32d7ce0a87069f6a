"""Estimates a sponsor can sign: bounded stacking, each risk counted once, more work never less,
and a bridge from the team's own numbers to the P50.

Statistical checks use fixed seeds; where two medians are compared, the tolerance is four
standard errors of the median, estimated from the sample itself.
"""

from __future__ import annotations

import tomllib
from itertools import pairwise

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlpm_core.assessment import run_estimate
from mlpm_core.breakdown import apply_proposal, propose_tasks
from mlpm_core.calibration import ReferenceClass
from mlpm_core.estimate import WORK_DAYS_PER_WEEK
from mlpm_core.estimate.multipliers import net_of_bias, stacked
from mlpm_core.report.rules_table import rules_note
from mlpm_core.rules.catalog import load_catalog
from mlpm_core.scenario import Scenario, Task, TeamMember, load_scenario
from mlpm_core.scenario.ranges import certain, span
from tests.conftest import EXAMPLES, ROOT
from tests.strategies import scenarios

TRIALS = 20_000


def pert_sum(scenario: Scenario) -> float:
    return sum((t.optimistic + 4 * t.most_likely + t.pessimistic) / 6 for t in scenario.tasks)


def median_se(samples: np.ndarray) -> float:
    """Standard error of the sample median: sqrt(p(1-p)/n) over the density at the median,
    the density read off the sample's own quantiles."""
    n, h = samples.size, 0.02
    low, high = np.quantile(samples, [0.5 - h, 0.5 + h])
    return float((high - low) / (2 * h) * np.sqrt(0.25 / n))


def with_tasks_scaled(scenario: Scenario, total_most_likely: float) -> Scenario:
    """The same scenario with every task's three points scaled so the most-likely days add up
    to ``total_most_likely``."""
    factor = total_most_likely / sum(t.most_likely for t in scenario.tasks)
    tasks = [t.model_copy(update={"optimistic": t.optimistic * factor,
                                  "most_likely": t.most_likely * factor,
                                  "pessimistic": t.pessimistic * factor})
             for t in scenario.tasks]
    return scenario.model_copy(update={"tasks": tasks})


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_each_example_stays_within_three_times_its_bottom_up_sum(path):
    """In its shipped mode, no example's P50 effort exceeds three times the tasks' PERT sum."""
    scenario = load_scenario(path)
    result = run_estimate(scenario, trials=TRIALS, seed=1)
    assert result.estimate.effort_days.p50 <= 3.0 * pert_sum(scenario)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_the_bridge_runs_from_the_pert_sum_to_the_p50(path):
    """The JSON bridge starts at the sum of the tasks' PERT means and ends at the P50 effort,
    with a step per rule group that fired in between."""
    scenario = load_scenario(path)
    estimate = run_estimate(scenario, trials=TRIALS, seed=3).estimate
    steps = estimate.bridge
    assert steps[0].step == "bottom_up"
    assert steps[0].effort_days == pytest.approx(pert_sum(scenario), rel=1e-12)
    assert steps[-1].step == "p50"
    assert steps[-1].effort_days == estimate.effort_days.p50
    groups = {rule.id for rule in estimate.rules_fired}
    assert len([s for s in steps if s.step.startswith("rules:")]) <= len(groups)
    assert any(s.step.startswith("rules:") for s in steps) == bool(groups)


def test_the_last_intermediate_step_is_the_p50_itself_within_one_chunk():
    """With every factor included, the bridge's median on the same trials is the P50."""
    scenario = load_scenario(EXAMPLES[0])
    estimate = run_estimate(scenario, trials=TRIALS, seed=5).estimate
    assert estimate.bridge[-2].effort_days == pytest.approx(estimate.effort_days.p50, rel=1e-9)


def test_a_large_inflation_is_stated_in_words_with_its_top_contributors():
    """Past a doubling, the estimate carries one sentence naming the largest steps."""
    scenario = load_scenario(ROOT / "data/examples/genai_support_assistant.json")
    estimate = run_estimate(scenario, trials=TRIALS, seed=1).estimate
    ratio = estimate.effort_days.p50 / estimate.bridge[0].effort_days
    assert ratio > 2
    [sentence] = [w for w in estimate.warnings if "person-days to a median" in w]
    assert f"x{ratio:.1f}" in sentence
    steps = estimate.bridge[1:-1]
    rise, largest = max((later.effort_days - earlier.effort_days, later.label)
                        for earlier, later in pairwise(steps))
    assert f"{largest} (+{rise:,.0f})" in sentence
    # a group of several rules is named by its group, not by a list that reads as several steps
    assert "Understanding and cleaning the data" in sentence and "Complex data" not in sentence
    # and what to do when the tasks already budget for a step's risk (never counted twice)
    assert "set its Covers risk on Team & tasks" in sentence and "Rules page" in sentence


def test_stacking_counts_the_strongest_risk_in_full_and_the_others_in_part():
    """Two doublings in ranged mode give 2 x 2^weight, in strict mode (weight 1) a full 4."""
    double = np.full(3, np.log(2.0))
    assert np.exp(stacked([double, double], 0.25, 3)) == pytest.approx(2 * 2 ** 0.25)
    assert np.exp(stacked([double, double], 1.0, 3)) == pytest.approx(4.0)
    halve = np.full(3, np.log(0.5))
    assert np.exp(stacked([double, halve], 0.25, 3)) == pytest.approx(1.0)


def test_the_estimator_bias_and_the_rules_never_correct_the_same_overrun_twice():
    """A team overrun of x1.8 and a rule doubling combine like two risk groups: x2 x 1.8^0.25
    in ranged mode, not x3.6 (strict mode, weight 1, compounds them); a bias below 1 leaves
    the rules whole; a project's bias above or below the class's median moves the result by
    its own factor, both ways alike."""
    rules, team = np.full(3, np.log(2.0)), np.log(1.8)
    assert np.exp(team + net_of_bias(rules, team, 0.25)) == pytest.approx(2.0 * 1.8**0.25)
    assert np.exp(team + net_of_bias(rules, team, 1.0)) == pytest.approx(3.6)
    under = np.log(0.9)
    assert np.exp(under + net_of_bias(rules, under, 0.25)) == pytest.approx(1.8)
    draws = team + np.log([0.8, 1.0, 1.25])
    assert np.exp(draws + net_of_bias(rules, team, 0.25)) == pytest.approx(
        2.0 * 1.8**0.25 * np.array([0.8, 1.0, 1.25]))


def test_a_team_class_with_a_large_overrun_does_not_stack_on_the_rules():
    """With a team reference class whose median ratio is 1.8, an example's P50 stays below
    what compounding the two would give."""
    scenario = load_scenario(ROOT / "data/examples/fraud_card_payments.json")
    team = ReferenceClass(name="team", n_points=40, mu=0.0, sigma=0.4,
                          shared_mu=float(np.log(1.8)), shared_sigma=0.05)
    default = run_estimate(scenario, trials=TRIALS, seed=1)
    with_team = run_estimate(scenario, trials=TRIALS, seed=1, reference=team)
    before_bias = next(s for s in default.estimate.bridge if s.step == "estimator_bias")
    rules_and_tasks = default.estimate.bridge[default.estimate.bridge.index(before_bias) - 1]
    compounded = 1.8 * rules_and_tasks.effort_days
    assert with_team.estimate.effort_days.p50 < 0.9 * compounded
    assert with_team.estimate.effort_days.p50 > default.estimate.effort_days.p50


def test_every_shipped_rule_says_where_its_numbers_come_from():
    """Each rule is marked as the source's own factor or mlpm's judgement; Thompson's
    doublings are the source's."""
    rules = tomllib.loads((ROOT / "data/rules.toml").read_text(encoding="utf-8"))["rule"]
    basis = {rule["id"]: rule.get("range_basis", "judgement") for rule in rules}
    assert {b for b in basis.values()} <= {"source", "judgement"}
    assert {i for i, b in basis.items() if b == "source"} == {
        "small_solo_job", "complex_data", "big_data", "complex_platform"}
    assert basis["scope_growth"] == "judgement"


def solo_scenario(mode: str) -> Scenario:
    scenario = load_scenario(ROOT / "data/examples/bike_shop_service_forecast.json")
    rules = scenario.rules.model_copy(update={"mode": mode})
    team = [TeamMember(role=scenario.tasks[0].role, fte=certain(1.0),
                       day_rate=span(400, 600))]
    return scenario.model_copy(update={"rules": rules, "team": team})


@pytest.mark.parametrize("mode", ["ranged", "strict"])
def test_a_solo_job_grows_across_the_twenty_day_line(mode):
    """Solo, from 18 to 25 most-likely days and on to 66, the P50 and P80 effort never fall
    (Thompson's small-job doubling fades from 20 to 60 days no faster than the work grows,
    while 'over 20 days' ramps in)."""
    base = solo_scenario(mode)
    previous = None
    for days in [*range(18, 26), *range(30, 67, 6)]:
        result = run_estimate(with_tasks_scaled(base, days), trials=TRIALS, seed=11)
        effort = result.simulation.effort
        p50, p80 = np.quantile(effort, [0.5, 0.8])
        if previous is not None:
            tolerance = 4 * median_se(effort)
            assert p50 >= previous[0] - tolerance, days
            assert p80 >= previous[1] - 2 * tolerance, days
        previous = (p50, p80)


def with_helper(scenario: Scenario, days: float, fte: float = 0.1) -> Scenario:
    """The scenario plus a data engineer at ``fte`` doing one task of about ``days``."""
    helper = Task(name="Export the spreadsheets", phase="experimentation", role="data_engineer",
                  optimistic=days / 2, most_likely=days, pessimistic=days * 2)
    return scenario.model_copy(update={
        "tasks": [*scenario.tasks, helper],
        "team": [*scenario.team, TeamMember(role="data_engineer", fte=certain(fte),
                                            day_rate=span(400, 600))]})


@pytest.mark.parametrize("mode", ["ranged", "strict"])
def test_a_helper_with_a_task_never_lowers_a_solo_estimate(mode):
    """A solo job plus a helper's 0.5 to 20 days: more work, so the P50 and P80 never fall
    (a yes/no 'solo' dropped the Bike Shop from 34 to 25 person-days for a half-day helper);
    common random numbers (the same seed), tolerance from the medians' standard errors."""
    base = solo_scenario(mode)
    previous = run_estimate(base, trials=TRIALS, seed=11).simulation.effort
    for days in (0.5, 2, 5, 10, 20):
        effort = run_estimate(with_helper(base, days), trials=TRIALS, seed=11).simulation.effort
        tolerance = 4 * (median_se(effort) + median_se(previous))
        assert np.median(effort) >= np.median(previous) - tolerance, days
        assert np.quantile(effort, 0.8) >= np.quantile(previous, 0.8) - 2 * tolerance, days
        previous = effort


def test_crossing_twenty_days_of_work_is_a_ramp_not_a_cliff():
    """A team's tasks scaled from 19.8 to 20.2 most-likely days: the 'over 20 days' widening
    starts at nothing and grows to all of it at 40 days, so the P50 and P80 move with the
    work (+2%) instead of jumping (+9% and +14% cost, when the rule came in whole)."""
    team = load_scenario(ROOT / "data/examples/fraud_card_payments.json")
    below = run_estimate(with_tasks_scaled(team, 19.8), trials=TRIALS, seed=5).simulation
    above = run_estimate(with_tasks_scaled(team, 20.2), trials=TRIALS, seed=5).simulation
    assert "over_20_days" in {rule.id for rule in above.model.rules}
    for quantile in (0.5, 0.8):
        ratio = np.quantile(above.effort, quantile) / np.quantile(below.effort, quantile)
        assert 1.0 < ratio < 1.035, quantile
    full = run_estimate(with_tasks_scaled(team, 40), trials=TRIALS, seed=5).simulation
    [rule] = [rule for rule in full.model.rules if rule.id == "over_20_days"]
    assert (rule.low, rule.high) == (1.2, 2.0) and rule.stated is None
    halfway = run_estimate(with_tasks_scaled(team, 30), trials=5000, seed=5)
    note = rules_note(halfway.scenario, halfway.estimate.rules_fired)
    assert "here the tasks add up to 30.0, so here it is x1.1 to x1.41" in note


def _with(scenario: Scenario, section: str, **values: object) -> Scenario:
    part = getattr(scenario, section).model_copy(update=values)
    return scenario.model_copy(update={section: part})


@pytest.mark.parametrize(("section", "field", "at", "rule_id"), [
    ("difficulty", "research_share", 0.3, "research_uncertainty"),
    ("data", "labelled_available", 1_000_000, "scarce_labels"),  # of 2,000,000 needed
])
def test_an_answer_moved_across_a_rules_old_line_moves_the_estimate_a_little(section, field,
                                                                               at, rule_id):
    """The research share from 0.29 to 0.30 added 9.5% to a P50 effort, and one label fewer
    than half of those needed 5%, when each rule came in whole at its line. Now each ramps in
    (research from 0.2 to 0.4, labels from 60% to 40% of those needed): 0.1% either side of
    the old line moves the P50 and the P80 by under 0.5%, with the same seed."""
    team = load_scenario(ROOT / "data/examples/fraud_card_payments.json")
    team = _with(team, "data", labelled_needed=2_000_000)
    value = (lambda x: int(x)) if field == "labelled_available" else float
    below = run_estimate(_with(team, section, **{field: value(at * 0.999)}), trials=TRIALS,
                         seed=5).simulation
    above = run_estimate(_with(team, section, **{field: value(at * 1.001)}), trials=TRIALS,
                         seed=5).simulation
    assert rule_id in {rule.id for rule in above.model.rules}
    assert rule_id in {rule.id for rule in below.model.rules}
    for quantile in (0.5, 0.8):
        ratio = np.quantile(above.effort, quantile) / np.quantile(below.effort, quantile)
        assert abs(ratio - 1) < 0.005, quantile


@pytest.mark.parametrize(("section", "field", "none", "full", "rule_id"), [
    ("difficulty", "research_share", 0.2, 0.4, "research_uncertainty"),
    ("data", "labelled_available", 1_200_000, 800_000, "scarce_labels"),
])
def test_a_ramped_rule_is_absent_at_one_end_whole_at_the_other_and_says_why_between(
        section, field, none, full, rule_id):
    """At the ramp's start the rule does not fire; at its end it is the stated range; halfway
    it is the square root of it (half in log terms) and the note under the rules table says
    why, with the answer."""
    from mlpm_core.rules import applicable_rules
    team = _with(load_scenario(ROOT / "data/examples/fraud_card_payments.json"), "data",
                 labelled_needed=2_000_000)
    def rule_at(value: float):
        scenario = _with(team, section, **{field: type(none)(value)})
        return scenario, {rule.id: rule for rule in applicable_rules(scenario)}.get(rule_id)
    assert rule_at(none)[1] is None
    whole = rule_at(full)[1]
    assert whole is not None and whole.stated is None
    halfway, half = rule_at((none + full) / 2)
    assert half is not None and half.stated is not None
    assert half.low == pytest.approx(half.stated[0] ** 0.5)
    assert half.high == pytest.approx(half.stated[1] ** 0.5)
    result = run_estimate(halfway, trials=5000, seed=3)
    note = rules_note(result.scenario, result.estimate.rules_fired)
    expected = ("here it is 30%" if field == "research_share"
                else "here 1,000,000 of 2,000,000 exist")
    assert expected in note, note


def test_the_solo_doubling_fades_with_the_busiest_roles_share_and_the_jobs_size():
    """The lesser of ln(3 x share) / ln 3 and ln(60 / days) / ln 3 of the log factor: all of
    it for one role and at most 20 days, none at a third of the work or at 60 days. FTE
    does not enter it (it sets the pace, never the effort)."""
    from mlpm_core.rules import applicable_rules
    from mlpm_core.scenario.derived import derived_facts, solo_strength

    base = solo_scenario("strict")
    def solo_factor(scenario: Scenario) -> float | None:
        rules = {rule.id: rule for rule in applicable_rules(scenario)}
        return rules["small_solo_job"].low if "small_solo_job" in rules else None

    assert solo_factor(base) == 2.0
    total = sum(t.most_likely for t in base.tasks)  # 13.5 days
    even = with_helper(base, total)  # the helper does as many days: the busiest does half
    assert derived_facts(even)["lead_share"] == pytest.approx(0.5)
    assert solo_factor(even) == pytest.approx(2 ** (np.log(1.5) / np.log(3)))  # x1.29
    for fte in (1.01, 2.0, 3.0):  # more people in the one role: the same doubling
        staffed = base.model_copy(update={"team": [base.team[0].model_copy(
            update={"fte": certain(fte)})]})
        assert solo_factor(staffed) == 2.0, fte
    assert solo_factor(with_tasks_scaled(base, 20)) == 2.0
    assert solo_factor(with_tasks_scaled(base, 30)) == pytest.approx(2 ** (np.log(2) / np.log(3)))
    assert solo_factor(with_tasks_scaled(base, 60)) is None
    assert solo_strength(1 / 3, 10) == 0 and solo_strength(1.0, 60) == 0
    assert solo_strength(0.5, 30) == pytest.approx(min(np.log(1.5), np.log(2)) / np.log(3))


def test_the_report_says_why_a_faded_doubling_counts_less():
    result = run_estimate(with_helper(solo_scenario("ranged"), 1), trials=5000, seed=3)
    [solo] = [rule for rule in result.estimate.rules_fired if rule.id == "small_solo_job"]
    assert 1.4 < solo.multiplier[0] < 1.5 and 2.3 < solo.multiplier[1] < 2.5
    note = rules_note(result.scenario, result.estimate.rules_fired)
    assert "counts in full when one role does every task of a job of at most 20" in note
    assert "the busiest role does 93% of the task days and the tasks add up to 14.5" in note
    assert f"so here it is x{solo.multiplier[0]:.3g} to x{solo.multiplier[1]:.3g}" in note


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(), st.floats(min_value=1.0, max_value=3.0), st.sampled_from(["ranged", "strict"]))
def test_more_work_never_gives_a_smaller_estimate(scenario, factor, mode):
    """Scaling every task's three points up never lowers the P50 or P80 effort, in both
    modes, whichever rules the larger total makes fire."""
    scenario = scenario.model_copy(update={"rules": scenario.rules.model_copy(
        update={"mode": mode})})
    if not scenario.tasks or sum(t.most_likely for t in scenario.tasks) <= 0:
        return
    bigger = scenario.model_copy(update={"tasks": [
        Task(name=t.name, phase=t.phase, role=t.role, optimistic=t.optimistic * factor,
             most_likely=t.most_likely * factor, pessimistic=t.pessimistic * factor)
        for t in scenario.tasks]})
    small = run_estimate(scenario, trials=5000, seed=2).simulation.effort
    large = run_estimate(bigger, trials=5000, seed=2).simulation.effort
    tolerance = 4 * (median_se(small) + median_se(large))
    assert np.quantile(large, 0.5) >= np.quantile(small, 0.5) - tolerance
    assert np.quantile(large, 0.8) >= np.quantile(small, 0.8) - 2 * tolerance


def covered_scenario(covers: tuple[str, str]) -> Scenario:
    """Two certain experimentation tasks (3 and 5 days), the shipped rules off, one strict x2
    rule of group ``cleaning`` on experimentation, and no estimator bias or phase factor."""
    return Scenario.model_validate({
        "tasks": [{"name": "Data cleaning", "phase": "experimentation", "role": "data_engineer",
                   "optimistic": 3, "most_likely": 3, "pessimistic": 3, "covers": covers[0]},
                  {"name": "Model", "phase": "experimentation", "role": "data_engineer",
                   "optimistic": 5, "most_likely": 5, "pessimistic": 5, "covers": covers[1]}],
        "rules": {"mode": "strict", "disabled": [rule.id for rule in load_catalog()],
                  "custom": [{"id": "dirty", "title": "dirty", "when": "true",
                              "multiplier": {"low": 1.5, "high": 2.5}, "strict_multiplier": 2.0,
                              "group": "cleaning", "applies_to": ["experimentation"]}]},
        "simulation": {"correlation": False},
    })


def test_a_task_that_budgets_for_a_risk_is_not_multiplied_again_by_its_rule():
    """A cleaning task that covers the 'cleaning' risk keeps its days while the rule doubles the
    other task; a task covering another group is doubled as before."""
    def effort(covers: tuple[str, str]) -> np.ndarray:
        return run_estimate(covered_scenario(covers), trials=5000, seed=1).simulation.effort

    np.testing.assert_allclose(effort(("", "")), 2 * (3 + 5))
    np.testing.assert_allclose(effort(("cleaning", "")), 3 + 2 * 5)
    np.testing.assert_allclose(effort(("other_group", "")), 2 * (3 + 5))
    np.testing.assert_allclose(effort(("cleaning", "cleaning")), 3 + 5)


def test_a_task_that_covers_a_risk_still_takes_its_roles_time_in_the_calendar():
    """One data engineer at 1 FTE does both tasks, one after the other, whatever risk each
    covers: the phase lasts the sum of their days after the rules (a covering task once
    sat apart and the phase lasted only as long as the longer of the two)."""
    for covers, days in [(("", ""), 16), (("cleaning", ""), 13), (("other_group", ""), 16),
                         (("cleaning", "cleaning"), 8), (("other_group", "cleaning"), 11)]:
        simulation = run_estimate(covered_scenario(covers), trials=5000, seed=1).simulation
        np.testing.assert_allclose(simulation.effort, days)
        np.testing.assert_allclose(simulation.duration_weeks, days / WORK_DAYS_PER_WEEK)


def test_generated_tasks_carry_the_risk_their_block_covers_into_the_estimate():
    """Generating a breakdown for dirty data gives a cleaning task that covers data
    understanding, and the unclean-data rule then leaves that task's days alone: the P50 is
    below the same tasks with the tags removed."""
    base = load_scenario(ROOT / "data/examples/bike_shop_service_forecast.json")
    generated = apply_proposal(base, propose_tasks(base), "replace")
    assert any(task.covers == "data_understanding" for task in generated.tasks)
    untagged = generated.model_copy(update={"tasks": [
        task.model_copy(update={"covers": ""}) for task in generated.tasks]})
    tagged_p50 = run_estimate(generated, trials=TRIALS, seed=4).estimate.effort_days.p50
    untagged_p50 = run_estimate(untagged, trials=TRIALS, seed=4).estimate.effort_days.p50
    assert tagged_p50 < untagged_p50


def test_the_bridge_is_said_in_words_from_the_teams_own_most_likely_days():
    """A sponsor met 'PERT means 35' with no link to the 31.5 days the team typed, no factor
    and no word on what a PERT mean is; below a doubling the note was empty."""
    from mlpm_core.estimate import BridgeStep, bridge_sentence

    steps = [BridgeStep("bottom_up", "Sum", 35.0), BridgeStep("rules:a", "A", 40.0),
             BridgeStep("rules:b", "B", 50.0), BridgeStep("p50", "P50 effort", 50.0)]
    text = bridge_sentence(steps, 31.5)
    assert text.startswith("The tasks' 35 person-days (31.5 most likely; PERT means, "
                           "(optimistic + 4 x most likely + pessimistic) / 6)")
    assert "a median of 50 (x1.4)" in text and "largest steps" not in text
    doubled = [*steps[:-1], BridgeStep("rules:c", "C", 90.0), BridgeStep("p50", "P50", 90.0)]
    # steps[1] is where the rules start (the task-range step), so A is not a rise of its own
    assert text.count("(x") == 1
    assert bridge_sentence(doubled, 31).endswith("; the largest steps: C (+40), B (+10). Each "
                                                 "step is measured with the steps above it in "
                                                 "place.")
    assert bridge_sentence([BridgeStep("bottom_up", "Sum", 0.0),
                            BridgeStep("p50", "P50", 0.0)], 0) == ""
    # a step whose saving alone differs from its size by more than a tenth is said again
    apart = [*doubled[:2], BridgeStep("rules:b", "B", 50.0, saved_alone=10.5),
             BridgeStep("rules:c", "C", 90.0, saved_alone=28.0), doubled[-1]]
    assert bridge_sentence(apart, 31).endswith(
        "Each step is measured with the steps above it in place. Removed alone, with every "
        "other factor in place: C would save 28 person-days, not 40.")


def test_a_steps_saving_alone_is_what_switching_its_rules_off_saves():
    """A review switched scope growth off expecting the +40 the bridge showed and saved 28:
    the bridge now carries each step's saving alone, which must be what switching that group's
    rules off saves (to the Monte Carlo error of two medians, a few percent at 20,000)."""
    scenario = load_scenario(ROOT / "data/examples/fraud_card_payments.json")
    estimate = run_estimate(scenario, trials=20_000, seed=3).estimate
    step = next(step for step in estimate.bridge if step.step == "rules:scope")
    fired = [rule.id for rule in estimate.rules_fired if rule.group == step.label]
    assert fired and step.saved_alone is not None
    document = scenario.model_dump(mode="json")
    document["rules"]["disabled"] = [*document["rules"]["disabled"], *fired]
    without = run_estimate(Scenario.model_validate(document), trials=20_000, seed=3).estimate
    saved = estimate.effort_days.p50 - without.effort_days.p50
    assert saved == pytest.approx(step.saved_alone, abs=0.02 * estimate.effort_days.p50)
    bridge_rise = step.effort_days - estimate.bridge[estimate.bridge.index(step) - 1].effort_days
    assert abs(bridge_rise - saved) > 0.1 * bridge_rise  # the case the sentence is there for
