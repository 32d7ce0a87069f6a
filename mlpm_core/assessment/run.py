"""One call from a scenario to its estimate: simulation, feasibility, decision, summaries.

`Estimate` is the JSON contract of ``mlpm estimate`` (exactly the keys the README's quickstart
lists, nothing more); `EstimateResult` keeps what the app and the report need beyond it (the
samples, checks, assumptions and the decision detail).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from mlpm_core.assessment.contract import (
    BridgeEntry,
    CostLine,
    DriverEffect,
    Estimate,
    FiredRule,
    SensitivityReport,
    Success,
    Summary,
)
from mlpm_core.assessment.labelling import labelling_time_sentence
from mlpm_core.assessment.lever_check import measured_lever
from mlpm_core.assessment.own_chance import (
    answers_below_own,
    left_to_answers,
    own_chance_sentence,
)
from mlpm_core.assessment.pace import (
    ongoing_warning,
    overlap_lever,
    pace_sentence,
    staffing_lever,
)
from mlpm_core.assessment.utilisation import (
    dedicated_team_cost,
    dedicated_team_sentence,
    idle_team_sentence,
)
from mlpm_core.breakdown import (
    assumed_team_sentence,
    large_fte_sentence,
    ongoing_sentence,
    table_lacks_sentence,
)
from mlpm_core.calibration import ReferenceClass
from mlpm_core.estimate import (
    WORK_DAYS_PER_WEEK,
    Driver,
    Simulation,
    bridge_sentence,
    effort_bridge,
    inflation_sentence,
    part_names,
    rule_step_labels,
    simulate,
    summary_sentence,
)
from mlpm_core.feasibility import (
    P_NPV_LEAD,
    Decision,
    DimensionScore,
    Outcome,
    StaffingLever,
    TechnicalCheck,
    decide,
    money,
    score_dimensions,
    technical_checks,
)
from mlpm_core.rules import (
    ActiveRule,
    RuleChange,
    RuleNotApplied,
    rule_changes,
    rules_not_applied,
    switched_off_that_apply,
)
from mlpm_core.scenario import DECISION_LABELS, SCHEMA_VERSION, Scenario, UsedValue, relevant
from mlpm_core.success import SuccessEstimate, success_probability

TOP_DRIVERS = 12


@dataclass(frozen=True)
class EstimateResult:
    """The estimate plus everything behind it, for the app and the report."""

    scenario: Scenario
    estimate: Estimate
    simulation: Simulation
    decision: Decision
    checks: list[TechnicalCheck]
    assumptions: list[UsedValue]
    run_cost_per_year: Summary
    success_rate: float
    # Also in ``estimate.warnings`` (the JSON contract), here apart for the report's own section.
    rules_not_applied: tuple[RuleNotApplied, ...] = ()
    bridge_note: str = ""
    # Also in ``estimate.warnings``, and among the report's risks: an assumed team, an FTE that
    # reads like a percentage, tasks the answers call for that the table lacks.
    work_notes: tuple[str, ...] = ()
    pace_note: str = ""
    """Each phase's mean weeks and the role that sets its pace."""
    rule_changes: tuple[RuleChange, ...] = ()
    """The rules the team switched off or edited, with its reasons."""
    switched_off_note: str = ""
    """What the switched-off rules that would fire add to the P50 effort (also a warning)."""
    own_chance_note: str = ""
    """P(NPV > 0) and the decision with the answers' chance, when the team's own is well
    above it and that matters (also among the decision's reasons and the warnings)."""
    team_cost_note: str = ""
    """What the team costs working only on the project, beside the delivery cost that counts
    task days; for a team the tasks leave mostly idle, the warning that says so (also in
    ``estimate.warnings``)."""


def summarise(samples: np.ndarray) -> Summary:
    """Mean and P10/P50/P80/P90 of a sample; infinite values become ``None``."""
    finite = samples[np.isfinite(samples)]
    with np.errstate(invalid="ignore"):  # quantiles between two infinite paybacks are nan
        p10, p50, p80, p90 = np.quantile(samples, [0.1, 0.5, 0.8, 0.9], method="linear")

    def clean(value: float) -> float | None:
        return float(value) if np.isfinite(value) else None

    mean = float(finite.mean()) if finite.size == samples.size else None
    return Summary(mean=mean, p10=clean(p10), p50=clean(p50), p80=clean(p80), p90=clean(p90))


