"""What the team changed about the rules of thumb, for every report to say.

A switched-off rule drives the numbers as much as one that fires: on the fraud example, the two
rules the team switched off (their tasks were sized by people who run that platform) would take
the P50 effort from 505 to 637 person-days. A sponsor must see that choice and the team's
reason beside the rules that fired, not only in the scenario file.
"""

from __future__ import annotations

from dataclasses import dataclass

from mlpm_core.rules.catalog import ActiveRule, all_rules, check_rules, multiplier_text
from mlpm_core.scenario import PHASE_LABELS, Scenario


def _where(rule: ActiveRule) -> str:
    phases = [PHASE_LABELS[phase] for phase in rule.phases]
    return ", ".join(phases) if phases else "the whole project"


@dataclass(frozen=True)
class RuleChange:
    """A shipped or custom rule the team switched off or edited, and whether its condition
    holds for this scenario (for a switched-off rule: whether it would fire)."""

    rule: ActiveRule
    switched_off: bool
    applies: bool
    edit: str
    note: str

    @property
    def line(self) -> str:
        """'Big data (x1.5 to x2.5 on the whole project): switched off by the team; it would
        apply to this scenario. The team's reason: "..."'"""
        rule = self.rule
        what = (f"{rule.title} ({multiplier_text(rule.low, rule.high)} on {_where(rule)}"
                f"{'' if rule.probability == 1 else f', chance {rule.probability:.0%}'})")
        if self.switched_off:
            state = ("switched off by the team; it would apply to this scenario" if self.applies
                     else "switched off by the team; it would not apply to this scenario anyway")
        else:
            state = (f"edited by the team ({self.edit}); "
                     + ("it applies to this scenario" if self.applies
                        else "it does not apply to this scenario"))
        reason = f' The team\'s reason: "{self.note}"' if self.note else " No reason given."
        return f"{what}: {state}.{reason}"


def _edits(scenario: Scenario) -> dict[str, str]:
    """Per overridden rule, what the team's override replaced: 'shipped x1.5 to x2.5,
    shipped chance 100%'."""
    definitions = {definition.id: definition for definition, _ in all_rules(scenario)}
    edits = {}
    for rule_id, override in scenario.rules.overrides.items():
        shipped = definitions.get(rule_id)
        if shipped is None:
            continue
        parts = []
        if override.multiplier is not None:
            parts.append("shipped "
                         f"{multiplier_text(shipped.multiplier.low, shipped.multiplier.high)}")
        if override.probability is not None:
            parts.append(f"shipped chance {shipped.probability:.0%}")
        if parts:
            edits[rule_id] = ", ".join(parts)
    return edits


def rule_changes(scenario: Scenario) -> list[RuleChange]:
    """The switched-off rules (those that would fire first), then the edited ones."""
    notes, edits = scenario.rules.notes, _edits(scenario)
    off = [RuleChange(rule=check.rule, switched_off=True, applies=check.applies, edit="",
                      note=notes.get(check.rule.id, ""))
           for check in check_rules(scenario, switched_off=True)]
    edited = [RuleChange(rule=check.rule, switched_off=False, applies=check.applies,
                         edit=edits[check.rule.id], note=notes.get(check.rule.id, ""))
              for check in check_rules(scenario) if check.rule.id in edits]
    return sorted(off, key=lambda change: not change.applies) + edited


def switched_off_that_apply(scenario: Scenario) -> list[ActiveRule]:
    """The switched-off rules whose condition holds: what switching them back on would add."""
    return [check.rule for check in check_rules(scenario, switched_off=True) if check.applies]
