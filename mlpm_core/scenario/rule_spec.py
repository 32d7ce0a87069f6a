"""The shape of a rule of thumb, shared by ``data/rules.toml`` and a scenario's custom rules."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from mlpm_core.scenario.condition_fields import validate_rule_condition
from mlpm_core.scenario.limits import MULTIPLIER_MAX, MULTIPLIER_MIN, check_multiplier
from mlpm_core.scenario.ranges import Range, StrictModel
from mlpm_core.scenario.text import SafeLine, SafeText
from mlpm_core.scenario.vocabulary import Phase

RuleId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{1,64}$")]
"""A rule's identifier: lower-case letters, digits and underscores."""

Multiplier = Annotated[Range, AfterValidator(check_multiplier)]
"""A rule's effort multiplier range, within ``limits.MULTIPLIER_MIN`` to ``MULTIPLIER_MAX``."""


class RuleSource(StrictModel):
    """Where a rule comes from: a source of data/sources.toml and the sentence it rests on."""

    id: SafeLine = Field(max_length=200,
                         description="Source id in data/sources.toml, or 'user'.")
    quote: SafeText = Field(max_length=2000,
                            description="The sentence the rule rests on, verbatim.")

    @model_validator(mode="before")
    @classmethod
    def _saved_as_file(cls, data: Any) -> Any:
        """Scenarios saved before the bibliography named the source ``file``; they still load."""
        if isinstance(data, dict) and "file" in data and "id" not in data:
            data = {("id" if key == "file" else key): value for key, value in data.items()}
        return data


class RuleDefinition(StrictModel):
    """A rule of thumb: when a condition holds, multiply some phases' effort by a range."""

    id: RuleId = Field(description="Stable identifier.")
    title: SafeLine = Field(min_length=1, max_length=200, description="What the rule says.")
    source: RuleSource = Field(
        default_factory=lambda: RuleSource(id="user", quote="Added by the user."),
        description="Where the rule comes from.",
    )
    when: SafeText = Field(min_length=1, max_length=2000,
                           description="Condition over scenario fields, e.g. data.size == \"big\".")
    multiplier: Multiplier = Field(description="Effort multiplier as a 90% range when it fires.")
    strict_multiplier: float | None = Field(
        None, ge=MULTIPLIER_MIN, le=MULTIPLIER_MAX,
        description="Exact factor in strict mode (e.g. 2 for 'double it'); empty: the middle "
        "of the range."
    )
    applies_to: list[Phase] = Field(
        default_factory=list, description="Phases it multiplies; empty: the whole project."
    )
    probability: float = Field(1.0, ge=0, le=1, description="Chance that it bites (0-1).")
    group: str = Field(
        "", pattern=r"^[a-z0-9_]{0,64}$",
        description="Rules in one group describe the same risk: when several fire, only the "
        "largest multiplier applies, so overlapping rules do not compound. Empty: its own group.",
    )
    warning: SafeText = Field("", max_length=500, description="Message shown when the rule fires.")
    strength: Literal["", "solo_strength", "over_20_strength", "research_strength",
                      "label_shortage_strength", "rare_positives_strength"] = Field(
        "", description="A derived fact from 0 to 1 that scales the multiplier in log terms "
        "(x2 at 0.5 is x1.41): the solo doubling fades as others share the work, the 'over 20 "
        "days' widening grows from 20 to 40 days, the research-share rule from a share of 0.2 "
        "to 0.4, the scarce-labels rule as the labels in hand fall from 60% to 40% of those "
        "needed. Empty: the multiplier as it stands.",
    )
    range_basis: Literal["source", "judgement"] = Field(
        "judgement", description="Where the multiplier's numbers come from: the source's own "
        "factor (Thompson's 'double it') or mlpm's judgement (a range no source gives).",
    )

    @field_validator("when")
    @classmethod
    def _parses(cls, text: str, info: ValidationInfo) -> str:
        return validate_rule_condition(text, info)

    @property
    def exact_factor(self) -> float:
        """The factor used in strict mode."""
        if self.strict_multiplier is not None:
            return self.strict_multiplier
        return self.multiplier.midpoint


class RuleOverride(StrictModel):
    """A user's edit of a shipped rule for one scenario."""

    multiplier: Multiplier | None = Field(None, description="Replacement multiplier range.")
    probability: float | None = Field(None, ge=0, le=1, description="Replacement probability.")
