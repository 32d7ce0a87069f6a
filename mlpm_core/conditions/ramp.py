"""A ramp: an effect in data that an answer scales, instead of a condition that switches it.

A step lets people right 69% and 71% of the time differ by the whole effect; a sponsor who
moves an answer by a point should see the result move by about a point's worth. A ramp names
an arithmetic expression in the condition language (``by``), the value at which the effect is
nothing (``none``) and the value from which it is whole (``full``); between them it is in
proportion. The chance of success (``data/success.toml``) and the feasibility scores
(``data/feasibility.toml``) use it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from mlpm_core.conditions.condition import parse

Unit = Literal["", "percent", "points"]


def points_text(share: float) -> str:
    """A difference of shares in percentage points, to a tenth when it is not whole."""
    shown = f"{share * 100:+.3g}"
    return f"{shown} point" if shown in ("+1", "-1") else f"{shown} points"


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

    @model_validator(mode="after")
    def _apart(self) -> Ramp:
        if self.none == self.full:
            raise ValueError("a ramp needs 'none' and 'full' to differ")
        parse(self.by)  # a ConditionError names the bad spot
        return self

    def value(self, context: Mapping[str, Any]) -> float:
        """The answer the effect is scaled by."""
        return parse(self.by).number(context)

    def strength(self, value: float) -> float:
        """The share of the full effect at this value, 0 to 1 (rounded, so that 0.95 - 0.9 in
        floating point is the whole effect, not 99.99999% of it)."""
        return round(min(max((value - self.none) / (self.full - self.none), 0.0), 1.0), 9)

    def ends(self) -> str:
        """The ramp's two ends, in words."""
        if self.ends_said:
            return self.ends_said
        beyond = "more" if self.full > self.none else "less"
        return (f"none at {_shown(self.none, self.unit)}, all of it at "
                f"{_shown(self.full, self.unit)} or {beyond}")

    def explain(self, value: float) -> str:
        """Where this value sits on the ramp, in words."""
        return f"{self.measure} is {_shown(value, self.unit)}: {self.ends()}"
