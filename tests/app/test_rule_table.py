"""The rule table: rows per rule, edits back into the scenario, and custom rules from a form."""

import pytest

from mlpm_core.assessment import run_estimate
from mlpm_core.errors import UserError
from mlpm_core.rules.catalog import applicable_rules, load_catalog
from mlpm_core.scenario.document import load_scenario
from mlpm_core.scenario.model import Scenario
from mlpm_core.scenario.rule_spec import RuleOverride
from mlpm_ui.rule_table import (
    applied_text,
    custom_rule,
    rule_rows,
    rules_frame,
    rules_from_table,
    with_custom_rule,
    without_custom_rule,
)
from mlpm_ui.task_table import apply_edits
from tests.conftest import EXAMPLES, EXAMPLES_DIR

FRAUD = EXAMPLES_DIR / "fraud_card_payments.json"


def position(frame, rule_id: str) -> int:
    return list(frame.index).index(rule_id)


def edited(scenario: Scenario, rule_id: str, **changes):
    frame = rules_frame(rule_rows(scenario))
    return rules_from_table(
        apply_edits(frame, {"edited_rows": {position(frame, rule_id): changes}}), scenario)


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_unedited_table_gives_back_the_same_rules(path):
    """Rules section -> table -> rules section changes nothing, for every example."""
    s = load_scenario(path)
    section, errors = rules_from_table(rules_frame(rule_rows(s)), s)
    assert section == s.rules and errors == []


def test_every_rule_is_listed_with_whether_it_would_apply():
    """Shipped rules all appear; a switched-off rule still says whether its condition holds."""
    s = load_scenario(FRAUD)
    rows = {row.id: row for row in rule_rows(s)}
    assert set(rows) == {rule.id for rule in load_catalog()}
    assert not rows["big_data"].enabled and rows["big_data"].applies
    fired = {rule.id for rule in applicable_rules(s)}
    assert fired == {rule_id for rule_id, row in rows.items() if row.enabled and row.applies}


def test_unticking_a_rule_disables_it_and_keeps_the_note():
    """An unticked row goes into disabled; its note is kept, trimmed."""
    section, errors = edited(load_scenario(FRAUD), "complex_data", on=False, note=" known ")
    assert "complex_data" in section.disabled and section.notes["complex_data"] == "known"
    assert not errors


def test_ticking_a_rule_on_again_enables_it_and_an_empty_note_is_removed():
    """Ticking a switched-off rule removes it from disabled; clearing the note removes it."""
    s = load_scenario(FRAUD)
    s = s.model_copy(update={"rules": s.rules.model_copy(update={"notes": {"big_data": "x"}})})
    section, _ = edited(s, "big_data", on=True, note="")
    assert "big_data" not in section.disabled and "big_data" not in section.notes


def test_edited_range_becomes_an_override_and_shipped_values_remove_it():
    """Changing a range stores an override; typing the shipped values back drops it."""
    s = load_scenario(FRAUD)
    section, _ = edited(s, "complex_data", low=1.1, high=1.4)
    assert section.overrides["complex_data"].multiplier.high == 1.4
    assert section.overrides["complex_data"].probability is None
    changed = s.model_copy(update={"rules": section})
    back, _ = edited(changed, "complex_data", low=1.5, high=2.5)
    assert "complex_data" not in back.overrides


def test_bad_range_names_the_row_and_keeps_the_previous_override():
    """A low end of 0 is refused for that row only; its earlier override stays."""
    s = load_scenario(FRAUD)
    earlier = RuleOverride(probability=0.5)
    s = s.model_copy(update={"rules": s.rules.model_copy(
        update={"overrides": {"complex_data": earlier}})})
    frame = rules_frame(rule_rows(s))
    row = position(frame, "complex_data")
    section, errors = rules_from_table(apply_edits(frame, {"edited_rows": {
        row: {"low": 0.0}, position(frame, "adversaries"): {"on": False}}}), s)
    assert [str(error) for error in errors] == [
        f"row {row + 1} 'Complex data: double the estimate': the multiplier's low end must be "
        "above 0"]
    assert section.overrides["complex_data"] == earlier and "adversaries" in section.disabled


def test_probability_outside_zero_to_one_is_refused():
    """A probability of 1.5 is an error, not a silent clip."""
    _, errors = edited(load_scenario(FRAUD), "adversaries", probability=1.5)
    assert "the probability must be between 0 and 1" in str(errors[0])


def test_custom_rule_with_a_typo_suggests_the_field():
    """An unknown field in the condition gets 'did you mean', not a traceback."""
    with pytest.raises(UserError, match=r"unknown field 'data\.sise' \(did you mean 'data\.size'"):
        custom_rule(Scenario(), title="Big", when='data.sise == "big"', low=1.2, high=1.5)


@pytest.mark.parametrize(("when", "message"), [
    ("data.size ==", "unexpected end of condition"),
    ("__import__('os')", "field names may not start with '__'"),
    ("data.size = 'big'", "use '==' to compare"),
    ("", "the condition is empty"),
])
def test_custom_rule_parse_errors_are_readable(when, message):
    """Broken or hostile conditions are refused with the parser's plain message."""
    with pytest.raises(UserError, match="the condition does not work") as caught:
        custom_rule(Scenario(), title="R", when=when, low=1.2, high=1.5)
    assert message in str(caught.value)