def _summary_where(samples: np.ndarray, mask: np.ndarray) -> Summary | None:
    """The summary of the trials ``mask`` selects; None when it selects none. The NPV mixes
    two outcomes, a model that reaches its threshold and one that does not: its median can sit
    in the gap between them and move by the whole gap when the chance passes a half."""
    return summarise(samples[mask]) if mask.any() else None


def fired_rule(rule: ActiveRule, step: str) -> FiredRule:
    """The report's view of a rule that applied, named with the bridge step that counts it
    (a reader matches the rules table to the bridge by it)."""
    return FiredRule(id=rule.id, title=rule.title, source=rule.source,
                     source_id=rule.source_id, quote=rule.source_quote,
                     multiplier=(rule.low, rule.high), probability=rule.probability,
                     phases=list(rule.phases) or ["project"], warning=rule.warning,
                     range_basis=rule.range_basis, group=step)


def sensitivity_report(drivers: list[Driver], npv_summary: str = "") -> SensitivityReport:
    """Top drivers by cost share, with the plain-language summaries."""
    rows = [DriverEffect(**vars(driver)) for driver in drivers[:TOP_DRIVERS]]
    return SensitivityReport(cost_summary=summary_sentence(drivers, "cost"),
                             effort_summary=summary_sentence(drivers, "effort"),
                             npv_summary=npv_summary, drivers=rows)


def cost_breakdown(simulation: Simulation) -> list[CostLine]:
    """Every cost part with a mean above zero, named, delivery parts first."""
    means = simulation.part_means
    return [CostLine(key=part.key, label=part.label, paid=part.paid, mean=means[part.key])
            for part in part_names(simulation.model.costs.extras)
            if means.get(part.key, 0.0) > 0]


def success_of(chance: SuccessEstimate) -> Success:
    """The JSON view of the chance of success."""
    return Success(p=chance.p, source=chance.source, reasons=list(chance.basis))


def _gate_spend_p50(simulation: Simulation) -> float | None:
    """The median a model that falls short spends, where the plan stops at its gate: minus its
    NPV, since it earns nothing and pays no running cost."""
    short = ~simulation.success
    if simulation.model.gate is None or not short.any():
        return None
    return float(np.quantile(-simulation.npv[short], 0.5))


def outcome_of(scenario: Scenario, simulation: Simulation) -> Outcome:
    """The figures the decision policy looks at."""
    percentile = scenario.project.thresholds.cost_percentile / 100
    duration_p50 = float(np.quantile(simulation.duration_weeks, 0.5))
    duration_at_percentile = float(np.quantile(simulation.duration_weeks, percentile))
    overlapped_p50 = float(np.quantile(simulation.overlapped_weeks, 0.5))
    waits = simulation.pace.wait_days / WORK_DAYS_PER_WEEK  # mean weeks no one works
    # a dedicated team is paid for the calendar: at the percentile the cost is checked at
    payroll = dedicated_team_cost(scenario, duration_at_percentile, waits)
    overlapped_at_percentile = float(np.quantile(simulation.overlapped_weeks, percentile))
    overlapped_payroll = dedicated_team_cost(scenario, overlapped_at_percentile, waits)
    # the delivery cost with that payroll for the task days: the other one-off parts join it
    others = sum(line.mean for line in cost_breakdown(simulation)
                 if line.paid == "one_off" and line.key != "people")
    return Outcome(
        p_npv_positive=float((simulation.npv > 0).mean()),
        cost_at_percentile=float(np.quantile(simulation.cost, percentile)),
        duration_weeks_at_percentile=duration_at_percentile,
        cost_p50=float(np.quantile(simulation.cost, 0.5)),
        npv_p50=float(np.quantile(simulation.npv, 0.5)),
        percentile=scenario.project.thresholds.cost_percentile,
        p_success=simulation.model.value.p_success,
        gate_spend_p50=_gate_spend_p50(simulation),
        duration_weeks_p50=duration_p50,
        overlapped_weeks_p50=overlapped_p50,
        overlap_lever=_deadline_lever(simulation, scenario.project.deadline_weeks, 0.5,
                                      overlapped_p50, overlapped=True),
        overlapped_weeks_at_percentile=overlapped_at_percentile,
        lever=_deadline_lever(simulation, scenario.project.deadline_weeks, percentile,
                              duration_at_percentile),
        dedicated_cost=None if payroll is None else payroll + others, dedicated_waits=waits,
        dedicated_cost_overlapped=(None if overlapped_payroll is None
                                   else overlapped_payroll + others),
    )


