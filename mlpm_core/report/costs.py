"""Where the money goes, as every report shows it: one row per cost part with its mean.

The rows are the estimate's ``cost_breakdown``: the standard parts, the devices' hardware and
the user's own cost lines, each named (a user's line by the name typed, which each renderer
escapes). Composed here once, so that the Markdown, HTML and PDF list the same lines.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from mlpm_core.estimate import range_mean
from mlpm_core.report.numbers import format_money, format_simulated_money, format_span
from mlpm_core.scenario import (
    DELIVERY_PART_LABELS,
    PHASE_LABELS,
    RUN_PART_LABELS,
    QualitySection,
    ValueSection,
)
from mlpm_core.success import UNMEASURED_CURVE, BenefitShare, threshold_short_of_target

if TYPE_CHECKING:
    from mlpm_core.assessment import CostLine

HEAD = "Where the money goes"
NOTE = ("Mean over the simulated projects. One-off costs make up the delivery cost; running "
        "costs are per year (usage-driven ones at full adoption) and enter the NPV over the "
        "horizon, discounted.")
PAID_LABELS = {"one_off": "One-off", "yearly": "Per year"}


class CostRow(BaseModel):
    """One part of the cost: its name, when it is paid and its mean, formatted."""

    model_config = ConfigDict(extra="forbid")
    label: str
    paid: str
    mean: str
    added: bool = False  # the devices' hardware or a user's own line, not a standard part


def cost_rows(lines: list[CostLine], currency: str) -> list[CostRow]:
    """The estimate's cost breakdown as display rows, in its order."""
    standard = DELIVERY_PART_LABELS.keys() | RUN_PART_LABELS.keys()
    return [CostRow(label=line.label, paid=PAID_LABELS[line.paid],
                    mean=_mean_money(line.mean, currency), added=line.key not in standard)
            for line in lines]


def _mean_money(value: float, currency: str) -> str:
    """Whole money, but a part that costs something below half a unit reads 'under EUR 1',
    not 'EUR 0' (a weekly batch of a small model costs cents of machine time a year)."""
    if 0 < value < 0.5:
        return f"under {format_money(1, currency)}"
    return format_simulated_money(value, currency)


def cost_sentence(rows: list[CostRow]) -> str:
    """The rows as one line of text, for the PDF, where a table would cost a page: a sponsor
    sees what the money is for, running costs included (the RAG example's decisive inference
    bill is a yearly figure no other part of the PDF gives)."""
    parts = [f"{row.label} {row.mean}{' a year' if row.paid == PAID_LABELS['yearly'] else ''}"
             for row in rows]
    return f"Mean cost by part: {'; '.join(parts)}." if parts else ""


def npv_basis(value: ValueSection) -> str:
    """What the NPV counts, with this scenario's horizon and rate: a sponsor reads an NPV
    without knowing when the benefit starts (when delivery ends, not today, so a slip costs
    only the discount on a later start: a review halved every FTE and saw the NPV fall 10%
    and expected a year of benefit lost), that servers,
    licences and upkeep are paid in full from the first year while inference grows with use,
    or that a model missing its threshold earns nothing."""
    years = "1 year" if value.horizon_years == 1 else f"{value.horizon_years} years"
    return (f"NPV: the benefit less running costs for {years} from the end of delivery (a "
            "later delivery defers them, it does not shorten them), the "
            "benefit and the usage-driven costs (inference) times each year's adoption, "
            f"discounted at {value.discount_rate:.0%} a year, minus the delivery cost; a model "
            f"that misses its threshold earns nothing{_stopped_at(value)}.")


def _stopped_at(value: ValueSection) -> str:
    """What a model that falls short spends, where the plan stops at a gate (``gate``)."""
    if value.model_gate == "none":
        return ""
    return (f" and stops the plan at the end of {PHASE_LABELS[value.model_gate]}, having spent "
            "only the delivery cost up to there")


