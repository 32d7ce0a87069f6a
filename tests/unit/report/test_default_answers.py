"""The key answers tell what the team said from what mlpm assumed: a value still at the blank
scenario's starting value prints "(default)", once explained beside the table, in the inputs
appendix and in the Markdown, HTML and PDF reports; a row that changes nothing for the scenario
does not print at all."""

from __future__ import annotations

import io
import re
from functools import cache

from pypdf import PdfReader

from mlpm_core.assessment.run import run_estimate
from mlpm_core.report.inputs import DEFAULT_MARK, DEFAULT_NOTE, InputsAppendix, inputs_appendix
from mlpm_core.report.render import render
from mlpm_core.scenario import Scenario, with_value
from tests.conftest import scenario_with

MODEL_SIZE = "Model size (million parameters)"


def answers(appendix: InputsAppendix) -> dict[str, str]:
    return {row.question: row.answer for row in appendix.answers}


def batch(**technical: object) -> Scenario:
    """A batch model with a task, a team and a benefit (so that an estimate is worth a report)."""
    document = Scenario().model_dump(mode="json")
    document["technical"].update(platform="batch", **technical)
    document["value"]["annual_benefit"] = {"low": 10_000, "high": 50_000}
    document["tasks"] = [{"name": "Build the model", "phase": "experimentation",
                          "role": "ml_engineer", "optimistic": 5, "most_likely": 8,
                          "pessimistic": 15}]
    document["team"] = [{"role": "ml_engineer", "fte": {"low": 1, "high": 1},
                         "day_rate": {"low": 500, "high": 700}}]
    return Scenario.model_validate(document)


def test_an_unanswered_model_size_prints_as_the_default():
    """A batch model's 'Model size: 1' read as the team's answer; nobody had said so."""
    appendix = inputs_appendix(batch())
    assert answers(appendix)[MODEL_SIZE] == "1 (default)"
    assert appendix.default_note == DEFAULT_NOTE


def test_an_answered_value_is_not_marked():
    assert answers(inputs_appendix(batch(model_parameters_millions=5.0)))[MODEL_SIZE] == "5"


def test_a_value_chosen_equal_to_the_default_still_reads_default():
    """The scenario keeps no record of which fields were answered (every save writes every
    field), so choosing the starting value reads as the default; the note says either may be."""
    chosen = with_value(batch(model_parameters_millions=7.0),
                        "technical.model_parameters_millions", 1.0)
    appendix = inputs_appendix(chosen)
    assert answers(appendix)[MODEL_SIZE] == "1 (default)"
    assert "left it or chosen it" in appendix.default_note


def test_each_part_of_a_combined_answer_is_marked_on_its_own():
    shown = answers(inputs_appendix(batch(batch_predictions_per_run=20_000)))
    assert shown["Batch: runs a year / predictions per run / window (hours)"] == (
        "365 (default) / 20,000 / not set")
    assert shown["Size, complexity, structure"] == (
        "Small (default), Simple (default), Structured (default)")


def test_values_that_say_nobody_knows_are_not_marked():
    """'not set' and 'Don't know yet' claim no answer: they stay as they were."""
    shown = answers(inputs_appendix(Scenario()))
    assert shown["Business metric"] == "not set"
    assert shown["Could simple rules solve it?"] == "Don't know yet"
    assert shown["Your own chance of reaching the threshold"] == (
        "not given (estimated from the answers)")
    assert not any(DEFAULT_MARK in answer for answer in shown.values()
                   if answer.startswith(("not set", "Don't know")))


def test_the_simulation_method_is_not_marked():
    """How mlpm simulates is true of the estimate whoever chose it; it claims nothing about
    the project."""
    assert answers(inputs_appendix(batch()))["Task distribution / rules mode"] == (
        "PERT / Ranged multipliers")


def test_model_size_prints_for_a_batch_model_because_the_memory_check_uses_it():
    """A batch worker's RAM is checked against the weights (``memory_check``): it counts."""
    assert MODEL_SIZE in answers(inputs_appendix(batch(model_parameters_millions=5.0)))


def test_how_to_obtain_labels_prints_only_when_some_are_missing():
    """With every label on hand, whether more can be obtained and their price change nothing."""
    enough = scenario_with(data={"labelled_available": 5000, "labelled_needed": 1000})
    short = scenario_with(data={"labelled_available": 100, "labelled_needed": 1000})
    for question in ("Missing labels can be obtained", "Cost of one label"):
        assert question not in answers(inputs_appendix(enough))
        assert question in answers(inputs_appendix(short))


def test_an_own_rule_reading_the_label_answers_keeps_them():
    rule = {"id": "no_more_labels", "title": "No more labels",
            "when": "not data.labels_obtainable", "multiplier": [1.1, 1.4]}
    scenario = scenario_with(data={"labelled_available": 5000, "labelled_needed": 1000},
                             rules={"custom": [rule]})
    shown = answers(inputs_appendix(scenario))
    assert "Missing labels can be obtained" in shown and "Cost of one label" not in shown


@cache
def report(kind: str) -> bytes:
    return render(run_estimate(batch(), trials=500), kind)  # type: ignore[arg-type]


def test_markdown_and_html_mark_the_default_and_explain_it_once():
    markdown = report("md").decode("utf-8")
    assert "| Technical | Model size \\(million parameters\\) | 1 \\(default\\) |" in markdown
    assert markdown.count("\\(default\\): the value mlpm assumes") == 1
    html = report("html").decode("utf-8")
    assert "<td>1 (default)</td>" in html
    assert html.count(f"<p>{DEFAULT_NOTE}</p>") == 1


def test_the_pdf_marks_the_default_and_explains_it_once():
    text = re.sub(r"\s+", "", "\n".join(
        page.extract_text() for page in PdfReader(io.BytesIO(report("pdf"))).pages))
    assert "Technical:Modelsize(millionparameters)1(default)" in text
    assert text.count(re.sub(r"\s+", "", DEFAULT_NOTE)) == 1


def test_a_labels_price_prints_only_when_labels_can_be_bought():
    """Labels that cannot be obtained are not paid for, so their price changes nothing."""
    short = {"labelled_available": 100, "labelled_needed": 1000}
    shown = answers(inputs_appendix(scenario_with(data={**short, "labels_obtainable": False})))
    assert "Missing labels can be obtained" in shown and "Cost of one label" not in shown
