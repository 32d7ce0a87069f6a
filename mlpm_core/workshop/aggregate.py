"""Workshop rooms, the pure part: what participants send, and how a group's ranges are summarised.

Persistence and access control live in ``workshop_store.py``; everything here is plain data and
arithmetic, so it is unit-tested without a database (``tests/unit/workshop/test_aggregate.py``).

The three rules a facilitator relies on, stated once:

* **Aggregate** (what ``adopt`` writes into the scenario): the median of the participants'
  optimistic values, the median of their most-likely values and the median of their pessimistic
  values, each taken separately. Why: in a room of 3 to 10 people one wild range would drag a
  mean (and so the PERT mean of pooled points) far off, while wideband Delphi wants outliers
  *discussed* and re-estimated, not averaged in; and because order statistics keep elementwise
  order, the three medians are always a valid optimistic <= most likely <= pessimistic triple
  that lies within the submitted values.
* **Centre** of one person's range: its PERT mean, (optimistic + 4 x most likely + pessimistic)
  / 6, the expected value under the engine's default task distribution.
* **Outlier**: with at least 3 ranges, a range [optimistic, pessimistic] that does not touch the
  group's middle range, the interquartile range [Q1, Q3] of the centres (quartiles by linear
  interpolation, numpy's default, i.e. Excel's QUARTILE.INC). It is "high" when its optimistic
  value is above Q3, "low" when its pessimistic value is below Q1. Also an outlier: a range
  that touches no other range while most ranges touch another, on the side of the median
  centre it misses. In a room of three, one wild range pulls Q3 up to meet itself (12-30,
  10-25 and 40-90 gave Q3 40.3, so 40-90 touched it), which the quartiles alone missed. With
  fewer than 3 ranges nobody is an outlier: with two people there is no majority to be out
  of line with.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from pydantic import Field

from mlpm_core.errors import UserError
from mlpm_core.scenario import Scenario, StrictModel, unsafe_character

MAX_DAYS = 1e5  # as Task
MAX_TITLE = 200
MAX_DISPLAY_NAME = 60
MAX_KEY = 100
MIN_OUTLIER_GROUP = 3
MIN_CONSENSUS_ANSWERS = 2  # a group answer needs two people (summarise_answers)


# ------------------------------------------------------------------------------ inputs
@dataclass(frozen=True)
class TaskEstimate:
    """One participant's three-point estimate (person-days) for one task of the room."""

    task_name: str
    optimistic: float
    most_likely: float
    pessimistic: float


class RiskAnswers(StrictModel):
    """One participant's answers to the room's risk questions; None means "not answered".

    Each field is a scenario field: ``data_complexity`` is ``data.complexity`` (see
    ``RISK_QUESTIONS``), with the same allowed values, so an adopted answer is always valid.
    """

    data_complexity: Literal["simple", "complex"] | None = None
    data_cleanliness: Literal["clean", "some_issues", "dirty", "unknown"] | None = None
    data_size: Literal["small", "big"] | None = None
    data_structure: Literal["structured", "unstructured"] | None = None
    data_labels_obtainable: bool | None = None
    difficulty_solved_before: (
        Literal["public_solution", "sota_model", "similar", "novel"] | None) = None
    difficulty_adversaries: bool | None = None
    difficulty_research_share: float | None = Field(None, ge=0, le=1)
    quality_p_reach_threshold: float | None = Field(None, ge=0, le=1)
    quality_evaluation_complexity: Literal["simple", "moderate", "complicated"] | None = None

    def given(self) -> dict[str, Any]:
        """The answered questions only, by field name."""
        return self.model_dump(exclude_none=True)


# RiskAnswers field -> scenario path ("data_complexity" -> "data.complexity").
RISK_QUESTIONS: dict[str, str] = {
    name: name.replace("_", ".", 1) for name in RiskAnswers.model_fields
}
NUMERIC_QUESTIONS = frozenset({"difficulty_research_share", "quality_p_reach_threshold"})


def question_text(field: str) -> str:
    """The scenario's help text for a risk question, to show next to it."""
    section, name = RISK_QUESTIONS[field].split(".")
    model = type(getattr(Scenario(), section))
    return model.model_fields[name].description or name


