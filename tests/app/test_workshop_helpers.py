"""Workshop page helpers without Streamlit: join links, form parsing, idempotency, table text."""

from __future__ import annotations

import pytest

from mlpm_core.workshop.aggregate import RiskAnswers, TaskEstimate, ThreePoint
from mlpm_core.workshop.rounds import RangeEntry, RoundView, TaskRound
from mlpm_ui.text import md
from mlpm_ui.workshop_links import join_link, seat_from_param, seat_param, token_from_link
from mlpm_ui.workshop_tables import (
    answers_from_form,
    choice_label,
    entry_rows,
    estimates_from_form,
    fingerprint,
    previous_estimates,
    question_choices,
    round_summary_rows,
)

TOKEN = "Abc_def-123456789012345678901234567890123"
HOSTILE = "**x** [a](javascript:alert(1)) <b>|"


@pytest.mark.parametrize(("current", "expected"), [
    ("http://127.0.0.1:8501/workshop", "http://127.0.0.1:8501/join?room="),
    ("https://ml.example.org/mlpm/workshop/", "https://ml.example.org/mlpm/join?room="),
    ("http://10.0.0.5:8501/", "http://10.0.0.5:8501/join?room="),
    ("http://10.0.0.5:8501", "http://10.0.0.5:8501/join?room="),
    ("https://host/prefix/report", "https://host/prefix/report/join?room="),
])
def test_the_join_link_sits_next_to_the_facilitators_page(current, expected):
    """The link keeps scheme, host, port and path prefix and swaps the page for ``join``."""
    assert join_link(current, TOKEN) == expected + TOKEN


def test_without_a_known_address_the_join_link_is_relative():
    """No browser address (tests, bare mode): a relative link the facilitator can complete."""
    assert join_link(None, TOKEN) == f"join?room={TOKEN}"
    assert join_link("", TOKEN) == f"join?room={TOKEN}"


@pytest.mark.parametrize(("pasted", "token"), [
    (f"http://127.0.0.1:8501/join?room={TOKEN}", TOKEN),
    (f"  join?room={TOKEN}&utm=x ", TOKEN),
    (f"room={TOKEN}", TOKEN),
    (TOKEN, TOKEN),
    ("http://127.0.0.1:8501/join?other=1", None),
    ("   ", None),
    (None, None),
    ("x" * 3000, None),
])
def test_a_pasted_link_or_bare_token_gives_the_token(pasted, token):
    """Links, query strings and bare tokens all give the token; anything else gives None."""
    assert token_from_link(pasted) == token


def test_a_seat_parameter_gives_back_the_participant_id_and_secret():
    """A seat made from an id and a url-safe secret reads back as exactly that pair."""
    participant_id, secret = "0123456789abcdef" * 2, "Zx-_9" * 8
    assert seat_from_param(seat_param(participant_id, secret)) == (participant_id, secret)


@pytest.mark.parametrize("given", [None, "", "   ", "no-separator", ".secret", "id.",
                                   "x" * 3000 + ".y"])
def test_a_mangled_seat_parameter_is_no_seat(given):
    """Without both parts (or when absurdly long) a seat parameter gives nothing to check."""
    assert seat_from_param(given) is None


def test_form_rows_with_all_three_numbers_are_estimates_and_partial_rows_are_named():
    """Complete rows become estimates, empty rows are skipped, partial rows get a message."""
    estimates, problems = estimates_from_form(
        ["A", "B", "C"], [(1, 2, 3), (None, None, None), (1, None, 4)])
    assert estimates == [TaskEstimate("A", 1.0, 2.0, 3.0)]
    assert len(problems) == 1 and "Task 'C'" in problems[0]
    assert estimates_from_form(["A"], [(0, 0, 0)])[0] == [TaskEstimate("A", 0.0, 0.0, 0.0)]