def test_custom_rule_checks_title_range_and_id():
    """No title, a reversed range and a title taken by another rule are each refused."""
    s = Scenario()
    with pytest.raises(UserError, match="give the rule a title"):
        custom_rule(s, title=" ", when="true", low=1.2, high=1.5)
    with pytest.raises(UserError, match="low end"):
        custom_rule(s, title="R", when="true", low=2.0, high=1.5)
    rule = custom_rule(s, title="Vendor API!", when="technical.peak_qps > 10", low=1.2,
                       high=1.6, phases=["production"], probability=0.5, why="We saw it.")
    assert (rule.id, rule.applies_to, rule.source.id, rule.source.quote) == (
        "custom_vendor_api", ["production"], "user", "We saw it.")
    s = s.model_copy(update={"rules": with_custom_rule(s, rule)})
    with pytest.raises(UserError, match="exists already"):
        custom_rule(s, title="Vendor API", when="true", low=1.2, high=1.5)


def test_deleting_a_custom_rule_removes_its_switches_and_notes():
    """A deleted custom rule leaves no override, note or disabled entry behind."""
    s = Scenario()
    rule = custom_rule(s, title="R", when="true", low=1.2, high=1.5)
    section = with_custom_rule(s, rule).model_copy(update={
        "disabled": [rule.id], "notes": {rule.id: "n"},
        "overrides": {rule.id: RuleOverride(probability=0.2)}})
    s = s.model_copy(update={"rules": section})
    cleaned = without_custom_rule(s, rule.id)
    assert cleaned == Scenario().rules


def test_applied_text_says_what_the_engine_applies():
    """Ranged mode shows the range and the chance; strict mode shows the exact factor."""
    s = load_scenario(FRAUD)
    ranged = {row.id: row for row in rule_rows(s)}
    assert applied_text(ranged["over_20_days"].active) == "x1.2 to x2, in 35% of projects"
    strict = s.model_copy(update={"rules": s.rules.model_copy(update={"mode": "strict"})})
    assert applied_text({r.id: r for r in rule_rows(strict)}["complex_data"].active) == "x2"


def test_each_rule_row_says_where_its_range_comes_from():
    """Thompson's doublings are the source's factor; scope growth is mlpm's judgement."""
    frame = rules_frame(rule_rows(load_scenario(FRAUD)))
    assert frame.loc["complex_data", "basis"] == "the source's factor"
    assert frame.loc["scope_growth", "basis"] == "mlpm's judgement"


def test_a_note_with_a_control_character_names_the_row_and_keeps_the_old_note():
    """The note refuses what the scenario's notes refuse, for that row only."""
    s = load_scenario(FRAUD)
    s = s.model_copy(update={"rules": s.rules.model_copy(update={"notes": {"big_data": "x"}})})
    section, errors = edited(s, "big_data", note="new\u2028note")
    assert section.notes["big_data"] == "x"
    assert len(errors) == 1 and "the note must be text without control characters; found a " \
        "line or paragraph separator (U+2028) at character 4" in str(errors[0])


def test_edits_past_the_multipliers_product_name_the_row_that_crosses_it():
    """Four shipped rules edited to x90-100 would multiply effort by 1e8: the row that
    crosses 1e6 is refused and the earlier edits are kept."""
    s = load_scenario(FRAUD)
    frame = rules_frame(rule_rows(s))
    ids = list(frame.index)[:4]
    section, errors = rules_from_table(apply_edits(frame, {"edited_rows": {
        position(frame, rule_id): {"low": 90.0, "high": 100.0} for rule_id in ids}}), s)
    assert [rule_id for rule_id in ids if rule_id in section.overrides] == ids[:3]
    assert len(errors) == 1 and str(errors[0]).startswith(f"row {position(frame, ids[3]) + 1}")
    assert "could multiply the effort by 100,000,000" in str(errors[0])


def test_a_custom_rule_past_the_multipliers_product_is_a_user_error():
    s = Scenario()
    for number in range(3):
        rule = custom_rule(s, title=f"R{number}", when="true", low=90, high=100)
        s = s.model_copy(update={"rules": with_custom_rule(s, rule)})
    with pytest.raises(UserError, match=r"^together, the custom rules and edited multipliers"):
        with_custom_rule(s, custom_rule(s, title="R3", when="true", low=1.5, high=2))


def test_each_rule_names_the_group_the_reports_bridge_calls_its_step():
    """The fraud report's bridge says 'Understanding and cleaning the data' where several rules
    of one group fire (a rule alone in its group is its own step, by its title): the Rules page
    shows which rules make up that step, by the same name."""
    s = load_scenario(FRAUD)
    frame = rules_frame(rule_rows(s))
    steps = [step.label for step in run_estimate(s, trials=2000, seed=1).estimate.bridge
             if step.step.startswith("rules:")]
    assert "Understanding and cleaning the data" in steps
    assert set(steps) <= set(frame["group"]) | set(frame["title"])
    assert frame.loc["complex_data", "group"] == "Understanding and cleaning the data"