def _plain_text(value: Any, what: str, limit: int) -> str:
    """User text, returned exactly as given; only its length and control characters are checked.

    Control characters, line separators, lone surrogates and noncharacters are refused (the
    rule of the scenario's single-line text, ``mlpm_core.scenario.text``) because they are never
    meant in a name and some databases cannot store them (PostgreSQL refuses NUL in text).
    """
    if not isinstance(value, str) or not value.strip():
        raise UserError(f"The {what} is empty.")
    if len(value) > limit:
        raise UserError(f"The {what} is {len(value)} characters long; at most {limit} fit.")
    problem = unsafe_character(value)
    if problem is not None:
        raise UserError(f"The {what} contains control characters (such as a line break): "
                        f"{problem}.")
    return value


def checked_title(title: Any) -> str:
    """A room title: 1 to 200 characters of text."""
    return _plain_text(title, "room title", MAX_TITLE)


def checked_display_name(name: Any) -> str:
    """A participant's display name: 1 to 60 characters, stored as given."""
    return _plain_text(name, "display name", MAX_DISPLAY_NAME)


def checked_key(key: Any) -> str:
    """An idempotency key: 1 to 100 printable characters (a fresh uuid4 per submit click)."""
    if not isinstance(key, str) or not 1 <= len(key) <= MAX_KEY or not key.isprintable():
        raise UserError("The submission key must be 1 to 100 printable characters; "
                        "the page should make a new one for every click of Submit.")
    return key


