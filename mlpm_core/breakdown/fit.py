"""Fitting a proposed work breakdown to the team and the size of the project.

Two tables in ``data/templates/`` hold the judgement; they are data, not templates:

- ``roles.toml``: for each role, the other roles that take its tasks when it is not on the team,
  nearest first (every other role once, so some role on any team takes the work);
- ``scale.toml``: factors on the template days per stage, data size and archetype, and per team
  size, where coordination roles get their own, smaller factor (0 drops their tasks); the
  team-size factors are linear in the team's FTE between the tiers' anchors (``at_fte``).

:func:`fit_for` turns a scenario into a :class:`Fit`: one size factor per template role, the
team role that does each template role's tasks, and the factors used with their reasons.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
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
    role_name,
)
from mlpm_core.wording import shown_fte

ROLES_FILE = "roles.toml"
SCALE_FILE = "scale.toml"
FIT_FILES = (ROLES_FILE, SCALE_FILE)


def _choices(section: str, field: str) -> tuple[str, ...]:
    """The values a scenario answer can take (from the schema, so the tables keep up)."""
    section_model = Scenario.model_fields[section].annotation
    return get_args(section_model.model_fields[field].annotation)  # type: ignore[union-attr]


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
    """A team-size tier: its factors hold exactly for a team of ``at_fte`` FTE; ``roles``
    override ``factor`` for some roles. Between two tiers' anchors the factors are linear in
    FTE, so one more tenth of a person never makes a cliff in the proposal."""

    at_fte: float = Field(gt=0, le=1000)
    roles: dict[Role, SizeFactor] = Field(default_factory=dict)


@dataclass(frozen=True)
class TeamPlace:
    """Where a team of ``fte`` sits among the tiers: at (or beyond) one tier's anchor, or
    ``weight`` of the way from ``lower``'s anchor to ``upper``'s."""

    fte: float
    lower: tuple[str, TeamSize]
    upper: tuple[str, TeamSize] | None = None
    weight: float = 0.0

    def factor(self, role: Role | None = None) -> float:
        """The team-size factor (``role``: that role's own factor, else the tier's)."""
        low = _tier_factor(self.lower[1], role).factor
        if self.upper is None:
            return low
        return low + (_tier_factor(self.upper[1], role).factor - low) * self.weight

    def nearest(self) -> tuple[str, TeamSize]:
        """The tier whose anchor is nearer (the lower one at half way)."""
        return self.upper if self.upper is not None and self.weight > 0.5 else self.lower


def _tier_factor(tier: TeamSize, role: Role | None) -> SizeFactor:
    """The tier's own entry for ``role``, else the tier itself."""
    return tier.roles.get(role, tier) if role is not None else tier


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
        anchors = [tier.at_fte for tier in self.team.values()]
        if len(set(anchors)) != len(anchors):
            raise ValueError("each [team] tier needs its own at_fte")
        return self

    def team_place(self, fte: float) -> TeamPlace:
        """Where a team of ``fte`` full-time equivalents sits among the tiers' anchors: flat
        below the first and above the last, linear between two."""
        tiers = sorted(self.team.items(), key=lambda item: item[1].at_fte)
        if fte <= tiers[0][1].at_fte:
            return TeamPlace(fte, tiers[0])
        for lower, upper in pairwise(tiers):
            if fte < upper[1].at_fte:
                if fte == lower[1].at_fte:
                    return TeamPlace(fte, lower)
                weight = (fte - lower[1].at_fte) / (upper[1].at_fte - lower[1].at_fte)
                return TeamPlace(fte, lower, upper, weight)
        return TeamPlace(fte, tiers[-1])


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


def _times(factor: float) -> str:
    """'\u00d70.54': two decimals, or one significant digit for a factor that small."""
    shown = round(factor, 2)
    return f"\u00d7{shown:g}" if shown > 0 or factor == 0 else f"\u00d7{factor:.1g}"


@dataclass(frozen=True)
class AppliedFactor:
    """A size factor used for one proposal, as the app shows it."""

    applies_to: str
    factor: float
    basis: str
    reason: str
    between: str = ""
    """For a team between two tiers' anchors: which two, with their factors (else empty)."""

    def sentence(self) -> str:
        """'MVP x0.5 (mlpm's judgement): An MVP is ...'; a factor of 0 reads 'dropped'; a
        team between two tiers names both before the reason."""
        effect = "dropped" if self.factor == 0 else _times(self.factor)
        basis = "mlpm's judgement" if self.basis == "judgement" else "the source's factor"
        between = f"between {self.between}. " if self.between else ""
        return f"{self.applies_to} {effect} ({basis}): {between}{self.reason}"


def _tier_name(item: tuple[str, TeamSize]) -> str:
    return item[1].label or label({}, item[0])


