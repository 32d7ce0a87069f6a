"""Portfolio review: several scenarios' estimates side by side, ranked by impact and feasibility.

Which candidate projects to pursue first (README "Portfolio"), after FSDL's prioritisation
(``fsdl-2021``: "Assessing the feasibility and impact of your projects", "Optimize
for high gain, low complexity/cost", ``ml-projects-max-roi``). The matrix places each scenario
by two numbers, stated once:

* **Impact** is the expected NPV: the mean of the simulated NPV over the horizon (value already
  weighted by the chance that the model reaches its acceptability threshold, minus delivery and
  running costs). It is in the scenario's own currency; amounts are never converted.
* **Feasibility score** is the mean of the dimension scores (one per member of ``DIMENSIONS``,
  each 0-100). The mean, not the minimum, because the matrix is for ranking: two projects with
  one weak dimension each should not tie with a project weak everywhere. The
  weakest dimension still counts where it must: the decision (the bubble's colour) turns
  conditional or no-go when a dimension is below its threshold, and the comparison table names
  the weakest dimension and its score.

Bubble size is the P80 delivery cost and colour the decision. A scenario is in one of four
quadrants: feasibility at or above ``FEASIBLE_SCORE`` (the green traffic-light cut-off) and an
expected NPV above zero is "Prioritise"; valuable but less feasible is "De-risk first" (e.g. a
pathfinder sprint); feasible with no expected value is "Low value"; neither is "Deprioritise".
A no-go counts as not feasible whatever its score (its report rules it out as it stands), and
within a quadrant a go ranks before a conditional go before a no-go.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mlpm_core.assessment import EstimateResult
from mlpm_core.errors import UserError
from mlpm_core.feasibility import load_feasibility_model
from mlpm_core.scenario import (
    DECISION_LABELS,
    DIMENSION_LABELS,
    STAGE_LABELS,
    Scenario,
    ScenarioRepository,
    StoredScenario,
    label,
    with_value,
)

MIN_COMPARE = 2
MAX_COMPARE = 6
QUADRANTS = ("Prioritise", "De-risk first", "Low value", "Deprioritise")  # best first
DECISION_ORDER = ("go", "conditional", "no-go")


def feasible_score() -> int:
    """The feasibility score from which a scenario counts as feasible: the green cut-off."""
    return load_feasibility_model().levels.green


@dataclass(frozen=True)
class PortfolioRow:
    """One scenario's key figures for the comparison table and the matrix."""

    label: str  # unique within the comparison (the name, numbered when names repeat)
    scenario_id: str | None
    name: str
    stage: str  # code: mvp / growth / maturity
    currency: str
    decision: str  # code: go / conditional / no-go
    effort_p50: float | None  # person-days
    effort_p80: float | None
    duration_p50: float | None  # weeks
    duration_p80: float | None
    cost_p50: float | None  # delivery cost, in ``currency``
    cost_p80: float | None
    npv_mean: float | None  # the expected NPV (impact)
    npv_p50: float | None
    p_npv_positive: float
    p_success: float  # chance of reaching the acceptability threshold
    success_source: str  # answers / user
    feasibility: float  # mean of the dimension scores (module docstring)
    weakest_dimension: str  # code of the lowest-scoring dimension
    weakest_score: int
    quadrant: str

    @property
    def decision_label(self) -> str:
        """"Go", "Conditional go" or "No-go"."""
        return label(DECISION_LABELS, self.decision)

    @property
    def stage_label(self) -> str:
        """"MVP", "Growth" or "Maturity"."""
        return label(STAGE_LABELS, self.stage)


def feasibility_score(result: EstimateResult) -> float:
    """The mean of the dimension scores, 0-100."""
    return float(statistics.fmean(d.score for d in result.estimate.feasibility.values()))


def quadrant(feasibility: float, expected_npv: float | None, feasible_from: float,
             decision: str = "go") -> str:
    """Which quadrant of the impact x feasibility matrix a scenario falls in. A no-go is
    never "Prioritise", whatever its mean score: a ranking that put a scenario its own report
    rules out first contradicted that report."""
    valuable = expected_npv is not None and expected_npv > 0
    feasible = feasibility >= feasible_from and decision != "no-go"
    if valuable:
        return QUADRANTS[0] if feasible else QUADRANTS[1]
    return QUADRANTS[2] if feasible else QUADRANTS[3]


def unique_labels(names: Sequence[str]) -> list[str]:
    """The names, with " (2)", " (3)" ... added to repeats so that each labels one scenario."""
    seen: dict[str, int] = {}
    taken = set(names)
    labels = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        if seen[name] == 1:
            labels.append(name)
            continue
        number = seen[name]
        while f"{name} ({number})" in taken:
            number += 1
        labels.append(f"{name} ({number})")
        taken.add(labels[-1])
    return labels


