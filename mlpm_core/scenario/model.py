"""The Scenario: every answer about one candidate ML project, in one versioned document.

The question sections are in ``mlpm_core.scenario.sections``; here is what binds them into one
document: its version, the team and the work breakdown (whose roles and phases the estimate,
breakdown and report count on), and how the rules and the simulation run on it. Field
descriptions double as help text in the app, so they are written for the person answering, not
for a programmer.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from mlpm_core.errors import shown_number
from mlpm_core.scenario.limits import (
    FTE_MAX,
    FTE_MIN,
    MAX_CUSTOM_RULES,
    MAX_TASKS,
    MAX_TEAM,
    TASK_DAYS_MAX,
    MoneyRange,
    check_multiplier_product,
)
from mlpm_core.scenario.ranges import Range, StrictModel, certain, span
from mlpm_core.scenario.rule_spec import RuleDefinition, RuleId, RuleOverride
from mlpm_core.scenario.sections import (
    CostsSection,
    DataSection,
    DifficultySection,
    ProjectSection,
    QualitySection,
    TechnicalSection,
    ValueSection,
)
from mlpm_core.scenario.stale_rules import read_switched_off_rules
from mlpm_core.scenario.text import SafeLine, SafeText
from mlpm_core.scenario.vocabulary import PHASE_LABELS as PHASE_LABELS
from mlpm_core.scenario.vocabulary import PHASES as PHASES
from mlpm_core.scenario.vocabulary import ROLE_LABELS as ROLE_LABELS
from mlpm_core.scenario.vocabulary import ROLES as ROLES
from mlpm_core.scenario.vocabulary import Phase, Role

SCHEMA_VERSION = 1

# Phases and roles are defined once, in vocabulary.py; importable from here too.


class TeamMember(StrictModel):
    """One role on the team, with how much of it the project gets and what a day costs."""

    role: Role = Field(description="The role (from the Google guide's ML team).")
    fte: Range = Field(
        default_factory=lambda: certain(1.0),
        description="Full-time equivalents on this project (2 = two people full time).",
    )
    day_rate: MoneyRange = Field(
        default_factory=lambda: span(500.0, 900.0),
        description="Cost of one person-day, as a 90% range.",
    )

    @field_validator("fte")
    @classmethod
    def _positive_fte(cls, value: Range) -> Range:
        if value.low < FTE_MIN or value.high > FTE_MAX:
            raise ValueError(f"FTE must lie between {shown_number(FTE_MIN)} and "
                             f"{shown_number(FTE_MAX)}")
        return value

    @field_validator("day_rate")
    @classmethod
    def _non_negative_rate(cls, value: Range) -> Range:
        if value.low < 0:
            raise ValueError("a day rate cannot be negative")
        return value


class Task(StrictModel):
    """One piece of work with a three-point estimate in person-days."""

    name: SafeLine = Field(min_length=1, max_length=200, description="What the work is.")
    phase: Phase = Field(description="Lifecycle phase the task belongs to.")
    role: Role = Field(description="The role that does it.")
    optimistic: float = Field(ge=0, le=TASK_DAYS_MAX, description="Days if everything goes "
                              "well.")
    most_likely: float = Field(ge=0, le=TASK_DAYS_MAX, description="Days you would bet on.")
    pessimistic: float = Field(ge=0, le=TASK_DAYS_MAX, description="Days if things go badly "
                               "(but not a disaster).")
    covers: str = Field(
        "", pattern=r"^[a-z0-9_]{0,64}$",
        description="The risk this task already budgets for, as a rule group (e.g. "
        "data_understanding for data cleaning): that group's rules do not multiply this task "
        "again. Empty: none.",
    )
    ongoing: bool = Field(
        False,
        description="Runs alongside the whole project (management, stakeholder check-ins, "
        "reviews) rather than in its phase: its days take a steady share of its role's time "
        "over the project's length instead of lengthening the phase. Its phase still decides "
        "which rules multiply it.",
    )

    @property
    def pert_mean(self) -> float:
        """(optimistic + 4 x most likely + pessimistic) / 6: the bridge's starting point."""
        return (self.optimistic + 4 * self.most_likely + self.pessimistic) / 6

    @model_validator(mode="after")
    def _ordered(self) -> Task:
        if not self.optimistic <= self.most_likely <= self.pessimistic:
            raise ValueError(
                f"task '{self.name}': estimates must be optimistic <= most likely <= "
                f"pessimistic, got {shown_number(self.optimistic)} / "
                f"{shown_number(self.most_likely)} / "
                f"{shown_number(self.pessimistic)} days"
            )
        return self


