"""Decision policy, blockers, stage gates and needs-ML; plus every shipped data file's integrity."""

import json
import tomllib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from mlpm_core.conditions.condition import parse, validate_paths
from mlpm_core.feasibility import technical_checks
from mlpm_core.feasibility.blockers import find_blockers
from mlpm_core.feasibility.decision import Decision, decide, load_decision_texts, stage_gate
from mlpm_core.feasibility.outcome import Outcome, StaffingLever
from mlpm_core.feasibility.policy import policy_sentences
from mlpm_core.feasibility.scoring import (
    DimensionScore,
    flatten,
    placeholders,
    score_dimensions,
    scoring_context,
)
from mlpm_core.feasibility.technical import TechnicalCheck
from mlpm_core.rules.catalog import condition_context
from mlpm_core.scenario.document import load_scenario
from mlpm_core.scenario.model import Scenario
from mlpm_core.scenario.ranges import certain, span
from tests.conftest import DATA, EXAMPLES

DATA_FILES = sorted(DATA.glob("*.toml"))
OUTCOME = Outcome(p_npv_positive=0.9, cost_at_percentile=80_000,
                  duration_weeks_at_percentile=15, cost_p50=60_000, npv_p50=500_000)


def scenario(base: Scenario | None = None, **sections: dict) -> Scenario:
    """A scenario (default: a healthy one) with some section fields replaced."""
    document = (base or healthy()).model_dump()
    for section, fields in sections.items():
        document[section].update(fields)
    return Scenario.model_validate(document)


def healthy() -> Scenario:
    """A scenario that answers every feasibility question well."""
    return scenario(
        Scenario(),
        project={"rules_baseline": "no", "budget": 100_000, "deadline_weeks": 20},
        data={"features_at_serving": "all", "cleanliness": "clean", "versioning": True,
              "labelled_available": 1000, "freshness": "real_time"},
        difficulty={"solved_before": "public_solution"},
        quality={"acceptability_threshold": 0.8, "baseline_value": 0.7,
                 "false_positive_cost": span(1, 10).model_dump()},
        technical={"latency_p95_ms": 100, "model_latency_ms": span(10, 30).model_dump()},
    )


def run(s: Scenario, outcome: Outcome = OUTCOME, dims: dict | None = None) -> Decision:
    """Checks, scores and decision for a scenario, as the estimate does it."""
    checks = technical_checks(s)
    return decide(s, dims or score_dimensions(s, checks, outcome), checks, outcome)


def dims(score: int) -> dict[str, DimensionScore]:
    """All five dimensions at one score (the lowest given to 'data')."""
    other = DimensionScore(score=100, level="green", reasons=[])
    return {"data": DimensionScore(score=score, level="amber", reasons=[]),
            "difficulty": other, "quality": other, "technical": other, "cost": other}


def outcome(**changes: object) -> Outcome:
    """OUTCOME with some figures replaced."""
    return Outcome(**{**OUTCOME.__dict__, **changes})


# ------------------------------------------------------------------------- decision policy

def test_healthy_scenario_is_a_go_with_no_conditions():
    """Every threshold met and nothing blocking: go, and the reasons carry the numbers."""
    decision = run(healthy())
    assert decision.decision == "go", decision.reasons
    assert decision.conditions == [] and decision.blockers == []
    assert decision.reasons[0] == ("Go for the MVP stage: every threshold is met and nothing "
                                   "blocks it.")
    assert "P(NPV > 0) is 90%, at least the 70% needed for go." in decision.reasons
    assert "P80 cost USD 80k is within the USD 100k budget." in decision.reasons


@pytest.mark.parametrize(("p", "verdict"), [
    (0.7, "go"), (0.69, "conditional"), (0.3, "conditional"), (0.29, "no-go")])
def test_p_npv_positive_edges(p, verdict):
    """Go at exactly 0.7; conditional below it; no-go only below 0.3."""
    decision = run(healthy(), outcome(p_npv_positive=p))
    assert decision.decision == verdict
    if verdict == "conditional":
        assert decision.conditions[0].startswith(f"Raise the chance of a positive NPV from "
                                                 f"{p:.0%} to at least 70%")


def test_cost_above_budget_at_the_percentile_names_the_condition():
    """P80 cost 412k over a 300k budget: conditional with the 'cut scope' condition."""
    s = scenario(project={"budget": 300_000})
    decision = run(s, outcome(cost_at_percentile=412_000, cost_p50=250_000))
    assert decision.decision == "conditional"
    assert decision.conditions == ["Cut scope or raise the budget: P80 cost USD 412k is above "
                                   "the USD 300k budget"]


def test_cost_exactly_at_budget_is_a_go():
    """The budget check is 'within': cost equal to the budget passes."""
    assert run(healthy(), outcome(cost_at_percentile=100_000)).decision == "go"