def portfolio_row(row_label: str, result: EstimateResult, scenario_id: str | None = None,
                  feasible_from: float | None = None) -> PortfolioRow:
    """The figures of one scenario's estimate."""
    estimate = result.estimate
    scenario = result.scenario
    score = feasibility_score(result)
    weakest = min(estimate.feasibility.items(), key=lambda item: item[1].score)
    threshold = feasible_score() if feasible_from is None else feasible_from
    return PortfolioRow(
        label=row_label, scenario_id=scenario_id, name=scenario.project.name,
        stage=scenario.project.stage, currency=scenario.project.currency,
        decision=estimate.decision,
        effort_p50=estimate.effort_days.p50, effort_p80=estimate.effort_days.p80,
        duration_p50=estimate.duration_weeks.p50, duration_p80=estimate.duration_weeks.p80,
        cost_p50=estimate.cost.p50, cost_p80=estimate.cost.p80,
        npv_mean=estimate.npv.mean, npv_p50=estimate.npv.p50,
        p_npv_positive=estimate.p_npv_positive, p_success=estimate.success.p,
        success_source=estimate.success.source, feasibility=score,
        weakest_dimension=weakest[0], weakest_score=weakest[1].score,
        quadrant=quadrant(score, estimate.npv.mean, threshold, estimate.decision),
    )


def portfolio_rows(results: Mapping[str, EstimateResult],
                   ids: Mapping[str, str] | None = None) -> list[PortfolioRow]:
    """One row per estimate, in the mapping's order; keys are the (unique) labels."""
    threshold = feasible_score()
    return [portfolio_row(key, result, (ids or {}).get(key), threshold)
            for key, result in results.items()]


def ranked(rows: Sequence[PortfolioRow]) -> list[PortfolioRow]:
    """Best first: by quadrant (Prioritise first), then by decision (go, conditional, no-go),
    then by expected NPV, then feasibility."""
    def key(row: PortfolioRow) -> tuple[int, int, float, float]:
        npv = row.npv_mean if row.npv_mean is not None else float("-inf")
        return (QUADRANTS.index(row.quadrant), DECISION_ORDER.index(row.decision), -npv,
                -row.feasibility)
    return sorted(rows, key=key)


def currencies(rows: Sequence[PortfolioRow]) -> list[str]:
    """The distinct currencies of the rows, sorted (more than one: amounts are not comparable)."""
    return sorted({row.currency for row in rows})


def matrix_points(rows: Sequence[PortfolioRow]) -> list[dict[str, Any]]:
    """The impact x feasibility matrix's data: one point per scenario with a finite NPV."""
    return [{"scenario": row.label, "feasibility": round(row.feasibility, 1),
             "expected_npv": float(row.npv_mean), "cost_p80": float(row.cost_p80 or 0.0),
             "decision": row.decision_label, "quadrant": row.quadrant,
             "weakest": f"{label(DIMENSION_LABELS, row.weakest_dimension)} "
                        f"({row.weakest_score})",
             "currency": row.currency}
            for row in rows if row.npv_mean is not None]


def checked_selection(ids: Sequence[str]) -> list[str]:
    """2 to 6 distinct scenario ids, in the order given; else a readable refusal."""
    distinct = list(dict.fromkeys(ids))
    if not MIN_COMPARE <= len(distinct) <= MAX_COMPARE:
        raise UserError(f"Pick {MIN_COMPARE} to {MAX_COMPARE} scenarios to compare "
                        f"({len(distinct)} picked).")
    return distinct


# ------------------------------------------------------------------------------ what-if
def what_if(repository: ScenarioRepository, source_id: str, name: str,
            stage: str | None = None) -> StoredScenario:
    """A new scenario copied from ``source_id`` under ``name``, optionally for another stage.

    Build vs buy, MVP vs growth: a what-if is a named copy the user then edits; the source is
    never changed. The stage is checked before anything is written.
    """
    if stage is not None:
        with_value(Scenario(), "project.stage", stage)  # refuses an unknown stage up front
    copy = repository.duplicate(source_id, name.strip())
    if stage is None:
        return copy
    scenario, row = repository.load(copy.id)
    if scenario.project.stage == stage:
        return row
    return repository.save(copy.id, with_value(scenario, "project.stage", stage),
                           expected_version=row.version,
                           note=f"what-if for the {label(STAGE_LABELS, stage)} stage")
