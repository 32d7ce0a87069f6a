"""A ramp: an effect in data that an answer scales, instead of a condition that switches it.

A step lets people right 69% and 71% of the time differ by the whole effect; a sponsor who
moves an answer by a point should see the result move by about a point's worth. A ramp names
an arithmetic expression in the condition language (``by``), the value at which the effect is
nothing (``none``) and the value from which it is whole (``full``); between them it is in
proportion. An effect that keeps growing past ``full`` names further corners (``further``:
answer, then the multiple of the whole effect there), joined by straight lines and held after
the last: a threshold 9 points above people's success rate is harder to reach than one 5 points
above, and two straight ramps in one group could not say so without a kink. The chance of
success (``data/success.toml``) and the feasibility scores (``data/feasibility.toml``) use it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from itertools import pairwise
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from mlpm_core.conditions.condition import parse

Unit = Literal["", "percent", "points"]


def points_text(share: float) -> str:
    """A difference of shares in percentage points, to a tenth when it is not whole."""
    shown = f"{share * 100:+.3g}"
    return f"{shown} point" if shown in ("+1", "-1") else f"{shown} points"


def _times(multiple: float) -> str:
    """A multiple of the whole effect in words: 'twice it', '2.5 times it'."""
    return "twice it" if multiple == 2 else f"{multiple:g} times it"


def _shown(value: float, unit: Unit) -> str:
    """A value as its reader thinks of it: a share, a difference of shares, or a number."""
    if unit == "percent":
        return f"{value:.0%}"
    if unit == "points":
        return points_text(value)
    return f"{value:.3g}"


class Ramp(BaseModel):
    """Where an effect starts and where it is whole, along an answer (see the module)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    by: str = Field(min_length=1)
    measure: str = Field(min_length=1, description="What ``by`` is, in words.")
    none: float
    full: float
    unit: Unit = ""
    ends_said: str = Field("", description="The ends in the reader's words, for a ``by`` that "
                           "is a derived strength rather than an answer ('none at a 2% share "
                           "..., all of it at 0.5% ...'); empty: said from ``none`` and "
                           "``full``.")
    further: tuple[tuple[float, float], ...] = Field(
        (), description="Corners past ``full``: (answer, multiple of the whole effect), each "
        "further along and stronger than the one before.")

    @field_validator("further", mode="before")
    @classmethod
    def _corners_as_pairs(cls, value: Any) -> Any:
        """TOML gives lists; a frozen model keeps tuples."""
        if isinstance(value, list):
            return tuple(tuple(corner) if isinstance(corner, list) else corner
                         for corner in value)
        return value

    @model_validator(mode="after")
    def _apart(self) -> Ramp:
        if self.none == self.full:
            raise ValueError("a ramp needs 'none' and 'full' to differ")
        direction = 1 if self.full > self.none else -1
        for (at, multiple), (then, more) in pairwise(((self.full, 1.0), *self.further)):
            if (then - at) * direction <= 0 or more <= multiple:
                raise ValueError("each of a ramp's further corners must lie beyond the one "
                                 "before it, with a larger multiple of the effect")
        parse(self.by)  # a ConditionError names the bad spot
        return self

    @property
    def most(self) -> float:
        """The largest multiple of the whole effect the ramp reaches."""
        return self.further[-1][1] if self.further else 1.0

    def value(self, context: Mapping[str, Any]) -> float:
        """The answer the effect is scaled by."""
        return parse(self.by).number(context)

    def strength(self, value: float) -> float:
        """The share of the full effect at this value: 0 to 1 up to ``full``, then along the
        further corners (rounded, so that 0.95 - 0.9 in floating point is the whole effect,
        not 99.99999% of it)."""
        share = (value - self.none) / (self.full - self.none)
        if share <= 1 or not self.further:
            return round(min(max(share, 0.0), 1.0), 9)
        for (at, multiple), (then, more) in pairwise(((self.full, 1.0), *self.further)):
            along = (value - at) / (then - at)
            if along <= 1:
                return round(multiple + along * (more - multiple), 9)
        return round(self.most, 9)

    def ends(self, effect_at: Callable[[float], str] | None = None) -> str:
        """The ramp's ends and corners, in words; with ``effect_at`` (the effect at a
        multiple of the whole one: 'x0.90'), each corner says its effect instead of how much
        of it applies ('x0.90 at 50%, x0.50 at 10% or less')."""
        if self.ends_said:
            return self.ends_said
        beyond = "more" if self.full > self.none else "less"
        def said(multiple: float) -> str:
            return (effect_at(multiple) if effect_at else
                    "all of it" if multiple == 1 else _times(multiple))
        corners = "".join(f", {said(multiple)} at {_shown(at, self.unit)}"
                          for at, multiple in ((self.full, 1.0), *self.further))
        return f"none at {_shown(self.none, self.unit)}{corners} or {beyond}"

    def explain(self, value: float, effect_at: Callable[[float], str] | None = None) -> str:
        """Where this value sits on the ramp, in words (``effect_at`` as for :meth:`ends`)."""
        return f"{self.measure} is {_shown(value, self.unit)}: {self.ends(effect_at)}"