def test_median_cost_above_budget_is_a_no_go():
    """When even the median cost exceeds the budget, the answer is no-go; amounts that would
    read alike compactly ('USD 100k is above the USD 100k budget') are said in full."""
    decision = run(healthy(), outcome(cost_at_percentile=150_000, cost_p50=100_001))
    assert decision.decision == "no-go"
    assert ("Even the median cost USD 100,001 is above the USD 100,000 budget."
            in decision.reasons)
    assert "P80 cost USD 150k is above the USD 100k budget." in decision.reasons
    clear = run(healthy(), outcome(cost_at_percentile=150_000, cost_p50=120_000))
    assert "Even the median cost USD 120k is above the USD 100k budget." in clear.reasons


@pytest.mark.parametrize(("weeks", "verdict"), [(20, "go"), (20.5, "conditional")])
def test_duration_edge_against_the_deadline(weeks, verdict):
    """P80 duration equal to the deadline passes; beyond it needs a condition."""
    decision = run(healthy(), outcome(duration_weeks_at_percentile=weeks))
    assert decision.decision == verdict
    if verdict == "conditional":
        assert decision.conditions == ["Cut scope or move the deadline: P80 duration 20.5 weeks "
                                       "is beyond the 20-week deadline"]


def test_a_low_cost_score_adds_no_second_condition_for_a_money_line_already_named():
    """A deadline missed at the percentile lowers the cost score too: the decision names "cut
    scope or move the deadline" once, not again as "scope the project down"; a cost score low
    for other reasons, with every money line met, still gets its own condition."""
    low_cost = {**dims(100), "cost": DimensionScore(score=50, level="amber", reasons=[])}
    scope_down = "Scope the project down to its critical features and re-estimate"
    missed = run(healthy(), outcome(duration_weeks_at_percentile=25), low_cost)
    assert missed.conditions == ["Cut scope or move the deadline: P80 duration 25 weeks is "
                                 "beyond the 20-week deadline"]
    assert any("cost 50" in reason for reason in missed.reasons)  # still said, once
    met = run(healthy(), OUTCOME, low_cost)
    assert met.decision == "conditional" and met.conditions == [scope_down]


@pytest.mark.parametrize(("median", "verdict"), [(None, "conditional"), (19.0, "conditional"),
                                                  (20.0, "conditional"), (21.0, "no-go")])
def test_a_median_duration_beyond_the_deadline_is_a_no_go_like_a_median_cost_over_budget(
        median, verdict):
    """P80 beyond the 20-week deadline is a condition; even the median beyond it rules the
    plan out, as a median cost above the budget does (an 8-week deadline against a P50 of 17
    weeks was only 'conditional')."""
    decision = run(healthy(), outcome(duration_weeks_at_percentile=25,
                                      duration_weeks_p50=median))
    assert decision.decision == verdict, decision.reasons
    said = [reason for reason in decision.reasons[1:] if "deadline" in reason]
    assert len(said) == 1
    assert ("so is even the median (21 weeks)" in said[0]) is (verdict == "no-go")
    if verdict == "no-go":  # no blocker here: the headline names what rules it out
        assert decision.reasons[0].endswith(
            ": ruled out by the median duration beyond the deadline.")


@pytest.mark.parametrize(("overlapped", "verdict"), [(16.0, "conditional"), (21.0, "no-go")])
def test_a_late_median_is_a_no_go_only_when_even_overlapped_phases_miss_the_deadline(
        overlapped, verdict):
    """Phases in order put the median at 22 weeks against a 20-week deadline. Overlapped as
    far as the team's time allows, 16 weeks (P80 19) fit: the date is a plan to make, so the
    decision is conditional and names overlapping as a condition; at 21 (P80 24) even that
    misses it, and the headline says so."""
    decision = run(healthy(), outcome(duration_weeks_at_percentile=25, duration_weeks_p50=22,
                                      overlapped_weeks_p50=overlapped,
                                      overlapped_weeks_at_percentile=overlapped + 3))
    assert decision.decision == verdict, decision.reasons
    [said] = [reason for reason in decision.reasons[1:] if "deadline" in reason]
    [late] = [c for c in decision.conditions if "deadline" in c]
    overlap = "; with overlapped phases, P80 19 weeks at best: plan them and check the date"
    if verdict == "conditional":
        assert said.endswith("and so is the median (22 weeks) with phases in order; with "
                             "them overlapped it would be 16 weeks at best, so the date is a "
                             "condition, not a no-go.")
        assert late.startswith("Cut scope or move the deadline: P80 duration 25 weeks")
        assert late.endswith(overlap)
    else:
        assert said.endswith("and so is the median (22 weeks), even with phases "
                             "overlapped as far as the team's time allows (21 weeks).")
        assert "overlapped" not in late  # 24 weeks at the percentile would not meet it either
        assert decision.reasons[0].endswith(
            ": ruled out by the median duration beyond the deadline even with phases "
            "overlapped.")


