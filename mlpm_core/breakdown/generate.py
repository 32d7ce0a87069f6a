"""A proposed work breakdown from the answers, using the templates in ``data/templates/``.

Templates are data: blocks of tasks, each block with a condition in the safe condition language
(the same as the rules of thumb) and the seed it follows. A scenario gets the tasks of every block
whose condition holds, in lifecycle-phase order, one task per name.

The proposal is then fitted to the project (:mod:`mlpm_core.breakdown.fit`): each task's days
are scaled by the factors of ``data/templates/scale.toml`` for the stage, data size, archetype
and team size (coordination tasks shrink or drop in a small team) and rounded to half days, and a
task whose role is not on the team goes to the nearest role that is
(``data/templates/roles.toml``). Without team rows every template role is kept.

:func:`propose` returns a :class:`Proposal`: the tasks and the notes to show with them (one
per remapped role, one per size factor). A task from a block with ``covers`` (a ``group`` of
``data/rules.toml`` whose risk the block budgets for) carries it as ``Task.covers``, so the engine
does not multiply that task again by that group's rules. :func:`propose_tasks` is the tasks
alone.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator, model_validator

from mlpm_core.breakdown.fit import FIT_FILES, AppliedFactor, fit_for, role_notes, scaled_days
from mlpm_core.conditions import ConditionError, parse
from mlpm_core.errors import UserError
from mlpm_core.paths import repo_data_dir
from mlpm_core.rules import all_rules, condition_context
from mlpm_core.scenario import (
    PHASES,
    Phase,
    Role,
    RuleSource,
    Scenario,
    StrictModel,
    Task,
    TeamMember,
    describe_validation_error,
)
from mlpm_core.wording import counted

TEMPLATES_DIR = "templates"


class TemplateTask(StrictModel):
    """A task as a template states it: three-point ``days`` in one list."""

    name: str = Field(min_length=1, max_length=200)
    phase: Phase
    role: Role
    days: tuple[float, float, float] = Field(
        description="[optimistic, most likely, pessimistic] person-days."
    )

    @field_validator("days", mode="before")
    @classmethod
    def _from_list(cls, value: Any) -> Any:
        """TOML writes the three points as a list; the strict schema takes a tuple as is."""
        return tuple(value) if isinstance(value, list) else value

    @model_validator(mode="after")
    def _valid_task(self) -> TemplateTask:
        self.to_task()  # the scenario's own checks (order, bounds), with its messages
        return self

    def to_task(self) -> Task:
        """The scenario task this template line proposes."""
        optimistic, most_likely, pessimistic = self.days
        return Task(name=self.name, phase=self.phase, role=self.role, optimistic=optimistic,
                    most_likely=most_likely, pessimistic=pessimistic)


class TemplateBlock(StrictModel):
    """Tasks that belong together, proposed when the block's condition holds."""

    id: str = Field(pattern=r"^[a-z0-9_]{1,64}$")
    title: str = Field(min_length=1, max_length=200)
    when: str = Field(min_length=1, max_length=2000)
    source: RuleSource
    covers: str = Field("", pattern=r"^[a-z0-9_]{0,64}$", description=(
        "The rule group (data/rules.toml) whose risk this block's tasks budget for; empty: "
        "none."))
    tasks: list[TemplateTask] = Field(min_length=1)

    @field_validator("when")
    @classmethod
    def _parses(cls, text: str) -> str:
        try:
            parse(text)
        except ConditionError as error:
            raise ValueError(f"condition does not parse: {error}") from None
        return text


class WorkTemplate(StrictModel):
    """One template file."""

    title: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=1000)
    block: list[TemplateBlock] = Field(min_length=1)


def read_template(path: Path) -> WorkTemplate:
    """One template file, validated; a broken file is reported by name, readably."""
    try:
        return WorkTemplate.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
    except tomllib.TOMLDecodeError as error:
        raise UserError(f"work-breakdown template {path.name} is not valid TOML: {error}") from None
    except ValidationError as error:
        raise UserError(f"work-breakdown template {path.name} is invalid: "
                        f"{describe_validation_error(error)}") from None


def template_paths(directory: Path | None = None) -> list[Path]:
    """The template files in a stable order (the role and size tables beside them are not)."""
    return sorted(path for path in (directory or repo_data_dir() / TEMPLATES_DIR).glob("*.toml")
                  if path.name not in FIT_FILES)


