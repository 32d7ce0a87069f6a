"""Scenario names in the impact x feasibility matrix: cleaned, cut between graphemes, and the
currency code in the axis title only as three capital letters."""

from __future__ import annotations

import dataclasses

import pytest

from mlpm_core.assessment.run import run_estimate
from mlpm_core.charts import images
from mlpm_core.charts.text import ELLIPSIS, graphemes, width
from mlpm_core.portfolio.charts import BUBBLE_LABEL_COLUMNS, impact_feasibility_matrix_spec
from mlpm_core.portfolio.compare import portfolio_rows
from mlpm_core.scenario.document import load_scenario
from tests.conftest import EXAMPLES_DIR

LONG = "Flags " + "🇫🇷" * 30 + " \u0001 end"


@pytest.fixture(scope="module")
def row():
    """One portfolio row of the fraud example under a long name with emoji and a control."""
    result = run_estimate(load_scenario(EXAMPLES_DIR / "fraud_card_payments.json"), trials=5000)
    return portfolio_rows({LONG: result})[0]


def test_a_long_name_is_cut_between_flags_and_the_tooltip_keeps_it_whole(row):
    """The label above the bubble is cut on a grapheme boundary; the tooltip's name is only
    cleaned; Vega's own pixel limit is not used."""
    spec = impact_feasibility_matrix_spec([row])
    text = next(layer for layer in spec["layer"]
                if layer["mark"]["type"] == "text" and "label" in layer["data"]["values"][0])
    point = text["data"]["values"][0]
    assert point["label"].endswith(ELLIPSIS) and "\x01" not in point["scenario"]
    body = point["label"].removesuffix(ELLIPSIS).removeprefix("Flags ")
    assert body == "🇫🇷" * (len(body) // 2)
    assert sum(width(g) for g in graphemes(point["label"])) <= BUBBLE_LABEL_COLUMNS
    assert point["scenario"].startswith(LONG[:40]) and point["scenario"].endswith("end")
    assert "limit" not in text["mark"]
    assert images.render([spec], "svg")[0].startswith(b"<svg")


def test_a_currency_that_is_not_three_capitals_stays_out_of_the_axis_title(row):
    """A currency code with markup or a line separator becomes the word 'currency'."""
    odd = dataclasses.replace(row, currency="E\u2028<b>")
    spec = impact_feasibility_matrix_spec([odd])
    titles = [layer["encoding"]["y"]["title"] for layer in spec["layer"]
              if "y" in layer["encoding"] and "title" in layer["encoding"]["y"]]
    assert titles and all(title == "Expected NPV (currency)" for title in titles)