@pytest.mark.parametrize(("overlapped", "ending"), [
    (16.0, "P50 duration 22 weeks is beyond the 20-week deadline with phases in order; with them "
           "overlapped it would be 16 weeks at best, so the date is a condition, not a no-go."),
    (21.0, "P50 duration 22 weeks is beyond the 20-week deadline, even with phases overlapped "
           "as far as the team's time allows (21 weeks)."),
    (None, "P50 duration 22 weeks is beyond the 20-week deadline.")])
def test_at_the_median_percentile_the_median_is_not_said_twice(overlapped, ending):
    """'P50 duration 56.7 weeks is beyond the 30-week deadline, and so is the median (56.7
    weeks)' read as two findings where there is one."""
    checked_at_median = healthy().model_copy(update={"project": healthy().project.model_copy(
        update={"thresholds": healthy().project.thresholds.model_copy(
            update={"cost_percentile": 50})})})
    decision = run(checked_at_median, outcome(
        percentile=50, duration_weeks_at_percentile=22, duration_weeks_p50=22,
        overlapped_weeks_p50=overlapped, overlapped_weeks_at_percentile=overlapped))
    [said] = [reason for reason in decision.reasons[1:] if "deadline" in reason]
    assert said == ending


def test_overlapping_is_named_when_it_would_meet_a_missed_percentile_deadline():
    """A P80 beyond the deadline with the median within is conditional either way; the
    deadline's action names overlapping only when the overlapped P80 meets the date (then
    overlapping alone could make it a go), and never when the date is met."""
    def late_action(**weeks: float) -> str:
        decision = run(healthy(), outcome(duration_weeks_at_percentile=25,
                                          duration_weeks_p50=18, **weeks))
        [action] = [c for c in decision.conditions if "deadline" in c]
        return action

    assert "overlapped phases, P80 17 weeks" in late_action(overlapped_weeks_p50=14,
                                                            overlapped_weeks_at_percentile=17)
    assert "overlapped" not in late_action(overlapped_weeks_p50=19,
                                           overlapped_weeks_at_percentile=23)
    on_time = run(healthy(), outcome(duration_weeks_at_percentile=19, duration_weeks_p50=16,
                                     overlapped_weeks_p50=10, overlapped_weeks_at_percentile=12))
    assert not any("overlap" in c for c in on_time.conditions)


def test_the_policy_in_words_names_every_line_the_decision_applies_with_its_thresholds():
    """A no-go from a median beyond the deadline came from a line the thresholds panel did not
    name: the policy sentences name it, and carry the scenario's own thresholds."""
    s = scenario(project={"thresholds": {"min_p_npv_positive": 0.8, "no_go_p_npv_positive": 0.2,
                                         "cost_percentile": 90, "min_dimension_score": 65,
                                         "no_go_dimension_score": 35}})
    go, no_go, _, blockers, _ = policy_sentences(s)
    assert "legal basis" in blockers and "rule a project out" in blockers
    assert "at least 80%" in go and "P90 cost" in go and "at least 65" in go
    assert "below 20%" in no_go and "below 35" in no_go
    assert "median duration with overlapped phases beyond the deadline" in no_go
    assert "median cost" in no_go
    assert "cost score" not in no_go  # its no-go lines are the money lines themselves


def test_no_budget_or_deadline_means_no_such_check():
    """Without a budget or deadline, huge costs alone do not block go."""
    s = scenario(project={"budget": None, "deadline_weeks": None})
    decision = run(s, outcome(cost_at_percentile=1e9, cost_p50=1e9,
                              duration_weeks_at_percentile=500))
    assert decision.decision == "go"


@pytest.mark.parametrize(("score", "verdict"), [
    (60, "go"), (59, "conditional"), (25, "conditional"), (24, "no-go")])
def test_dimension_score_edges(score, verdict):
    """Go needs every dimension >= 60; below 25 is no-go; between is conditional."""
    decision = run(healthy(), dims=dims(score))
    assert decision.decision == verdict
    if verdict == "conditional":
        assert decision.conditions == [
            "Run a two-week pathfinder sprint to build a labelled benchmark set and measure "
            "data quality before committing the budget"]


@pytest.mark.parametrize(("data", "task_type", "said"), [
    ({"labelled_available": 700}, "classification", "on the 700 labelled examples in hand"),
    ({"labelled_available": 700}, "forecasting", "on the 700 observations recorded"),
    ({"labelled_available": 0}, "classification", "to test a source of ground truth"),
])
def test_labels_that_cannot_be_obtained_are_not_sent_to_build_a_benchmark(data, task_type,
                                                                        said):
    """"Build a labelled benchmark set" beside "there is no way to obtain them" contradicted
    the blocker: the data action works with the labels in hand, or looks for a ground truth."""
    short = scenario(data={**data, "labelled_needed": 1000, "labels_obtainable": False},
                     project={"task_type": task_type})
    actions = run(short, dims=dims(40)).conditions
    data_actions = [action for action in actions if "two-week pathfinder sprint" in action]
    assert len(data_actions) == 1 and said in data_actions[0]
    assert "build a labelled benchmark set" not in data_actions[0]


