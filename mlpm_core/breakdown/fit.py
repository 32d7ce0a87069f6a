"""Fitting a proposed work breakdown to the team and the size of the project.

Two tables in ``data/templates/`` hold the judgement; they are data, not templates:

- ``roles.toml``: for each role, the other roles that take its tasks when it is not on the team,
  nearest first (every other role once, so some role on any team takes the work);
- ``scale.toml``: factors on the template days per stage, data size and archetype, and per team
  size, where coordination roles get their own, smaller factor (0 drops their tasks).

:func:`fit_for` turns a scenario into a :class:`Fit`: one size factor per template role, the
team role that does each template role's tasks, and the factors used with their reasons.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal, TypeVar, get_args

from pydantic import Field, ValidationError, model_validator

from mlpm_core.errors import UserError
from mlpm_core.paths import repo_data_dir
from mlpm_core.scenario import (
    ROLE_LABELS,
    ROLES,
    Role,
    Scenario,
    StrictModel,
    describe_validation_error,
    label,
)

ROLES_FILE = "roles.toml"
SCALE_FILE = "scale.toml"
FIT_FILES = (ROLES_FILE, SCALE_FILE)


def _choices(section: str, field: str) -> tuple[str, ...]:
    """The values a scenario answer can take (from the schema, so the tables keep up)."""
    section_model = Scenario.model_fields[section].annotation
    return get_args(section_model.model_fields[field].annotation)  # type: ignore[union-attr]


def _readable(text: str) -> str:
    """A role label inside a sentence: 'data scientist', but 'ML engineer', 'DevOps engineer'."""
    first = text.split(" ", 1)[0]
    return text[0].lower() + text[1:] if first[1:] == first[1:].lower() else text


def role_name(role: str) -> str:
    """A role as it reads inside a sentence."""
    return _readable(label(ROLE_LABELS, role))


# ------------------------------------------------------------------------------ roles


class RoleFallback(StrictModel):
    """Who takes a role's tasks when it is not on the team, nearest first, and why."""

    fallbacks: list[Role]
    reason: str = Field(min_length=1, max_length=300)


class RoleTable(StrictModel):
    """``roles.toml``: a complete fallback order for every role."""

    role: dict[Role, RoleFallback]

    @model_validator(mode="after")
    def _complete(self) -> RoleTable:
        missing = [role for role in ROLES if role not in self.role]
        if missing:
            raise ValueError(f"no fallbacks for role(s) {', '.join(missing)}")
        for role, entry in self.role.items():
            others = sorted(other for other in ROLES if other != role)
            if sorted(entry.fallbacks) != others:
                raise ValueError(f"the fallbacks of {role} must name every other role once "
                                 f"({', '.join(others)})")
        return self


# ------------------------------------------------------------------------------ sizes


class SizeFactor(StrictModel):
    """One factor on the template days, with the reason for it and where its number comes from."""

    label: str = Field("", max_length=100)
    factor: float = Field(ge=0, le=10)
    basis: Literal["judgement", "source"]
    reason: str = Field(min_length=1, max_length=300)


class TeamSize(SizeFactor):
    """A team-size tier: up to ``up_to_fte`` FTE (none: any size); ``roles`` override
    ``factor`` for some roles."""

    up_to_fte: float | None = Field(None, gt=0)
    roles: dict[Role, SizeFactor] = Field(default_factory=dict)


class ScaleTable(StrictModel):
    """``scale.toml``: a factor for every stage, data size and archetype, and team-size tiers."""

    rounding_days: float = Field(gt=0, le=5)
    stage: dict[str, SizeFactor]
    data_size: dict[str, SizeFactor]
    archetype: dict[str, SizeFactor]
    team: dict[str, TeamSize] = Field(min_length=1)

    @model_validator(mode="after")
    def _complete(self) -> ScaleTable:
        for name, table, choices in (
            ("stage", self.stage, _choices("project", "stage")),
            ("data_size", self.data_size, _choices("data", "size")),
            ("archetype", self.archetype, _choices("project", "archetype")),
        ):
            if sorted(table) != sorted(choices):
                raise ValueError(f"[{name}] must have exactly one factor for each of "
                                 f"{', '.join(choices)}; it has {', '.join(table) or 'none'}")
            zero = [key for key, entry in table.items() if entry.factor <= 0]
            if zero:
                raise ValueError(f"[{name}] factors must be above 0: {', '.join(zero)}")
        if sum(tier.up_to_fte is None for tier in self.team.values()) != 1:
            raise ValueError("exactly one [team] tier, the largest, has no up_to_fte")
        return self

    def team_size(self, fte: float) -> tuple[str, TeamSize]:
        """The smallest tier that holds a team of ``fte`` full-time equivalents."""
        def limit(item: tuple[str, TeamSize]) -> float:
            return math.inf if item[1].up_to_fte is None else item[1].up_to_fte

        return min((item for item in self.team.items() if fte <= limit(item)), key=limit)


Table = TypeVar("Table", bound=StrictModel)


def _read(path: Path, model: type[Table]) -> Table:
    try:
        return model.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
    except tomllib.TOMLDecodeError as error:
        raise UserError(f"work-breakdown table {path.name} is not valid TOML: {error}") from None
    except ValidationError as error:
        raise UserError(f"work-breakdown table {path.name} is invalid: "
                        f"{describe_validation_error(error)}") from None


