"""Rules that should have been weighed but were not: never left out in silence.

A rule whose condition fails for one scenario (a division by a field that is zero here, a field
that is null where a number is needed) cannot say whether it applies. The estimate still runs
without it, and every report and the app list it with the reason, so that nobody reads the
numbers believing the rule was considered.
"""

from __future__ import annotations

from dataclasses import dataclass

from mlpm_core.rules.catalog import all_rules, check_rules
from mlpm_core.scenario import Scenario, condition_problem


@dataclass(frozen=True)
class RuleNotApplied:
    """A rule left out of the estimate, and why."""

    id: str
    title: str
    reason: str

    @property
    def warning(self) -> str:
        """The line the estimate's warnings carry."""
        return f"Rule not applied: {self.title} ({self.id}) \u2014 {self.reason}"


def rules_not_applied(scenario: Scenario) -> list[RuleNotApplied]:
    """Switched-on rules whose condition failed for this scenario, then switched-off custom
    rules whose condition no longer passes the checks (they stay off until fixed)."""
    checks = check_rules(scenario)
    when = {definition.id: definition.when for definition, _ in all_rules(scenario)}
    skipped = [RuleNotApplied(check.rule.id, check.rule.title,
                              f"its condition ({when[check.rule.id]}) failed for this "
                              f"scenario: {check.error}")
               for check in checks if check.error]
    disabled = set(scenario.rules.disabled)
    for rule in scenario.rules.custom:
        problem = condition_problem(rule.when) if rule.id in disabled else ""
        if problem:
            skipped.append(RuleNotApplied(rule.id, rule.title, f"switched off: {problem}"))
    return skipped