def team_factors(place: TeamPlace) -> list[AppliedFactor]:
    """The team-size factor and each role's own one, as the app shows them.

    At an anchor or outside the anchors: the tier's label and reason, and a line per role the
    tier overrides. Between two anchors: the interpolated factor, both tiers with their own
    factors, and the nearer tier's reason; a role gets a line when either tier overrides it.
    Interpolating is mlpm's judgement, whatever the basis of the two ends.
    """
    fte = f"{shown_fte(place.fte)} FTE"
    if place.upper is None:
        tier = place.lower[1]
        applied = [AppliedFactor(f"{_tier_name(place.lower)} ({fte})", tier.factor, tier.basis,
                                 tier.reason)]
        applied += [AppliedFactor(f"{label(ROLE_LABELS, role)} tasks in this team",
                                  tier.roles[role].factor, tier.roles[role].basis,
                                  tier.roles[role].reason) for role in ROLES if role in tier.roles]
        return applied
    lower, upper = place.lower, place.upper
    near = place.nearest()[1]

    def ends(role: Role | None) -> str:
        low, high = _tier_factor(lower[1], role), _tier_factor(upper[1], role)
        return (f"'{_tier_name(lower)}' ({_times(low.factor)} at {lower[1].at_fte:g} FTE) and "
                f"'{_tier_name(upper)}' ({_times(high.factor)} at {upper[1].at_fte:g} FTE)")

    applied = [AppliedFactor(f"Team of {fte}", place.factor(), "judgement", near.reason,
                             ends(None))]
    for role in (role for role in ROLES if role in lower[1].roles or role in upper[1].roles):
        applied.append(AppliedFactor(f"{label(ROLE_LABELS, role)} tasks in this team",
                                     place.factor(role), "judgement",
                                     _tier_factor(near, role).reason, ends(role)))
    return applied


def coordination_share(place: TeamPlace, role: Role) -> float:
    """With the full scope, a role's factor relative to its team tier's (a product manager at
    0.25 in a tier of 0.4 keeps 0.625 of the template days; a manager at 0 none): the scope
    stays whole, coordination still shrinks with the team."""
    return min(1.0, place.factor(role) / place.factor())


def full_scope_factors(place: TeamPlace) -> list[AppliedFactor]:
    """The factors of a proposal sized for the full scope, whatever the team."""
    fte = f"{shown_fte(place.fte)} FTE"
    applied = [AppliedFactor(f"Full scope, team of {fte}", 1.0, "judgement",
                             "You chose to size the work for the full template scope: the "
                             "team's size sets the pace and the duration, not the work.")]
    near = place.nearest()[1]
    applied += [AppliedFactor(f"{label(ROLE_LABELS, role)} tasks in this team",
                              coordination_share(place, role), "judgement",
                              _tier_factor(near, role).reason)
                for role in ROLES if coordination_share(place, role) < 1]
    return applied


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
    team_factor: float = 1.0
    """The team size's factor on every task (below 1: the team is read as a smaller project)."""


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
    team_factor = 1.0
    if on_team:
        place = scale.team_place(scenario.team_fte)
        if scenario.project.scope == "full":
            applied += full_scope_factors(place)
            for role in ROLES:
                factor_by_role[role] = common * coordination_share(place, role)
        else:
            team_factor = place.factor()
            applied += team_factors(place)
            for role in ROLES:
                factor_by_role[role] = common * place.factor(role)
        order = {role: (role, *roles.role[role].fallbacks) for role in ROLES}
        assignee = {role: next(other for other in order[role] if other in on_team)
                    for role in ROLES}
        passed_over = {role: order[role][:order[role].index(assignee[role])] for role in ROLES}
    else:
        assignee = {role: role for role in ROLES}
        passed_over = {role: () for role in ROLES}
    return Fit(factor_by_role=factor_by_role, assignee=assignee, passed_over=passed_over,
               factors=tuple(applied), staffed=bool(on_team),
               rounding_days=scale.rounding_days,
               team_factor=team_factor)


def scaled_days(days: tuple[float, float, float], factor: float,
                step: float) -> tuple[float, float, float]:
    """Three points times ``factor``, each rounded half up to ``step`` and at least one step.

    Rounding is monotone, so ordered points stay ordered. A template with a range keeps one:
    scaled small, (1, 2, 3) days would round to half a day three times, a task with no
    uncertainty at all, so its pessimistic point stays at least a step above its optimistic.
    """
    def one(value: float) -> float:
        steps = round(value * factor / step, 9)  # 2.5 steps stays 2.5 despite float noise
        return max(step, math.floor(steps + 0.5) * step)

    optimistic, most_likely, pessimistic = days
    low, likely, high = one(optimistic), one(most_likely), one(pessimistic)
    if pessimistic > optimistic:
        high = max(high, low + step)
    return low, likely, high


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