def benefit_drawn_sentence(value: ValueSection, currency: str) -> str:
    """How the annual benefit is drawn and what it averages: a sponsor reading a 90% range of
    EUR 1.5M to 5M takes its middle, 3.25M, for the typical year, where the lognormal drawn
    has a median of 2.74M and a mean of 2.92M. Empty for a certain benefit."""
    benefit = value.annual_benefit
    if benefit.is_certain:
        return ""
    mean = range_mean(benefit)
    span = format_span(benefit.low, benefit.high, currency)
    if benefit.kind == "pert":
        assert benefit.most_likely is not None  # a PERT range has one
        return (f"The annual benefit is drawn as a PERT over its 90% range, {span}, most "
                f"likely {format_money(benefit.most_likely, currency)}: a mean of "
                f"{format_simulated_money(mean, currency)}.")
    middle = (f"a median of {format_simulated_money(benefit.midpoint, currency)} and "
              if benefit.kind == "lognormal" else "")
    return (f"The annual benefit is drawn {benefit.kind} over its 90% range, "
            f"{span}: {middle}a mean of {format_simulated_money(mean, currency)}.")


def benefit_bar_sentence(quality: QualitySection, share: BenefitShare,
                         currency: str = "") -> str:
    """When the acceptability threshold sits short of the target, what a working model earns
    of the benefit entered (the target's): a team that lowers the bar raises the chance of
    reaching it, so the reader must see that a model at the bar earns only its share. Empty
    when there is one bar. ``share`` is the one the engine drew with
    (``simulation.model.value.share``)."""
    if not threshold_short_of_target(quality):
        return ""
    threshold, target = quality.acceptability_threshold, quality.target
    if not share.scaled:
        return (f"The benefit is counted whole for every model that reaches the acceptability "
                f"threshold ({threshold:g}), short of the {target:g} target, since "
                f"{share.unscaled_because}.")
    start = (f"The benefit entered is the {target:g} target's, earned in proportion to the "
             "gain over the baseline")
    priced = (f"{format_simulated_money(share.errors_at_target, currency)} a year at the "
              "target by the cost of mistakes, of a benefit of "
              f"{format_simulated_money(share.benefit_middle, currency)}")
    if round(share.errors_part, 2) >= 1:  # as shown: 99.7% read "work it takes over (0%)"
        start = (f"The benefit entered is the {target:g} target's. For an automation the errors "
                 f"it avoids ({priced}) come to all of it, so none of it is "
                 "counted as work taken over and all of it is earned in proportion to the gain "
                 "over the baseline")
    elif share.errors_part:
        start = (f"The benefit entered is the {target:g} target's. For an automation the work "
                 f"it takes over ({1 - share.errors_part:.0%} of it) is earned by any model "
                 "good enough to deploy, and the errors it avoids (the other "
                 f"{share.errors_part:.0%}: {priced}) in proportion to the gain "
                 "over the baseline")
    if share.baseline is None:
        none = ("its value is not read, the values mixing shares and percent"
                if share.baseline_unread else "none is given")
        start += (f" ({none}, so a model at the {threshold:g} threshold is counted at "
                  f"{share.at_threshold:.0%}, as if the threshold lay halfway from the baseline "
                  "to the target)")
    else:
        start += f" of {share.baseline:g}"
    if share.no_gain:
        return (f"{start}: the baseline already reaches the target, so no model gains on "
                "the metric and the benefit counts nothing.")
    at = ("nothing, being below the baseline" if share.at_threshold <= 0
          else f"{share.at_threshold:.0%} of it")
    how = ("taken as half, since the values do not measure how demanding a bar is"
           if share.curve == UNMEASURED_CURVE else "by the chances of success")
    return (f"{start}: a model at the {threshold:g} threshold earns {at}; of the working "
            f"models {share.reaching_target:.0%} reach the target, {how}, "
            f"and together they earn {share.mean:.0%} of it on average.{_split_said(share)}")


def _split_said(share: BenefitShare) -> str:
    """How to set an automation's split between work and errors directly: inferred from the
    cost of mistakes against a benefit entered whole, cheaper mistakes leave more of it to the
    work any deployed model earns (a review saw the NPV rise as a missed defect got cheaper)."""
    if not share.errors_part:
        return ""
    return (" The split follows the cost of mistakes while the benefit stays as entered; to "
            "set it yourself, enter only the work taken over as the annual benefit and say it "
            "does not include the errors avoided, which are then drawn and added.")
