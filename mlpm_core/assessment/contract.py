"""The JSON contract of ``mlpm estimate``: `Estimate` and the parts it is made of.

Exactly the keys the README's quickstart lists, nothing more; the run that fills them is in
``run.py``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, SerializerFunctionWrapHandler, model_serializer

from mlpm_core.feasibility import DimensionScore


class Summary(BaseModel):
    """A distribution in five numbers; ``None`` stands for 'never' (an infinite payback)."""

    model_config = ConfigDict(extra="forbid")
    mean: float | None
    p10: float | None
    p50: float | None
    p80: float | None
    p90: float | None


class FiredRule(BaseModel):
    """A rule whose condition held, with its source and the multiplier range it applied."""

    model_config = ConfigDict(extra="forbid")
    id: str
    title: str
    source: str
    source_id: str = ""  # in data/sources.toml, or "user"; empty in results saved before it
    quote: str = ""
    multiplier: tuple[float, float]
    probability: float
    phases: list[str]
    warning: str
    range_basis: str
    group: str = ""  # the bridge step that counts it (its group's label); empty in older results


class BridgeEntry(BaseModel):
    """One step from the team's bottom-up number to the P50 effort (cumulative days)."""

    model_config = ConfigDict(extra="forbid")
    step: str
    label: str
    effort_days: float
    saved_alone: float | None = None  # removing this factor alone (rules and bias steps)

    @model_serializer(mode="wrap")
    def _no_saving_no_key(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """Steps that are not a factor (the sum, the task ranges, the P50) have no saving:
        the key is left out, since a null in the estimate JSON means a figure that was not
        finite."""
        data: dict[str, Any] = handler(self)
        if data.get("saved_alone") is None:
            data.pop("saved_alone", None)
        return data


class DriverEffect(BaseModel):
    """One row of the tornado chart."""

    model_config = ConfigDict(extra="forbid")
    name: str
    kind: str
    cost_share: float
    effort_share: float
    cost_low: float
    cost_high: float
    effort_low: float
    effort_high: float


class SensitivityReport(BaseModel):
    """What drives the spread, as sentences and as tornado rows (largest cost share first)."""

    model_config = ConfigDict(extra="forbid")
    cost_summary: str
    effort_summary: str
    npv_summary: str = ""
    """What drives the spread of the NPV: whether the model reaches its threshold, then the
    inputs among the projects where it does."""
    drivers: list[DriverEffect]


class CostLine(BaseModel):
    """One part of the cost breakdown: its mean over the simulated projects, one-off (in the
    delivery cost) or per year (a running cost, at full adoption for usage-driven parts)."""

    model_config = ConfigDict(extra="forbid")
    key: str
    label: str
    paid: Literal["one_off", "yearly"]
    mean: float


class Success(BaseModel):
    """The chance that the model reaches its acceptability threshold, which multiplies the
    value in every trial: derived from the answers, or the user's own estimate; ``reasons`` are
    the answers and adjustments that set it."""

    model_config = ConfigDict(extra="forbid")
    p: float
    source: Literal["answers", "user"]
    reasons: list[str]


class Estimate(BaseModel):
    """The JSON estimate ``mlpm estimate`` prints: exactly these keys, and no others."""

    model_config = ConfigDict(extra="forbid")
    decision: str
    reasons: list[str]
    conditions: list[str]
    feasibility: dict[str, DimensionScore]
    effort_days: Summary
    duration_weeks: Summary
    duration_weeks_overlapped: Summary
    """The duration with phases overlapped as far as the team's time allows (each role working
    through its tasks without waiting for the phase before): the least this staffing allows,
    where ``duration_weeks`` runs the phases in order."""
    cost: Summary
    cost_breakdown: list[CostLine]
    npv: Summary
    roi: Summary
    """NPV over what was put in (the delivery cost and the running costs, discounted): -1 for
    a model that falls short, which loses all it cost."""
    payback_years: Summary
    """Years from the start until the cumulative discounted cash flow turns positive; ``None``
    where it never does within the horizon (every model that falls short), so a P50 of
    ``None`` means more than half of the simulated projects never pay back."""
    p_npv_positive: float
    npv_if_success: Summary | None = None
    npv_if_failure: Summary | None = None
    success: Success
    rules_fired: list[FiredRule]
    sensitivity: SensitivityReport
    bridge: list[BridgeEntry]
    warnings: list[str]
    trials: int
    seed: int
    schema_version: int
