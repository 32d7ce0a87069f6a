"""A task type's own words for the questions that default to classification's."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlpm_core.errors import UserError
from mlpm_core.report.inputs import inputs_appendix
from mlpm_core.scenario import Scenario
from mlpm_core.scenario.document import load_scenario
from mlpm_core.scenario.wording import load_wording, wording
from tests.conftest import EXAMPLES_DIR


def test_the_shipped_wording_names_real_task_types_and_fields_and_words_them_differently():
    table = load_wording()
    assert {"forecasting", "generation"} <= set(table)
    forecast = wording("forecasting", "data.labelled_available")
    assert forecast is not None and "history" in forecast.label.lower()
    assert wording("classification", "data.labelled_available") is None
    for task, fields in table.items():
        for words in fields.values():
            assert words.label and words.label == words.label.strip()
            if task in ("forecasting", "generation"):  # the words they replace
                for old in ("labelled", "false positive", "false negative", "human"):
                    assert old not in words.label.lower(), words.label


@pytest.mark.parametrize(("text", "why"), [
    ('[knitting."data.size"]\nlabel = "Yarn"\n', "unknown task types: knitting"),
    ('[forecasting."data.nothing"]\nlabel = "Nothing"\n', "unknown field 'data.nothing'"),
    ('[forecasting."data.size"]\nlabel = "Size"\ncolour = "red"\n', "is invalid"),
    ('[forecasting\n', "is invalid"),
])
def test_a_broken_wording_file_is_refused_with_what_is_wrong(tmp_path: Path, text, why):
    path = tmp_path / "question_wording.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UserError, match=why):
        load_wording(path)


def test_the_report_names_a_forecasts_labels_as_its_history_and_keeps_the_answer():
    """The Bike Shop forecast's key answers speak of recorded history; the same scenario as a
    classifier speaks of labelled examples, with the same numbers."""
    forecast = load_scenario(EXAMPLES_DIR / "bike_shop_service_forecast.json")
    document = forecast.model_dump(mode="json")
    document["project"]["task_type"] = "classification"
    classifier = Scenario.model_validate(document)
    as_forecast = {row.question: row.answer for row in inputs_appendix(forecast).answers}
    as_classifier = {row.question: row.answer for row in inputs_appendix(classifier).answers}
    history = "Recorded history available / needed (observations)"
    labelled = "Labelled examples available / needed"
    assert history in as_forecast and labelled not in as_forecast
    assert as_forecast[history] == as_classifier[labelled]
