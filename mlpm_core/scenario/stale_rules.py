"""Saved scenarios whose custom rules no longer pass the condition checks still open.

Conditions are type-checked since the checks were added; a scenario saved before, with a rule
such as ``data.size == 3`` (which never fired), must not become unreadable. When the store reads
it, the rule is switched off and a note says why (``switch_off_stale_rules``), and a
switched-off rule's condition is only parsed, not type-checked (``read_switched_off_rules``),
so every later edit of the scenario validates as well. Switched back on, it is checked again.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError, ValidationInfo

from mlpm_core.scenario.condition_fields import SKIP_CONDITION_TYPES, condition_problem
from mlpm_core.scenario.rule_spec import RuleDefinition

NOTE = "Switched off when this saved scenario was opened: {problem}."


def switch_off_stale_rules(document: Any) -> Any:
    """The stored document with every enabled custom rule whose condition no longer passes the
    checks switched off and noted; anything unexpected is left to validation to report."""
    rules = document.get("rules") if isinstance(document, dict) else None
    if not isinstance(rules, dict) or not isinstance(rules.get("custom"), list):
        return document
    disabled, notes = rules.get("disabled", []), rules.get("notes", {})
    if not isinstance(disabled, list) or not isinstance(notes, dict):
        return document
    disabled, notes = list(disabled), dict(notes)
    for rule in rules["custom"]:
        if not isinstance(rule, dict) or rule.get("id") in disabled:
            continue
        when, rule_id = rule.get("when"), rule.get("id")
        problem = condition_problem(when) if isinstance(when, str) else ""
        if problem and isinstance(rule_id, str):
            disabled.append(rule_id)
            note = NOTE.format(problem=problem)
            notes[rule_id] = f"{note} {notes[rule_id]}" if notes.get(rule_id) else note
    return {**document, "rules": {**rules, "disabled": disabled, "notes": notes}}


def read_switched_off_rules(value: Any, info: ValidationInfo) -> Any:
    """``RulesSection.custom``'s before-validator: a switched-off rule's condition is parsed
    but not type-checked, since it is never evaluated (the estimate lists it as not applied)."""
    disabled = info.data.get("disabled") or ()
    if not isinstance(value, list) or not disabled:
        return value
    return [_unchecked(rule) if isinstance(rule, dict) and rule.get("id") in disabled else rule
            for rule in value]


def _unchecked(rule: dict[str, Any]) -> Any:
    try:
        return RuleDefinition.model_validate(rule, context={SKIP_CONDITION_TYPES: True})
    except ValidationError:
        return rule  # validated again in place, so the error names where the rule is