def test_thresholds_come_from_the_scenario_and_set_the_percentile_label():
    """A stricter policy (0.95) turns 0.9 into conditional; the P90 percentile is named."""
    s = scenario(project={"thresholds": {"min_p_npv_positive": 0.95, "cost_percentile": 90}})
    decision = run(s, outcome(percentile=90))
    assert decision.decision == "conditional"
    assert "P90 cost USD 80k is within the USD 100k budget." in decision.reasons


# --------------------------------------------------------------------------------- blockers

@pytest.mark.parametrize(("sections", "blocker", "verdict"), [
    ({"data": {"personal_data": True, "legal_basis": "none"}}, "no_legal_basis", "no-go"),
    ({"data": {"regulated": True, "legal_basis": "none"}}, "no_legal_basis", "no-go"),
    ({"data": {"personal_data": True, "legal_basis": "unclear"}}, "legal_basis_unclear",
     "conditional"),
    ({"data": {"personal_data": True, "legal_basis": "not_needed"}},
     "personal_data_basis_unchecked", "conditional"),
    ({"data": {"labels_obtainable": False, "labelled_available": 10}}, "labels_unobtainable",
     "no-go"),
    ({"data": {"features_at_serving": "some"}}, "features_unavailable", "conditional"),
    ({"data": {"features_at_serving": "unknown"}}, "features_unchecked", "conditional"),
    ({"technical": {"latency_p95_ms": 5, "model_latency_ms": span(10, 30).model_dump()}},
     "check_latency", "no-go"),
    ({"technical": {"platform": "on_device", "model_parameters_millions": 7000,
                    "latency_p95_ms": None}}, "check_memory", "no-go"),
    ({"technical": {"model_parameters_millions": 7000, "precision": "fp16"}}, "check_memory",
     "conditional"),
    ({"technical": {"tokens_in": 10_000, "mean_qps": 10, "peak_qps": 10,
                    "model_latency_ms": None, "latency_p95_ms": None},
      "value": {"annual_benefit": span(1000, 2000).model_dump()}}, "check_inference_cost",
     "no-go"),
])
def test_each_blocker_forces_its_outcome(sections, blocker, verdict):
    """Each blocker alone turns a healthy go into its no-go or conditional."""
    s = scenario(**sections)
    decision = run(s, dims=dims(100))
    assert [b.id for b in decision.blockers] == [blocker]
    assert decision.decision == verdict
    expected = "no-go" if verdict == "no-go" else "condition"
    assert decision.blockers[0].severity == expected
    assert decision.conditions, "a blocker always names the action that would lift it"


def test_condition_blocker_names_its_action():
    """An unclear legal basis becomes a named condition with the data-protection action."""
    decision = run(scenario(data={"personal_data": True, "legal_basis": "unclear"}))
    assert decision.conditions[0].startswith("Confirm and document the legal basis")
    assert decision.reasons[0] == ("Conditional go for the MVP stage: 1 condition to meet "
                                   "before going ahead.")


def test_memory_condition_states_the_ram_needed():
    """A model too big for a ledger-sized server asks for a machine with the GB it needs."""
    decision = run(scenario(technical={"model_parameters_millions": 7000, "precision": "fp16"}))
    assert decision.conditions[0].startswith("Serve on machines with at least 16.8 GB of RAM")


# ------------------------------------------------------------------- needs ML, stage gates

def test_rules_good_enough_makes_go_at_best_conditional():
    """'Rules would meet the target': go becomes conditional with 'ship the rules first'."""
    decision = run(scenario(project={"rules_baseline": "good_enough"}))
    assert decision.decision == "conditional"
    assert decision.conditions[0].startswith("Ship the rules baseline first")
    assert "rules may be enough" in decision.needs_ml
    assert decision.needs_ml in decision.reasons


def test_rules_good_enough_does_not_soften_a_no_go():
    """A no-go stays a no-go when rules are good enough."""
    decision = run(scenario(project={"rules_baseline": "good_enough"}),
                   outcome(p_npv_positive=0.1))
    assert decision.decision == "no-go"


def test_rules_partly_suggests_starting_from_rules_without_changing_the_decision():
    """'Partly': the answer suggests rules first; a go stays go."""
    decision = run(scenario(project={"rules_baseline": "partly"}))
    assert decision.decision == "go"
    assert "Start from the rules baseline" in decision.needs_ml


@pytest.mark.parametrize(("stage", "start", "phrase"), [
    ("mvp", "Before investing in the growth stage", "held-out labelled benchmark set "
     "(accuracy: 0.8)"),
    ("growth", "Before investing in the maturity stage", "monitoring"),
    ("maturity", "Before each further investment", "A/B tested"),
])
def test_stage_gate_names_what_to_measure_before_the_next_stage(stage, start, phrase):
    """The gate depends on the scenario's stage and quotes its own numbers."""
    gate = stage_gate(scenario(project={"stage": stage}))
    assert gate.startswith(start) and phrase in gate and gate.endswith(".")


