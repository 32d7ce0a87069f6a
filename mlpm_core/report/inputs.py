"""The inputs appendix of a report: the task table, the team and the key answers.

Values are formatted for reading ("yes", "not set", "GBP 500–900"); the texts are stored as the
user typed them and escaped by each renderer.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from mlpm_core.report.numbers import format_money, format_percent, format_plain
from mlpm_core.scenario import (
    PHASE_LABELS,
    ROLE_LABELS,
    Range,
    Scenario,
    field_applies,
    option_label,
    wording,
)

# (section, question, field path, how to show it); "money" values get the currency code.
ANSWERS: tuple[tuple[str, str, str, str], ...] = (
    ("Project", "Archetype", "project.archetype", "code"),
    ("Project", "Task type", "project.task_type", "code"),
    ("Project", "Business metric", "project.business_metric", "text"),
    ("Project", "Business target", "project.business_target", "text"),
    ("Project", "Could simple rules solve it?", "project.rules_baseline", "code"),
    ("Project", "Budget for this stage", "project.budget", "money"),
    ("Project", "Deadline (weeks)", "project.deadline_weeks", "plain"),
    ("Project", "Calendar waits (weeks)", "project.wait_weeks", "plain"),
    ("Data", "Labelled examples available / needed", "data.labelled_available", "labels"),
    ("Data", "Missing labels can be obtained", "data.labels_obtainable", "plain"),
    ("Data", "Cost of one label", "data.label_cost", "money"),
    ("Data", "Features available at serving time", "data.features_at_serving", "code"),
    ("Data", "Personal data / legal basis", "data.personal_data", "privacy"),
    ("Data", "Size, complexity, structure", "data.size", "shape"),
    ("Data", "Cleanliness", "data.cleanliness", "code"),
    ("Data", "Generative-AI route", "data.genai_route", "code"),
    ("Data", "Positive cases: share / events a year / examples needed", "data.positive_share",
     "positives"),
    ("Difficulty", "Solved before", "difficulty.solved_before", "code"),
    ("Difficulty", "Human success rate", "difficulty.human_success_rate", "percent"),
    ("Difficulty", "Adversaries", "difficulty.adversaries", "plain"),
    ("Difficulty", "Models to build", "difficulty.models_count", "plain"),
    ("Difficulty", "Research share", "difficulty.research_share", "percent"),
    ("Quality", "Metric", "quality.metric", "text"),
    ("Quality", "Target / acceptability threshold / baseline", "quality.target", "quality"),
    ("Quality", "Your own chance of reaching the threshold", "quality.p_reach_threshold",
     "chance"),
    ("Quality", "Evaluation", "quality.evaluation_complexity", "code"),
    ("Quality", "Error costs: false positive / false negative / cases a year / share missed",
     "quality.cases_per_year", "errors"),
    ("Technical", "Platform", "technical.platform", "code"),
    ("Technical", "p95 latency target (ms)", "technical.latency_p95_ms", "plain"),
    ("Technical", "Peak / mean queries per second", "technical.peak_qps", "qps"),
    ("Technical", "Mean queries per second", "technical.mean_qps", "plain"),
    ("Technical", "Batch: runs a year / predictions per run / window (hours)",
     "technical.batch_runs_per_year", "batch"),
    ("Technical", "Model size (million parameters)", "technical.model_parameters_millions",
     "plain"),
    ("Technical", "Tokens in / out per request", "technical.tokens_in", "tokens"),
    ("Technical", "Retraining", "technical.retraining", "code"),
    ("Technical", "Devices: count / RAM / accelerator / cost each", "technical.device",
     "device"),
    ("Costs", "Own cost lines", "costs.custom_lines", "lines"),
    ("Value", "Annual benefit at full adoption", "value.annual_benefit", "money"),
    ("Value", "Horizon (years)", "value.horizon_years", "plain"),
    ("Value", "Discount rate", "value.discount_rate", "percent"),
    ("Value", "Adoption by year", "value.adoption", "adoption"),
    ("Simulation", "Task distribution / rules mode", "simulation.task_distribution", "model"),
)


class AppendixModel(BaseModel):
    """Base of the appendix blocks."""

    model_config = ConfigDict(extra="forbid")


class TaskRow(AppendixModel):
    """One task of the work breakdown."""

    name: str
    phase: str
    role: str
    optimistic: str
    most_likely: str
    pessimistic: str


class TeamRow(AppendixModel):
    """One role on the team."""

    role: str
    fte: str
    day_rate: str


class AnswerRow(AppendixModel):
    """One key answer of the scenario."""

    section: str
    question: str
    answer: str


class InputsAppendix(AppendixModel):
    """What the estimate was computed from."""

    tasks: list[TaskRow]
    team: list[TeamRow]
    answers: list[AnswerRow]


def format_range(value: Range, currency: str = "") -> str:
    """``'500–900'`` (a 90% range), ``'5'`` (certain) or ``'2–8 (most likely 4)'``."""
    prefix = f"{currency} " if currency else ""
    if value.low == value.high:
        return f"{prefix}{format_plain(value.low)}"
    text = f"{prefix}{format_plain(value.low)}–{format_plain(value.high)}"
    if value.most_likely is not None:
        text += f" (most likely {format_plain(value.most_likely)})"
    return text


def show(value: Any, currency: str = "") -> str:
    """Any answer as text: yes/no, 'not set', numbers thousands-separated, ranges as ranges."""
    if value is None or value == "":
        return "not set"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Range):
        return format_range(value, currency)
    if isinstance(value, int | float):
        return format_money(value, currency) if currency else format_plain(value)
    return str(value)


def _get(scenario: Scenario, path: str) -> Any:
    section, name = path.split(".")
    return getattr(getattr(scenario, section), name)


def _fine_percent(share: float | None) -> str:
    """A share that may be small, as a percentage with up to three digits: 0.025 -> 2.5%."""
    return "not set" if share is None else f"{100 * share:.3g}%"


def _answer(scenario: Scenario, path: str, how: str) -> str:
    value = _get(scenario, path)
    data, quality, technical = scenario.data, scenario.quality, scenario.technical
    shown: dict[str, Any] = {
        "code": lambda: "not set" if value is None else option_label(path, str(value)),
        "money": lambda: show(value, scenario.project.currency),
        "percent": lambda: "not set" if value is None else format_percent(value),
        "labels": lambda: f"{show(data.labelled_available)} / {show(data.labelled_needed)}",
        "privacy": lambda: (f"{show(data.personal_data)} / "
                            f"{option_label('data.legal_basis', data.legal_basis)}"),
        "shape": lambda: ", ".join(option_label(f"data.{name}", getattr(data, name))
                                   for name in ("size", "complexity", "structure")),
        "quality": lambda: (f"{show(quality.target)} / {show(quality.acceptability_threshold)}"
                            f" / {show(quality.baseline_value)} "
                            f"({'higher' if quality.higher_is_better else 'lower'} is better)"),
        "qps": lambda: f"{show(technical.peak_qps)} / {show(technical.mean_qps)}",
        "tokens": lambda: f"{show(technical.tokens_in)} / {show(technical.tokens_out)}",
        "chance": lambda: ("not given (estimated from the answers)" if value is None
                           else format_percent(value)),
        "positives": lambda: (f"{_fine_percent(data.positive_share)} / "
                              f"{show(data.positive_events_per_year)} / "
                              f"{show(data.positives_needed)}"),
        "errors": lambda: (f"{show(quality.false_positive_cost, scenario.project.currency)} / "
                           f"{show(quality.false_negative_cost, scenario.project.currency)} / "
                           f"{show(quality.cases_per_year)} / "
                           f"{format_percent(quality.false_negative_share)}; "
                           + ("in the annual benefit" if scenario.value.error_costs_in_benefit
                              else "added to the annual benefit")),
        "batch": lambda: (f"{show(technical.batch_runs_per_year)} / "
                          f"{show(technical.batch_predictions_per_run)} / "
                          f"{show(technical.batch_window_hours)}"),
        "adoption": lambda: ", ".join(format_percent(share) for share in value),
        "model": lambda: (f"{option_label(path, value)} / "
                          f"{option_label('rules.mode', scenario.rules.mode)}"),
        "device": lambda: _device(scenario),
        "lines": lambda: "; ".join(
            f"{line.name} ({'yearly' if line.paid == 'yearly' else 'one-off'}, "
            f"{format_range(line.amount, scenario.project.currency)})" for line in value),
    }
    return shown[how]() if how in shown else show(value)


def _device(scenario: Scenario) -> str:
    device, currency = scenario.technical.device, scenario.project.currency
    ram = "RAM not set" if device.ram_gb is None else f"{show(device.ram_gb)} GB"
    accelerator = {"none": "no accelerator"}.get(device.accelerator, device.accelerator.upper())
    return (f"{show(device.count)} / {ram} / {accelerator} / "
            f"{format_range(device.unit_cost, currency)} once, "
            f"{format_range(device.running_cost_per_year, currency)} a year")


def _relevant(scenario: Scenario, path: str) -> bool:
    """Generative-AI answers only for generative projects, positive-class answers only when
    given, serving answers only for the platform that asks them (``field_applies``; mean QPS
    on its own row only where the peak is not asked), devices only on a device, own cost lines,
    calendar waits and error costs only when there are some; everything else always."""
    technical = scenario.technical
    if path == "quality.cases_per_year":
        return scenario.quality.cases_per_year is not None
    if path == "project.wait_weeks":
        return scenario.project.wait_weeks.high > 0
    if path == "technical.device":
        return technical.platform == "on_device"
    if path == "costs.custom_lines":
        return bool(scenario.costs.custom_lines)
    if path == "technical.tokens_in":
        return technical.tokens_in > 0 or technical.tokens_out > 0
    if path == "data.genai_route":
        return scenario.data.genai_route != "none"
    if path == "data.positive_share":
        return scenario.data.describes_positives
    if path == "technical.mean_qps":
        return field_applies(scenario, path) and not field_applies(scenario, "technical.peak_qps")
    return field_applies(scenario, path)


def _question(scenario: Scenario, default: str, path: str) -> str:
    """The key answer's name as the page asked it for this task type (a forecast's labels are
    its recorded history)."""
    words = wording(scenario.project.task_type, path)
    return words.answer if words and words.answer else default


def inputs_appendix(scenario: Scenario) -> InputsAppendix:
    """Tasks, team and key answers of a scenario, ready to print."""
    currency = scenario.project.currency
    tasks = [TaskRow(name=task.name, phase=PHASE_LABELS.get(task.phase, task.phase),
                     role=ROLE_LABELS.get(task.role, task.role),
                     optimistic=format_plain(task.optimistic),
                     most_likely=format_plain(task.most_likely),
                     pessimistic=format_plain(task.pessimistic)) for task in scenario.tasks]
    team = [TeamRow(role=ROLE_LABELS.get(member.role, member.role),
                    fte=format_range(member.fte),
                    day_rate=format_range(member.day_rate, currency))
            for member in scenario.team]
    answers = [AnswerRow(section=section, question=_question(scenario, question, path),
                         answer=_answer(scenario, path, how))
               for section, question, path, how in ANSWERS if _relevant(scenario, path)]
    return InputsAppendix(tasks=tasks, team=team, answers=answers)
