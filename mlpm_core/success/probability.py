"""The chance that the model reaches its acceptability threshold, with the reasons behind it.

The engine draws success per trial from this probability; a trial whose model fails earns no
value (README "The estimation model", and ``mlpm_core/estimate/value.py``).
The user's own estimate (``quality.p_reach_threshold``) always wins. Otherwise the chance is
derived from the difficulty and quality answers, with every number in ``data/success.toml``
(a base by "has it been solved before?" and adjustments with a condition, a reason and a quoted
source), so the arithmetic can be read, challenged and changed without touching code:
``p = base x product(multiply) + sum(add)``, clamped so no answer makes success certain or
impossible.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import Field, ValidationError, model_validator

from mlpm_core.conditions import Condition, Ramp, parse, points_text
from mlpm_core.errors import UserError
from mlpm_core.paths import repo_data_dir
from mlpm_core.rules import condition_context
from mlpm_core.scenario import (
    RuleSource,
    Scenario,
    StrictModel,
    metric_counts,
)

SUCCESS_FILE = "success.toml"
SolvedBefore = Literal["public_solution", "sota_model", "similar", "novel"]


class BaseRate(StrictModel):
    """The starting chance for one answer to 'has a similar problem been solved?'."""

    p: float = Field(ge=0, le=1)
    reason: str = Field(min_length=1)
    source: RuleSource


class Adjustment(StrictModel):
    """A change to the chance when a condition holds: multiply it, or add to it (not both),
    in full or scaled by a ramp."""

    id: str = Field(pattern=r"^[a-z0-9_]{1,64}$")
    when: str = Field(min_length=1)
    multiply: float | None = Field(None, ge=0, le=10)
    add: float | None = Field(None, ge=-1, le=1)
    ramp: Ramp | None = None
    group: str = Field("", pattern=r"^[a-z0-9_]{0,64}$")
    stands_in: bool = False
    """Stands in for an answer left blank (a typical bar): it counts only when no answered
    comparison of its ``group`` holds."""
    reason: str = Field(min_length=1)
    source: RuleSource

    @model_validator(mode="after")
    def _one_effect(self) -> Adjustment:
        if (self.multiply is None) == (self.add is None):
            raise ValueError(f"adjustment '{self.id}' needs exactly one of multiply or add")
        if self.multiply is not None and self.ramp is not None and (
                1 + (self.multiply - 1) * self.ramp.most < 0):
            raise ValueError(f"adjustment '{self.id}': its ramp's last corner takes the factor "
                             "below 0")
        parse(self.when)  # a ConditionError names the bad spot
        return self

    @property
    def condition(self) -> Condition:
        """The parsed ``when``."""
        return parse(self.when)


@dataclass(frozen=True)
class AppliedAdjustment:
    """An adjustment that holds for a scenario, at the strength its ramp gives (1 without)."""

    entry: Adjustment
    strength: float = 1.0
    ramp_value: float | None = None

    @property
    def id(self) -> str:
        """The adjustment's id."""
        return self.entry.id

    @property
    def reason(self) -> str:
        """The adjustment's reason."""
        return self.entry.reason

    @property
    def multiply(self) -> float | None:
        """The factor applied, scaled towards 1 by the ramp."""
        full = self.entry.multiply
        return None if full is None else 1 + (full - 1) * self.strength

    @property
    def add(self) -> float | None:
        """The shift applied, scaled towards 0 by the ramp."""
        full = self.entry.add
        return None if full is None else full * self.strength

    @property
    def change(self) -> float:
        """How far the effect moves a 100% chance, to compare adjustments of one group."""
        return 1 - self.multiply if self.multiply is not None else -(self.add or 0.0)

    @property
    def effect(self) -> str:
        """The effect as people write it: x0.80 or -10 points."""
        if self.multiply is not None:
            return f"x{self.multiply:.2f}"
        return points_text(self.add or 0.0)

    @property
    def scaling(self) -> str:
        """Where a ramped adjustment's answer sits and how much of the effect that gives
        (empty without a ramp)."""
        ramp = self.entry.ramp
        if ramp is None or self.ramp_value is None:
            return ""
        if ramp.further:  # no one "full" effect: each corner says its own
            return ramp.explain(self.ramp_value, self._effect_at)
        if self.strength >= 1:
            return ramp.explain(self.ramp_value)
        full = self._effect_at(1.0)
        return f"{self.strength:.0%} of the full {full}, as {ramp.explain(self.ramp_value)}"

    def _effect_at(self, multiple: float) -> str:
        """The effect at a multiple of the whole one, as people write it."""
        if self.entry.multiply is not None:
            return f"x{1 + (self.entry.multiply - 1) * multiple:.2f}"
        return points_text((self.entry.add or 0.0) * multiple)


