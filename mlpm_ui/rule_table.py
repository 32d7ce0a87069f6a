"""The rules of thumb as the Rules page shows them, edits back into the scenario, custom rules.

Pure pandas and pydantic, no Streamlit. One row per rule (shipped and custom), indexed by rule
id: switched on or off, whether its condition holds, its multiplier range and probability as
edited for this scenario, a note. :func:`rules_from_table` turns an edited table into the
scenario's ``rules.disabled``, ``rules.overrides`` and ``rules.notes``; a row with a bad value
keeps its previous settings and gets a message naming the row.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

import pandas as pd
from pydantic import ValidationError

from mlpm_core.conditions import ConditionError
from mlpm_core.errors import UserError, shown_number
from mlpm_core.feasibility import flatten
from mlpm_core.report import RANGE_BASIS_LABELS
from mlpm_core.rules import (
    ActiveRule,
    all_rules,
    check_rules,
    condition_context,
    rule_group_label,
)
from mlpm_core.scenario import (
    PHASE_LABELS,
    PHASES,
    Phase,
    Range,
    RuleDefinition,
    RuleOverride,
    RuleSource,
    RulesSection,
    Scenario,
    check_condition,
    condition_problem,
    describe_validation_error,
    unsafe_character,
)
from mlpm_core.sources import plain_citation
from mlpm_ui.task_table import RowError

RULE_COLUMNS = ("on", "title", "group", "applies", "low", "high", "basis", "probability",
                "note", "source")
EDITABLE = ("on", "low", "high", "probability", "note")
MAX_NOTE = 500


@dataclass(frozen=True)
class RuleRow:
    """One rule as the page shows it."""

    definition: RuleDefinition
    custom: bool
    enabled: bool
    applies: bool
    error: str
    active: ActiveRule
    override: RuleOverride | None
    note: str
    group: str = ""
    """The rule group as the bridge names its step ("Understanding and cleaning the data")."""

    @property
    def id(self) -> str:
        return self.definition.id

    @property
    def status(self) -> str:
        """Whether the rule applies, in a word or two."""
        if self.error:
            return "error"
        return "applies" if self.applies else "does not apply"

    @property
    def multiplier(self) -> Range:
        """The ranged multiplier after this scenario's edit."""
        if self.override is not None and self.override.multiplier is not None:
            return self.override.multiplier
        return self.definition.multiplier

    @property
    def probability(self) -> float:
        """The chance it bites after this scenario's edit."""
        if self.override is not None and self.override.probability is not None:
            return self.override.probability
        return self.definition.probability


def rule_rows(scenario: Scenario) -> list[RuleRow]:
    """Every shipped and custom rule, with whether it would apply if switched on."""
    everything_on = scenario.model_copy(update={
        "rules": scenario.rules.model_copy(update={"disabled": []})})
    checks = check_rules(everything_on)
    disabled = set(scenario.rules.disabled)
    rows = []
    for (definition, custom), check in zip(all_rules(scenario), checks, strict=True):
        rows.append(RuleRow(
            definition=definition, custom=custom, enabled=definition.id not in disabled,
            applies=check.applies, error=check.error, active=check.rule,
            override=scenario.rules.overrides.get(definition.id),
            note=scenario.rules.notes.get(definition.id, ""),
            group=rule_group_label(scenario, definition.group or definition.id),
        ))
    return rows


def phases_text(phases: Sequence[str]) -> str:
    """'Whole project' or the phase names a rule multiplies."""
    return ", ".join(PHASE_LABELS[p] for p in phases) if phases else "Whole project"


def applied_text(rule: ActiveRule) -> str:
    """The multiplier the engine applies, e.g. 'x2' or 'x1.5 to x2.5, 35% of projects'."""
    low = shown_number(rule.low)
    factor = f"x{low}" if rule.exact else f"x{low} to x{shown_number(rule.high)}"
    chance = "" if rule.probability >= 1 else f", in {rule.probability:.0%} of projects"
    return factor + chance