def rule_groups() -> set[str]:
    """The risk groups of the shipped rules of thumb (a rule without a group is its own)."""
    return {rule.group or rule.id for rule, _ in all_rules(Scenario())}


@lru_cache(maxsize=4)
def load_templates(directory: Path | None = None) -> tuple[WorkTemplate, ...]:
    """Every template file, read once; block ids must be unique across files, and a block's
    ``covers`` must name a rule group of ``data/rules.toml``."""
    templates = tuple(read_template(path) for path in template_paths(directory))
    ids = [block.id for template in templates for block in template.block]
    repeated = sorted({block_id for block_id in ids if ids.count(block_id) > 1})
    if repeated:
        raise UserError(f"work-breakdown templates repeat block id(s): {', '.join(repeated)}")
    groups = rule_groups()
    unknown = [f"{block.id} covers '{block.covers}'" for template in templates
               for block in template.block if block.covers and block.covers not in groups]
    if unknown:
        raise UserError(f"work-breakdown templates name unknown rule groups: {'; '.join(unknown)} "
                        f"(known: {', '.join(sorted(groups))})")
    return templates


def matching_blocks(scenario: Scenario,
                    templates: tuple[WorkTemplate, ...] | None = None) -> list[TemplateBlock]:
    """The blocks whose condition holds for this scenario, in file and block order."""
    context = condition_context(scenario)
    found = []
    for template in load_templates() if templates is None else templates:
        for block in template.block:
            try:
                applies = parse(block.when).evaluate(context)
            except ConditionError as error:
                raise UserError(f"work-breakdown block '{block.id}': {error}") from None
            if applies:
                found.append(block)
    return found


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


@dataclass(frozen=True)
class Proposal:
    """A work breakdown proposed for one scenario, with what the app shows beside it."""

    tasks: list[Task]
    """In phase order, one per name, sized for the project and staffed from the team."""
    role_notes: list[str] = field(default_factory=list)
    """One sentence per template role whose tasks went to another role (or: no team yet)."""
    factors: tuple[AppliedFactor, ...] = ()
    """The size factors used, each with its reason."""
    dropped: list[str] = field(default_factory=list)
    """Names of matching template tasks left out (a factor of 0, e.g. managing a solo job)."""
    team_factor: float = 1.0
    """The team size's factor (below 1: a team smaller than the reference, read as a smaller
    project, which the app says beside the proposal)."""
    engineering_factor: float = 1.0
    """All factors together on engineering work (a data scientist's template days)."""

    @property
    def team_scaled_down(self) -> bool:
        return self.team_factor < 1

    @property
    def size_notes(self) -> list[str]:
        """One sentence per size factor used, then what they leave together: four factors of
        0.5 to 0.9 read as modest one by one, yet leave a fifth of the template."""
        notes = [factor.sentence() for factor in self.factors]
        if len(self.factors) > 1:
            notes.append(f"Together: engineering tasks get {self.engineering_factor:.0%} of "
                         "the template days, which are written for a growth-stage product "
                         "built by four or more people.")
        return notes


def propose(scenario: Scenario, templates: tuple[WorkTemplate, ...] | None = None) -> Proposal:
    """The proposal for a scenario: deterministic, in phase order, one task per name.

    When two blocks propose a task of the same name (ignoring case and spacing), the first
    block's version is kept (and its ``covers``).
    """
    fit = fit_for(scenario)
    seen: set[str] = set()
    tasks: list[Task] = []
    template_roles: list[Role] = []
    dropped: list[str] = []
    for block in matching_blocks(scenario, templates):
        for line in block.tasks:
            if _key(line.name) in seen:
                continue
            seen.add(_key(line.name))
            factor = fit.factor_by_role[line.role]
            if factor == 0:
                dropped.append(line.name)
                continue
            optimistic, most_likely, pessimistic = scaled_days(line.days, factor,
                                                               fit.rounding_days)
            tasks.append(Task(name=line.name, phase=line.phase, role=fit.assignee[line.role],
                              optimistic=optimistic, most_likely=most_likely,
                              pessimistic=pessimistic, covers=block.covers))
            template_roles.append(line.role)
    tasks.sort(key=lambda task: PHASES.index(task.phase))
    return Proposal(tasks=tasks, role_notes=role_notes(fit, template_roles),
                    factors=fit.factors, dropped=dropped, team_factor=fit.team_factor,
                    engineering_factor=fit.factor_by_role["data_scientist"])


