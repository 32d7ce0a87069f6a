"""Uncertain quantities as people state them: a 90% interval, optionally with a most-likely value.

A single number means "certain". A positive range without a most-likely value is lognormal
(the natural shape for costs and durations); a lognormal range with a bound <= 0 is refused,
because users who type ``[0, 100]`` almost always meant "somewhere up to 100", which a lognormal
cannot express: they should say ``"distribution": "normal"`` or ``"uniform"`` explicitly.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from mlpm_core.errors import shown_number

Distribution = Literal["lognormal", "normal", "pert", "uniform"]

QUANTITY_MAX = 1e15
"""Largest magnitude of a range end (see ``mlpm_core.scenario.limits`` for tighter bounds)."""


class StrictModel(BaseModel):
    """Base for every input model: unknown keys, NaN and infinities are errors, not surprises.

    Strict: a value must already have the type the field asks for, as JSON writes it. ``true``
    is not the number 1, ``"off"`` is not false, ``"20000"`` is not a number of trials and
    ``3.0`` is not a whole number; only a whole number where a decimal is asked for is taken
    as it is (JSON does not tell ``3`` from ``3.0``). Lenient coercion would turn a typo into a
    different answer without a word.
    """

    model_config = ConfigDict(
        strict=True,
        extra="forbid",
        allow_inf_nan=False,
        validate_assignment=True,
        str_max_length=5000,
    )


class Range(StrictModel):
    """A 90% interval (5th to 95th percentile) with an optional most-likely value."""

    low: float = Field(
        description="Low end of the 90% interval: only a 5% chance the true value is lower.",
        ge=-QUANTITY_MAX,
        le=QUANTITY_MAX,
    )
    high: float = Field(
        description="High end of the 90% interval: only a 5% chance the true value is higher.",
        ge=-QUANTITY_MAX,
        le=QUANTITY_MAX,
    )
    most_likely: float | None = Field(
        default=None,
        description="Most likely value, if you have one; it makes the range a PERT shape "
        "between low and high.",
        ge=-QUANTITY_MAX,
        le=QUANTITY_MAX,
    )
    distribution: Distribution | None = Field(
        default=None,
        description="Shape of the uncertainty. Left empty: lognormal for a positive range, "
        "PERT when a most-likely value is given.",
    )

    @model_validator(mode="before")
    @classmethod
    def _accept_shorthand(cls, value: Any) -> Any:
        """Let files say ``5`` for a certain value and ``[2, 8]`` for a 90% interval."""
        if isinstance(value, bool):
            raise ValueError("expected a number, [low, high] or [low, most likely, high], "
                             "not true or false")
        if isinstance(value, int | float):
            return {"low": value, "high": value}
        if isinstance(value, list | tuple):
            if len(value) == 2:
                return {"low": value[0], "high": value[1]}
            if len(value) == 3:
                return {"low": value[0], "most_likely": value[1], "high": value[2]}
            raise ValueError("a range is [low, high] or [low, most likely, high]")
        return value

    @model_validator(mode="after")
    def _check_order_and_shape(self) -> Range:
        if self.low > self.high:
            raise ValueError(
                f"the low end ({shown_number(self.low)}) is above the high end "
                f"({shown_number(self.high)}); "
                "swap them"
            )
        if self.most_likely is not None and not self.low <= self.most_likely <= self.high:
            raise ValueError(
                f"the most-likely value ({shown_number(self.most_likely)}) must lie between low "
                f"({shown_number(self.low)}) and high ({shown_number(self.high)})"
            )
        if self.kind == "lognormal" and not self.is_certain and self.low <= 0:
            raise ValueError(
                f"a lognormal range needs both ends above zero, got [{shown_number(self.low)}, "
                f"{shown_number(self.high)}]; give a most-likely value, or set distribution to "
                "'normal' or 'uniform' for a range that can reach zero"
            )
        return self

    @property
    def is_certain(self) -> bool:
        """True when low == high: the value is known, no sampling needed."""
        return self.low == self.high

    @property
    def kind(self) -> Distribution:
        """The distribution actually used, after applying the defaults described above."""
        if self.distribution is not None:
            return self.distribution
        return "pert" if self.most_likely is not None else "lognormal"

    @property
    def midpoint(self) -> float:
        """A representative single value (most likely, else the geometric or plain middle)."""
        if self.most_likely is not None:
            return self.most_likely
        if self.kind == "lognormal" and self.low > 0:
            return float((self.low * self.high) ** 0.5)
        return (self.low + self.high) / 2


def certain(value: float) -> Range:
    """A range that is not uncertain at all."""
    return Range(low=value, high=value)


def span(low: float, high: float, most_likely: float | None = None) -> Range:
    """A 90% interval, the common case in defaults."""
    return Range(low=low, high=high, most_likely=most_likely)
