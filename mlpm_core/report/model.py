"""The report model: one pydantic document that every renderer (Markdown, HTML, PDF) draws.

`build_report` gathers, from a scenario's `EstimateResult`, everything the PDF report shows:
the decision and why, key ranges, the chance of reaching the acceptability threshold, the
estimator bias (which reference class, from how many finished tasks), the bridge from the tasks
to the P50, feasibility, charts, rules fired with sources, risks and conditions, next steps by stage
(`data/next_steps.toml`), the technical checks, the assumptions used, the inputs and the
references cited. Numbers are formatted here, once, so the Markdown, HTML and PDF show the same
figures. User text is stored as it was typed: escaping is each renderer's job, because each
output format has its own metacharacters.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from pydantic import Field

from mlpm_core import __version__
from mlpm_core.breakdown import assumed_team_sentence
from mlpm_core.estimate import DURATION_BASIS
from mlpm_core.feasibility import (
    TechnicalCheck,
    blocker_reason,
    check_reason,
    decision_lines,
    rules_npv_note,
)
from mlpm_core.paths import repo_data_dir
from mlpm_core.report.base import ReportModel
from mlpm_core.report.calibration import CalibrationBlock, calibration_block
from mlpm_core.report.captions import ChartSpec, captioned_charts
from mlpm_core.report.costs import (
    CostRow,
    benefit_bar_sentence,
    benefit_drawn_sentence,
    cost_rows,
    npv_basis,
)
from mlpm_core.report.inputs import InputsAppendix, format_range, inputs_appendix
from mlpm_core.report.key_ranges import RangeRow, key_ranges
from mlpm_core.report.numbers import format_days, format_percent
from mlpm_core.report.references import citations, cited_references, next_steps_citations
from mlpm_core.report.rules_table import RuleRow, rule_row, rules_note
from mlpm_core.report.spread import SensitivityBlock, sensitivity_block
from mlpm_core.report.success import SuccessBlock, npv_split_sentence, success_block
from mlpm_core.scenario import (
    CHECK_STATUS_LABELS,
    DECISION_LABELS,
    DIMENSION_LABELS,
    LEVEL_LABELS,
    STAGE_LABELS,
    UsedValue,
    label,
)
from mlpm_core.sources import Citation, Reference
from mlpm_core.success import answers_chance

if TYPE_CHECKING:
    from mlpm_core.assessment import EstimateResult

NEXT_STEPS_FILE = "next_steps.toml"
RULES_CHANGED_HEADING = "What the team changed about the rules"


class TitleBlock(ReportModel):
    """Who, what and how the estimate was made."""

    project: str
    owner: str
    problem_statement: str
    date: str
    version: int | None
    stage: str
    currency: str
    trials: int
    seed: int
    generated_by: str


class BlockerRow(ReportModel):
    """An answer or a failed check that rules the project out or must be resolved first."""

    text: str
    severity: str


class DecisionBlock(ReportModel):
    """The verdict for the stage, why, and what must happen before going (further)."""

    code: str
    label: str
    stage: str
    reasons: list[str]
    blockers: list[BlockerRow]
    conditions: list[str]
    stage_gate: str
    needs_ml: str
    # the lines that decide, with this scenario's thresholds: a sponsor reading "conditional"
    # must see what go would have needed without opening the app
    policy: list[str] = Field(default_factory=list)

    @property
    def conditions_heading(self) -> str:
        """Under a no-go the actions are not conditions of going ahead but what would have to
        change before the project is looked at again; the heading says which."""
        return "What would have to change" if self.code == "no-go" else "Conditions"


class DimensionRow(ReportModel):
    """One feasibility dimension with its score, traffic light and reasons."""

    key: str
    label: str
    score: int
    level: str
    level_label: str
    reasons: list[str]


class SkippedRuleRow(ReportModel):
    """A rule left out of the estimate because its condition failed, and why."""

    id: str
    title: str
    reason: str
    line: str


class BridgeRow(ReportModel):
    """One step from the team's own number to the P50 effort: ``days`` to a tenth, as its
    change is (a step of +0.4 between 47.6 and 48.0 read "48, 47, +0.0" in whole days);
    ``whole_days`` for the PDF's one-line list of steps."""

    label: str
    days: str
    whole_days: str
    change: str


class StageSteps(ReportModel):
    """Next steps for one stage; the scenario's own stage carries the lead and the gate."""

    key: str
    label: str
    summary: str
    current: bool
    lead: str
    steps: list[str]
    gate: str


class CheckRow(ReportModel):
    """A technical check, as a status and a sentence with the numbers."""

    title: str
    status: str
    status_label: str
    summary: str


