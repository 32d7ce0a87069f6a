"""The decision policy: the explicit thresholds that turn ranges into go / conditional / no-go.

Kept apart from the question sections (``sections.py``) because it is policy, not an answer
about the project.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from mlpm_core.scenario.ranges import StrictModel


class DecisionThresholds(StrictModel):
    """The explicit policy that turns ranges into go / conditional / no-go."""

    min_p_npv_positive: float = Field(
        0.7, ge=0, le=1, description="Go needs at least this chance that the NPV is positive."
    )
    no_go_p_npv_positive: float = Field(
        0.3, ge=0, le=1,
        description="Below this chance of a positive NPV the answer is no-go, not conditional.",
    )
    cost_percentile: int = Field(
        80, ge=50, le=95,
        description="Which percentile of cost and duration must fit the budget and deadline "
        "(80 means: 4 times out of 5 it fits).",
    )
    min_dimension_score: int = Field(
        60, ge=0, le=100,
        description="Go needs every feasibility dimension to score at least this (0-100).",
    )
    no_go_dimension_score: int = Field(
        25, ge=0, le=100,
        description="A dimension scoring below this makes the answer no-go.",
    )

    @model_validator(mode="after")
    def _ordered(self) -> DecisionThresholds:
        if self.no_go_p_npv_positive > self.min_p_npv_positive:
            raise ValueError("the no-go chance of a positive NPV must not exceed the go chance")
        if self.no_go_dimension_score > self.min_dimension_score:
            raise ValueError("the no-go dimension score must not exceed the go score")
        return self