class SuccessModel(StrictModel):
    """The whole of ``data/success.toml``."""

    clamp_low: float = Field(ge=0, le=1)
    clamp_high: float = Field(ge=0, le=1)
    base: dict[SolvedBefore, BaseRate]
    adjustment: list[Adjustment] = Field(default_factory=list)

    @model_validator(mode="after")
    def _complete(self) -> SuccessModel:
        missing = set(get_args(SolvedBefore)) - set(self.base)
        if missing:
            raise ValueError(f"no base rate for: {', '.join(sorted(missing))}")
        if self.clamp_low >= self.clamp_high:
            raise ValueError("clamp_low must be below clamp_high")
        ids = [entry.id for entry in self.adjustment]
        if len(ids) != len(set(ids)):
            raise ValueError("an adjustment id is repeated")
        return self


SuccessSource = Literal["answers", "user"]


@dataclass(frozen=True)
class SuccessEstimate:
    """The probability of reaching the acceptability threshold, and why.

    ``reasons`` explains it step by step and ends with the result; ``basis`` holds only the
    answers and adjustments that set it (or that the user set it), for showing next to the
    figure; ``source`` says whether it was derived from the answers or given by the user.
    """

    p: float
    reasons: list[str] = field(default_factory=list)
    source: SuccessSource = "answers"
    basis: list[str] = field(default_factory=list)
    answers_p: float | None = None
    """With the team's own estimate, the chance the answers alone give (None otherwise)."""


@lru_cache(maxsize=4)
def load_success_model(path: Path | None = None) -> SuccessModel:
    """The shipped base rates and adjustments, validated once."""
    path = path or repo_data_dir() / SUCCESS_FILE
    try:
        return SuccessModel.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
    except (ValidationError, ValueError) as error:
        raise UserError(f"{path.name} is invalid: {error}") from None


def applicable_adjustments(scenario: Scenario) -> list[AppliedAdjustment]:
    """The adjustments whose condition holds for this scenario and whose ramp (if any) gives
    them some strength, in file order."""
    return adjustments_in(condition_context(scenario))


def adjustments_in(context: dict[str, Any]) -> list[AppliedAdjustment]:
    """The adjustments that hold in a condition context (see ``applicable_adjustments``)."""
    return _counted(_held_in(context))


def _counted(held: list[AppliedAdjustment]) -> list[AppliedAdjustment]:
    """Of the adjustments held, those that count: one per group, with some strength."""
    return [item for item in _once_per_group(held) if item.strength > 0]


def _held_in(context: dict[str, Any]) -> list[AppliedAdjustment]:
    """Every adjustment whose condition holds, with its ramp's strength (0 included), before
    one per group is kept."""
    held = []
    for entry in load_success_model().adjustment:
        if not entry.condition.evaluate(context):
            continue
        if entry.ramp is None:
            held.append(AppliedAdjustment(entry))
            continue
        value = entry.ramp.value(context)
        held.append(AppliedAdjustment(entry, entry.ramp.strength(value), value))
    return held


def _once_per_group(held: list[AppliedAdjustment]) -> list[AppliedAdjustment]:
    """Adjustments of one ``group`` measure one thing against different answers (the quality
    bar against people's success rate and against the baseline): one of them counts, so that
    answering one more question never counts the same risk twice. Of the answered ones the
    weakest counts: the bar is as hard as it is above the best performance known today
    (people right 85% of the time make a 0.93 bar no harder for a rules baseline at 0.75),
    even when that comparison gives nothing. Only without an answered one does the strongest
    stand-in for a blank answer count, so a blank never beats an answer."""
    counted: dict[str, AppliedAdjustment] = {}
    for group in dict.fromkeys(item.entry.group for item in held if item.entry.group):
        members = [item for item in held if item.entry.group == group]
        answered = [item for item in members if not item.entry.stands_in]
        counted[group] = (min(answered, key=lambda item: item.change) if answered
                          else max(members, key=lambda item: item.change))
    return [item for item in held if not item.entry.group or counted[item.entry.group] is item]


def success_probability(scenario: Scenario) -> SuccessEstimate:
    """The chance that the model reaches its acceptability threshold (your estimate if given)."""
    own = scenario.quality.p_reach_threshold
    if own is None:
        return _from_answers(scenario)
    answers = answers_chance(scenario)
    beside = (f"The answers alone would give {answers:.0%}, by mlpm's judgement; leave your "
              "estimate empty to see why.")
    reasons = [f"Your estimate: a {own:.0%} chance that the model reaches its "
               "acceptability threshold.", beside]
    return SuccessEstimate(own, reasons, "user", [
        "You set it yourself, so the answers do not change it", beside.rstrip(".")],
        answers_p=answers)


def answers_chance(scenario: Scenario) -> float:
    """The chance the answers alone give, whether or not the team set its own: a team's 45%
    beside the answers' 8% is a driver a sponsor must see, and only the part of a team's
    chance below the answers' is a risk the answers do not already count."""
    if scenario.quality.p_reach_threshold is None:
        return _from_answers(scenario).p
    quality = scenario.quality.model_copy(update={"p_reach_threshold": None})
    return _from_answers(scenario.model_copy(update={"quality": quality})).p


