"""Workshop views as table rows and form choices: plain data for the pages to draw.

No Streamlit here, so the wording and the escaping are unit-tested. Every cell that can hold user
text (task names, display names) goes through :func:`mlpm_ui.text.md`, because ``st.table``
renders Markdown in its cells; numbers are formatted, never computed (the core summarises).
"""

from __future__ import annotations

import json
import typing
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from mlpm_core.errors import UserError
from mlpm_core.scenario import Scenario
from mlpm_core.store import ProvenanceRecord
from mlpm_core.wording import counted
from mlpm_core.workshop import (
    RISK_QUESTIONS,
    AdoptionPlan,
    AnswerSummary,
    Member,
    RiskAnswers,
    RoundView,
    Spread,
    TaskEstimate,
    TaskRound,
    checked_estimates,
)
from mlpm_ui.labels import field_label, option_label
from mlpm_ui.text import md

AGREEMENT = {"close": "close", "some": "some disagreement", "wide": "wide disagreement"}
NOT_ANSWERED = "Not answered"
# Empty cells say so in words: st.table renders Markdown, where a lone "-" is a list bullet
# (it read as a mark on every row that is *not* an outlier).
NONE = "none"
NO_ESTIMATES = "no estimates"


def days(value: float) -> str:
    """Days as a short number: 2, 2.5, 12.25."""
    return f"{round(value, 2):g}"


def three_points(optimistic: float, most_likely: float, pessimistic: float) -> str:
    """"2 / 4 / 9" (optimistic / most likely / pessimistic days)."""
    return " / ".join(days(v) for v in (optimistic, most_likely, pessimistic))


def spread_text(spread: Spread) -> str:
    """Envelope and middle half of a group's ranges, in days."""
    return (f"{days(spread.low)}-{days(spread.high)} days; middle half of the centres "
            f"{days(spread.q1)}-{days(spread.q3)}")


def round_summary_rows(view: RoundView) -> list[dict[str, Any]]:
    """Per task: how many estimated it, the group's aggregate, spread, agreement, outliers."""
    rows = []
    for task in view.tasks:
        outliers = ", ".join(f"{md(entry.label)} ({entry.outlier})"
                             for entry in task.entries if entry.outlier)
        rows.append({
            "Task": md(task.task_name),
            "Estimates": len(task.entries),
            "Group (median O / ML / P days)": (
                three_points(task.aggregate.optimistic, task.aggregate.most_likely,
                             task.aggregate.pessimistic) if task.aggregate else NO_ESTIMATES),
            "Spread": spread_text(task.spread) if task.spread else NO_ESTIMATES,
            "Agreement": AGREEMENT[task.spread.agreement] if task.spread else NO_ESTIMATES,
            "Outliers": outliers or NONE,
        })
    return rows


def entry_rows(task: TaskRound) -> list[dict[str, Any]]:
    """Every participant's range for one task (labels as the view gives them)."""
    return [{"Who": md(entry.label) + (" (you)" if entry.is_you else ""),
             "Optimistic": days(entry.optimistic), "Most likely": days(entry.most_likely),
             "Pessimistic": days(entry.pessimistic),
             "Outlier": {"low": "low (below the middle half)",
                         "high": "high (above the middle half)"}.get(entry.outlier or "", "no")}
            for entry in task.entries]


def member_rows(members: Sequence[Member]) -> list[dict[str, Any]]:
    """Who joined, and who has submitted in the current round."""
    return [{"Participant": md(member.label) + (" (you)" if member.is_you else ""),
             "Submitted this round": "yes" if member.submitted_this_round else "not yet"}
            for member in members]


def answer_value(field: str, value: Any) -> str:
    """One answer to a risk question as a person would say it."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int | float):
        return f"{value:g}"
    return option_label(RISK_QUESTIONS[field], str(value))


def answer_rows(answers: Sequence[AnswerSummary]) -> list[dict[str, Any]]:
    """Per risk question anyone answered: the counts and the consensus adopt would write."""
    return [{"Question": field_label(summary.path),
             "Answers": ", ".join(f"{answer_value(summary.field, value)}: {count}"
                                  for value, count in summary.counts),
             "Consensus": ("tie: the scenario keeps its answer" if summary.consensus is None
                           else answer_value(summary.field, summary.consensus))}
            for summary in answers]


# ------------------------------------------------------------------------------ the form
def question_choices(field: str) -> list[Any]:
    """The choices of a risk question, "not answered" (None) first; numeric questions: []."""
    annotation = RiskAnswers.model_fields[field].annotation
    choices: list[Any] = [None]
    for arm in typing.get_args(annotation):
        if arm is bool:
            choices += [True, False]
        elif typing.get_origin(arm) is typing.Literal:
            choices += list(typing.get_args(arm))
    return choices if len(choices) > 1 else []


def choice_label(field: str, choice: Any) -> str:
    """The label of one choice of a risk question."""
    return NOT_ANSWERED if choice is None else answer_value(field, choice)


def previous_estimates(view_rounds: Sequence[RoundView]) -> dict[str, TaskEstimate]:
    """The viewer's own ranges from the latest earlier round, by task (to start round 2 from)."""
    found: dict[str, TaskEstimate] = {}
    for round_view in view_rounds:
        for task in round_view.tasks:
            for entry in task.entries:
                if entry.is_you:
                    found[task.task_name] = TaskEstimate(task.task_name, entry.optimistic,
                                                         entry.most_likely, entry.pessimistic)
    return found


