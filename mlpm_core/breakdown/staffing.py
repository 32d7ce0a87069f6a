"""Tasks and team kept in agreement: a change of team takes the tasks along.

A scenario refuses tasks whose role is not on a (non-empty) team. Without help, removing a role
from the team would mean re-assigning every one of its tasks by hand first; instead its tasks go
to the nearest role that is on the team, in the same fallback order the generated breakdown
uses (``data/templates/roles.toml``), and the caller says what moved.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from mlpm_core.breakdown.fit import RoleTable, load_roles
from mlpm_core.scenario import ROLE_LABELS, Role, Scenario, Task, TeamMember, label, role_name


@dataclass(frozen=True)
class Move:
    """Tasks that went from one role to another."""

    source: Role
    target: Role
    tasks: int

    def sentence(self) -> str:
        count = "1 task" if self.tasks == 1 else f"{self.tasks} tasks"
        return (f"{label(ROLE_LABELS, self.source)} work ({count}) given to the "
                f"{role_name(self.target)}")


def tasks_for_team(tasks: list[Task], team: list[TeamMember],
                   roles: RoleTable | None = None) -> tuple[list[Task], list[Move]]:
    """``tasks`` with every role that ``team`` lacks replaced by its nearest role on it."""
    on_team = [member.role for member in team]
    if not on_team:
        return list(tasks), []
    table = roles or load_roles()
    target: dict[Role, Role] = {}
    for task in tasks:
        if task.role not in on_team and task.role not in target:
            order = table.role[task.role].fallbacks
            target[task.role] = next(other for other in order if other in on_team)
    moved = [task.model_copy(update={"role": target[task.role]}) if task.role in target
             else task for task in tasks]
    counts = Counter(task.role for task in tasks if task.role in target)
    return moved, [Move(role, target[role], count) for role, count in counts.items()]


def give_tasks(tasks: list[Task], source: Role, target: Role) -> tuple[list[Task], int]:
    """Every ``source`` task given to ``target``, and how many there were."""
    moved = [task.model_copy(update={"role": target}) if task.role == source else task
             for task in tasks]
    return moved, sum(task.role == source for task in tasks)


def assumed_team_sentence(scenario: Scenario) -> str | None:
    """What the estimate assumes when no team is given (a visible assumption, not a default
    nobody sees); None when there is a team or nothing to staff."""
    if scenario.team or not scenario.tasks:
        return None
    roles = sorted({task.role for task in scenario.tasks})
    rate = TeamMember(role=roles[0]).day_rate
    names = ", ".join(label(ROLE_LABELS, role) for role in roles)
    return (f"No team given: each role in the tasks ({names}) is assumed to be one full-time "
            f"person at {rate.low:g}-{rate.high:g} {scenario.project.currency} a day. Add the "
            "team on Team & tasks to set FTE and day rates.")


# FTE counts people: 50 typed for "half my time" makes fifty people. Ten or more in one role is
# rare enough to ask about (mlpm's judgement), and common enough that it is a question, not an
# error.
LARGE_ROLE_FTE = 10.0


def _fte_shown(member: TeamMember) -> str:
    low, high = member.fte.low, member.fte.high
    return f"{high:g}" if low == high else f"{low:g}-{high:g}"


def large_fte_sentence(scenario: Scenario) -> str | None:
    """A question when a role's FTE reads like a percentage (ten or more full-time people in
    one role): such a team finishes in days and every week looks idle, so the duration and the
    team cost would be off by a factor of a hundred. None when no role is that large."""
    large = [member for member in scenario.team if member.fte.high >= LARGE_ROLE_FTE]
    if not large:
        return None
    named = "; ".join(f"{label(ROLE_LABELS, member.role)} {_fte_shown(member)}"
                      for member in large)
    return (f"FTE counts full-time people: {named} FTE means that many people working on "
            "the project full time. If a share of one person's time was meant, enter it as a "
            "fraction (50% is 0.5).")
