"""The chance of reaching the acceptability threshold as every report shows it: one line with its
reasons.

The chance multiplies the value in every simulated project, so it stands next to the NPV and
P(NPV > 0). The line is composed here, once, so that the Markdown, HTML and PDF say the same.
It names its source in words: a sponsor reads the report, not the scenario file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from mlpm_core.report.numbers import format_percent, format_simulated_money
from mlpm_core.scenario import PHASE_LABELS
from mlpm_core.success import answers_chance

if TYPE_CHECKING:
    from mlpm_core.assessment import Estimate, Success
    from mlpm_core.scenario import Scenario

HEAD = "Chance of reaching the acceptability threshold"
# The chance from answers is a judgement (data/success.toml), and the report says so where the
# number is: a sponsor must not read it as a measured rate.
SUCCESS_SOURCE_LABELS = {"answers": "mlpm's judgement from your answers",
                         "user": "your own estimate"}


class SuccessBlock(BaseModel):
    """The chance that the model reaches its acceptability threshold, where it comes from and
    why (``detail``: the source and the reasons), and the whole as one line of text."""

    model_config = ConfigDict(extra="forbid")
    p: float
    shown: str
    source: str
    source_label: str
    reasons: list[str]
    detail: str
    line: str


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def source_said(success: Success, answers: float | None = None) -> str:
    """Where the chance comes from, in words: with the team's own, the answers' beside it
    ('your own estimate; the answers alone would give 48%'), on every page and report."""
    label = SUCCESS_SOURCE_LABELS.get(success.source, success.source)
    if success.source == "user" and answers is not None:
        return f"{label}; the answers alone would give {format_percent(answers)}"
    return label


def chance_beside_own(scenario: Scenario) -> str:
    """What the answers alone give, said where the team types its own chance."""
    answers = format_percent(answers_chance(scenario))
    if scenario.quality.p_reach_threshold is None:
        return (f"Left empty, the chance comes from your answers: {answers} now (mlpm's "
                "judgement; the Report page gives its reasons).")
    return (f"The answers alone would give {answers} (mlpm's judgement). Yours replaces it in "
            "every estimate; 10 points or more above theirs, the decision says what theirs "
            "would change.")


def success_block(success: Success, answers: float | None = None) -> SuccessBlock:
    """The report's view of the estimate's ``success``; with the team's own chance,
    ``answers`` is the one the answers alone give."""
    shown = format_percent(success.p)
    source_label = SUCCESS_SOURCE_LABELS.get(success.source, success.source)
    if success.source == "user":  # the answers' own chance stands beside the team's
        detail = source_said(success, answers)
    else:
        detail = f"{source_label}: " + "; ".join(_lower_first(reason)
                                                  for reason in success.reasons)
    return SuccessBlock(p=success.p, shown=shown, source=success.source,
                        source_label=source_label, reasons=list(success.reasons),
                        detail=detail, line=f"{HEAD}: {shown} ({detail})")


def npv_split_sentence(estimate: Estimate, currency: str, gate: str = "none") -> str:
    """The NPV as the two outcomes it mixes, when the simulation had both: a sponsor reading
    one median of a two-humped NPV sees neither what success earns nor what failure costs.
    ``gate`` is the scenario's ``value.model_gate``: where the plan stops, the failure's loss
    is set beside the whole delivery's cost."""
    success, failure = estimate.npv_if_success, estimate.npv_if_failure
    if success is None or failure is None:
        return ""
    def money(value: float | None) -> str:
        return format_simulated_money(value, currency)
    lost = "the delivery cost with no benefit"
    if gate != "none":
        lost = (f"what the plan spends up to its gate at the end of {PHASE_LABELS[gate]}, "
                f"against a median of {money(estimate.cost.p50)} for the whole delivery")
    split = (f"NPV by outcome: if the model reaches its acceptability threshold, median "
             f"{money(success.p50)} (P10 {money(success.p10)}, P90 {money(success.p90)}); if "
             f"not, {money(failure.p50)}, {lost}.")
    chance = estimate.success.p
    if round(abs(chance - 0.5), 9) >= UNSTEADY_MEDIAN:
        return split
    return (f"{split} With a {chance:.0%} chance of reaching it, the NPV's P50 falls near the "
            "edge of one of these two groups, so a small change in the answers or the seed "
            f"moves it far: read the mean ({money(estimate.npv.mean)}) and the two outcomes.")


UNSTEADY_MEDIAN = 0.05
"""How near 50% the chance of success must be for the NPV's P50 to sit at the edge of a group
(a review saw it go 81k, 1k, -78k for chances of 52, 50 and 48%, and steady at 45 and 60%)."""