def test_a_forecasts_gate_is_a_backtest_and_leaves_calendar_time_for_the_pilot():
    """A forecast is judged on held-out recent periods, and its pilot only once the horizon
    has passed, time the task days do not count; a classifier's gate says neither."""
    forecast = stage_gate(scenario(project={"task_type": "forecasting"}))
    assert "backtest on recent periods held out" in forecast
    assert "once their horizon has passed" in forecast and "labelled benchmark" not in forecast
    classifier = stage_gate(scenario())
    assert "backtest" not in classifier and "horizon" not in classifier


def test_decision_is_json_serialisable_and_strict():
    """The decision dumps to JSON and refuses unknown keys when read back."""
    decision = run(scenario(data={"features_at_serving": "some"}))
    document = json.loads(json.dumps(decision.model_dump(mode="json")))
    assert Decision.model_validate(document) == decision
    with pytest.raises(ValidationError):
        Decision.model_validate({**document, "extra": 1})


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_examples_get_a_decision(path):
    """Every shipped example goes through checks, scores and decision without error."""
    decision = run(load_scenario(path))
    assert decision.decision in ("go", "conditional", "no-go") and decision.stage_gate


numbers = st.none() | st.floats(-1e6, 1e6)


@settings(max_examples=80, deadline=None)
@given(threshold=numbers, baseline=numbers, higher=st.booleans(),
       p_reach=st.none() | st.floats(0, 1), human=st.none() | st.floats(0, 1),
       stage=st.sampled_from(["mvp", "growth", "maturity"]),
       rules=st.sampled_from(["unknown", "no", "partly", "good_enough"]),
       platform=st.sampled_from(["online", "browser", "on_device", "batch"]),
       tokens=st.integers(0, 5000), p_npv=st.floats(0, 1), cost=st.floats(0, 1e7),
       features=st.sampled_from(["all", "most", "some", "unknown"]))
def test_any_answers_give_a_decision_without_errors(threshold, baseline, higher, p_reach, human,
                                                    stage, rules, platform, tokens, p_npv, cost,
                                                    features):
    """Empty or extreme answers never break a shipped condition, template or the policy."""
    quality = {"acceptability_threshold": threshold, "baseline_value": baseline,
               "higher_is_better": higher, "p_reach_threshold": p_reach, "target": None}
    s = scenario(quality=quality, difficulty={"human_success_rate": human},
                 project={"stage": stage, "rules_baseline": rules},
                 technical={"platform": platform, "tokens_out": tokens},
                 data={"features_at_serving": features})
    decision = run(s, outcome(p_npv_positive=p_npv, cost_at_percentile=cost, cost_p50=cost / 2))
    assert decision.decision in ("go", "conditional", "no-go")
    assert "{" not in " ".join([*decision.reasons, *decision.conditions, decision.stage_gate])
    if rules == "good_enough":
        assert decision.decision != "go"


# ----------------------------------------------------------- data files (auto-discovered)

def walk(node: object, found: dict[str, list]) -> dict[str, list]:
    """Collect every `when` condition, `source` citation and template text in a TOML tree."""
    if isinstance(node, dict):
        if isinstance(node.get("when"), str):
            found["when"].append(node["when"])
        source = node.get("source")
        if isinstance(source, dict) and {"id", "quote"} <= set(source):
            found["source"].append(source)
        for value in node.values():
            walk(value, found)
    elif isinstance(node, list):
        for item in node:
            walk(item, found)
    return found


@pytest.mark.parametrize("path", DATA_FILES, ids=[p.name for p in DATA_FILES])
def test_data_file_conditions_parse_and_name_known_fields(path):
    """Every `when` in a data file parses and uses only fields of the condition context (the
    scores' context, with the chances of success, for the feasibility file)."""
    context = (scoring_context if path.name == "feasibility.toml" else condition_context)
    known = flatten(context(Scenario()))
    found = walk(tomllib.loads(path.read_text(encoding="utf-8")), {"when": [], "source": []})
    for text in found["when"]:
        validate_paths(parse(text), known)


@pytest.mark.parametrize("path", DATA_FILES, ids=[p.name for p in DATA_FILES])
def test_data_file_quotes_are_verbatim_in_their_source(path, source_text):
    """Every cited quote appears word for word in the text of the source it names."""
    found = walk(tomllib.loads(path.read_text(encoding="utf-8")), {"when": [], "source": []})
    for source in found["source"]:
        if source["id"] == "user":
            continue
        assert source["quote"] in source_text(source["id"]), f"{source['id']}: {source['quote']!r}"


