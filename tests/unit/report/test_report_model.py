"""Display rows of the report model."""

from __future__ import annotations

from types import SimpleNamespace

from mlpm_core.report.inputs import inputs_appendix
from mlpm_core.report.model import bridge_rows
from mlpm_core.scenario.document import load_scenario
from tests.conftest import EXAMPLES_DIR


def test_a_bridge_step_that_rounds_to_nothing_reads_plus_zero_not_minus_zero():
    """A rule that takes 0.02 days off must not read "-0.0" beside one that adds 0.04."""
    steps = [SimpleNamespace(step="bottom_up", label="Sum", effort_days=20.0),
             SimpleNamespace(step="a", label="Tiny cut", effort_days=19.98),
             SimpleNamespace(step="b", label="Tiny add", effort_days=20.02),
             SimpleNamespace(step="c", label="Real cut", effort_days=18.0),
             SimpleNamespace(step="p50", label="P50", effort_days=18.0)]
    changes = [row.change for row in bridge_rows(SimpleNamespace(bridge=steps))]
    assert changes == ["", "+0.0", "+0.0", "-2.0", ""]


def test_bridge_days_are_shown_to_the_tenth_their_changes_are():
    """47.6 then 47.4 read "48, 47, -0.2" in whole days: the days and the change must agree."""
    steps = [SimpleNamespace(step="bottom_up", label="Sum", effort_days=47.6),
             SimpleNamespace(step="a", label="Ranges", effort_days=47.4),
             SimpleNamespace(step="p50", label="P50", effort_days=1047.4)]
    rows = bridge_rows(SimpleNamespace(bridge=steps))
    assert [(row.days, row.change) for row in rows] == [
        ("47.6", ""), ("47.4", "-0.2"), ("1,047.4", "")]
    assert [row.whole_days for row in rows] == ["48", "47", "1,047"]


def test_the_inputs_appendix_gives_the_error_costs_a_risk_may_quote_only_when_counted():
    """The fraud example's error costs (they enter its value) are in the appendix with the
    currency and where they count; the Bike Shop counts none and lists none."""
    def errors(name: str) -> list[str]:
        scenario = load_scenario(EXAMPLES_DIR / f"{name}.json")
        return [row.answer for row in inputs_appendix(scenario).answers
                if row.question.startswith("Error costs")]

    [fraud] = errors("fraud_card_payments")
    assert fraud.startswith("EUR 2–15 / EUR 40–400 / 60,000–150,000 / 100%")
    assert fraud.endswith("; in the annual benefit (default)")  # the example leaves it
    assert errors("bike_shop_service_forecast") == []


def test_the_inputs_appendix_lists_the_cost_inputs_behind_each_cost_line():
    """The fraud example's storage, licences, data purchase and training lines trace to the
    ranges the scenario gives, listed once; a scenario with none of them has no such row."""
    fraud = load_scenario(EXAMPLES_DIR / "fraud_card_payments.json")
    [row] = [row for row in inputs_appendix(fraud).answers if row.question == "Cost inputs"]
    costs = fraud.costs
    for label, amount in (("storage", costs.storage_per_year),
                          ("licences", costs.licences_per_year),
                          ("data purchase", costs.data_purchase)):
        assert f"{label} EUR {amount.low:,.0f}–{amount.high:,.0f}" in row.answer
    assert f"{costs.experiments:,} runs" in row.answer
    blank = inputs_appendix(fraud.model_copy(update={"costs": type(costs)()}))
    assert not [row for row in blank.answers if row.question == "Cost inputs"]
