"""The report's table of rules that fired, and the sentences under it."""

from __future__ import annotations

from typing import Any

from mlpm_core.breakdown import double_count_sentence
from mlpm_core.report.base import ReportModel
from mlpm_core.report.numbers import format_percent
from mlpm_core.rules import (
    multiplier_text,
    rule_group_label,
    stacking_sentence,
    strength_sentence,
)
from mlpm_core.scenario import PHASE_LABELS, Scenario
from mlpm_core.sources import Citation, citation


class RuleRow(ReportModel):
    """A rule of thumb that fired, with its source."""

    id: str
    title: str
    multiplier: str
    basis: str
    probability: str
    applies_to: str
    source: str
    warning: str
    step: str = ""  # the bridge step that counts the rule (its group's)
    citation: Citation | None = None  # None for a user's own rule: ``source`` says so
    quote: str = ""


RANGE_BASIS_LABELS = {"source": "the source's factor", "judgement": "mlpm's judgement"}


CHANCE_NOTE = ("A chance below 100% is how often the rule bites, drawn trial by trial; no "
               "source gives one, so it is mlpm's judgement unless the scenario sets it.")


def rules_note(scenario: Scenario, fired: list[Any]) -> str:
    """The sentences under the rules table: how several rules combine, where a chance below
    100% comes from (the table's own column cannot say it), and which tasks the team says
    already budget for a risk (the rules of that risk leave them alone, so a sponsor sees
    the check against double counting was made)."""
    parts = [stacking_sentence(scenario)] if len(fired) > 1 else []
    if any(rule.probability < 1 for rule in fired):
        parts.append(CHANCE_NOTE)
    faded = strength_sentence(scenario, {rule.id for rule in fired})
    if faded:
        parts.append(faded)
    covering = [f"{task.name} ({rule_group_label(scenario, task.covers).lower()})"
                for task in scenario.tasks if task.covers]
    if covering:
        parts.append("Tasks the team says already budget for a risk, which that risk's rules "
                     f"leave alone: {'; '.join(covering)}.")
    doubled = double_count_sentence(scenario)
    if doubled:
        parts.append(doubled)
    return " ".join(parts)


def rule_row(rule: Any) -> RuleRow:
    low, high = rule.multiplier
    multiplier = multiplier_text(low, high)
    phases = ", ".join(PHASE_LABELS.get(phase, "whole project") for phase in rule.phases)
    basis = RANGE_BASIS_LABELS.get(rule.range_basis, rule.range_basis)
    return RuleRow(id=rule.id, title=rule.title, multiplier=multiplier, basis=basis,
                   probability=format_percent(rule.probability), applies_to=phases,
                   source=rule.source, warning=rule.warning, step=rule.group,
                   citation=citation(rule.source_id), quote=rule.quote)