def test_decision_texts_use_only_known_placeholders():
    """Blocker, gate and needs-ML texts name scenario fields; action texts their own figures."""
    known = set(flatten(condition_context(Scenario())))
    texts = load_decision_texts()
    stages = tomllib.loads((DATA / "stages.toml").read_text(encoding="utf-8"))
    scenario_texts = [b["text"] for b in texts["blocker"]] + [b["action"] for b in
                                                              texts["blocker"]]
    scenario_texts += [g["text"] for g in stages["gate"]]
    scenario_texts += [entry["answer"] for entry in texts["needs_ml"].values()]
    for text in scenario_texts:
        assert set(placeholders(text)) <= known, text
    for text in texts["check_action"].values():
        assert set(placeholders(text)) <= {"value", "limit", "detail"}, text
    figures = {"p", "min_p", "p_success", "payoff", "percentile", "cost", "budget", "weeks",
               "deadline", "dedicated_total", "pacer", "pacer_fte", "pacer_to",
               "saved", "over", "enough", "overlapped", "gate", "gate_spend"}
    for text in texts["go_check"].values():
        assert set(placeholders(text)) <= figures, text
    assert set(texts["needs_ml"]) == {"unknown", "no", "partly", "good_enough"}
    assert set(stages["stage"]) == {"mvp", "growth", "maturity"}
    assert set(texts["dimension_action"]) == {"data", "difficulty", "quality", "technical",
                                              "cost"}


def test_blocker_severities_are_known():
    """A blocker is either no-go or a condition; a typo would silently soften it."""
    for entry in load_decision_texts()["blocker"]:
        assert entry["severity"] in ("no-go", "condition"), entry["id"]


def test_failed_check_without_a_listed_action_still_names_a_condition():
    """A failed check without an action in conditions.toml still yields a condition."""
    odd = TechnicalCheck("custom", "Custom", "fail", "Odd.", 1.0, 2.0, blocker=False)
    decision = decide(healthy(), dims(100), [odd], OUTCOME)
    assert decision.decision == "conditional"
    assert decision.conditions == ["Resolve: Odd."]


def test_a_red_cost_score_alone_is_not_a_second_no_go():
    """P(NPV > 0) 45%, P80 cost 2% over budget and P80 duration past the deadline score the
    cost dimension red; none of the money checks' own no-go lines is crossed, so the answer is
    conditional, with both conditions; a median cost above the budget is still no-go."""
    s = scenario(project={"budget": 95_000, "deadline_weeks": 12})
    near = outcome(p_npv_positive=0.45, cost_at_percentile=97_000, cost_p50=78_000,
                   duration_weeks_at_percentile=20)
    checks = technical_checks(s)
    scores = score_dimensions(s, checks, near)
    assert scores["cost"].score < s.project.thresholds.no_go_dimension_score
    decision = decide(s, scores, checks, near)
    assert decision.decision == "conditional", decision.reasons
    assert any(c.startswith("Cut scope or raise the budget") for c in decision.conditions)
    assert any(c.startswith("Cut scope or move the deadline") for c in decision.conditions)
    over = outcome(p_npv_positive=0.45, cost_at_percentile=120_000, cost_p50=96_000,
                   duration_weeks_at_percentile=20)
    assert decide(s, score_dimensions(s, checks, over), checks, over).decision == "no-go"


@pytest.mark.parametrize(("p", "near"), [(0.7045, True), (0.7199, True), (0.72, False),
                                         (0.85, False)])
def test_a_go_a_point_above_its_line_says_it_rests_on_a_small_margin(p, near):
    """70.45% against a 70% line read '70%, at least the 70% needed': the reason now gives one
    decimal and says a small change turns the go; two points up, the plain reason stays."""
    decision = run(healthy(), outcome(p_npv_positive=p, p_success=0.8))
    assert decision.decision == "go"
    said = " ".join(decision.reasons)
    assert ("just above the 70% needed for go" in said) is near
    if near:
        assert f"P(NPV > 0) is {p:.1%}" in said and "(80%) caps it" in said
    else:
        assert "at least the 70% needed for go" in said


def test_a_no_go_near_the_go_line_does_not_speak_of_a_go():
    """A no-go (the median duration past the deadline) with P(NPV > 0) just above its go line
    read "a small change in the answers turns the go into a conditional go": the reason now
    speaks of the line only."""
    s = scenario(healthy(), project={"deadline_weeks": 10})
    decision = run(s, outcome(p_npv_positive=0.705, p_success=0.8, duration_weeks_p50=12,
                              duration_weeks_at_percentile=14))
    assert decision.decision == "no-go"
    said = " ".join(decision.reasons)
    assert "just above the 70% needed for go" in said and "takes it below" in said
    assert "the go" not in said.replace("the go line", "")


@pytest.mark.parametrize(("threshold", "baseline", "higher", "blocked"), [
    (0.75, 0.75, True, True), (0.7, 0.75, True, True), (0.76, 0.75, True, False),
    (12.0, 12.0, False, True), (11.0, 12.0, False, False),
    (0.1, 0.0, False, False)])  # an error-rate baseline of 0 is no bar: nothing beats it