def rules_frame(rows: list[RuleRow]) -> pd.DataFrame:
    """The table the editor starts from, indexed by rule id."""
    records = [{
        "on": row.enabled, "title": row.definition.title + (" (custom)" if row.custom else ""),
        "group": row.group,
        "applies": row.status, "low": row.multiplier.low, "high": row.multiplier.high,
        "basis": RANGE_BASIS_LABELS.get(row.definition.range_basis, row.definition.range_basis),
        "probability": row.probability, "note": row.note,
        "source": (f"{plain_citation(row.definition.source.id)}: "
                   f"\u201c{row.definition.source.quote}\u201d"),
    } for row in rows]
    frame = pd.DataFrame(records, columns=list(RULE_COLUMNS),
                         index=pd.Index([row.id for row in rows], dtype=object))
    return frame.astype({"on": bool, "low": float, "high": float, "probability": float})


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _override(row: Mapping[str, Any] | pd.Series, definition: RuleDefinition) -> tuple[
        RuleOverride | None, list[str]]:
    """The override a row describes (None: the rule's own values), or what is wrong."""
    low, high, probability = (_number(row.get(key)) for key in ("low", "high", "probability"))
    problems = []
    if low is None or high is None:
        problems.append("give both ends of the multiplier range")
    elif low <= 0:
        problems.append("the multiplier's low end must be above 0")
    elif low > high:
        problems.append(f"the multiplier's low end ({shown_number(low)}) must be <= its high "
                        f"end ({shown_number(high)})")
    elif high > 100:
        problems.append("the multiplier's high end must be at most 100")
    if probability is None or not 0 <= probability <= 1:
        problems.append("the probability must be between 0 and 1")
    if problems:
        return None, problems
    assert low is not None and high is not None and probability is not None
    shipped = definition.multiplier
    multiplier = None if (low, high) == (shipped.low, shipped.high) else Range(low=low, high=high)
    chance = None if probability == definition.probability else probability
    if multiplier is None and chance is None:
        return None, []
    try:
        return RuleOverride(multiplier=multiplier, probability=chance), []
    except ValidationError as error:
        return None, [describe_validation_error(error)]


def _section_problem(error: ValidationError) -> str:
    """A rules-section error without the location, when it is the whole section's."""
    return describe_validation_error(error).removeprefix("the document: ")


def _product_problems(section: RulesSection, overrides: dict[str, RuleOverride]) -> list[str]:
    """Why these edits cannot be saved together (the product of the multipliers), if so."""
    try:
        RulesSection.model_validate({**section.model_dump(), "overrides": {
            key: value.model_dump() for key, value in overrides.items()}})
    except ValidationError as error:
        return [_section_problem(error)]
    return []


def rules_from_table(frame: pd.DataFrame, scenario: Scenario) -> tuple[RulesSection, list[
        RowError]]:
    """The scenario's rules section after the edits in ``frame`` (rows indexed by rule id).

    Rows that are not in the table (ids of rules that no longer exist) keep their settings.
    """
    section = scenario.rules
    definitions = {definition.id: definition for definition, _ in all_rules(scenario)}
    disabled = [rule_id for rule_id in section.disabled if rule_id not in frame.index]
    overrides = {key: value for key, value in section.overrides.items()
                 if key not in frame.index}
    notes = {key: value for key, value in section.notes.items() if key not in frame.index}
    errors = []
    for number, (rule_id, row) in enumerate(frame.iterrows(), start=1):
        definition = definitions.get(str(rule_id))
        if definition is None:
            continue
        if not bool(row.get("on")):
            disabled.append(definition.id)
        elif problem := condition_problem(definition.when):
            disabled.append(definition.id)  # a stale saved rule: refused, not a crash
            errors.append(RowError(number, definition.title, f"stays switched off: {problem}"))
        note = row.get("note")
        note = "" if note is None or (isinstance(note, float) and math.isnan(note)) else str(
            note).strip()
        override, problems = _override(row, definition)
        unsafe = unsafe_character(note, multiline=True)
        if unsafe:
            problems.append(f"the note must be text without control characters; found {unsafe}")
            note = section.notes.get(definition.id, "")
        if note:
            notes[definition.id] = note[:MAX_NOTE]
        if override is not None and not problems:
            problems = _product_problems(section, {**overrides, definition.id: override})
        if problems:
            errors.append(RowError(number, definition.title, "; ".join(problems)))
            if definition.id in section.overrides:
                overrides[definition.id] = section.overrides[definition.id]
        elif override is not None:
            overrides[definition.id] = override
    updated = section.model_copy(update={"disabled": disabled, "overrides": overrides,
                                         "notes": notes})
    return RulesSection.model_validate(updated.model_dump()), errors