def _deadline_lever(simulation: Simulation, deadline: float | None, quantile: float,
                    weeks: float, overlapped: bool = False) -> StaffingLever | None:
    """The staffing lever for a duration of ``weeks`` at ``quantile`` (overlapped or in
    order) that misses the deadline, its weeks measured on the same trials, since a
    condition says whether it is enough (``lever_check``); None when the deadline is met
    (no condition names a lever then) or no one role's time would help."""
    if deadline is None or weeks <= deadline:
        return None
    lever = (overlap_lever if overlapped else staffing_lever)(simulation, weeks)
    return (None if lever is None else
            measured_lever(simulation, lever, quantile, overlapped, over=weeks - deadline))


def decided(scenario: Scenario, trials: int | None, seed: int | None,
            progress: Callable[[float], None] | None, reference: ReferenceClass | None,
            ) -> tuple[Simulation, list[TechnicalCheck], Outcome, dict[str, DimensionScore],
                       Decision]:
    """Simulate, check, score and decide: the part of an estimate the decision rests on."""
    simulation = simulate(scenario, trials=trials, seed=seed, progress=progress,
                          reference=reference)
    checks = technical_checks(scenario)
    outcome = outcome_of(scenario, simulation)
    dimensions = score_dimensions(scenario, checks, outcome)
    return simulation, checks, outcome, dimensions, decide(scenario, dimensions, checks, outcome)


def run_estimate(scenario: Scenario, trials: int | None = None, seed: int | None = None,
                 progress: Callable[[float], None] | None = None,
                 reference: ReferenceClass | None = None) -> EstimateResult:
    """Simulate, score and decide: the whole estimate for one scenario.

    ``reference`` is the scenario's reference class as the caller resolved it (see
    ``build_model``)."""
    simulation, checks, outcome, dimensions, decision = decided(
        scenario, trials, seed, progress, reference)
    effort, duration = summarise(simulation.effort), summarise(simulation.duration_weeks)
    steps = effort_bridge(simulation.model, simulation.seed, simulation.trials,
                          effort.p50 if effort.p50 is not None else float("nan"))
    note = inflation_sentence(steps)
    steps_of = rule_step_labels(simulation.model)
    # what the reader must know to read the cost: a team the estimate assumed, an FTE that
    # reads like a percentage, work the table lacks; and, beside the cost itself, what the team
    # costs dedicated (said as a warning when the tasks leave it mostly idle)
    labelling = simulation.part_means.get("labelling", 0.0)
    work_notes = tuple(note for note in (assumed_team_sentence(scenario),
                                         large_fte_sentence(scenario),
                                         table_lacks_sentence(scenario),
                                         ongoing_warning(simulation),
                                         ongoing_sentence(scenario),
                                         labelling_time_sentence(scenario, labelling)) if note)
    waits = simulation.pace.wait_days / WORK_DAYS_PER_WEEK  # mean weeks no one works
    idle = idle_team_sentence(scenario, effort.p50, duration.p50, waits)
    team_cost_note = idle or dedicated_team_sentence(scenario, effort.p50, duration.p50,
                                                     waits) or ""
    skipped = tuple(rules_not_applied(scenario))
    estimate = Estimate(
        decision=decision.decision, reasons=decision.reasons, conditions=decision.conditions,
        feasibility=dimensions, effort_days=effort,
        duration_weeks=duration,
        duration_weeks_overlapped=summarise(simulation.overlapped_weeks),
        cost=summarise(simulation.cost),
        cost_breakdown=cost_breakdown(simulation),
        npv=summarise(simulation.npv), roi=summarise(simulation.roi),
        payback_years=summarise(simulation.payback_years),
        p_npv_positive=outcome.p_npv_positive,
        npv_if_success=_summary_where(simulation.npv, simulation.success),
        npv_if_failure=_summary_where(simulation.npv, ~simulation.success),
        success=success_of(success_probability(scenario)),
        rules_fired=[fired_rule(rule, steps_of[rule.id]) for rule in simulation.model.rules],
        sensitivity=sensitivity_report(simulation.drivers, simulation.npv_summary),
        bridge=[BridgeEntry(step=s.step, label=s.label, effort_days=s.effort_days,
                            saved_alone=s.saved_alone) for s in steps],
        warnings=[*work_notes, *([idle] if idle else []), *([note] if note else [])]
        + [rule.warning for rule in skipped],
        trials=simulation.trials,
        seed=simulation.seed, schema_version=SCHEMA_VERSION,
    )
    switched_off = switched_off_sentence(scenario, estimate, reference)
    own_chance = own_chance_note(scenario, estimate, reference)
    estimate.warnings += [note for note in (switched_off, own_chance) if note]
    if own_chance:  # beside the P(NPV > 0) it changes
        at = next((index + 1 for index, reason in enumerate(estimate.reasons)
                   if reason.startswith(P_NPV_LEAD)), len(estimate.reasons))
        estimate.reasons.insert(at, own_chance)
    return EstimateResult(
        scenario=scenario, estimate=estimate, simulation=simulation, decision=decision,
        checks=checks, assumptions=relevant(scenario),
        run_cost_per_year=summarise(simulation.run_cost_per_year),
        success_rate=simulation.success_rate, rules_not_applied=skipped,
        bridge_note=bridge_sentence(steps, sum(task.most_likely for task in scenario.tasks)),
        work_notes=work_notes, pace_note=pace_sentence(simulation),
        team_cost_note=team_cost_note, rule_changes=tuple(rule_changes(scenario)),
        switched_off_note=switched_off, own_chance_note=own_chance,
    )