class RulesSection(StrictModel):
    """How the rules of thumb apply to this scenario."""

    mode: Literal["ranged", "strict"] = Field(
        "ranged", description="Ranged: multipliers are 90% ranges (e.g. 1.5-2.5 for 'double "
        "it'). Strict: exactly the rule's stated factor (x2)."
    )
    disabled: list[RuleId] = Field(default_factory=list, max_length=500,
                                   description="Ids of rules switched off for this scenario.")
    overrides: dict[RuleId, RuleOverride] = Field(
        default_factory=dict, description="Edited multiplier ranges or probabilities by rule id."
    )
    custom: list[RuleDefinition] = Field(default_factory=list, max_length=MAX_CUSTOM_RULES,
                                         description="Rules added for this scenario.")
    notes: dict[RuleId, SafeText] = Field(
        default_factory=dict, max_length=500,
        description="Why a rule was switched off or edited, by rule id (shown in the report).",
        json_schema_extra={"descriptive": True},  # explains the edits, changes no number
    )

    _stale_rules_readable = field_validator("custom", mode="before")(read_switched_off_rules)

    @model_validator(mode="after")
    def _finite_product(self) -> RulesSection:
        """Only the largest multiplier of a group applies; an edited shipped rule's group is
        not known here, so each edit counts as a group of its own (never too lenient)."""
        groups: dict[str, list[float]] = {}
        for rule in self.custom:
            high = max(rule.multiplier.high, rule.strict_multiplier or 0.0)
            groups.setdefault(rule.group or f"custom:{rule.id}", []).append(high)
        for rule_id, override in self.overrides.items():
            if override.multiplier is not None:
                groups.setdefault(f"override:{rule_id}", []).append(override.multiplier.high)
        check_multiplier_product(groups.values())
        return self


class SimulationSection(StrictModel):
    """How the Monte Carlo simulation runs."""

    trials: int = Field(20000, ge=5000, le=1_000_000,
                        description="Number of simulated projects (5,000 to 1,000,000).")
    seed: int = Field(20240601, ge=0, le=2**32 - 1,
                      description="Random seed: same scenario and seed give the same numbers.")
    task_distribution: Literal["pert", "triangular", "lognormal"] = Field(
        "pert", description="Shape of each task's three-point estimate."
    )
    correlation: bool = Field(
        True, description="Share an estimator-bias factor across tasks so totals are not "
        "falsely narrow."
    )
    reference_class: str = Field(
        "default", pattern=r"^[A-Za-z0-9_-]{1,64}$",
        description="Reference class for the estimator-bias factor."
    )
    phase_sigma: float = Field(
        0.1, ge=0, le=2, description="Spread of a factor shared by tasks of one phase "
        "(log-scale standard deviation; 0 switches it off)."
    )


class Scenario(StrictModel):
    """One candidate ML project: answers, work breakdown, costs, value, rules, simulation."""

    # The document's format, checked on load: not a question, so it changes nothing.
    schema_version: int = Field(SCHEMA_VERSION, description="Scenario format version.",
                                json_schema_extra={"descriptive": True})
    project: ProjectSection = Field(default_factory=ProjectSection,
                                    description="What the project is and what it is for.")
    data: DataSection = Field(default_factory=DataSection, description="Data availability.")
    difficulty: DifficultySection = Field(default_factory=DifficultySection,
                                          description="Problem difficulty.")
    quality: QualitySection = Field(default_factory=QualitySection,
                                    description="Prediction quality.")
    technical: TechnicalSection = Field(default_factory=TechnicalSection,
                                        description="Technical requirements.")
    team: list[TeamMember] = Field(default_factory=list, max_length=MAX_TEAM,
                                   description="The team by role.")
    tasks: list[Task] = Field(default_factory=list, max_length=MAX_TASKS,
                              description="The work breakdown.")
    costs: CostsSection = Field(default_factory=CostsSection,
                                description="Machine, data and running costs.")
    value: ValueSection = Field(default_factory=ValueSection,
                                description="What success is worth, and when.")
    rules: RulesSection = Field(default_factory=RulesSection,
                                description="How the rules of thumb apply.")
    simulation: SimulationSection = Field(default_factory=SimulationSection,
                                          description="How the simulation runs.")

    @property
    def team_fte(self) -> float:
        """The whole team's full-time equivalents at their midpoints: the one sum that the
        pace, the capacity before a deadline and a dedicated team's cost all start from."""
        return sum(member.fte.midpoint for member in self.team)

    @field_validator("schema_version")
    @classmethod
    def _current_version(cls, value: int) -> int:
        if value != SCHEMA_VERSION:
            raise ValueError(
                f"schema_version {value} is not supported (this mlpm reads {SCHEMA_VERSION})"
            )
        return value

    @model_validator(mode="after")
    def _roles_unique_and_staffed(self) -> Scenario:
        roles = [member.role for member in self.team]
        duplicates = sorted({role for role in roles if roles.count(role) > 1})
        if duplicates:
            raise ValueError(f"team lists role(s) more than once: {', '.join(duplicates)}; "
                             "use FTE for several people in one role")
        if self.team:
            missing = sorted({task.role for task in self.tasks} - set(roles))
            if missing:
                raise ValueError(
                    f"tasks are assigned to role(s) not on the team: {', '.join(missing)}"
                )
        return self

    @model_validator(mode="after")
    def _lognormal_tasks_above_zero(self) -> Scenario:
        """A lognormal shape has no zero: the engine would refuse the task mid-run."""
        if self.simulation.task_distribution != "lognormal":
            return self
        for number, task in enumerate(self.tasks, start=1):
            if task.optimistic <= 0:
                raise ValueError(
                    f"task {number} '{task.name}': the lognormal task distribution needs an "
                    f"optimistic estimate above 0 days, got {shown_number(task.optimistic)}; "
                    "give it a "
                    "small positive number or choose the PERT or triangular distribution"
                )
        return self

    def team_member(self, role: Role) -> TeamMember:
        """The team entry for a role; a default full-time member when the team is empty."""
        for member in self.team:
            if member.role == role:
                return member
        return TeamMember(role=role)
