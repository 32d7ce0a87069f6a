"""The yearly cost of prediction errors, from the Quality page's answers.

Google's guide asks for the "consequences of false positives / false negatives" and the staging
guide lists the "Cost of ML errors" among the costs to minimise. mlpm turns them into money with
one simple rule, so that a reader can redo the sum:

* a quality value ``q`` that is a share (0-1, or written in percent) has an error share ``1 - q``
  when higher is better and ``q`` when lower is better (accuracy 0.9: 10% of cases wrong; error
  rate 0.1: the same);
* errors a year = cases a year x error share; each error costs
  ``false_negative_share x FN cost + (1 - false_negative_share) x FP cost``;
* the model's value from errors is the cost it avoids against the baseline: cases x (baseline
  error share - model error share) x cost per error. A model that works reaches somewhere between
  its acceptability threshold and its target (drawn uniformly per trial by the engine).

The avoided cost is added to the annual benefit, unless that benefit already includes it
(``value.error_costs_in_benefit``, the default, so that one saving is never counted twice); with
no annual benefit it is the value either way. Like the benefit it needs the model to work, grows
with adoption and is discounted.
"""

from __future__ import annotations

from dataclasses import dataclass

from mlpm_core.errors import shown_number
from mlpm_core.scenario.metric_reading import as_share, counts_cases, mistakes_counted
from mlpm_core.scenario.model import Scenario
from mlpm_core.scenario.quality import QualitySection
from mlpm_core.scenario.ranges import Range


@dataclass(frozen=True)
class ErrorCosts:
    """The answers behind the errors the model avoids, resolved into shares and ranges."""

    cases: Range
    false_negative_share: float
    false_positive_cost: Range
    false_negative_cost: Range
    baseline_error: float
    model_error_best: float  # at the target (or the threshold when there is no target)
    model_error_worst: float  # at the acceptability threshold (or the target)
    enters_value: bool

    @property
    def typical_cost_per_error(self) -> float:
        """Cost of one error at the middle of each range."""
        share = self.false_negative_share
        return (share * self.false_negative_cost.midpoint
                + (1 - share) * self.false_positive_cost.midpoint)

    @property
    def typical_errors_avoided(self) -> float:
        """Errors a year fewer than the baseline, at the middle of the cases and of the model's
        error share (negative: the model makes more errors than the baseline)."""
        model_error = (self.model_error_best + self.model_error_worst) / 2
        return self.cases.midpoint * (self.baseline_error - model_error)

    @property
    def avoided_cost_at_target(self) -> float:
        """Avoided error cost a year at full adoption for a model at the target (the middle of
        the cases and the costs): what a benefit entered for the target holds of them."""
        errors = self.cases.midpoint * (self.baseline_error - self.model_error_best)
        return errors * self.typical_cost_per_error

    @property
    def typical_avoided_cost(self) -> float:
        """Avoided error cost a year at full adoption, at the middle of every range."""
        return self.typical_errors_avoided * self.typical_cost_per_error


def error_costs_given(scenario: Scenario) -> bool:
    """Whether a false positive or a false negative is said to cost anything."""
    quality = scenario.quality
    return bool(quality.false_positive_cost.high or quality.false_positive_cost.low
                or quality.false_negative_cost.high or quality.false_negative_cost.low)


def benefit_given(scenario: Scenario) -> bool:
    """Whether the scenario states an annual benefit other than a certain zero."""
    benefit = scenario.value.annual_benefit
    return not (benefit.is_certain and benefit.low == 0)


def _error_share(value: float, quality: QualitySection) -> float:
    share = as_share(value, quality)
    assert share is not None  # error_costs_unusable
    return 1.0 - share if quality.higher_is_better else share


def error_costs_unusable(scenario: Scenario) -> str | None:
    """Why the error costs cannot be counted (a clause), or None when they can or are not given."""
    if not error_costs_given(scenario):
        return None
    quality = scenario.quality
    if quality.cases_per_year is None:
        return "no number of cases a year says how many predictions can go wrong"
    if quality.baseline_value is None:
        return "there is no baseline value to count today's errors from"
    if quality.target is None and quality.acceptability_threshold is None:
        return "neither a target nor an acceptability threshold says how often the model errs"
    if not counts_cases(quality):
        return (f"{quality.metric} is not a share of cases (an accuracy, an error rate, a recall "
                "or a precision), so it gives no count of mistakes: put what they cost into the "
                "annual benefit, or, if it does count cases got right or wrong, say so under "
                "'What the metric counts' on the Quality page")
    if any(as_share(value, quality) is None for value in quality.stated_values):
        return (f"the quality values of {quality.metric} are neither shares between 0 and 1 nor "
                "percent, or mix the two, so they give no share of cases in error")
    return None


def error_costs(scenario: Scenario) -> ErrorCosts | None:
    """The resolved error-cost answers, or None when none are given or they cannot be used."""
    if not error_costs_given(scenario) or error_costs_unusable(scenario) is not None:
        return None
    quality = scenario.quality
    reached = [value for value in (quality.target, quality.acceptability_threshold)
               if value is not None]
    shares = [_error_share(value, quality) for value in reached]
    assert quality.cases_per_year is not None and quality.baseline_value is not None
    return ErrorCosts(
        cases=quality.cases_per_year,
        false_negative_share=quality.false_negative_share,
        false_positive_cost=quality.false_positive_cost,
        false_negative_cost=quality.false_negative_cost,
        baseline_error=_error_share(quality.baseline_value, quality),
        model_error_best=min(shares),
        model_error_worst=max(shares),
        enters_value=not (benefit_given(scenario) and scenario.value.error_costs_in_benefit),
    )


def share_contradicts_metric(quality: QualitySection) -> str:
    """Why the share of mistakes that are missed events contradicts the metric, in a sentence,
    or nothing: a recall with a share of 50% priced half of its missed events as false alarms
    the model avoids, while catching more events raises more alarms, not fewer."""
    share, counted = quality.false_negative_share, mistakes_counted(quality)
    if counted == "missed" and share < 1:
        return (f"{quality.metric} counts missed events only, yet {1 - share:.0%} of its "
                "mistakes are priced as false alarms the model avoids, where catching more "
                "events raises more alarms, not fewer: set the share of mistakes that are "
                "missed events to 100% on the Quality page.")
    if counted == "false_alarms" and share > 0:
        return (f"{quality.metric} counts false alarms only, yet {share:.0%} of its mistakes "
                "are priced as missed events: set the share of mistakes that are missed events "
                "to 0% on the Quality page.")
    return ""


def cost_unpriced(scenario: Scenario) -> str:
    """Which cost of a mistake the share weighs at nothing, in a sentence, or nothing: a false
    alarm's cost beside a recall (every mistake a missed event) had changed no figure at all,
    and nothing said so."""
    quality = scenario.quality
    share = quality.false_negative_share
    if share_contradicts_metric(quality):
        return ""  # its own advice (set the share) comes first
    unpriced = {1.0: ("false positive", quality.false_positive_cost),
                0.0: ("false negative", quality.false_negative_cost)}
    if share not in unpriced or not unpriced[share][1].high:
        return ""
    kind, cost = unpriced[share]
    amount = (shown_number(cost.low) if cost.is_certain
              else f"{shown_number(cost.low)}–{shown_number(cost.high)}")
    counted = "a missed event" if share else "a false alarm"
    return (f"A {kind}'s cost ({scenario.project.currency} {amount}) counts for nothing, every "
            f"mistake counted being {counted}: enter what the {kind}s cost a year as a cost line "
            "of your own.")
