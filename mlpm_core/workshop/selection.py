"""What a room asks: which tasks and which risk questions (the facilitator's choice).

A 36-task breakdown would ask each participant for 108 numbers; a workshop hour holds about
ten tasks. The default is the tasks whose ranges say the most is unknown: the widest
(pessimistic minus optimistic), ties broken by the larger pessimistic value, kept in the
scenario's order so the room reads like the plan.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from mlpm_core.errors import UserError
from mlpm_core.workshop.aggregate import RISK_QUESTIONS

DEFAULT_TASKS = 10


class Ranged(Protocol):
    """A task with a name and a range (a scenario Task or a RoomTask)."""

    name: str
    optimistic: float
    pessimistic: float


def default_task_names(tasks: Sequence[Ranged], limit: int = DEFAULT_TASKS) -> list[str]:
    """The ``limit`` widest ranges (then the largest), in the order of ``tasks``."""
    ranked = sorted(range(len(tasks)), key=lambda i: (
        -(tasks[i].pessimistic - tasks[i].optimistic), -tasks[i].pessimistic, i))
    keep = set(ranked[:limit])
    return [task.name for index, task in enumerate(tasks) if index in keep]


def checked_selection(chosen: Any, available: Sequence[str], what: str) -> list[str]:
    """The chosen names in the order of ``available``; each must be one of them."""
    if chosen is None:
        return list(available)
    if not isinstance(chosen, list | tuple) or not all(isinstance(c, str) for c in chosen):
        raise UserError(f"The {what} must be a list of names.")
    unknown = [c for c in chosen if c not in available]
    if unknown:
        raise UserError(f"There is no {what[:-1]} {unknown[0]!r:.80} to choose.")
    return [name for name in available if name in set(chosen)]


def checked_questions(chosen: Any) -> list[str]:
    """Risk questions (RiskAnswers field names) in their usual order; None means all."""
    return checked_selection(chosen, list(RISK_QUESTIONS), "questions")