# ------------------------------------------------------------------------------ custom rules
def known_fields(scenario: Scenario) -> list[str]:
    """Field paths a condition may use (scenario answers and ``derived.*`` facts)."""
    return sorted(flatten(condition_context(scenario)))


def rule_id_from_title(title: str) -> str:
    """A rule id from its title: lower-case words joined by underscores."""
    slug = re.sub(r"[^a-z0-9]+", "_", title.casefold()).strip("_")[:56]
    return f"custom_{slug}" if slug else "custom_rule"


def custom_rule(scenario: Scenario, *, title: str, when: str, low: float | None,
                high: float | None, strict: float | None = None,
                phases: list[str] | None = None, probability: float = 1.0,
                why: str = "") -> RuleDefinition:
    """A new custom rule from the form's values; a ``UserError`` says what to fix.

    The condition must parse and pass the type check (a typo gets a 'did you mean',
    ``data.size < 3`` a message pointing at the column); the id comes from the title and must
    not be taken by another rule.
    """
    title = title.strip()
    if not title:
        raise UserError("give the rule a title, e.g. 'New vendor API: add a third'")
    when = when.strip()
    try:
        check_condition(when)
    except ConditionError as error:
        raise UserError(f"the condition does not work: {error}") from None
    if low is None or high is None:
        raise UserError("give both ends of the multiplier range, e.g. 1.2 and 1.6")
    rule_id = rule_id_from_title(title)
    if rule_id in {definition.id for definition, _ in all_rules(scenario)}:
        raise UserError(f"a rule with the id '{rule_id}' exists already; choose another title")
    unknown = sorted(set(phases or []) - set(PHASES))
    if unknown:
        raise UserError(f"unknown phase(s): {', '.join(unknown)}")
    try:
        return RuleDefinition(
            id=rule_id, title=title, when=when, multiplier=Range(low=low, high=high),
            strict_multiplier=strict, probability=probability,
            applies_to=cast("list[Phase]", list(phases or [])),  # checked against PHASES above
            source=RuleSource(id="user", quote=why.strip() or "Added by the user."),
        )
    except ValidationError as error:
        raise UserError(describe_validation_error(error)) from None


def with_custom_rule(scenario: Scenario, rule: RuleDefinition) -> RulesSection:
    """The rules section with one more custom rule."""
    document = scenario.rules.model_dump()
    document["custom"].append(rule.model_dump())
    try:
        return RulesSection.model_validate(document)
    except ValidationError as error:  # e.g. one rule too many for the multipliers' product
        raise UserError(_section_problem(error)) from None


def without_custom_rule(scenario: Scenario, rule_id: str) -> RulesSection:
    """The rules section without a custom rule (and without its switches, edits and note)."""
    section = scenario.rules
    return RulesSection.model_validate({
        **section.model_dump(),
        "custom": [rule.model_dump() for rule in section.custom if rule.id != rule_id],
        "disabled": [key for key in section.disabled if key != rule_id],
        "overrides": {key: value.model_dump() for key, value in section.overrides.items()
                      if key != rule_id},
        "notes": {key: value for key, value in section.notes.items() if key != rule_id},
    })
