"""The feasibility dimensions, each a 0-100 score, a traffic light and the answers behind it.

Google's guide (google-managing-ml) names the dimensions: data availability, problem
difficulty, prediction quality, technical requirements and cost. FSDL (fsdl-2021)
ranks projects by impact against feasibility, so a score must say *why*: every point lost is a
penalty entry in ``data/feasibility.toml`` with a condition, a reason and a quoted source. The
technical dimension also loses points for failed or warned technical checks, and the cost
dimension is scored from the simulation outcome (chance of a positive NPV, cost and duration at
the decision percentile against budget and deadline).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from mlpm_core.conditions import Ramp, check_types, parse
from mlpm_core.errors import UserError
from mlpm_core.feasibility.outcome import Outcome
from mlpm_core.feasibility.technical import TechnicalCheck, money, number
from mlpm_core.paths import repo_data_dir
from mlpm_core.rules import condition_context
from mlpm_core.scenario import (
    DIMENSIONS,
    ChanceFacts,
    Dimension,
    RuleSource,
    Scenario,
    StrictModel,
    score_condition_fields,
)
from mlpm_core.success import answers_chance

FEASIBILITY_FILE = "feasibility.toml"
Level = Literal["green", "amber", "red"]
Measure = Literal["p_npv_positive", "budget_ratio", "deadline_ratio"]
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_.]*)(:%)?\}")


class DimensionScore(BaseModel):
    """One dimension's score (0-100), its traffic light and the reasons for lost points."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    score: int = Field(ge=0, le=100)
    level: Level
    reasons: list[str]

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict: {score, level, reasons}."""
        return self.model_dump(mode="json")


class Penalty(StrictModel):
    """Points a dimension loses when an answer (a condition over the scenario) holds: all of
    them, or with a ``ramp`` a share that grows with the answer (README "Feasibility and the
    decision")."""

    dimension: Dimension
    id: str = Field(pattern=r"^[a-z0-9_]{1,64}$")
    when: str = Field(min_length=1)
    points: int = Field(ge=0, le=100)
    ramp: Ramp | None = None
    reason: str = Field(min_length=1)
    source: RuleSource

    @model_validator(mode="after")
    def _parses(self) -> Penalty:
        check_types(parse(self.when), score_condition_fields())
        return self

    def lost(self, context: Mapping[str, Any], values: Mapping[str, Any]) -> tuple[int, str] | None:
        """The points lost and the reason, or None when the penalty does not apply (its
        condition is false, or its ramp gives it no whole point)."""
        if not parse(self.when).evaluate(context):
            return None
        reason = fill(self.reason, values)
        if self.ramp is None:
            return self.points, reason
        points = round(self.points * self.ramp.strength(self.ramp.value(context)))
        if points == 0:
            return None
        if points == self.points:  # the reason states the answer; the ramp's ends add nothing
            return points, reason
        scale = f" ({self.points} points in all; {self.ramp.ends()})"
        return points, (f"{reason[:-1]}{scale}." if reason.endswith(".") else reason + scale)


class OutcomeReason(StrictModel):
    """What the cost dimension says of a simulated figure below or above a limit."""

    measure: Measure
    below: float | None = None
    above: float | None = None
    reason: str = Field(min_length=1)
    source: RuleSource

    @model_validator(mode="after")
    def _one_limit(self) -> OutcomeReason:
        if (self.below is None) == (self.above is None):
            raise ValueError(f"an outcome reason on {self.measure} needs below or above")
        return self

    def hits(self, value: float) -> bool:
        """Whether the figure is past this entry's limit."""
        return value < self.below if self.below is not None else value > (self.above or 0.0)


Corner = Annotated[list[float], Field(min_length=2, max_length=2)]
"""[value of the measure, points lost there] (a TOML array, hence a list)."""


def _curve_ok(corners: list[Corner]) -> list[Corner]:
    """A curve needs two corners or more, in rising order of the measure, with points 0-100."""
    if len(corners) < 2:
        raise ValueError("an outcome curve needs at least two corners")
    if any(right[0] <= left[0] for left, right in pairwise(corners)):
        raise ValueError("an outcome curve's corners must rise along the measure")
    if any(not 0 <= points <= 100 for _, points in corners):
        raise ValueError("an outcome curve's points must be 0 to 100")
    return corners


OutcomeCurve = Annotated[list[Corner], AfterValidator(_curve_ok)]


def curve_points(corners: list[Corner], value: float) -> int:
    """Whole points lost at this value: straight lines between the corners, flat beyond."""
    (first_x, first_y), (last_x, last_y) = corners[0], corners[-1]
    if value <= first_x:
        return round(first_y)
    if value >= last_x:
        return round(last_y)
    for (x0, y0), (x1, y1) in pairwise(corners):
        if value <= x1:
            return round(y0 + (y1 - y0) * (value - x0) / (x1 - x0))
    raise AssertionError("unreachable: value is inside the corners")


class Levels(StrictModel):
    """Traffic-light cut-offs."""

    green: int = Field(ge=0, le=100)
    amber: int = Field(ge=0, le=100)


class CheckPoints(StrictModel):
    """Points lost per technical check status."""

    fail: int = Field(ge=0, le=100)
    warn: int = Field(ge=0, le=100)


class FeasibilityModel(StrictModel):
    """The whole of ``data/feasibility.toml``."""

    levels: Levels
    check_points: CheckPoints
    check_dimension: dict[str, Dimension] = Field(default_factory=dict)
    ok_reason: dict[Dimension, str]
    penalty: list[Penalty] = Field(default_factory=list)
    outcome_curve: dict[Measure, OutcomeCurve]
    outcome_reason: list[OutcomeReason] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> FeasibilityModel:
        if self.levels.amber > self.levels.green:
            raise ValueError("the amber cut-off must not exceed the green one")
        ids = [entry.id for entry in self.penalty]
        if len(ids) != len(set(ids)):
            raise ValueError("a penalty id is repeated")
        for measure in self.outcome_curve:
            if not any(entry.measure == measure for entry in self.outcome_reason):
                raise ValueError(f"the outcome curve of {measure} has no reason to show")
        return self


@lru_cache(maxsize=4)
def load_feasibility_model(path: Path | None = None) -> FeasibilityModel:
    """The shipped scoring model, validated once."""
    path = path or repo_data_dir() / FEASIBILITY_FILE
    try:
        return FeasibilityModel.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
    except (ValidationError, ValueError) as error:
        raise UserError(f"{path.name} is invalid: {error}") from None


def flatten(mapping: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested dicts as dotted paths ({"a": {"b": 1}} -> {"a.b": 1}); lists stay whole."""
    flat: dict[str, Any] = {}
    for key, value in mapping.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(flatten(value, f"{path}."))
        else:
            flat[path] = value
    return flat


def show(value: Any) -> str:
    """A value as a sentence shows it: 'not set', 'yes', '12,000', '0.85', 'real time'."""
    if value is None or value == "":
        return "not set"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return number(value)
    return str(value).replace("_", " ")


def placeholders(template: str) -> list[str]:
    """The ``{name}`` placeholders of a template, so tests can check them against the context."""
    return [name for name, _ in _PLACEHOLDER.findall(template)]


def fill(template: str, values: Mapping[str, Any]) -> str:
    """Replace ``{name}`` (or ``{name:%}`` for a percentage) with shown values.

    An unknown name is a bug in a shipped data file, reported as such.
    """
    def replace(match: re.Match[str]) -> str:
        name, percent = match.groups()
        if name not in values:
            raise UserError(f"unknown placeholder {{{name}}} in: {template}")
        value = values[name]
        if percent and isinstance(value, int | float) and not isinstance(value, bool):
            return f"{value:.0%}"
        return show(value)
    return _PLACEHOLDER.sub(replace, template)


def level_for(score: int) -> Level:
    """Traffic light of a score, from the cut-offs in the data file."""
    levels = load_feasibility_model().levels
    if score >= levels.green:
        return "green"
    return "amber" if score >= levels.amber else "red"


def _outcome_figures(scenario: Scenario, outcome: Outcome) -> tuple[dict[Measure, float],
                                                                     dict[str, str]]:
    """The cost measures and their shown values for reason templates."""
    project, currency = scenario.project, scenario.project.currency
    measures: dict[Measure, float] = {"p_npv_positive": outcome.p_npv_positive}
    values = {"p_npv_positive": f"{outcome.p_npv_positive:.0%}",
              "percentile": str(outcome.percentile),
              "cost": money(outcome.cost_at_percentile, currency),
              "weeks": number(outcome.duration_weeks_at_percentile),
              "budget": "", "deadline": "", "ratio": ""}
    if project.budget:
        measures["budget_ratio"] = outcome.cost_at_percentile / project.budget
        values["budget"] = money(project.budget, currency)
    if project.deadline_weeks:
        measures["deadline_ratio"] = outcome.duration_weeks_at_percentile / project.deadline_weeks
        values["deadline"] = number(project.deadline_weeks)
    return measures, values


def _ratio(value: float) -> str:
    """A figure as a share of its limit: to a tenth where a whole percent would read as the
    limit itself ('EUR 128k is above the EUR 128k budget (100% of it)')."""
    shown = f"{value:.0%}"
    return f"{value:.1%}" if shown == "100%" and value != 1 else shown


def scoring_context(scenario: Scenario) -> dict[str, Any]:
    """The condition context with the team's own chance of success beside the answers' one
    (``success.answers_p``, ``success.own_below_answers``): a team's chance is penalised only
    for how far it falls below what the answers give, since the answers' own risks already
    cost their dimensions (a team that wrote down the answers' 53% had lost 6 more points
    than one that left it blank)."""
    context = condition_context(scenario)
    own = scenario.quality.p_reach_threshold
    answers = None if own is None else answers_chance(scenario)
    below = 0.0 if own is None or answers is None else round(max(answers - own, 0.0), 9)
    context["success"] = ChanceFacts(answers_p=answers, own_below_answers=below).model_dump()
    return context


def check_reason(check: TechnicalCheck, summary: str = "") -> str:
    """A failed or warned check as a dimension's reason: its title and what it found (or
    ``summary`` in its place, for a report that gives the check whole elsewhere)."""
    said = "failed" if check.status == "fail" else "warns"
    return f"{check.title} {said}: {summary or check.summary}"


def score_dimensions(scenario: Scenario, checks: list[TechnicalCheck],
                     outcome: Outcome | None) -> dict[str, DimensionScore]:
    """Score every dimension, in the order of ``DIMENSIONS``, with the reasons for lost points.

    ``outcome`` is the simulation's summary; without one (no simulation yet) the cost dimension
    reflects only the answers and says so.
    """
    model = load_feasibility_model()
    context = scoring_context(scenario)
    values = flatten(context)
    lost: dict[str, list[tuple[int, str]]] = {name: [] for name in DIMENSIONS}
    for entry in model.penalty:
        found = entry.lost(context, values)
        if found is not None:
            lost[entry.dimension].append(found)
    for check in checks:
        if check.status in ("fail", "warn"):
            points = getattr(model.check_points, check.status)
            dimension = model.check_dimension.get(check.id, "technical")
            lost[dimension].append((points, check_reason(check)))
    if outcome is None:
        lost["cost"].append((0, "Not simulated yet: the cost score does not include the "
                                "simulated cost, duration and value."))
    else:
        measures, shown = _outcome_figures(scenario, outcome)
        for measure, value in measures.items():
            points = curve_points(model.outcome_curve[measure], value)
            shown["ratio"] = _ratio(value)
            said = next((item for item in model.outcome_reason
                         if item.measure == measure and item.hits(value)), None)
            if points and said is not None:
                lost["cost"].append((points, fill(said.reason, shown)))
    ok_reasons = {**model.ok_reason, "technical": _technical_ok(model, checks)}
    scores: dict[str, DimensionScore] = {}
    for name in DIMENSIONS:
        score = max(0, min(100, 100 - sum(points for points, _ in lost[name])))
        reasons = [f"{reason} (-{points})" if points else reason for points, reason in lost[name]]
        scores[name] = DimensionScore(score=score, level=level_for(score),
                                      reasons=reasons or [ok_reasons[name]])
    return scores


def _technical_ok(model: FeasibilityModel, checks: list[TechnicalCheck]) -> str:
    """The technical dimension's reason when nothing failed or warned: 'every serving check
    passed' only when every one could run; else which ones lacked the inputs to run."""
    unchecked = [check.title for check in checks if check.status == "n/a"
                 and model.check_dimension.get(check.id, "technical") == "technical"]
    if not unchecked:
        return model.ok_reason["technical"]
    return ("No serving check failed or warned; not checked, for want of the inputs they need: "
            f"{', '.join(unchecked)}.")