def estimates_from_form(task_names: Sequence[str],
                        values: Sequence[Sequence[float | None]],
                        ) -> tuple[list[TaskEstimate], list[str]]:
    """The tasks given all three numbers, and a message for each task given only some or in
    the wrong order: every problem at once (the room's own check stopped at the first, so a
    participant needed a Submit per mistake)."""
    estimates, problems = [], []
    for name, points in zip(task_names, values, strict=True):
        given = [v is not None for v in points]
        if all(given):
            estimate = TaskEstimate(name, *(float(v) for v in points if v is not None))
            try:
                estimates += checked_estimates([estimate], [name])
            except UserError as error:
                problems.append(str(error))
        elif any(given):
            problems.append(f"Task '{name}': give all three numbers (optimistic, most likely, "
                            "pessimistic) or leave all three empty.")
    return estimates, problems


def answers_from_form(values: dict[str, Any]) -> tuple[RiskAnswers, list[str]]:
    """The risk answers given, and one message per answer out of range, naming its question
    ("An answer to a risk question is out of range" left the participant to guess which)."""
    kept, problems = {}, []
    for field, value in values.items():
        try:
            RiskAnswers(**{field: value})
        except ValidationError as error:
            reason = error.errors()[0]["msg"].removeprefix("Value error, ")
            got = f" (got {value:g})" if isinstance(value, float) else ""
            problems.append(f"{field_label(RISK_QUESTIONS[field])}: {reason}{got}")
            continue
        kept[field] = value
    return RiskAnswers(**kept), problems


def fingerprint(round_number: int, estimates: Sequence[TaskEstimate],
                answers: RiskAnswers | None) -> str:
    """What a submission contains, as text: equal text means a retry of the same submission."""
    return json.dumps({"round": round_number,
                       "estimates": [[e.task_name, float(e.optimistic), float(e.most_likely),
                                      float(e.pessimistic)] for e in estimates],
                       "answers": answers.given() if answers else {}}, sort_keys=True)


# ------------------------------------------------------------------------------ adoption
def adoption_preview_rows(scenario: Scenario, plan: AdoptionPlan) -> list[dict[str, Any]]:
    """What adopting changes: each task's current and adopted three points, each answer."""
    current = {task.name: task for task in scenario.tasks}
    rows = []
    for task in plan.tasks:
        now = current.get(task.name)
        rows.append({"Item": md(task.name),
                     "Now": three_points(now.optimistic, now.most_likely, now.pessimistic)
                     if now else NONE,
                     "Adopted (tasks: O / ML / P days)": three_points(
                         task.values.optimistic, task.values.most_likely,
                         task.values.pessimistic),
                     "From": f"{task.participants} estimate"
                             f"{'' if task.participants == 1 else 's'}"})
    for answer in plan.answers:
        field = answer.path.replace(".", "_", 1)
        section, name = answer.path.split(".")
        before = getattr(getattr(scenario, section), name)
        rows.append({"Item": field_label(answer.path),
                     "Now": NOT_ANSWERED if before is None else answer_value(field, before),
                     "Adopted (tasks: O / ML / P days)": answer_value(field, answer.value),
                     "From": counted(answer.participants, "answer")})
    return rows


def provenance_rows(records: Sequence[ProvenanceRecord]) -> list[dict[str, Any]]:
    """Where each adopted value came from, newest first."""
    rows = []
    for record in reversed(records):
        if record.kind == "task":
            item, value = md(record.item), three_points(
                record.optimistic or 0.0, record.most_likely or 0.0, record.pessimistic or 0.0)
        else:
            field = record.item.replace(".", "_", 1)
            item, value = field_label(record.item), answer_value(field, record.value)
        rows.append({"Adopted (UTC)": record.adopted_at[:16].replace("T", " "),
                     "Room": md(record.room_title), "Round": record.round, "Item": item,
                     "Value (O / ML / P days)": value, "From": record.participants,
                     "Scenario version": record.scenario_version})
    return rows