def propose_tasks(scenario: Scenario,
                  templates: tuple[WorkTemplate, ...] | None = None) -> list[Task]:
    """The proposed tasks for a scenario (:func:`propose` without the notes)."""
    return propose(scenario, templates).tasks


def apply_proposal(scenario: Scenario, proposed: list[Task],
                   mode: Literal["replace", "append"]) -> Scenario:
    """The scenario with the proposed tasks, replacing the list or appended to it.

    Appending skips proposed tasks whose name is already in the list. Roles the new tasks need
    are added to a non-empty team with default FTE and day rate, so the scenario stays valid.
    """
    if mode == "replace":
        tasks = list(proposed)
    else:
        tasks = [*scenario.tasks, *_not_in_table(scenario, proposed)]
    team = list(scenario.team)
    if team:
        on_team = {member.role for member in team}
        for role in dict.fromkeys(task.role for task in tasks):
            if role not in on_team:
                team.append(TeamMember(role=role))
                on_team.add(role)
    document = scenario.model_dump()
    document["tasks"] = [task.model_dump() for task in tasks]
    document["team"] = [member.model_dump() for member in team]
    return Scenario.model_validate(document)


def _not_in_table(scenario: Scenario, proposed: list[Task]) -> list[Task]:
    names = {_key(task.name) for task in scenario.tasks}
    return [task for task in proposed if _key(task.name) not in names]


def missing_from_table(scenario: Scenario, proposal: Proposal) -> list[Task]:
    """The proposed tasks a generated task table lacks (names compared ignoring case and
    spacing): an answer changed after the table was generated (the stage, interpretability, a
    generative-AI route) and the answers now call for work the table does not budget for.

    Empty for a table that shares no task with the proposal: the team wrote its own, and a
    list of every proposed task would be noise, not news.
    """
    missing = _not_in_table(scenario, proposal.tasks)
    return missing if len(missing) < len(proposal.tasks) and scenario.tasks else []


NAMES_SHOWN = 4  # tasks named in the sentence; the rest are counted


def missing_tasks_sentence(missing: list[Task]) -> str | None:
    """What the table lacks, said the same on Team & tasks, in the estimate's warnings and in
    the report's risks: a P50 that leaves out work the answers call for must say so."""
    if not missing:
        return None
    names = [f"\u2018{task.name}\u2019" for task in missing[:NAMES_SHOWN]]
    more = len(missing) - NAMES_SHOWN
    listed = ", ".join(names) + (f" and {more} more" if more > 0 else "")
    return (f"Your answers call for {counted(len(missing), 'task')} that the task table "
            f"lacks: {listed}, removed from it or called for by an answer changed since it was "
            "generated (the stage, interpretability, a data or serving question). The estimate "
            "counts only the tasks in the table: append them on Team & tasks, or keep a task "
            "of that name sized as you judge it.")


def table_lacks_sentence(scenario: Scenario) -> str | None:
    """:func:`missing_tasks_sentence` for the scenario's own table and answers; None when the
    templates cannot be read (Team & tasks says why, with the file and the line)."""
    try:
        return missing_tasks_sentence(missing_from_table(scenario, propose(scenario)))
    except UserError:
        return None


def _sized(scenario: Scenario, scope: Literal["from_team", "full"]) -> Scenario:
    """The scenario with its proposal sized the other way (``project.scope``)."""
    return scenario.model_copy(update={
        "project": scenario.project.model_copy(update={"scope": scope})})


def days_by_scope(scenario: Scenario) -> dict[str, float]:
    """The proposal's most-likely person-days sized from the team and at full scope, so the
    choice between the two is shown in days before the user generates."""
    return {scope: sum(task.most_likely for task in propose(_sized(scenario, scope)).tasks)
            for scope in ("from_team", "full")}


def scope_changes_sizes(scenario: Scenario) -> bool:
    """Whether the two ways of sizing (``project.scope``) propose different days: they differ
    only for a team below the reference tier, so the page can say when the choice does
    nothing."""
    if not scenario.team:
        return False
    other: Literal["from_team", "full"] = (
        "full" if scenario.project.scope == "from_team" else "from_team")
    return fit_for(scenario).factor_by_role != fit_for(_sized(scenario, other)).factor_by_role