def own_chance_note(scenario: Scenario, estimate: Estimate,
                    reference: ReferenceClass | None) -> str:
    """P(NPV > 0) and the decision with the answers' chance, on the same trials, when the
    team's own is well above it (``own_chance``); empty otherwise."""
    answers = answers_below_own(scenario)
    own = scenario.quality.p_reach_threshold
    if answers is None or own is None:
        return ""
    simulation, *_, theirs = decided(left_to_answers(scenario), estimate.trials,
                                     estimate.seed, None, reference)
    return own_chance_sentence(own, answers, (estimate.p_npv_positive,
                                              float((simulation.npv > 0).mean())),
                               (estimate.decision, theirs.decision))


def switched_off_sentence(scenario: Scenario, estimate: Estimate,
                          reference: ReferenceClass | None) -> str:
    """'The team switched off 2 rules that would apply here (Big data, ...): switched back on,
    they would take the P50 effort from 505 to 637 person-days, the P80 cost from EUR 573k
    to EUR 700k and the P80 duration from 33.1 to 40.7 weeks, and turn the decision from go
    to conditional go.' From the simulation and the decision run again with them on, same
    trials and seed (the figures the estimate would show); empty when none would apply."""
    extra = switched_off_that_apply(scenario)
    effort, cost, weeks = estimate.effort_days, estimate.cost, estimate.duration_weeks
    if not extra or not scenario.tasks or None in (effort.p50, cost.p80, weeks.p80):
        return ""
    ids = {rule.id for rule in extra}
    switched_on = scenario.model_copy(update={"rules": scenario.rules.model_copy(update={
        "disabled": [rule for rule in scenario.rules.disabled if rule not in ids]})})
    # the simulation and the decision as run_estimate makes them, without its bridge
    simulation, *_, switched_on_decision = decided(switched_on, estimate.trials, estimate.seed,
                                                   None, reference)
    decision = switched_on_decision.decision
    on_effort, on_cost, on_weeks = (float(np.quantile(samples, quantile)) for samples, quantile
                                    in ((simulation.effort, 0.5), (simulation.cost, 0.8),
                                        (simulation.duration_weeks, 0.8)))
    currency = scenario.project.currency
    before, after = DECISION_LABELS[estimate.decision], DECISION_LABELS[decision]
    turn = (f"turn the decision from {before.lower()} to {after.lower()}" if before != after
            else f"leave the decision at {before.lower()}")
    count = "a rule" if len(extra) == 1 else f"{len(extra)} rules"
    return (f"The team switched off {count} that would apply here "
            f"({', '.join(rule.title for rule in extra)}): switched back on, "
            f"{'it' if len(extra) == 1 else 'they'} would take the P50 effort from "
            f"{effort.p50:,.0f} to {on_effort:,.0f} person-days, the P80 cost from "
            f"{money(cost.p80 or 0, currency)} to {money(on_cost, currency)} and the "
            f"P80 duration from {weeks.p80:.1f} to {on_weeks:.1f} weeks, and {turn}.")