@lru_cache(maxsize=4)
def load_roles(path: Path | None = None) -> RoleTable:
    """The role fallback table, validated once."""
    return _read(path or repo_data_dir() / "templates" / ROLES_FILE, RoleTable)


@lru_cache(maxsize=4)
def load_scale(path: Path | None = None) -> ScaleTable:
    """The size-factor table, validated once."""
    return _read(path or repo_data_dir() / "templates" / SCALE_FILE, ScaleTable)


# ------------------------------------------------------------------------------ one scenario


@dataclass(frozen=True)
class AppliedFactor:
    """A size factor used for one proposal, as the app shows it."""

    applies_to: str
    factor: float
    basis: str
    reason: str

    def sentence(self) -> str:
        """'MVP x0.5 (mlpm's judgement): An MVP is ...'; a factor of 0 reads 'dropped'."""
        effect = "dropped" if self.factor == 0 else f"\u00d7{self.factor:g}"
        basis = "mlpm's judgement" if self.basis == "judgement" else "the source's factor"
        return f"{self.applies_to} {effect} ({basis}): {self.reason}"


@dataclass(frozen=True)
class Fit:
    """How one scenario's template tasks are sized and staffed."""

    factor_by_role: dict[Role, float]
    """Template role -> the product of every factor its tasks get (0: the tasks are dropped)."""
    assignee: dict[Role, Role]
    """Template role -> the team role that does its tasks (itself when it is on the team)."""
    passed_over: dict[Role, tuple[Role, ...]]
    """Template role -> the roles tried before its assignee, none of them on the team."""
    factors: tuple[AppliedFactor, ...]
    """Every factor used, in the order stage, data size, archetype, team size, roles."""
    staffed: bool
    """Whether the scenario has team rows (without them roles and team size are not fitted)."""
    rounding_days: float


def fit_for(scenario: Scenario, roles: RoleTable | None = None,
            scale: ScaleTable | None = None) -> Fit:
    """The sizes and the staffing of a proposal for this scenario."""
    roles = roles or load_roles()
    scale = scale or load_scale()
    picked = [scale.stage[scenario.project.stage], scale.data_size[scenario.data.size],
              scale.archetype[scenario.project.archetype]]
    applied = [AppliedFactor(entry.label or label({}, key), entry.factor, entry.basis,
                             entry.reason)
               for entry, key in zip(picked, (scenario.project.stage, scenario.data.size,
                                              scenario.project.archetype), strict=True)]
    common = math.prod(entry.factor for entry in picked)
    factor_by_role = dict.fromkeys(ROLES, common)
    on_team = list(dict.fromkeys(member.role for member in scenario.team))
    if on_team:
        fte = sum(member.fte.midpoint for member in scenario.team)
        key, tier = scale.team_size(fte)
        applied.append(AppliedFactor(f"{tier.label or label({}, key)} ({fte:g} FTE)",
                                     tier.factor, tier.basis, tier.reason))
        for role in ROLES:
            own = tier.roles.get(role)
            factor_by_role[role] = common * (own.factor if own else tier.factor)
            if own:
                applied.append(AppliedFactor(f"{label(ROLE_LABELS, role)} tasks in this team",
                                             own.factor, own.basis, own.reason))
        order = {role: (role, *roles.role[role].fallbacks) for role in ROLES}
        assignee = {role: next(other for other in order[role] if other in on_team)
                    for role in ROLES}
        passed_over = {role: order[role][:order[role].index(assignee[role])] for role in ROLES}
    else:
        assignee = {role: role for role in ROLES}
        passed_over = {role: () for role in ROLES}
    return Fit(factor_by_role=factor_by_role, assignee=assignee, passed_over=passed_over,
               factors=tuple(applied), staffed=bool(on_team),
               rounding_days=scale.rounding_days)


def scaled_days(days: tuple[float, float, float], factor: float,
                step: float) -> tuple[float, float, float]:
    """Three points times ``factor``, each rounded half up to ``step`` and at least one step.

    Rounding is monotone, so ordered points stay ordered.
    """
    def one(value: float) -> float:
        steps = round(value * factor / step, 9)  # 2.5 steps stays 2.5 despite float noise
        return max(step, math.floor(steps + 0.5) * step)

    optimistic, most_likely, pessimistic = days
    return one(optimistic), one(most_likely), one(pessimistic)


def role_notes(fit: Fit, task_roles: list[Role]) -> list[str]:
    """One sentence per template role whose tasks went to another role, or why none moved.

    ``task_roles`` are the template roles of the proposed tasks (after any were dropped).
    """
    if not fit.staffed:
        return ["No team rows yet: the tasks keep every role the templates name (each counts "
                "as one full-time person). Add your team to give the tasks to its roles and to "
                "size them for it."]
    notes = []
    counts = {role: task_roles.count(role) for role in dict.fromkeys(task_roles)}
    for role, count in counts.items():
        target = fit.assignee[role]
        if target == role:
            continue
        missing = [role_name(other) for other in fit.passed_over[role]]
        absent = missing[0] if len(missing) == 1 else f"{', '.join(missing[:-1])} or {missing[-1]}"
        tasks = "1 task" if count == 1 else f"{count} tasks"
        notes.append(f"{label(ROLE_LABELS, role)} work ({tasks}) assigned to the "
                     f"{role_name(target)}: no {absent} on the team.")
    return notes
