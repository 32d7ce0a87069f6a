"""The report's key answers and the app's messages speak the user's words, not codes."""

from __future__ import annotations

import tomllib
import typing

import pytest

from mlpm_core.errors import shown_number
from mlpm_core.report.inputs import DEFAULT_MARK, inputs_appendix
from mlpm_core.rules import rule_group_label, rule_groups
from mlpm_core.scenario import RULE_GROUP_LABELS, Range, Scenario
from mlpm_core.scenario.document import load_scenario
from mlpm_core.scenario.option_labels import option_label
from mlpm_core.scenario.sections import ProjectSection
from tests.conftest import EXAMPLES_DIR, ROOT


def answers(scenario: Scenario) -> dict[str, str]:
    return {row.question: row.answer for row in inputs_appendix(scenario).answers}


def test_key_answers_print_the_option_labels_the_form_shows():
    """The PDF printed 'augment manual', 'batch' and 'pert / ranged'."""
    scenario = load_scenario(EXAMPLES_DIR / "fraud_card_payments.json")
    document = scenario.model_dump(mode="json")
    document["project"]["archetype"] = "augment_manual"
    document["technical"]["platform"] = "batch"
    shown = answers(Scenario.model_validate(document))
    assert shown["Archetype"] == "Augment a manual process (default)"  # chosen, and the default
    assert shown["Platform"] == "Offline batch"
    assert shown["Task distribution / rules mode"] == "PERT / Ranged multipliers"
    data = scenario.data
    assert shown["Size, complexity, structure"].replace(DEFAULT_MARK, "") == ", ".join(
        option_label(f"data.{name}", getattr(data, name))
        for name in ("size", "complexity", "structure"))
    assert not any("_" in answer for question, answer in shown.items()
                   if question not in ("Business metric", "Business target", "Metric"))


def test_every_shipped_rule_group_has_a_label_and_a_custom_rule_its_title():
    """The task table's "Covers risk" showed 'governance' and 'data_understanding'."""
    catalog = tomllib.loads((ROOT / "data" / "rules.toml").read_text(encoding="utf-8"))
    shipped = {rule.get("group") or rule["id"] for rule in catalog["rule"]}
    assert shipped == set(RULE_GROUP_LABELS)
    assert all(rule_group_label(Scenario(), group) == RULE_GROUP_LABELS[group]
               for group in rule_groups(Scenario()))


def test_no_help_text_quotes_an_option_code():
    """Help said "'good_enough' means ..." where the option reads 'Yes, good enough'."""
    info = ProjectSection.model_fields["rules_baseline"]
    options = typing.get_args(info.annotation)
    assert not any(f"'{option}'" in (info.description or "") for option in options)
    assert "'Yes, good enough'" in (info.description or "")


@pytest.mark.parametrize("value, text", [(2_000_000.0, "2,000,000"), (0.35, "0.35"),
                                         (1234.5, "1,234.5"), (5.0, "5"), (0.0001, "0.0001")])
def test_messages_quote_numbers_with_thousands_separators(value, text):
    assert shown_number(value) == text


def test_a_refused_range_quotes_the_number_as_typed():
    """A low end of 2000000 above the high end was quoted as '(2e+06)'."""
    with pytest.raises(ValueError, match=r"the low end \(2,000,000\) is above the high end "
                                         r"\(1,000\)"):
        Range(low=2_000_000, high=1000)


@pytest.mark.parametrize(("higher", "said"), [(True, "default: higher is better"),
                                              (False, "lower is better")])
def test_the_quality_answer_says_which_way_is_better(higher, said):
    """'0.28 / 0.35 / 0.4' read as a threshold below the target for an error metric."""
    document = Scenario().model_dump(mode="json")
    document["quality"].update(higher_is_better=higher, target=0.28 if not higher else 0.9,
                               acceptability_threshold=0.35 if not higher else 0.8,
                               baseline_value=0.4 if not higher else 0.7)
    shown = answers(Scenario.model_validate(document))
    assert shown["Target / acceptability threshold / baseline"].endswith(f"({said})")


@pytest.mark.parametrize(("values", "scale", "said"), [
    ((92, 85, 80), "from_values", "(read as percent; default: higher is better)"),
    ((92, 85, 80), "percent", "(percent; default: higher is better)"),
    ((250, 180, 120), "from_values", "(read as neither shares nor percent: how demanding the "
                                     "threshold is is not measured; default: higher is better)"),
    ((88, 82, 0.74), "from_values", "(read as a mix of a share and percent (0.74 beside 88): "
                                    "how demanding the threshold is is not measured; default: "
                                    "higher is better)"),
    ((0.92, 0.85, 0.8), "from_values", "(default: higher is better)"),
])
def test_the_quality_answer_says_how_its_values_were_read(values, scale, said):
    """A Macro F1 of 85 is measured as 0.85; the reader sees that reading, and sees when a
    score on another scale leaves the bar unmeasured."""
    document = Scenario().model_dump(mode="json")
    document["quality"].update(dict(zip(("target", "acceptability_threshold",
                                         "baseline_value"), values, strict=True)),
                               higher_is_better=True, scale=scale)
    shown = answers(Scenario.model_validate(document))
    assert shown["Target / acceptability threshold / baseline"].endswith(said)


def test_key_answers_a_sponsor_misread_now_say_what_they_mean():
    """'Labels obtainable: no' read as a blocker with 400,000 labels on hand; 'Chance of
    reaching the threshold: not set' sat beside an 85% estimate; a 2.5% share read '0.025'."""
    document = Scenario().model_dump(mode="json")
    document["data"].update(labels_obtainable=False, positive_share=0.025)
    document["quality"]["p_reach_threshold"] = None
    shown = answers(Scenario.model_validate(document))
    assert shown["Missing labels can be obtained"] == "no"
    assert shown["Your own chance of reaching the threshold"] == (
        "not given (estimated from the answers)")
    positives = [answer for question, answer in shown.items()
                 if question.startswith("Positive cases")]
    assert positives and positives[0].startswith("2.5% / ")