class AssumptionRow(ReportModel):
    """A ledger value the estimate used, with where it came from."""

    label: str
    value: str
    unit: str
    origin: str
    source: str
    checked: str
    citations: list[Citation] = Field(default_factory=list)


USER_ORIGIN = "your value"
"""The origin of an assumption the scenario gives itself."""


def _assumption_row(item: UsedValue, currency: str) -> AssumptionRow:
    """A ledger row; a value the scenario gives itself is the user's, so the ledger's source
    and date (which describe the default it replaced) are not shown as its source."""
    unit = item.assumption.unit.replace("currency", currency)
    if item.overridden:
        return AssumptionRow(label=item.assumption.label, value=format_range(item.value),
                             unit=unit, origin=USER_ORIGIN, source="Given in the scenario",
                             checked="")
    conversion = item.conversion(currency)
    return AssumptionRow(label=item.assumption.label, value=format_range(item.shown_value),
                         unit=unit, origin="ledger default",
                         source="; ".join(filter(None, [item.assumption.source, conversion])),
                         checked=item.assumption.checked,
                         citations=citations(item.assumption.cites))


class Report(ReportModel):
    """Everything a report shows, in reading order."""

    title: TitleBlock
    decision: DecisionBlock
    ranges: list[RangeRow]
    p_npv_positive: float
    p_npv_positive_shown: str
    npv_split: str = ""  # the NPV if the model reaches its threshold and if not
    npv_basis: str = ""
    duration_basis: str
    team_cost_note: str = ""
    costs: list[CostRow]
    success: SuccessBlock
    calibration: CalibrationBlock
    bridge: list[BridgeRow]
    bridge_note: str
    feasibility: list[DimensionRow]
    sensitivity: SensitivityBlock
    rules_fired: list[RuleRow]
    rules_note: str
    rules_not_applied: list[SkippedRuleRow]
    rules_changed: list[str]
    """The rules the team switched off or edited, with its reasons: drivers a sponsor must see
    beside the rules that fired."""
    rules_changed_note: str
    risks: list[str]
    next_steps: list[StageSteps]
    next_steps_sources: list[Citation]
    checks: list[CheckRow]
    assumptions: list[AssumptionRow]
    inputs: InputsAppendix
    charts: list[ChartSpec]
    charts_note: str = ""  # why the charts are missing, when they are
    references: list[Reference]


@lru_cache(maxsize=2)
def load_next_steps() -> dict[str, Any]:
    """The staged next steps and decision leads from ``data/next_steps.toml``."""
    path = repo_data_dir() / NEXT_STEPS_FILE
    return tomllib.loads(path.read_text(encoding="utf-8"))


def next_steps(stage: str, verdict: str, gate: str) -> list[StageSteps]:
    """MVP, growth and maturity in order; the scenario's stage gets the lead and the gate."""
    data = load_next_steps()
    rows = []
    for key, entry in data["stage"].items():
        current = key == stage
        lead = data["lead"][verdict].format(stage=entry["label"]) if current else ""
        rows.append(StageSteps(key=key, label=entry["label"], summary=entry["summary"],
                               current=current, lead=lead,
                               steps=[step["text"] for step in entry.get("step", [])],
                               gate=gate if current else ""))
    return rows


def _pointing_to_checks(reasons: list[str], checks: list[TechnicalCheck]) -> list[str]:
    """A dimension's reasons with each failed or warned check named and pointed to, since
    the report's Technical checks table gives it whole: a long one had been printed three
    times and pushed a review's PDF to a seventh page. The JSON keeps them whole."""
    shortened = {check_reason(check): check_reason(check, "explained with the technical checks")
                 for check in checks if check.status in ("fail", "warn")}
    return [next((short + reason[len(whole):] for whole, short in shortened.items()
                  if reason.startswith(whole)), reason) for reason in reasons]


def _risks(result: EstimateResult) -> list[str]:
    """Failed or warned checks that are not already blockers, the rules' warnings, and what
    the cost assumes of the team and the task table. The blockers are listed with the
    decision, the sources of spread with the tornado and an idle team beside the delivery
    cost, so they are not repeated here; a check is named with a pointer to the Technical
    checks table, which gives it whole (a long one had been printed three times, and pushed a
    review's PDF to a seventh page)."""
    blockers = {blocker.text for blocker in result.decision.blockers}
    risks = [f"{check.title}: {label(CHECK_STATUS_LABELS, check.status).lower()}, explained with "
             "the technical checks." for check in result.checks
             if check.status in ("fail", "warn") and check.summary not in blockers]
    risks += [rule.warning for rule in result.estimate.rules_fired if rule.warning]
    risks += result.work_notes
    return list(dict.fromkeys(risk for risk in risks if risk))


