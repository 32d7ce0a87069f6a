"""The Quality page's answers: what 'good enough' means, what mistakes cost, how the model is
judged. Apart from the other sections because it holds the most questions of any page."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from mlpm_core.errors import shown_number
from mlpm_core.scenario.limits import QUANTITY_MAX, MoneyRange
from mlpm_core.scenario.ranges import Range, StrictModel, certain
from mlpm_core.scenario.text import SafeLine


class QualitySection(StrictModel):
    """Prediction quality: what 'good enough' means and what mistakes cost."""

    metric: SafeLine = Field("accuracy", max_length=100,
                             description="The single metric to optimise.")
    target: float | None = Field(None, ge=-QUANTITY_MAX, le=QUANTITY_MAX,
                                 description="The value you hope to reach.")
    acceptability_threshold: float | None = Field(
        None, ge=-QUANTITY_MAX, le=QUANTITY_MAX,
        description="The value the model must reach to be usable at all."
    )
    baseline_value: float | None = Field(
        None, ge=-QUANTITY_MAX, le=QUANTITY_MAX,
        description="What today's process or a simple baseline achieves."
    )
    higher_is_better: bool = Field(True, description="Is a higher metric better?")
    metric_counts: Literal["from_name", "cases_right", "cases_wrong", "other"] = Field(
        "from_name", description="What the metric counts: the share of cases got right (an "
        "accuracy), the share got wrong (an error rate) or something else: a share of some "
        "cases (recall, precision) or a score (F1, AUC, MAPE). Only a share of all cases is "
        "held against how often people get it right; a recall's or precision's mistakes are "
        "still costed by the cases a year. 'Read it from the "
        "metric's name' looks for accuracy, correct, right or success, and for error rate, "
        "wrong, incorrect or mis-..."
    )
    scale: Literal["from_values", "share", "percent", "other"] = Field(
        "from_values", description="How the target, threshold and baseline are written: as "
        "shares from 0 to 1 (0.85), in percent (85) or on another scale (a lift, an error in "
        "units). Only a share or a percent can be held against the error left to remove, and "
        "not an NDCG, a MAP or a BLEU, whose best reachable value is unknown. 'Read "
        "it from the values' takes values from 0 to 1 as shares, and values up to 100 as "
        "percent for a higher-is-better score or a share of cases got wrong."
    )
    p_reach_threshold: float | None = Field(
        None, ge=0, le=1,
        description="Your chance (0-1) that the model reaches the acceptability threshold. "
        "Leave empty to derive it from the difficulty answers.",
    )
    false_positive_cost: MoneyRange = Field(default_factory=lambda: certain(0.0),
                                       description="Cost of one false positive.")
    false_negative_cost: MoneyRange = Field(default_factory=lambda: certain(0.0),
                                       description="Cost of one false negative.")
    cases_per_year: Range | None = Field(
        None, description="Cases a year whose mistakes cost money: what the metric counts "
        "(frauds a year for a recall, all transactions for an accuracy, alerts for a "
        "precision). With a baseline and the costs above, the errors the model avoids enter "
        "the value; empty: error costs are not counted."
    )
    false_negative_share: float = Field(
        0.5, ge=0, le=1, description="Of the mistakes the metric counts, the share that are "
        "false negatives (missed events); the rest are false positives. A recall counts only "
        "missed events (1), a precision only false alarms (0)."
    )
    factual_accuracy: Literal["none", "helpful", "critical"] = Field(
        "none", description="For generative AI: how much factual accuracy matters."
    )
    wrong_prediction_handling: Literal[
        "human_review", "user_feedback", "automated_fallback", "none"
    ] = Field("human_review", description="How the system handles wrong predictions.")
    evaluation_complexity: Literal["simple", "moderate", "complicated"] = Field(
        "simple", description="Complicated: no single offline metric, human rating, online tests."
    )
    documentation: Literal["light", "standard", "heavy"] = Field(
        "standard", description="Model documentation required (heavy: regulators, audits)."
    )

    @field_validator("cases_per_year")
    @classmethod
    def _non_negative_cases(cls, value: Range | None) -> Range | None:
        if value is not None and value.low < 0:
            raise ValueError("cases a year cannot be negative")
        return value

    @property
    def stated_values(self) -> list[float]:
        """The target, the threshold and the baseline that are given."""
        return [value for value in (self.target, self.acceptability_threshold,
                                    self.baseline_value) if value is not None]

    @model_validator(mode="after")
    def _values_on_their_scale(self) -> QualitySection:
        """A share above 1 or a percent above 100 is a typing slip that would leave the bar
        unmeasured, so it is refused with the fix rather than read as another scale."""
        limit = {"share": 1.0, "percent": 100.0}.get(self.scale)
        outside = [value for value in self.stated_values
                   if limit is not None and not 0 <= value <= limit]
        if outside:
            shown = shown_number(outside[0])
            if self.scale == "share":
                raise ValueError(f"{shown} is not a share from 0 to 1 (as a share, 85% is 0.85): "
                                 "for values written like 85, choose percent")
            raise ValueError(f"{shown} is not a percent from 0 to 100: choose another scale")
        return self

    @model_validator(mode="after")
    def _threshold_not_beyond_target(self) -> QualitySection:
        if self.target is None or self.acceptability_threshold is None:
            return self
        beyond = (self.acceptability_threshold > self.target if self.higher_is_better
                  else self.acceptability_threshold < self.target)
        if beyond:
            raise ValueError(
                f"the acceptability threshold ({shown_number(self.acceptability_threshold)}) is "
                f"beyond the target ({shown_number(self.target)}); the threshold is the minimum "
                "usable value"
            )
        return self
