"""Go, conditional or no-go: ranges and scores turned into a decision by an explicit policy.

The policy is the scenario's ``project.thresholds`` (defaults include P(NPV > 0) >= 0.7, P80 cost
within budget), so a reader can see exactly which line was crossed. Blockers come first: some
answers make a project impossible (no legal basis for personal data, no way to get labels, a
latency or memory target out of physical reach, inference that costs more than it earns), others
only forbid "go" until a named action is done. Every failed go-check becomes a named condition
(FSDL's "rapidly build a labeled benchmark dataset", Thompson's pathfinder "sprint 0"), and the
decision says what must be measured before the next stage (ml-projects-max-roi). It also
answers FSDL's "are you sure you need ML at all?". Texts live in ``data/conditions.toml`` and
``data/stages.toml``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from mlpm_core.feasibility.blockers import Blocker, blocker_reason, find_blockers
from mlpm_core.feasibility.deadline_check import deadline_check
from mlpm_core.feasibility.decision_texts import (
    dimension_action,
    load_decision_texts,
    load_stages,
    needs_ml,
    rules_p_npv_caveat,
    stage_gate,
)
from mlpm_core.feasibility.outcome import NoGoLines, Outcome
from mlpm_core.feasibility.scoring import DimensionScore, fill
from mlpm_core.feasibility.technical import TechnicalCheck, money, number
from mlpm_core.scenario import DECISION_LABELS, DIMENSIONS, PHASE_LABELS, Scenario
from mlpm_core.wording import counted

Verdict = Literal["go", "conditional", "no-go"]
DECIDED_DIRECTLY = frozenset({"cost"})
"""Dimensions scored only from figures the decision weighs itself (P(NPV > 0), cost and
duration at the percentile, the inference-cost blocker): their low score forbids go but never
adds a second, harsher no-go to the explicit money lines (P(NPV > 0) below its no-go line,
median cost above the budget, median duration beyond the deadline)."""


NEAR_GO_LINE = 0.02
"""A go whose P(NPV > 0) is less than this above its line says so (mlpm's judgement): two points
are about six Monte Carlo standard errors at 20,000 trials, so what moves it is an answer, not
the simulation's noise.
"""

PAYOFF_SHARE_LIMIT = 0.95
"""Above this share of successful projects that would have to pay off, benefit and cost levers
cannot credibly reach the P(NPV > 0) line: even a tenfold benefit leaves the cost and schedule
tails of a few successful trials negative (the bike-shop example reaches 99%, not 100%)."""


class Decision(BaseModel):
    """The answer for the scenario's stage, with reasons, conditions, blockers and the gate."""

    model_config = ConfigDict(extra="forbid")
    decision: Verdict
    stage: str
    reasons: list[str]
    conditions: list[str]
    blockers: list[Blocker]
    stage_gate: str
    needs_ml: str


def _p_npv_levers(outcome: Outcome, min_p: float) -> list[str]:
    """The go-check texts that name the lever for a low P(NPV > 0). A failed model earns
    nothing, so P(NPV > 0) is the chance of success times the share of working models that pay
    off. When that share is under the line, no chance of success can reach it, and raising the
    chance first would fund more models that lose money: paying off is the lever
    (``p_npv_no_payoff``), and the chance comes up again once it is met. Otherwise the chance
    is the lever when it caps P(NPV > 0) at or near the line (``p_npv_capped``,
    ``p_npv_near_cap``), else benefit and cost (``p_npv``)."""
    if outcome.p_npv_positive >= min_p or outcome.p_success is None:
        return ["p_npv"]
    if outcome.p_success == 0:  # P(NPV > 0) shares it: only the chance can move
        return ["p_npv_capped"]
    if outcome.p_npv_positive / outcome.p_success < min_p:
        return ["p_npv_no_payoff"]  # a higher chance would only fund more losing models
    if outcome.p_success <= min_p:
        return ["p_npv_capped"]
    return ["p_npv_near_cap" if min_p / outcome.p_success > PAYOFF_SHARE_LIMIT else "p_npv"]


def _beside_lines(share: float, lines: tuple[float, ...]) -> str:
    """A share as a whole percentage, or with one decimal where that would read as a line it
    is not on ("P(NPV > 0) is 70%, below the 70% needed for go" for 69.8%)."""
    shown = f"{share:.0%}"
    if any(share != line and shown == f"{line:.0%}" for line in lines):
        return f"{share:.1%}"
    return shown


P_NPV_LEAD = "P(NPV > 0) is"
"""How the decision's P(NPV > 0) reason starts: what the estimate's other lines on P(NPV > 0)
are placed after (``assessment.run``)."""


def _near_go_line(outcome: Outcome, min_p: str) -> str:
    """P(NPV > 0) a point or two above its go line, said with one decimal (not "70%, at least
    the 70% needed"): a small change in the answers takes it below. Said of the line only,
    never of "the go": another check may make the decision conditional or no-go."""
    cap = (f"; the chance of reaching the acceptability threshold "
           f"({outcome.p_success:.0%}) caps it" if outcome.p_success is not None else "")
    return (f"{P_NPV_LEAD} {outcome.p_npv_positive:.1%}, just above the {min_p} needed for "
            f"go: within {NEAR_GO_LINE * 100:.0f} points of the line, so a small change in the "
            f"answers takes it below{cap}.")


def _against(value: float, budget: float, currency: str) -> tuple[str, str]:
    """An amount and the budget it is checked against, compact ('USD 573k', 'USD 1.8M'), or
    in full where compact they would read alike: 'USD 60k is above the USD 60k budget' said
    USD 60,197 against USD 60,000."""
    shown, limit = money(value, currency), money(budget, currency)
    if shown == limit and value != budget:
        return f"{currency} {value:,.0f}".strip(), f"{currency} {budget:,.0f}".strip()
    return shown, limit


def _budget_check(budget: float | None, outcome: Outcome, figures: dict[str, str],
                  reasons: list[str], actions: list[str],
                  triggers: NoGoLines) -> tuple[bool, bool]:
    """The cost at the percentile, the median cost and a dedicated team's cost against the
    budget; returns (go, no-go) as :func:`_money_checks` does."""
    go_texts, currency = load_decision_texts()["go_check"], figures["currency"]
    if budget is None:
        reasons.append(f"P{outcome.percentile} cost {figures['cost']}; no budget is set.")
        return True, False
    no_go = outcome.cost_p50 > budget
    if no_go:
        median, limit = _against(outcome.cost_p50, budget, currency)
        reasons.append(f"Even the median cost {median} is above the {limit} budget.")
        triggers.causes.append("the median cost over the budget")
    figures = dict(figures)
    figures["cost"], figures["budget"] = _against(outcome.cost_at_percentile, budget, currency)
    cost = f"P{outcome.percentile} cost {figures['cost']}"
    within = outcome.cost_at_percentile <= budget
    dedicated = outcome.dedicated_cost
    if not within or dedicated is None or dedicated <= outcome.cost_at_percentile:
        reasons.append(f"{cost} is {'within' if within else 'above'} the "
                       f"{figures['budget']} budget.")
        if not within:
            actions.append(fill(go_texts["budget"], figures))
            if no_go:
                triggers.actions.append(actions[-1])
        return within, no_go
    figures["dedicated"], _ = _against(dedicated, budget, currency)
    # the payroll plus the other one-off costs (README: "Feasibility and the decision")
    waits = (f" less {outcome.dedicated_waits:.1f} weeks of calendar waits"
             if outcome.dedicated_waits >= 0.05 else "")
    dedicated_basis = (f"a dedicated team (its payroll for the P{outcome.percentile} duration"
                       f"{waits}, with the other one-off costs)")
    if dedicated <= budget:
        reasons.append(f"{cost} is within the {figures['budget']} budget; with "
                       f"{dedicated_basis} it would be {figures['dedicated']}, still within it.")
        return True, no_go
    # priced on the overlapped plan too, which a late date's action may advise
    overlapped = outcome.dedicated_cost_overlapped
    figures["dedicated_total"] = f"{figures['dedicated']} in all"
    said = f"{dedicated_basis} it would be {figures['dedicated']}, above it"
    if overlapped is not None and money(overlapped, currency) != money(dedicated, currency):
        shown, _ = _against(overlapped, budget, currency)
        where = "within" if overlapped <= budget else "still above"
        figures["dedicated_total"] += f", or about {shown} with phases overlapped"
        said += (f"; with phases overlapped as far as the team's time allows, about {shown}, "
                 f"{where} it")
    reasons.append(f"{cost} is within the {figures['budget']} budget; with {said}.")
    actions.append(fill(go_texts["dedicated_budget"], figures))
    return False, no_go


def _gate_said(scenario: Scenario, outcome: Outcome, lever: str, template: str) -> str:
    """Beside an action to raise the chance of reaching the threshold, the plan's own gate,
    where that is checked: what to fund now, and what a model that falls short costs there
    (``template``: the ``model_gate`` go-check text)."""
    gate = scenario.value.model_gate
    if (lever not in ("p_npv_capped", "p_npv_near_cap") or gate == "none"
            or outcome.gate_spend_p50 is None):
        return ""
    return fill(template, {
        "gate": PHASE_LABELS[gate],
        "gate_spend": money(outcome.gate_spend_p50, scenario.project.currency)})


def _money_checks(scenario: Scenario, outcome: Outcome, reasons: list[str],
                  actions: list[str], triggers: NoGoLines) -> tuple[bool, bool]:
    """P(NPV > 0), budget and deadline against the policy; returns (all go, any no-go) and
    adds each no-go line crossed to ``triggers``, for the headline."""
    project, rules = scenario.project, scenario.project.thresholds
    go_texts, currency = load_decision_texts()["go_check"], project.currency
    figures = {"p": _beside_lines(outcome.p_npv_positive, (rules.min_p_npv_positive,
                                                           rules.no_go_p_npv_positive)),
               "min_p": f"{rules.min_p_npv_positive:.0%}",
               "percentile": str(outcome.percentile),
               "cost": money(outcome.cost_at_percentile, currency),
               "budget": money(project.budget or 0, currency), "currency": currency,
               "weeks": number(outcome.duration_weeks_at_percentile),
               "deadline": number(project.deadline_weeks or 0)}
    go, no_go = True, False
    p = f"{P_NPV_LEAD} {figures['p']}"
    levers = _p_npv_levers(outcome, rules.min_p_npv_positive)
    if outcome.p_success is not None:
        figures["p_success"] = f"{outcome.p_success:.0%}"
    if outcome.p_success:
        figures["payoff"] = f"{outcome.p_npv_positive / outcome.p_success:.0%}"
    if outcome.p_npv_positive < rules.no_go_p_npv_positive:
        reasons.append(f"{p}, below the {rules.no_go_p_npv_positive:.0%} no-go line.")
        triggers.causes.append(f"P(NPV > 0) under the {rules.no_go_p_npv_positive:.0%} no-go "
                               "line")
        no_go = True
    elif outcome.p_npv_positive < rules.min_p_npv_positive:
        reasons.append(f"{p}, below the {figures['min_p']} needed for go.")
    elif outcome.p_npv_positive - rules.min_p_npv_positive < NEAR_GO_LINE:
        reasons.append(_near_go_line(outcome, figures["min_p"]))
    else:
        reasons.append(f"{p}, at least the {figures['min_p']} needed for go.")
    if caveat := rules_p_npv_caveat(scenario):
        reasons[-1] = f"{reasons[-1].removesuffix('.')}, {caveat}."
    if outcome.p_npv_positive < rules.min_p_npv_positive:
        go = False
        levered = [fill(go_texts[lever], figures)
                   + _gate_said(scenario, outcome, lever, go_texts["model_gate"])
                   for lever in levers]
        actions.extend(levered)
        if no_go:
            triggers.actions.extend(levered)
    budget_go, budget_no_go = _budget_check(project.budget, outcome, figures, reasons, actions,
                                            triggers)
    go, no_go = go and budget_go, no_go or budget_no_go
    deadline_go, deadline_no_go = deadline_check(project.deadline_weeks, outcome, figures,
                                                  reasons, actions, triggers)
    return go and deadline_go, no_go or deadline_no_go


def _dimension_checks(scenario: Scenario, dimensions: dict[str, DimensionScore],
                      reasons: list[str], actions: list[str], triggers: NoGoLines,
                      money_go: bool) -> tuple[bool, bool]:
    """Every dimension against the go and no-go scores, said in one line per line crossed
    (four lines of "Feasibility of ... scores" crowded the decision); returns (all go, any
    no-go). A dimension decided directly adds no condition of its own when the money checks
    (``money_go`` False) already named theirs: "cut scope or move the deadline" and "scope the
    project down" are one fact asked twice."""
    rules = scenario.project.thresholds
    below_no_go: list[str] = []
    below_go: list[str] = []
    for name in DIMENSIONS:
        score = dimensions[name]
        shown = f"{name} {score.score} ({score.level})"
        if score.score < rules.no_go_dimension_score and name in DECIDED_DIRECTLY:
            below_go.append(f"{name} {score.score} ({score.level}; its no-go lines are the "
                            "money checks above)")
        elif score.score < rules.no_go_dimension_score:
            below_no_go.append(shown)
        elif score.score < rules.min_dimension_score:
            below_go.append(shown)
        if score.score < rules.min_dimension_score and (
                money_go or name not in DECIDED_DIRECTLY):
            actions.append(dimension_action(scenario, name))
            if score.score < rules.no_go_dimension_score:
                triggers.actions.append(actions[-1])
    if below_no_go:
        reasons.append(f"Feasibility below the {rules.no_go_dimension_score} no-go line: "
                       f"{', '.join(below_no_go)}.")
        triggers.causes.append(f"{', '.join(name.split()[0] for name in below_no_go)} under "
                               f"the {rules.no_go_dimension_score} no-go line")
    if below_go:
        reasons.append(f"Feasibility below the {rules.min_dimension_score} needed for go: "
                       f"{', '.join(below_go)}.")
    go = not below_no_go and not below_go
    if go:
        lowest = min(DIMENSIONS, key=lambda name: dimensions[name].score)
        reasons.append(f"Every feasibility dimension scores at least {rules.min_dimension_score} "
                       f"(lowest: {lowest} {dimensions[lowest].score}).")
    return go, bool(below_no_go)


def decide(scenario: Scenario, dimensions: dict[str, DimensionScore],
           checks: list[TechnicalCheck], outcome: Outcome) -> Decision:
    """Apply the blockers and the scenario's thresholds: go, conditional or no-go."""
    reasons: list[str] = []
    actions: list[str] = []
    triggers = NoGoLines()
    blockers = find_blockers(scenario, checks)
    for blocker, action in blockers:
        reasons.append(blocker_reason(blocker))
        actions.append(action)
        if blocker.severity == "no-go":
            triggers.actions.append(action)
    money_go, money_no_go = _money_checks(scenario, outcome, reasons, actions, triggers)
    dims_go, dims_no_go = _dimension_checks(scenario, dimensions, reasons, actions, triggers,
                                            money_go)
    no_go = money_no_go or dims_no_go or any(b.severity == "no-go" for b, _ in blockers)
    verdict: Verdict = ("no-go" if no_go else
                        "go" if money_go and dims_go and not blockers else "conditional")
    answer = needs_ml(scenario)
    if scenario.project.rules_baseline == "good_enough":
        reasons.append(answer)
        actions.insert(0, load_decision_texts()["needs_ml"]["good_enough"]["action"])
        if verdict == "go":
            verdict = "conditional"
    # a no-go lists first what would lift it: the lines it crosses, before the go conditions
    first = triggers.actions if verdict == "no-go" else []
    conditions = list(dict.fromkeys([*first, *actions]))
    stage = load_stages()["stage"][scenario.project.stage]["label"]
    ruled_out = sum(b.severity == "no-go" for b, _ in blockers)
    causes = ([counted(ruled_out, "blocker")] if ruled_out else []) + triggers.causes
    no_go_cause = "ruled out by " + (", ".join(causes[:-1]) + " and " + causes[-1]
                                     if len(causes) > 1 else "".join(causes))
    headline = {"go": "every threshold is met and nothing blocks it",
                "conditional": f"{counted(len(conditions), 'condition')} to meet before going "
                               "ahead",
                "no-go": no_go_cause}[verdict]
    label = DECISION_LABELS[verdict]  # "Conditional go", as the sidebar and the title say
    reasons.insert(0, f"{label} for the {stage} stage: {headline}.")
    return Decision(decision=verdict, stage=scenario.project.stage, reasons=reasons,
                    conditions=conditions, blockers=[blocker for blocker, _ in blockers],
                    stage_gate=stage_gate(scenario), needs_ml=answer)