def test_every_problem_of_a_form_is_named_at_once():
    """A participant needed three Submits to learn of three mistakes: a reversed range, a
    partial row and an answer out of range are all named by the first Submit."""
    estimates, problems = estimates_from_form(
        ["A", "B", "C"], [(20, 10, 5), (1, None, 4), (1, 2, 3)])
    assert estimates == [TaskEstimate("C", 1.0, 2.0, 3.0)]
    assert len(problems) == 2
    assert "Task 'A'" in problems[0] and "got 20 / 10 / 5 days" in problems[0]
    assert "Task 'B'" in problems[1]
    answers, wrong = answers_from_form({"difficulty_research_share": 30.0,
                                        "data_size": "big"})
    assert answers == RiskAnswers(data_size="big")  # the valid answer is kept
    (message,) = wrong
    assert message.startswith("Research share") and "(got 30)" in message, message


def test_the_same_input_has_the_same_fingerprint_and_any_change_a_new_one():
    """Equal round, ranges and answers give equal text (key reused); any difference does not."""
    one = [TaskEstimate("A", 1, 2, 3)]
    answers = RiskAnswers(data_size="big")
    base = fingerprint(1, one, answers)
    assert fingerprint(1, [TaskEstimate("A", 1.0, 2.0, 3.0)], RiskAnswers(data_size="big")) \
        == base
    assert fingerprint(2, one, answers) != base
    assert fingerprint(1, [TaskEstimate("A", 1, 2, 4)], answers) != base
    assert fingerprint(1, one, RiskAnswers(data_size="small")) != base
    assert fingerprint(1, one, None) == fingerprint(1, one, RiskAnswers())


def test_risk_question_choices_come_from_the_answer_model():
    """Choice questions offer "not answered" then their values; numeric ones offer none."""
    assert question_choices("data_complexity") == [None, "simple", "complex"]
    assert question_choices("difficulty_adversaries") == [None, True, False]
    assert question_choices("quality_p_reach_threshold") == []
    assert choice_label("difficulty_adversaries", None) == "Not answered"
    assert choice_label("difficulty_adversaries", True) == "Yes"


def round_with(label: str) -> RoundView:
    entries = (RangeEntry(label, 1, 1, 2, 3, None, False),
               RangeEntry("Participant 2", 2, 5, 6, 30, "high", True))
    task = TaskRound(HOSTILE, entries, ThreePoint(3, 4, 16.5), None)
    return RoundView(1, (task,), (), 2)


def test_table_cells_escape_user_text_and_mark_the_viewer():
    """Task and display names are Markdown-escaped; the viewer's own row says "(you)"."""
    view = round_with(HOSTILE)
    summary = round_summary_rows(view)[0]
    assert summary["Task"] == md(HOSTILE) and summary["Estimates"] == 2
    assert summary["Group (median O / ML / P days)"] == "3 / 4 / 16.5"
    assert summary["Outliers"] == "Participant 2 (high)"
    rows = entry_rows(view.tasks[0])
    assert rows[0]["Who"] == md(HOSTILE) and rows[1]["Who"] == "Participant 2 (you)"
    assert rows[1]["Outlier"].startswith("high")


def test_cells_without_a_value_are_words_not_a_markdown_bullet():
    """A lone "-" in an st.table cell renders as a list bullet, which read as an outlier mark."""
    view = round_with("Participant 1")
    rows = entry_rows(view.tasks[0])
    assert rows[0]["Outlier"] == "no"
    empty = round_summary_rows(RoundView(1, (TaskRound("T", (), None, None),), (), 0))[0]
    assert empty["Outliers"] == "none" and empty["Spread"] == "no estimates"
    cells = [str(v) for row in [*rows, empty] for v in row.values()]
    assert not any(cell.strip() in ("-", "*", "+") for cell in cells)


def test_round_two_starts_from_the_viewers_own_round_one_range():
    """The viewer's previous range per task is found; other people's are not."""
    found = previous_estimates([round_with("Participant 1")])
    assert found == {HOSTILE: TaskEstimate(HOSTILE, 5, 6, 30)}
