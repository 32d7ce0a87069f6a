"""The inputs appendix of a report: the task table, the team and the key answers.

Values are formatted for reading ("yes", "not set", "GBP 500–900"); the texts are stored as the
user typed them and escaped by each renderer. A value still at the blank scenario's starting
value is marked "(default)", so a reader can tell what the team said from what mlpm assumed;
the scenario does not record whether that value was left or chosen, so the mark says only that
it is the default, and ``DEFAULT_NOTE`` says so once beside the table.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ConfigDict

from mlpm_core.report.numbers import format_money, format_percent, format_plain, format_span
from mlpm_core.scenario import (
    PHASE_LABELS,
    ROLE_LABELS,
    QualitySection,
    Range,
    Scenario,
    Task,
    at_default,
    ceiling_unknown,
    error_costs_unusable,
    field_applies,
    metric_scale,
    mixed_values,
    option_label,
    value_at,
    wording,
)

DEFAULT_MARK = " (default)"
DEFAULT_NOTE = ("(default): the value mlpm assumes until it is changed; the team may have left "
                "it or chosen it, which the scenario does not record.")
NOT_KNOWN: tuple[str, ...] = ("", "unknown")
"""Starting values that say nobody knows yet ("not set", "Don't know yet"): never marked."""

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
    ("Costs", "Cost inputs", "costs.storage_per_year", "cost_inputs"),
    ("Costs", "Own cost lines", "costs.custom_lines", "lines"),
    ("Value", "Annual benefit at the target", "value.annual_benefit", "money"),
    ("Value", "Horizon (years)", "value.horizon_years", "plain"),
    ("Value", "Discount rate", "value.discount_rate", "percent"),
    ("Value", "Adoption by year", "value.adoption", "adoption"),
    ("Value", "Stop if the model falls short", "value.model_gate", "code"),
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
    default_note: str = ""
    """``DEFAULT_NOTE`` when an answer is marked "(default)", else empty (nothing to explain)."""


def format_range(value: Range, currency: str = "") -> str:
    """``'500–900'`` (a 90% range), ``'5'`` (certain) or ``'2–8 (most likely 4)'``."""
    if value.low == value.high:
        return f"{currency} {format_plain(value.low)}".strip()
    text = format_span(value.low, value.high, currency)
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


def _fine_percent(share: float | None) -> str:
    """A share that may be small, as a percentage with up to three digits: 0.025 -> 2.5%."""
    return "not set" if share is None else f"{100 * share:.3g}%"


class _Marker:
    """Adds " (default)" to the text of a field still at the blank scenario's value, and
    remembers whether it did (the appendix then explains the mark once).

    A value that already says nobody knows it ("not set", "Don't know yet") is left as it is:
    it claims no answer."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.used = False

    def __call__(self, path: str, text: str) -> str:
        value = value_at(self.scenario, path)
        if value is None or value in NOT_KNOWN or not at_default(self.scenario, path):
            return text
        self.used = True
        return f"{text}{DEFAULT_MARK}"

    def value(self, path: str, currency: str = "") -> str:
        """The field's value as text (``show``), marked."""
        return self(path, show(value_at(self.scenario, path), currency))

    def option(self, path: str) -> str:
        """The field's option label, marked."""
        return self(path, option_label(path, str(value_at(self.scenario, path))))


def _scale_said(quality: QualitySection) -> str:
    """How the values were read, when it is not plain shares: a reader must see that 85 was
    taken as 85%, or that values on no scale leave the bar unmeasured (a lower-is-better score
    on its own scale is measured as a share of the baseline, whatever its units)."""
    if quality.stated_values and ceiling_unknown(quality):
        return "a score with no known ceiling, so the threshold's difficulty is not measured; "
    scale = metric_scale(quality)
    if scale == "share" or not quality.stated_values:
        return ""
    how = "read as " if quality.scale == "from_values" else ""
    if scale == "percent":
        return f"{how}percent; "
    mix = mixed_values(quality)
    if mix is not None:
        return (f"read as a mix of a share and percent ({mix[0]:g} beside {mix[1]:g}): how "
                "demanding the threshold is is not measured; ")
    if not quality.higher_is_better:
        return ""
    return (f"{how}neither shares nor percent: how demanding the threshold is is not "
            "measured; ")


