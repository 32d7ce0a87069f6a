"""Each fired rule names the bridge step that counts it (README "Rules of thumb").

A reader saw "Big data: double the estimate, x1.5 to x2.5" in the rules table and a step
adding x1.13 in the bridge, with no way to tell which rule was in which step or that a
group's smaller rules add nothing of their own.
"""

from __future__ import annotations

from collections import defaultdict

from mlpm_core.assessment.run import run_estimate
from mlpm_core.report import render
from mlpm_core.scenario.document import load_scenario
from tests.conftest import EXAMPLES_DIR


def _result(name: str):
    return run_estimate(load_scenario(EXAMPLES_DIR / f"{name}.json"), trials=5000, seed=1)


def test_every_fired_rule_names_a_step_of_the_bridge():
    estimate = _result("genai_support_assistant").estimate
    steps = {entry.label for entry in estimate.bridge}
    assert estimate.rules_fired
    by_step: dict[str, list[str]] = defaultdict(list)
    for rule in estimate.rules_fired:
        assert rule.group in steps, (rule.title, rule.group)
        by_step[rule.group].append(rule.title)
    for step, titles in by_step.items():  # alone in its group: the step is the rule's title
        assert (step == titles[0]) is (len(titles) == 1), (step, titles)
    assert any(len(titles) > 1 for titles in by_step.values())  # a shared step is shown


def test_the_markdown_and_html_rules_tables_have_the_bridge_step_column():
    result = _result("fraud_card_payments")
    markdown = render(result, "md").decode("utf-8")
    assert "| Rule | Multiplier | Range from | Chance it bites | Applies to | Bridge step |" \
        in markdown
    page = render(result, "html").decode("utf-8")
    assert "<th scope=\"col\">Bridge step</th>" in page
    for rule in result.estimate.rules_fired:
        assert rule.group in page
