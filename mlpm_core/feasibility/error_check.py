"""The cost of errors the model avoids against the baseline, as a technical check.

Apart from the serving checks because it reads the Quality page's answers, not the platform's,
and because it must also say which of those answers count for nothing: a false alarm's cost
beside a recall, whose mistakes are missed events only, had changed no figure at all.
"""

from __future__ import annotations

from mlpm_core.feasibility.check import TechnicalCheck, money, number
from mlpm_core.scenario import (
    Scenario,
    benefit_given,
    cost_unpriced,
    error_costs,
    error_costs_given,
    error_costs_unusable,
    share_contradicts_metric,
)


def error_cost_check(scenario: Scenario) -> TechnicalCheck | None:
    """The cost of errors the model avoids against the baseline (``scenario.error_costs``), and
    whether it is added to the value; None when no error is said to cost anything."""
    if not error_costs_given(scenario):
        return None
    title = "Cost of errors vs the baseline"
    currency = scenario.project.currency
    errors = error_costs(scenario)
    if errors is None:
        return TechnicalCheck("error_costs", title, "n/a", "A false positive or negative has a "
                              "cost, but errors are not counted in the value: "
                              f"{error_costs_unusable(scenario)}.")
    avoided = errors.typical_avoided_cost
    model_error = (errors.model_error_best + errors.model_error_worst) / 2
    benefit = scenario.value.annual_benefit.midpoint
    if not errors.enters_value:
        use = (f"not added: the annual benefit of {money(benefit, currency)} is taken to include "
               "it (answer No to 'the annual benefit includes the errors avoided' to add it)")
    elif benefit_given(scenario):
        use = f"added to the annual benefit of {money(benefit, currency)}"
    else:
        use = "with no annual benefit given, this is the model's value"
    basis = (f"middle of each range: {errors.baseline_error:.1%} of "
             f"{number(errors.cases.midpoint)} cases a year wrong with the baseline, "
             f"{model_error:.1%} with the model; "
             f"{money(errors.typical_cost_per_error, currency)} per error")
    if avoided < 0:
        return TechnicalCheck(
            "error_costs", title, "warn", "The model makes more errors than the baseline: "
            f"about {number(-errors.typical_errors_avoided)} more a year, costing "
            f"{money(-avoided, currency)} a year ({basis}); {use}.", avoided,
            benefit if benefit_given(scenario) else None)
    summary = (f"The model avoids about {number(errors.typical_errors_avoided)} errors a year, "
               f"worth {money(avoided, currency)} a year at full adoption ({basis}); {use}.")
    warnings = [note for note in (_against_benefit(scenario, avoided, errors.enters_value),
                                  share_contradicts_metric(scenario.quality)) if note]
    # a cost the share weighs at nothing is said, but is no fault of the estimate's numbers
    notes = [*warnings, cost_unpriced(scenario)]
    return TechnicalCheck("error_costs", title, "warn" if warnings else "ok",
                          " ".join(note for note in [summary, *notes] if note), avoided,
                          benefit if benefit_given(scenario) else None)


ADDED_ERRORS_BEYOND = 3.0
"""Errors added to a benefit may be its larger part (a defect inspection's escaped defects
beside the inspectors' time, entered as two lines as the report advises), but past three times
its high end they are more often a misread metric (mlpm's judgement: a forecaster's WAPE read
as a share of forecasts missing was twelve times a EUR 1-4M benefit)."""


def _against_benefit(scenario: Scenario, avoided: float, added: bool) -> str:
    """Why the errors avoided do not sit with the benefit entered, or nothing. A saving larger
    than the whole benefit is more likely a misread metric than the project's value; one larger
    than the middle of a benefit said to include it leaves nothing of that benefit for the
    rest, and a review saw the NPV's mean rise from 177k to 836k when it deleted the benefit
    (the errors alone became the value)."""
    if not benefit_given(scenario):
        return ""
    currency = scenario.project.currency
    benefit = scenario.value.annual_benefit
    if avoided > benefit.high * (ADDED_ERRORS_BEYOND if added else 1.0):
        clash = ("more than three times the annual benefit's high end "
                 f"({money(benefit.high, currency)}) they are added to, so the errors would be "
                 "nearly all of the value" if added else "more than the annual benefit's high "
                 f"end ({money(benefit.high, currency)}), which cannot include it")
        return (f"But that is {clash}: check the cases a year, the cost per error and that the "
                "metric is a share of cases wrong (an error such as WAPE or MAPE is not).")
    if not added and avoided > benefit.midpoint:
        return ("That is more than the annual benefit said to include it: check the cases a "
                "year and the cost per error, or raise the benefit.")
    return ""
