"""Which rules of thumb apply to a scenario, and with what multiplier.

The catalogue is data (``data/rules.toml``); this module only merges it with a scenario's
switches, overrides and custom rules, and evaluates each condition over the scenario's answers
plus a few derived facts (``derived.*``) that no single field holds.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from mlpm_core.conditions import ConditionError, parse
from mlpm_core.errors import UserError
from mlpm_core.paths import repo_data_dir
from mlpm_core.scenario import (
    RULE_GROUP_LABELS,
    STRENGTH_REASONS,
    RuleDefinition,
    Scenario,
    condition_problem,
    derived_facts,
    label,
)
from mlpm_core.sources import plain_citation

RULES_FILE = "rules.toml"


@dataclass(frozen=True)
class ActiveRule:
    """A rule after the scenario's edits: what the engine needs to apply it."""

    id: str
    title: str
    source_id: str
    source_quote: str
    low: float
    high: float
    exact: bool
    phases: tuple[str, ...]
    group: str
    probability: float
    warning: str
    custom: bool
    range_basis: str = "judgement"
    stated: tuple[float, float] | None = None
    """The multiplier before a derived fact (``strength_fact``) scaled ``low``/``high`` in log
    terms, when it did: a solo doubling that fades as others share the work."""
    strength_fact: str = ""
    """The derived fact that scales it (``RuleDefinition.strength``)."""

    @property
    def source(self) -> str:
        """The citation as one line of plain text: the short citation and the quoted sentence."""
        return f'{plain_citation(self.source_id)}: "{self.source_quote}"'


def multiplier_text(low: float, high: float) -> str:
    """'x2', or 'x1.5 to x2.5': a rule's multiplier as every report writes it (three
    significant figures: a faded doubling is x1.48 to x2.43, not x2.42531)."""
    return f"x{low:.3g}" if low == high else f"x{low:.3g} to x{high:.3g}"


@dataclass(frozen=True)
class RuleCheck:
    """The outcome of one rule's condition for a scenario."""

    rule: ActiveRule
    applies: bool
    error: str = ""


@lru_cache(maxsize=4)
def load_catalog(path: Path | None = None) -> tuple[RuleDefinition, ...]:
    """The shipped rules, validated once: a broken rules file is a bug, reported clearly."""
    path = path or repo_data_dir() / RULES_FILE
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    try:
        rules = tuple(RuleDefinition.model_validate(entry) for entry in raw.get("rule", []))
    except ValidationError as error:
        raise UserError(f"{path.name} is invalid: {error}") from None
    ids = [rule.id for rule in rules]
    if len(ids) != len(set(ids)):
        raise UserError(f"{path.name} repeats a rule id")
    return rules


@lru_cache(maxsize=4)
def catalogue_stacking_weight(path: Path | None = None) -> float:
    """``[stacking] further_risks_weight`` of the rules file (see ``estimate.multipliers``)."""
    path = path or repo_data_dir() / RULES_FILE
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    weight = raw.get("stacking", {}).get("further_risks_weight")
    if not isinstance(weight, int | float) or isinstance(weight, bool) or not 0 <= weight <= 1:
        raise UserError(f"{path.name}: [stacking] further_risks_weight must be a number "
                        f"from 0 to 1, got {weight!r}")
    return float(weight)


def stacking_weight(scenario: Scenario) -> float:
    """How much each rule group after the strongest counts: 1 in strict mode (every factor
    compounds, as the user chose), the catalogue's weight in ranged mode."""
    return 1.0 if scenario.rules.mode == "strict" else catalogue_stacking_weight()


def stacking_sentence(scenario: Scenario) -> str:
    """How the fired rules combine, for the report beside their table: the table gives each
    rule's own range, which is not what it adds once another group has fired."""
    weight = stacking_weight(scenario)
    if weight == 1.0:
        return ("Strict mode: within a group only the largest rule counts; the groups' exact "
                "factors and the estimator bias's median overrun compound.")
    return (f"Within a group only the largest rule counts. Across groups, the strongest in a "
            f"phase counts in full and each further one at {weight:.0%} of its effect in log "
            f"terms (a further doubling adds x{2 ** weight:.2f}; mlpm's judgement, as no source "
            "says to compound them); the estimator bias's median overrun joins them the same "
            "way. The bridge shows what each group adds.")


def condition_context(scenario: Scenario) -> dict[str, Any]:
    """The mapping conditions are evaluated against."""
    context = scenario.model_dump(mode="json")
    context["derived"] = derived_facts(scenario)
    return context


