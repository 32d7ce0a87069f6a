"""Workshop rounds, pure: a round's submissions as people see them, and what adopting writes.

``workshop_store.py`` reads the rows and decides who may see what; this module only arranges
them. Names follow one rule: an entry is labelled with the display name when the caller says
names are shown (the facilitator after ``reveal_names``), otherwise "Participant N", where N is
the order of joining, the same in every round, so that a facilitator can say "Participant 3,
why so high?" and Participant 3 (whose own view marks the entry as theirs) can choose to answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from mlpm_core.errors import UserError
from mlpm_core.scenario import Scenario, scenario_from_document
from mlpm_core.workshop.aggregate import (
    RISK_QUESTIONS,
    AnswerSummary,
    RiskAnswers,
    Spread,
    TaskEstimate,
    ThreePoint,
    aggregate,
    outliers,
    spread,
    summarise_answers,
)


@dataclass(frozen=True)
class RoomTask:
    """A task as the scenario had it when the room opened (the plan the group starts from)."""

    name: str
    phase: str
    role: str
    optimistic: float
    most_likely: float
    pessimistic: float


@dataclass(frozen=True)
class Room:
    """A workshop room, without any secret: safe to show and to keep in a session."""

    id: str
    scenario_id: str
    scenario_version: int
    title: str
    tasks: tuple[RoomTask, ...]
    created_at: str
    expires_at: str
    closed_at: str | None
    current_round: int
    names_revealed: bool
    questions: tuple[str, ...] = tuple(RISK_QUESTIONS)  # RiskAnswers fields asked, in order
    archived_at: str | None = None
    deleted_at: str | None = None
    has_code: bool = False  # a short room code opens it too (rooms opened before codes: no)

    def accepting(self, now: str) -> bool:
        """Open for joining and submitting at UTC time ``now`` (utc_now() text)."""
        return self.closed_at is None and self.deleted_at is None and now < self.expires_at


@dataclass(frozen=True)
class Participant:
    """Someone who joined a room. ``secret`` is set only on the object ``join`` (or the
    facilitator's ``reissue_seat``) returns.

    Keep ``id`` and ``secret`` in the participant's session: every later call needs both, and
    only a hash of the secret is stored, so a lost secret means asking the facilitator for a
    new one (``reissue_seat``).
    """

    id: str
    room_id: str
    number: int
    display_name: str
    joined_at: str
    secret: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class SubmittedRange:
    """One stored three-point estimate, with who made it (the input to a round summary)."""

    participant_id: str
    number: int
    display_name: str
    task_name: str
    optimistic: float
    most_likely: float
    pessimistic: float


@dataclass(frozen=True)
class RangeEntry:
    """One participant's range for a task in a round, as shown."""

    label: str  # display name, or "Participant N"
    number: int
    optimistic: float
    most_likely: float
    pessimistic: float
    outlier: str | None  # "low", "high" or None (rule: workshop.py docstring)
    is_you: bool


@dataclass(frozen=True)
class TaskRound:
    """Every range for one task in one round, with the group's aggregate and spread."""

    task_name: str
    entries: tuple[RangeEntry, ...]
    aggregate: ThreePoint | None  # None when nobody estimated the task in this round
    spread: Spread | None


@dataclass(frozen=True)
class RoundView:
    """One round: per task the ranges, and per risk question how the group answered."""

    number: int
    tasks: tuple[TaskRound, ...]
    answers: tuple[AnswerSummary, ...]
    participants: int  # how many submitted anything in this round


@dataclass(frozen=True)
class Member:
    """A person in the room as listed in a view."""

    label: str
    number: int
    submitted_this_round: bool
    is_you: bool


@dataclass(frozen=True)
class RoomView:
    """What one viewer may see of a room right now (built by ``workshop_store.room_view``).

    Facilitator: every round up to the current one, names if revealed. Participant: only the
    rounds before the current one, always anonymised, plus their own current-round input.
    """

    room: Room
    as_facilitator: bool
    members: tuple[Member, ...]
    rounds: tuple[RoundView, ...]
    you: Participant | None = None
    your_estimates: tuple[TaskEstimate, ...] = ()
    your_answers: RiskAnswers | None = None
    # When the room received this participant's latest current-round input (UTC, ISO): the
    # page acknowledges a submission from the store, so a reload shows the same receipt.
    your_submitted_at: str | None = None


def label(number: int, display_name: str, names: bool) -> str:
    """"Participant N" unless names are shown."""
    return display_name if names else f"Participant {number}"


def summarise_round(number: int, task_names: Sequence[str], rows: Sequence[SubmittedRange],
                    answers: Sequence[tuple[str, RiskAnswers]], *, names: bool,
                    viewer_id: str | None = None) -> RoundView:
    """Arrange one round's rows by task (in ``task_names`` order), entries by participant."""
    tasks = []
    for task in task_names:
        mine = sorted((r for r in rows if r.task_name == task), key=lambda r: r.number)
        points = [ThreePoint(r.optimistic, r.most_likely, r.pessimistic) for r in mine]
        flagged = outliers(points)
        entries = tuple(
            RangeEntry(label(r.number, r.display_name, names), r.number, r.optimistic,
                       r.most_likely, r.pessimistic, flagged.get(i), r.participant_id == viewer_id)
            for i, r in enumerate(mine))
        tasks.append(TaskRound(task, entries, aggregate(points) if points else None,
                               spread(points) if points else None))
    who = {r.participant_id for r in rows} | {pid for pid, a in answers if a.given()}
    return RoundView(number, tuple(tasks), tuple(summarise_answers([a for _, a in answers])),
                     len(who))


@dataclass(frozen=True)
class AdoptedTask:
    """A task whose three points were replaced by a round's aggregate."""

    name: str
    values: ThreePoint
    participants: int


@dataclass(frozen=True)
class AdoptedAnswer:
    """A scenario field set from a round's consensus answer."""

    path: str
    value: Any
    participants: int


@dataclass(frozen=True)
class AdoptionPlan:
    """The new scenario and what changed (tasks not in the scenario any more are skipped)."""

    scenario: Scenario
    tasks: tuple[AdoptedTask, ...]
    answers: tuple[AdoptedAnswer, ...]
    skipped_tasks: tuple[str, ...]


def plan_adoption(scenario: Scenario, round_view: RoundView, *,
                  include_answers: bool = True) -> AdoptionPlan:
    """The scenario with the round's aggregates written into its tasks (matched by name) and,
    optionally, its consensus answers into the answer fields. Tasks nobody estimated keep
    their values; answers without a consensus (a tie, or a single answer) keep the
    scenario's."""
    document = scenario.model_dump(mode="json")
    by_name: dict[str, list[dict[str, Any]]] = {}
    for task in document["tasks"]:
        by_name.setdefault(task["name"], []).append(task)
    adopted, skipped = [], []
    for task_round in round_view.tasks:
        if task_round.aggregate is None:
            continue
        targets = by_name.get(task_round.task_name, [])
        if len(targets) > 1:
            raise UserError(f"The scenario has {len(targets)} tasks named "
                            f"'{task_round.task_name}'; rename them apart before adopting.")
        if not targets:
            skipped.append(task_round.task_name)
            continue
        agg = task_round.aggregate
        targets[0].update(optimistic=agg.optimistic, most_likely=agg.most_likely,
                          pessimistic=agg.pessimistic)
        adopted.append(AdoptedTask(task_round.task_name, agg, len(task_round.entries)))
    answers = []
    for summary in round_view.answers if include_answers else ():
        if summary.consensus is None:
            continue
        section, name = summary.path.split(".")
        document[section][name] = summary.consensus
        answers.append(AdoptedAnswer(summary.path, summary.consensus, summary.answered))
    return AdoptionPlan(scenario_from_document(document), tuple(adopted), tuple(answers),
                        tuple(skipped))