def _days(value: Any, task: str, point: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise UserError(f"Task '{task}': the {point} estimate must be a number of days.")
    if not math.isfinite(value) or not 0 <= value <= MAX_DAYS:
        raise UserError(f"Task '{task}': the {point} estimate must be between 0 and "
                        f"{MAX_DAYS:,.0f} days, got {value:g}.")
    return float(value)


def checked_estimates(estimates: Any, task_names: Sequence[str]) -> list[TaskEstimate]:
    """Estimates for known tasks, each ordered, non-negative and bounded; one per task at most."""
    if not isinstance(estimates, list | tuple):
        raise UserError("The estimates must be a list of task estimates.")
    known, seen, checked = set(task_names), set(), []
    for estimate in estimates:
        if not isinstance(estimate, TaskEstimate):
            raise UserError("Each estimate must be a TaskEstimate.")
        name = estimate.task_name
        if not isinstance(name, str) or name not in known or unsafe_character(name):
            raise UserError(f"There is no task {name!r:.80} in this workshop room.")
        if name in seen:
            raise UserError(f"Task '{name}' is estimated twice in one submission.")
        seen.add(name)
        o, m, p = (_days(getattr(estimate, point), name, point.replace("_", " "))
                   for point in ("optimistic", "most_likely", "pessimistic"))
        if not o <= m <= p:
            raise UserError(f"Task '{name}': the estimates must be optimistic <= most likely <= "
                            f"pessimistic, got {o:g} / {m:g} / {p:g} days.")
        checked.append(TaskEstimate(name, o, m, p))
    return checked


# ------------------------------------------------------------------------------ aggregation
@dataclass(frozen=True)
class ThreePoint:
    """Optimistic, most likely and pessimistic days."""

    optimistic: float
    most_likely: float
    pessimistic: float

    @property
    def centre(self) -> float:
        """The PERT mean: (optimistic + 4 x most likely + pessimistic) / 6, kept inside the
        range: in floating point, three equal points of 1.4 give 1.4000000000000001, which put
        a group of identical ranges below its own quartiles (every range an outlier)."""
        mean = (self.optimistic + 4 * self.most_likely + self.pessimistic) / 6
        return min(max(mean, self.optimistic), self.pessimistic)


@dataclass(frozen=True)
class Spread:
    """How far apart a group's ranges are."""

    low: float  # the lowest optimistic value
    high: float  # the highest pessimistic value
    most_likely_low: float
    most_likely_high: float
    q1: float  # quartiles of the centres (PERT means)
    median: float
    q3: float
    relative: float  # (q3 - q1) / median of the centres; 0 when the median is 0

    @property
    def agreement(self) -> Literal["close", "some", "wide"]:
        """A plain-language reading of ``relative``: under 0.2 close, under 0.5 some, else wide."""
        return "close" if self.relative < 0.2 else "some" if self.relative < 0.5 else "wide"


def _non_empty(ranges: Sequence[ThreePoint]) -> Sequence[ThreePoint]:
    if not ranges:
        raise ValueError("no ranges to summarise")
    return ranges


def aggregate(ranges: Sequence[ThreePoint]) -> ThreePoint:
    """The group's three points: the median of each point taken separately (module docstring)."""
    _non_empty(ranges)
    return ThreePoint(statistics.median(r.optimistic for r in ranges),
                      statistics.median(r.most_likely for r in ranges),
                      statistics.median(r.pessimistic for r in ranges))


def _quartiles(ranges: Sequence[ThreePoint]) -> tuple[float, float, float]:
    q1, q2, q3 = np.percentile([r.centre for r in ranges], [25, 50, 75])
    return float(q1), float(q2), float(q3)


def spread(ranges: Sequence[ThreePoint]) -> Spread:
    """Envelope, most-likely span and quartiles of the centres of a group's ranges."""
    _non_empty(ranges)
    q1, median, q3 = _quartiles(ranges)
    return Spread(
        low=min(r.optimistic for r in ranges), high=max(r.pessimistic for r in ranges),
        most_likely_low=min(r.most_likely for r in ranges),
        most_likely_high=max(r.most_likely for r in ranges),
        q1=q1, median=median, q3=q3, relative=(q3 - q1) / median if median > 0 else 0.0,
    )


def _isolated(ranges: Sequence[ThreePoint]) -> list[bool]:
    """Whether each range touches no other range."""
    return [not any(other.optimistic <= r.pessimistic and r.optimistic <= other.pessimistic
                    for j, other in enumerate(ranges) if j != i)
            for i, r in enumerate(ranges)]


def outliers(ranges: Sequence[ThreePoint]) -> dict[int, Literal["low", "high"]]:
    """Index -> "low"/"high" for each range that misses the middle range [Q1, Q3] of centres,
    or that touches no other range while most do (module docstring)."""
    if len(ranges) < MIN_OUTLIER_GROUP:
        return {}
    q1, median, q3 = _quartiles(ranges)
    isolated = _isolated(ranges)
    alone_counts = 2 * sum(isolated) < len(ranges)  # most ranges touch another
    found: dict[int, Literal["low", "high"]] = {}
    for index, r in enumerate(ranges):
        alone = alone_counts and isolated[index]
        if r.pessimistic < q1 or (alone and r.pessimistic < median):
            found[index] = "low"
        elif r.optimistic > q3 or (alone and r.optimistic > median):
            found[index] = "high"
    return found


@dataclass(frozen=True)
class AnswerSummary:
    """How a group answered one risk question, and the value adopt would write (if any)."""

    field: str  # RiskAnswers field name
    path: str  # scenario path, e.g. "data.complexity"
    answered: int
    counts: tuple[tuple[Any, int], ...]  # (value, how many), most common first
    consensus: Any | None  # median for numbers; the single most common choice; None on a tie


def summarise_answers(answer_sets: Sequence[RiskAnswers]) -> list[AnswerSummary]:
    """Per question that anyone answered: counts and consensus (median, or a clear mode), from
    at least ``MIN_CONSENSUS_ANSWERS`` answers: one person's answer adopted as "the group's"
    moved a feasibility score to its go line."""
    summaries = []
    for field, path in RISK_QUESTIONS.items():
        values = [getattr(a, field) for a in answer_sets if getattr(a, field) is not None]
        if not values:
            continue
        ranked = Counter(values).most_common()
        if len(values) < MIN_CONSENSUS_ANSWERS:
            consensus: Any = None
        elif field in NUMERIC_QUESTIONS:
            consensus = statistics.median(values)
        else:
            tied = len(ranked) > 1 and ranked[0][1] == ranked[1][1]
            consensus = None if tied else ranked[0][0]
        summaries.append(AnswerSummary(field, path, len(values), tuple(ranked), consensus))
    return summaries