def _answer(scenario: Scenario, path: str, how: str, mark: _Marker) -> str:
    value = value_at(scenario, path)
    quality, currency = scenario.quality, scenario.project.currency
    better = ("higher" if quality.higher_is_better else "lower") + " is better"
    if at_default(scenario, "quality.higher_is_better"):
        better = f"default: {better}"  # the direction is the default, not the numbers before it
    better = _scale_said(quality) + better  # "default" must not seem to be the scale's
    shown: dict[str, Any] = {
        "code": lambda: "not set" if value is None else mark.option(path),
        "money": lambda: mark.value(path, currency),
        "percent": lambda: "not set" if value is None else mark(path, format_percent(value)),
        "labels": lambda: (f"{mark.value('data.labelled_available')} / "
                           f"{mark.value('data.labelled_needed')}"),
        "privacy": lambda: (f"{mark.value('data.personal_data')} / "
                            f"{mark.option('data.legal_basis')}"),
        "shape": lambda: ", ".join(mark.option(f"data.{name}")
                                   for name in ("size", "complexity", "structure")),
        "quality": lambda: (f"{mark.value('quality.target')} / "
                            f"{mark.value('quality.acceptability_threshold')} / "
                            f"{mark.value('quality.baseline_value')} ({better})"),
        "qps": lambda: (f"{mark.value('technical.peak_qps')} / "
                        f"{mark.value('technical.mean_qps')}"),
        "tokens": lambda: (f"{mark.value('technical.tokens_in')} / "
                           f"{mark.value('technical.tokens_out')}"),
        "chance": lambda: ("not given (estimated from the answers)" if value is None
                           else mark(path, format_percent(value))),
        "positives": lambda: (f"{_fine_percent(scenario.data.positive_share)} / "
                              f"{mark.value('data.positive_events_per_year')} / "
                              f"{mark.value('data.positives_needed')}"),
        "errors": lambda: _errors(scenario, mark),
        "batch": lambda: (f"{mark.value('technical.batch_runs_per_year')} / "
                          f"{mark.value('technical.batch_predictions_per_run')} / "
                          f"{mark.value('technical.batch_window_hours')}"),
        "adoption": lambda: mark(path, ", ".join(format_percent(share) for share in value)),
        # how mlpm simulates, not a claim about the project: true whoever chose it, so unmarked
        "model": lambda: (f"{option_label(path, str(value))} / "
                          f"{option_label('rules.mode', scenario.rules.mode)}"),
        "device": lambda: _device(scenario, mark),
        "cost_inputs": lambda: _cost_inputs(scenario),
        "lines": lambda: "; ".join(
            f"{line.name} ({'yearly' if line.paid == 'yearly' else 'one-off'}, "
            f"{format_range(line.amount, currency)})" for line in value),
    }
    return shown[how]() if how in shown else mark.value(path)


def _cost_inputs(scenario: Scenario) -> str:
    """The scenario's own cost inputs that are not zero (the ledger's prices are under
    'Assumptions used'): a sponsor traces each cost line of the report to one of them."""
    costs, currency = scenario.costs, scenario.project.currency
    parts = []
    if costs.training_gpu_hours.high > 0:
        parts.append(f"training {format_range(costs.training_gpu_hours)} GPU-hours a run, "
                     f"{costs.experiments:,} runs")
    for label, amount, when in (
            ("inference", costs.inference_cost_per_1k_requests, "per 1,000 requests"),
            ("storage", costs.storage_per_year, "a year"),
            ("licences", costs.licences_per_year, "a year"),
            ("data purchase", costs.data_purchase, "once")):
        if amount.high > 0:
            parts.append(f"{label} {format_range(amount, currency)} {when}")
    return "; ".join(parts)


def _errors(scenario: Scenario, mark: _Marker) -> str:
    """The cost of mistakes: both costs, the cases, the share missed and where they count."""
    quality, currency = scenario.quality, scenario.project.currency
    unusable = error_costs_unusable(scenario)
    counted = ("not counted: see the cost-of-errors check" if unusable is not None
               else mark("value.error_costs_in_benefit",
                         "in the annual benefit" if scenario.value.error_costs_in_benefit
                         else "added to the annual benefit"))
    return (f"{mark.value('quality.false_positive_cost', currency)} / "
            f"{mark.value('quality.false_negative_cost', currency)} / "
            f"{mark.value('quality.cases_per_year')} / "
            f"{mark('quality.false_negative_share', format_percent(quality.false_negative_share))}"
            f"; {counted}")