def bridge_rows(estimate: Any) -> list[BridgeRow]:
    """The bridge as display rows: cumulative person-days and each step's change."""
    rows, previous = [], None
    for step in estimate.bridge:
        change = ("" if previous is None or step.step == "p50"
                  else f"{round(step.effort_days - previous, 1) + 0.0:+,.1f}")  # no "-0.0"
        rows.append(BridgeRow(label=step.label, days=f"{step.effort_days:,.1f}",
                              whole_days=format_days(step.effort_days), change=change))
        previous = step.effort_days
    return rows


def build_report(result: EstimateResult, version: int | None = None,
                 date: dt.date | None = None, with_charts: bool = True) -> Report:
    """The report of one estimate; ``version`` is the stored scenario version, if any."""
    scenario, estimate, decision = result.scenario, result.estimate, result.decision
    project = scenario.project
    currency = project.currency
    stage = label(STAGE_LABELS, project.stage)
    title = TitleBlock(project=project.name, owner=project.owner,
                       problem_statement=project.problem_statement,
                       date=(date or dt.date.today()).isoformat(), version=version, stage=stage,
                       currency=currency, trials=estimate.trials, seed=estimate.seed,
                       generated_by=f"mlpm {__version__}")
    tabled = {blocker_reason(blocker) for blocker in decision.blockers}
    verdict = DecisionBlock(
        code=estimate.decision, label=label(DECISION_LABELS, estimate.decision), stage=stage,
        # the Blockers table below says each blocker with its effect (the JSON keeps both)
        reasons=[reason for reason in estimate.reasons if reason not in tabled],
        blockers=[BlockerRow(text=blocker.text,
                             severity="Rules it out" if blocker.severity == "no-go"
                             else "Must be resolved first")
                  for blocker in decision.blockers],
        conditions=estimate.conditions, stage_gate=decision.stage_gate,
        needs_ml=decision.needs_ml, policy=decision_lines(scenario))
    ranges = key_ranges(estimate, currency)
    feasibility = [DimensionRow(key=key, label=label(DIMENSION_LABELS, key), score=score.score,
                                level=score.level, level_label=label(LEVEL_LABELS, score.level),
                                reasons=_pointing_to_checks(score.reasons, result.checks))
                   for key, score in estimate.feasibility.items()]
    sensitivity = sensitivity_block(result, currency)
    checks = [CheckRow(title=check.title, status=check.status,
                       status_label=label(CHECK_STATUS_LABELS, check.status),
                       summary=check.summary) for check in result.checks]
    assumptions = [_assumption_row(item, currency) for item in result.assumptions]
    team = assumed_team_sentence(scenario)
    if team:
        assumptions.insert(0, AssumptionRow(
            label="Team", value="1", unit="full-time person per role", origin="assumed",
            source=team, checked=""))
    rules_fired = [rule_row(rule) for rule in estimate.rules_fired]
    bar = benefit_bar_sentence(scenario.quality, result.simulation.model.value.share,
                               currency)
    steps_sources = next_steps_citations(load_next_steps())
    return Report(
        title=title, decision=verdict, ranges=ranges, p_npv_positive=estimate.p_npv_positive,
        p_npv_positive_shown=format_percent(estimate.p_npv_positive),
        npv_split=npv_split_sentence(estimate, currency, scenario.value.model_gate),
        npv_basis=" ".join(text for text in (
            npv_basis(scenario.value), benefit_drawn_sentence(scenario.value, currency), bar,
            rules_npv_note(scenario)) if text),
        duration_basis=f"{DURATION_BASIS} {result.pace_note}".strip(),
        team_cost_note=result.team_cost_note,
        costs=cost_rows(estimate.cost_breakdown, currency),
        success=success_block(estimate.success, answers_chance(scenario)
                              if estimate.success.source == "user" else None),
        calibration=calibration_block(result.simulation.model.reference),
        bridge=bridge_rows(estimate), bridge_note=result.bridge_note,
        feasibility=feasibility,
        sensitivity=sensitivity, rules_fired=rules_fired,
        rules_note=rules_note(scenario, estimate.rules_fired),
        rules_not_applied=[SkippedRuleRow(id=rule.id, title=rule.title, reason=rule.reason,
                                          line=f"{rule.title} ({rule.id}) \u2014 {rule.reason}")
                           for rule in result.rules_not_applied],
        rules_changed=[change.line for change in result.rule_changes],
        rules_changed_note=result.switched_off_note,
        risks=_risks(result),
        next_steps=next_steps(project.stage, estimate.decision, decision.stage_gate),
        next_steps_sources=steps_sources, checks=checks, assumptions=assumptions,
        inputs=inputs_appendix(scenario),
        charts=captioned_charts(result) if with_charts else [],
        references=cited_references([rule.citation for rule in rules_fired], steps_sources,
                                    *(row.citations for row in assumptions)))