def test_a_threshold_no_better_than_the_baseline_cannot_be_a_go(threshold, baseline, higher,
                                                                blocked):
    """Lowering the bar to the baseline or below raises the chance of reaching it while the
    benefit stays: a model that only reaches it adds nothing, so the go waits for a threshold
    that beats the baseline (a condition, named), whichever way the metric runs."""
    s = scenario(healthy(), quality={"acceptability_threshold": threshold,
                                     "baseline_value": baseline, "higher_is_better": higher,
                                     "target": threshold})
    decision = run(s, dims=dims(100))
    named = [b for b in decision.blockers if b.id == "threshold_no_better_than_baseline"]
    assert bool(named) is blocked
    if blocked:
        assert decision.decision == "conditional"
        assert any("better than the baseline, and estimate again" in c
                   for c in decision.conditions)


@pytest.mark.parametrize(("fte", "to_fte", "saved", "lever"), [
    (0.5, 1.0, 6.0, "give the data engineer more time: P80 duration 25 weeks is 5 weeks beyond "
     "the 20-week deadline, and the data engineer at full time (now 0.5 FTE) would take about "
     "6 weeks off it, enough on its own"),
    (3.0, 4.0, 2.0, "add a person to the data engineer's work: P80 duration 25 weeks is 5 weeks "
     "beyond the 20-week deadline, and one more person there (now 3 FTE), productive from the "
     "start, would take about 2 "
     "weeks off it, not enough on its own")])
def test_a_missed_deadline_names_more_time_for_a_part_timer_and_more_people_otherwise(
        fte, to_fte, saved, lever):
    """'Give the data scientist more time (now 3 FTE)' asked the impossible of a full-time
    role: a role at 1 FTE or more needs more people, not more of its time; either way the
    condition says about how many weeks it saves and whether that is enough on its own."""
    decision = run(healthy(), outcome(duration_weeks_at_percentile=25, lever=StaffingLever(
        "data_engineer", fte, to_fte, saved)))
    [condition] = [c for c in decision.conditions if "deadline" in c]
    assert condition == f"Cut scope, move the deadline or {lever}"


@pytest.mark.parametrize(("baseline", "verdict"), [(None, "conditional"), (0.7, "go")])
def test_a_blank_baseline_cannot_buy_a_go(baseline, verdict):
    """Without a baseline the chance counts a typical bar and the benefit half at the
    threshold, guesses a stated baseline replaces: blank, both people's rate and the baseline
    beat every stated baseline the threshold cuts by more than half, so a go waits for it."""
    s = scenario(healthy(), quality={"acceptability_threshold": 0.8, "baseline_value": baseline,
                                     "metric": "Share routed right"})
    decision = run(s, dims=dims(100))
    assert decision.decision == verdict, decision.reasons
    named = [b for b in decision.blockers if b.id == "no_baseline"]
    assert bool(named) is (baseline is None)
    if baseline is None:
        assert ("Measure today's baseline on Share routed right (the rules, the current system "
                "or people by hand) and estimate again with it") in decision.conditions


@pytest.mark.parametrize(("p", "said"), [
    (0.696, "P(NPV > 0) is 69.6%, below the 70% needed for go."),
    (0.298, "P(NPV > 0) is 29.8%, below the 30% no-go line."),
    (0.55, "P(NPV > 0) is 55%, below the 70% needed for go.")])
def test_a_share_just_below_a_line_is_not_rounded_onto_it(p, said):
    """'P(NPV > 0) is 70%, below the 70% needed for go' read as a contradiction (a claims
    router at 69.6%): where the whole percentage equals a line the share is not on, it gets a
    decimal."""
    decision = run(healthy(), outcome(p_npv_positive=p, p_success=None))
    assert said in decision.reasons


def test_a_no_go_lists_first_the_action_that_lifts_it():
    """Ruled out by the median duration only: 'cut scope or move the deadline' comes before the
    P(NPV > 0) lever, which a go needs but which lifts no no-go (it came third)."""
    decision = run(healthy(), outcome(p_npv_positive=0.5, p_success=0.6,
                                      duration_weeks_at_percentile=25, duration_weeks_p50=21))
    assert decision.decision == "no-go"
    assert decision.conditions[0].startswith("Cut scope or move the deadline")
    assert any(text.startswith("Raise the chance") for text in decision.conditions[1:])
    conditional = run(healthy(), outcome(p_npv_positive=0.5, p_success=0.6,
                                         duration_weeks_at_percentile=25))
    assert conditional.decision == "conditional"
    assert conditional.conditions[0].startswith("Raise the chance")  # the order it is found


@pytest.mark.parametrize(("available", "verdict_blocker"), [
    (39_900, "labels_short_unobtainable"), (20_001, "labels_short_unobtainable"),
    (20_000, "labels_unobtainable"), (10_000, "labels_unobtainable"), (40_000, None)])