def _device(scenario: Scenario, mark: _Marker) -> str:
    device, currency = scenario.technical.device, scenario.project.currency
    ram = "RAM not set" if device.ram_gb is None else f"{show(device.ram_gb)} GB"
    accelerator = {"none": "no accelerator"}.get(device.accelerator, device.accelerator.upper())
    unit_cost = format_range(device.unit_cost, currency)
    running = format_range(device.running_cost_per_year, currency)
    return (f"{mark.value('technical.device.count')} / {ram} / "
            f"{mark('technical.device.accelerator', accelerator)} / "
            f"{mark('technical.device.unit_cost', unit_cost)} once, "
            f"{mark('technical.device.running_cost_per_year', running)} a year")


def _read_by_own_rule(scenario: Scenario, path: str) -> bool:
    return any(path in rule.when for rule in scenario.rules.custom)


def _labels_to_find(scenario: Scenario, path: str) -> bool:
    """Whether labels are still to obtain, or one of the scenario's own rules reads ``path``:
    whether missing labels can be obtained counts only for a label gap (the labelling cost,
    the missing-labels blockers and tasks), so with none it changes nothing."""
    return scenario.data.label_gap > 0 or _read_by_own_rule(scenario, path)


def _labels_to_buy(scenario: Scenario, path: str) -> bool:
    """What a label costs counts only for labels that can be bought."""
    return scenario.data.labels_to_buy > 0 or _read_by_own_rule(scenario, path)


_SHOWN_WHEN: dict[str, Callable[[Scenario], bool]] = {
    "quality.cases_per_year": lambda s: s.quality.cases_per_year is not None,
    "project.wait_weeks": lambda s: s.project.wait_weeks.high > 0,
    "technical.device": lambda s: s.technical.platform == "on_device",
    "costs.custom_lines": lambda s: bool(s.costs.custom_lines),
    "value.model_gate": lambda s: s.value.model_gate != "none",
    "costs.storage_per_year": lambda s: bool(_cost_inputs(s)),
    "technical.tokens_in": lambda s: s.technical.tokens_in > 0 or s.technical.tokens_out > 0,
    "data.genai_route": lambda s: s.data.genai_route != "none",
    "data.positive_share": lambda s: s.data.describes_positives,
    "data.labels_obtainable": lambda s: _labels_to_find(s, "data.labels_obtainable"),
    "data.label_cost": lambda s: _labels_to_buy(s, "data.label_cost"),
    "technical.mean_qps": lambda s: (field_applies(s, "technical.mean_qps")
                                     and not field_applies(s, "technical.peak_qps")),
}


def _relevant(scenario: Scenario, path: str) -> bool:
    """Generative-AI answers only for generative projects, positive-class answers only when
    given, how to obtain labels only when some are missing, serving answers only for the
    platform that asks them (``field_applies``; mean QPS on its own row only where the peak is
    not asked), devices only on a device, own cost lines, calendar waits, error costs and a
    gate that stops the plan only when there are some; everything else always. A row that
    changes nothing is not printed: its value, default or not, would read as an answer that
    counts."""
    shown_when = _SHOWN_WHEN.get(path)
    return shown_when(scenario) if shown_when else field_applies(scenario, path)


def _question(scenario: Scenario, default: str, path: str) -> str:
    """The key answer's name as the page asked it for this task type (a forecast's labels are
    its recorded history)."""
    words = wording(scenario.project.task_type, path)
    return words.answer if words and words.answer else default


def _phase(task: Task) -> str:
    """The task's phase, and 'ongoing' when it runs alongside the whole project: its phase
    then only says which rules multiply it, not when it happens."""
    phase = PHASE_LABELS.get(task.phase, task.phase)
    return f"{phase}, ongoing" if task.ongoing else phase


def inputs_appendix(scenario: Scenario) -> InputsAppendix:
    """Tasks, team and key answers of a scenario, ready to print."""
    currency = scenario.project.currency
    tasks = [TaskRow(name=task.name, phase=_phase(task),
                     role=ROLE_LABELS.get(task.role, task.role),
                     optimistic=format_plain(task.optimistic),
                     most_likely=format_plain(task.most_likely),
                     pessimistic=format_plain(task.pessimistic)) for task in scenario.tasks]
    team = [TeamRow(role=ROLE_LABELS.get(member.role, member.role),
                    fte=format_range(member.fte),
                    day_rate=format_range(member.day_rate, currency))
            for member in scenario.team]
    mark = _Marker(scenario)
    answers = [AnswerRow(section=section, question=_question(scenario, question, path),
                         answer=_answer(scenario, path, how, mark))
               for section, question, path, how in ANSWERS if _relevant(scenario, path)]
    return InputsAppendix(tasks=tasks, team=team, answers=answers,
                          default_note=DEFAULT_NOTE if mark.used else "")