def _activate(rule: RuleDefinition, scenario: Scenario, custom: bool,
              derived: dict[str, Any]) -> ActiveRule:
    override = scenario.rules.overrides.get(rule.id)
    multiplier = override.multiplier if override and override.multiplier else rule.multiplier
    probability = (override.probability if override and override.probability is not None
                   else rule.probability)
    strict = scenario.rules.mode == "strict"
    # Strict mode takes the source at its word: "double your estimate" doubles all of it.
    phases = () if strict and rule.range_basis == "source" else tuple(rule.applies_to)
    if strict:
        factor = rule.exact_factor if not (override and override.multiplier) else (
            multiplier.midpoint)
        low = high = factor
    else:
        low, high = multiplier.low, multiplier.high
    stated = None
    strength = float(derived[rule.strength]) if rule.strength else 1.0
    if strength < 1.0:
        stated = (low, high)
        low, high = low ** strength, high ** strength
    return ActiveRule(
        id=rule.id, title=rule.title, source_id=rule.source.id,
        source_quote=rule.source.quote, low=low, high=high, exact=strict or low == high,
        phases=phases, group=rule.group or rule.id, probability=probability,
        # a scaled range is mlpm's judgement, whatever the stated factor rests on
        warning=rule.warning, range_basis=rule.range_basis if stated is None else "judgement",
        custom=custom, stated=stated, strength_fact=rule.strength,
    )


def rule_groups(scenario: Scenario) -> list[str]:
    """Every rule group a task can say it covers (shipped and the scenario's own), sorted."""
    return sorted({rule.group or rule.id for rule, _ in all_rules(scenario)})


def rule_group_label(scenario: Scenario, group: str) -> str:
    """What a person reads for a rule group: the shipped group's label, or the title of the
    rule a group is named after (a custom rule is its own group); never the code alone."""
    if group in RULE_GROUP_LABELS:
        return RULE_GROUP_LABELS[group]
    titles = {rule.id: rule.title for rule, _ in all_rules(scenario)}
    return titles.get(group) or label({}, group)


def all_rules(scenario: Scenario) -> list[tuple[RuleDefinition, bool]]:
    """Shipped plus custom rules, with a flag for custom ones; a custom id shadows a shipped one."""
    custom_ids = {rule.id for rule in scenario.rules.custom}
    shipped = [(rule, False) for rule in load_catalog() if rule.id not in custom_ids]
    return shipped + [(rule, True) for rule in scenario.rules.custom]


def check_rules(scenario: Scenario, switched_off: bool = False) -> list[RuleCheck]:
    """Every enabled rule (with ``switched_off``: every switched-off rule instead) with whether
    its condition holds for this scenario.

    A condition that fails for this scenario (a division by a field that is zero here) does not
    stop the estimate: the rule is reported with its error (``not_applied``), as is a custom
    rule whose condition no longer passes the checks (read switched off from a saved scenario).
    """
    context = condition_context(scenario)
    disabled = set(scenario.rules.disabled)
    checks = []
    for definition, custom in all_rules(scenario):
        if (definition.id in disabled) != switched_off:
            continue
        rule = _activate(definition, scenario, custom, context["derived"])
        problem = condition_problem(definition.when) if custom else ""
        if problem:
            checks.append(RuleCheck(rule=rule, applies=False, error=problem))
            continue
        try:
            applies = parse(definition.when).evaluate(context)
        except ConditionError as error:
            checks.append(RuleCheck(rule=rule, applies=False, error=str(error)))
            continue
        checks.append(RuleCheck(rule=rule, applies=applies))
    return checks


def strength_sentence(scenario: Scenario, rule_ids: set[str]) -> str:
    """Why a fired rule counts less than its stated multiplier: 'Solo job: double the estimate
    (x1.5 to x2.5) counts in full when one role does every task of a job of at most 20
    most-likely days; here the busiest role does 93% of the task days and the tasks add up to
    14.5 (...), so here it is x1.48 to x2.43 (mlpm's judgement).'"""
    faded = [rule for rule in applicable_rules(scenario)
             if rule.id in rule_ids and rule.stated is not None]
    if not faded:
        return ""
    facts = derived_facts(scenario)
    parts = []
    for rule in faded:
        assert rule.stated is not None  # the faded ones
        parts.append(f"{rule.title} ({multiplier_text(*rule.stated)}) "
                     f"{STRENGTH_REASONS[rule.strength_fact](facts, scenario)}, so here it is "
                     f"{multiplier_text(rule.low, rule.high)} (mlpm's judgement).")
    return " ".join(parts)


def applicable_rules(scenario: Scenario) -> list[ActiveRule]:
    """The rules whose conditions hold: the ones the engine applies."""
    return [check.rule for check in check_rules(scenario) if check.applies]