def test_labels_missing_with_no_way_to_get_them_rule_out_only_a_real_gap(available,
                                                                         verdict_blocker):
    """100 short of 40,000 labels, with no way to get more, was a no-go, then a third short
    was: under half missing it is a condition (show the model reaches its threshold with those
    in hand), from half a no-go; and the chance of success and the data score move with the
    share missing."""
    from mlpm_core.success.probability import success_probability

    s = scenario(healthy(), data={"labels_obtainable": False, "labelled_available": available,
                                  "labelled_needed": 40_000})
    decision = run(s, dims=dims(100))
    ids = {b.id for b in decision.blockers}
    assert not ids & {"labels_unobtainable", "labels_short_unobtainable"} - {verdict_blocker}
    if verdict_blocker:
        assert verdict_blocker in ids
        assert (decision.decision == "no-go") is (verdict_blocker == "labels_unobtainable")
    near = success_probability(scenario(s, data={"labelled_available": 39_900})).p
    full = success_probability(scenario(s, data={"labelled_available": 40_000})).p
    assert full - near < 0.01  # 0.25% missing: under a point of chance, not x0.3


def test_a_task_table_without_model_work_is_a_condition():
    """A review deleted every Experimentation task of a maintenance plan: the P50 effort halved
    and the NPV rose, and with only production work and its own 80% chance the plan was a go.
    The chance of success takes a model to be built and evaluated: no task doing it is a
    condition, with or without a benefit."""
    bike = load_scenario(DATA / "examples" / "bike_shop_service_forecast.json")
    lacking = bike.model_copy(update={"tasks": [task for task in bike.tasks
                                                if task.phase != "experimentation"]})
    assert len(lacking.tasks) < len(bike.tasks)
    found = {blocker.id: blocker for blocker, _ in find_blockers(lacking, [])}
    assert "no_model_work" not in {blocker.id for blocker, _ in find_blockers(bike, [])}
    assert found["no_model_work"].severity == "condition"
    assert found["no_model_work"].text.startswith(
        f"None of the {len(lacking.tasks)} tasks is in the Experimentation phase")
    untasked = bike.model_copy(update={"tasks": []})
    assert "no_model_work" not in {b.id for b, _ in find_blockers(untasked, [])}


def test_a_model_retrained_with_no_pipeline_work_is_a_condition():
    """A review deleted the Pipeline building tasks of a defect inspection retrained every
    quarter: the NPV rose and the go stood with no condition. Past the MVP a model that is
    retrained needs the pipeline that retrains it; one never retrained does not."""
    mvp_bike = load_scenario(DATA / "examples" / "bike_shop_service_forecast.json")
    bike = mvp_bike.model_copy(update={"project": mvp_bike.project.model_copy(
        update={"stage": "growth"})})
    lacking = bike.model_copy(update={"tasks": [task for task in bike.tasks
                                                if task.phase != "pipeline"]})
    assert len(lacking.tasks) < len(bike.tasks) and bike.technical.retraining != "never"
    assert "no_pipeline_work" not in {blocker.id for blocker, _ in find_blockers(bike, [])}
    found = {blocker.id: (blocker, action) for blocker, action in find_blockers(lacking, [])}
    blocker, action = found["no_pipeline_work"]
    assert blocker.severity == "condition"
    assert blocker.text == (
        f"None of the {len(lacking.tasks)} tasks is in the Pipeline building phase, yet the "
        f"model is retrained {bike.technical.retraining}: the cost leaves out the data intake "
        "and the retraining pipeline that retraining needs.")
    assert action.startswith("Add the work that automates data intake, retraining")
    never = lacking.model_copy(update={"technical": lacking.technical.model_copy(
        update={"retraining": "never"})})
    assert "no_pipeline_work" not in {b.id for b, _ in find_blockers(never, [])}
    # an MVP may retrain by hand, as its next steps say
    mvp = lacking.model_copy(update={"project": lacking.project.model_copy(
        update={"stage": "mvp"})})
    assert "no_pipeline_work" not in {b.id for b, _ in find_blockers(mvp, [])}


def test_a_task_table_without_production_work_is_a_condition():
    """A review deleted every pipeline and production task of a ranker: the NPV rose and the
    decision improved, the whole benefit still counted. With no Productionisation task the
    benefit a model in production earns rests on work nobody budgets: a condition."""
    bike = load_scenario(DATA / "examples" / "bike_shop_service_forecast.json")
    lacking = bike.model_copy(update={"tasks": [task for task in bike.tasks
                                                if task.phase != "production"]})
    found = {blocker.id: blocker for blocker, _ in find_blockers(lacking, [])}
    assert "no_production_work" not in {blocker.id for blocker, _ in find_blockers(bike, [])}
    assert found["no_production_work"].severity == "condition"
    assert found["no_production_work"].text.startswith(
        f"None of the {len(lacking.tasks)} tasks is in the Productionisation phase")
    no_benefit = lacking.model_copy(update={"value": lacking.value.model_copy(
        update={"annual_benefit": certain(0)})})
    assert "no_production_work" not in {b.id for b, _ in find_blockers(no_benefit, [])}
