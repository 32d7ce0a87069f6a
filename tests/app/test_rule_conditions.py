"""Rule conditions in the app: a condition that can never work is refused at the form, one that
fails for this scenario is shown on the Report page, and a stale saved rule opens switched off."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import update
from streamlit.testing.v1 import AppTest

from mlpm_core.scenario.document import load_scenario
from mlpm_core.store.schema import scenario_versions
from tests.app.support import APP, TIMEOUT, page_file, plain, store
from tests.app.test_tasks_rules import (
    FRAUD,
    RULES_PAGE,
    edit,
    errors,
    fill_custom_rule,
    open_page,
    rule_position,
    working_copy,
)

pytestmark = pytest.mark.usefixtures("fresh_app")

REPORT_PAGE = page_file("report")
FAILS_HERE = "technical.tokens_in / technical.tool_calls_per_request > 100"  # 0 / 0 in fraud


def with_custom(when: str, disabled: bool = False):
    document = load_scenario(FRAUD).model_dump(mode="json")
    document["rules"]["custom"] = [{"id": "per_call", "title": "Tokens per call", "when": when,
                                    "multiplier": [1.1, 1.5]}]
    if disabled:
        document["rules"]["disabled"].append("per_call")
    return type(load_scenario(FRAUD)).model_validate(document)


def warnings(at) -> str:
    return "\n".join(plain(element.value) for element in at.warning)


def test_a_condition_that_can_never_work_is_refused_at_the_form():
    """Text compared with a number: the column and both types, and nothing is added."""
    at, _ = open_page(RULES_PAGE, load_scenario(FRAUD))
    fill_custom_rule(at, "Small data", "data.size < 3")
    message = errors(at)
    assert "cannot order 'data.size' (one of \"small\", \"big\") < 3" in message
    assert "at column 11" in message
    assert not at.exception and working_copy(at).rules.custom == []


def test_the_report_page_shows_a_rule_whose_condition_failed_here():
    """A division by a field that is zero in this scenario is on the page, not swallowed."""
    at, _ = open_page(REPORT_PAGE, with_custom(FAILS_HERE))
    assert "Rule not applied: Tokens per call \u2014 its condition" in warnings(at)
    assert "division by zero in 0 / 0" in warnings(at)
    assert not any("Rule not applied" in text for text in
                   (plain(element.value) for element in at.info))


def test_a_stale_rule_saved_earlier_opens_switched_off_and_says_why():
    """A row written before the type check (the rule on) opens from its URL; the Rules page
    and the Report page both say the rule is off and why."""
    row = store().create(with_custom("data.size == 'big'"), note="test")
    document = json.loads(store().load(row.id)[0].model_dump_json())
    document["rules"]["custom"][0]["when"] = "data.size == 3"
    with store().write() as connection:
        connection.execute(update(scenario_versions).values(document=json.dumps(document)))
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params["scenario"] = row.id
    at.run()
    at.switch_page(RULES_PAGE).run()
    assert not at.exception, at.exception
    rules = working_copy(at).rules
    assert "per_call" in rules.disabled
    assert rules.notes["per_call"].startswith("Switched off when this saved scenario was opened")
    assert "Rule 'Tokens per call' stays switched off until its condition works" in warnings(at)
    edit(at, 0, edited={rule_position(at, "per_call"): {"on": True}})
    assert not at.exception, at.exception
    assert "'Tokens per call': stays switched off: the condition fails at column 11" in errors(at)
    assert "per_call" in working_copy(at).rules.disabled
    at.switch_page(REPORT_PAGE).run()
    assert not at.exception
    assert ("Rule not applied: Tokens per call \u2014 switched off: the condition fails at "
            "column 11") in warnings(at)