def _from_answers(scenario: Scenario) -> SuccessEstimate:
    """The chance derived from the difficulty and quality answers, step by step."""
    model = load_success_model()
    base = model.base[scenario.difficulty.solved_before]
    reasons = [f"Starting point {base.p:.0%}: {base.reason}."]
    basis = [f"Base {base.p:.0%} because {base.reason}"]
    steps = [f"{base.p:.0%}"]
    # Factors first, then percentage points: the order of the arithmetic, so that the list
    # reads as the sum it is.
    held = _held_in(condition_context(scenario))
    entries = sorted(_counted(held), key=lambda entry: entry.multiply is None)
    for entry in entries:
        steps.append(f"\u00d7 {entry.multiply:.3g}" if entry.multiply is not None
                     else points_text(entry.add or 0.0))
        scaled = f" ({entry.scaling})" if entry.scaling else ""
        reasons.append(f"{entry.effect}: {entry.reason}{scaled}.")
        effect = (entry.effect if entry.multiply is not None
                  else f"{(entry.add or 0.0) * 100:+.3g} percentage points")
        basis.append(f"{effect} because {entry.reason}{scaled}")
    # an answer that did not count, before the sum
    note = _people_not_compared(scenario) or _bar_within_people(scenario, held)
    basis += [note.rstrip(".")] if note else []
    raw = unclamped_chance(base.p, entries)
    p = clamped_chance(raw)
    limits = f"{model.clamp_low:.0%}-{model.clamp_high:.0%}"
    clamped = "" if p == raw else f" (limited to {limits})"
    if len(steps) > 1:
        basis.append(f"Together: {' '.join(steps)} = {raw:.0%}")
    if p != raw:
        basis.append(f"Limited to {limits}, so that no answer makes success certain or "
                     "impossible")
    reasons += [note] if note else []
    reasons.append(f"Chance of reaching the acceptability threshold: {p:.0%}{clamped}.")
    return SuccessEstimate(p, reasons, "answers", basis)


def _people_not_compared(scenario: Scenario) -> str:
    """Why people's success rate, when given, was not held against the threshold: the
    metric read as neither a share right nor a share wrong from its name, or what it counts
    contradicts which way is better. A comparison must not drop unseen ("Share of items
    routed to the right queue" was not read as a share right)."""
    quality = scenario.quality
    if scenario.difficulty.human_success_rate is None or quality.acceptability_threshold is None:
        return ""
    counts = metric_counts(quality)
    if counts == "other" and quality.metric_counts == "from_name":
        return (f"People's success rate is not held against the threshold: the metric's name "
                f"(\"{quality.metric}\") does not say that it counts cases got right or wrong; "
                "if it does, say so under 'What the metric counts' on the Quality page.")
    if counts != "other" and quality.higher_is_better != (counts == "cases_right"):
        said = "right" if counts == "cases_right" else "wrong"
        better = "higher" if quality.higher_is_better else "lower"
        return (f"People's success rate is not held against the threshold: the metric counts "
                f"cases got {said}, yet {better} is said to be better; correct one of the two "
                "on the Quality page.")
    return ""


PEOPLE_BARS = ("threshold_above_human", "threshold_above_human_error")


def _bar_within_people(scenario: Scenario, held: list[AppliedAdjustment]) -> str:
    """Why the bar counts nothing when people by hand already do as well as the threshold
    asks: the baseline's comparison then drops out of the reasons without a word, and a chance
    rose from 53% to 58% when people's 93% was held against an 82 threshold. ``held`` are
    the adjustments that hold, before one per group is kept."""
    counted = _once_per_group(held)
    within = [item for item in counted if item.entry.id in PEOPLE_BARS and item.strength == 0]
    dropped = [item for item in held if item.entry.group == "quality_bar" and item.strength > 0
               and not item.entry.stands_in]
    people = scenario.difficulty.human_success_rate
    if not within or not dropped or people is None:
        return ""
    return (f"The quality bar counts nothing: people by hand are right {people:.0%} of the "
            f"time, so the {scenario.quality.acceptability_threshold:g} threshold asks no more "
            f"than is done today; the baseline's {dropped[0].effect} is not counted, since a bar "
            "is only as hard as it is above the best performance known today.")


def unclamped_chance(base: float, applied: list[AppliedAdjustment]) -> float:
    """base x product(multiply) + sum(add), before the clamp."""
    factor, shift = 1.0, 0.0
    for item in applied:
        if item.multiply is not None:
            factor *= item.multiply
        else:
            shift += item.add or 0.0
    return base * factor + shift


def clamped_chance(raw: float) -> float:
    """The chance within the model's limits, so that no answer makes success certain or
    impossible."""
    model = load_success_model()
    return min(max(raw, model.clamp_low), model.clamp_high)
