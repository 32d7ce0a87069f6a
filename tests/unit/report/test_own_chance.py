"""A team's own chance of success well above the answers' is a driver a sponsor must see: every
report shows the answers' chance beside it and, past a 10-point gap, the decision's reasons say
what P(NPV > 0) and the decision would be with theirs, on the same trials."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from mlpm_core.assessment import run_estimate
from mlpm_core.assessment.own_chance import answers_below_own
from mlpm_core.report.render import render
from mlpm_core.scenario import Scenario
from mlpm_core.scenario.document import load_scenario
from mlpm_core.success import answers_chance
from tests.conftest import EXAMPLES_DIR

TRIALS, SEED = 5000, 3


@pytest.fixture(scope="module")
def fraud() -> Scenario:
    """The team puts its chance at 80%; the answers give under 50%."""
    return load_scenario(EXAMPLES_DIR / "fraud_card_payments.json")


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def with_own(scenario: Scenario, own: float | None) -> Scenario:
    return scenario.model_copy(update={"quality": scenario.quality.model_copy(
        update={"p_reach_threshold": own})})


def test_the_decision_says_what_the_answers_chance_would_give(fraud):
    """'With the 48% chance of success the answers give instead of your 80%, P(NPV > 0) would
    be 47% instead of 80% and the decision would turn from go to conditional go': the figures
    of the same scenario, trials and seed with the team's chance cleared, said beside the
    P(NPV > 0) line of the decision (a sponsor reads the verdict, not a paragraph below it)."""
    result = run_estimate(fraud, trials=TRIALS, seed=SEED)
    theirs = run_estimate(with_own(fraud, None), trials=TRIALS, seed=SEED).estimate
    answers = answers_chance(fraud)
    assert theirs.success.p == pytest.approx(answers)
    note = result.own_chance_note
    assert note.startswith(f"With the {answers:.0%} chance of success the answers give instead "
                           f"of your 80%, P(NPV > 0) would be {theirs.p_npv_positive:.0%} "
                           f"instead of {result.estimate.p_npv_positive:.0%}")
    said = {"go": "go", "conditional": "conditional go", "no-go": "no-go"}
    before, after = said[result.estimate.decision], said[theirs.decision]
    turn = f"turn from {before} to {after}" if before != after else f"stay {before}"
    assert f"the decision would {turn}: say beside your estimate" in note
    assert theirs.p_npv_positive < result.estimate.p_npv_positive
    reasons = result.estimate.reasons
    assert reasons[reasons.index(note) - 1].startswith("P(NPV > 0) is")
    assert note in result.estimate.warnings
    assert note not in theirs.reasons


@pytest.mark.parametrize("points", [0, 5, 9])
def test_a_chance_near_or_below_the_answers_runs_nothing_more(fraud, points):
    """Under a 10-point gap as the reports show the two chances (or below the answers) there
    is no note: the answers' arithmetic is a judgement too, and a few points are no finding."""
    own = (round(answers_chance(fraud) * 100) + points) / 100
    assert answers_below_own(with_own(fraud, own)) is None
    assert run_estimate(with_own(fraud, own), trials=TRIALS, seed=SEED).own_chance_note == ""
    assert answers_below_own(with_own(fraud, (round(answers_chance(fraud) * 100) + 10) / 100))
    assert answers_below_own(with_own(fraud, 0.2)) is None
    assert answers_below_own(with_own(fraud, None)) is None


def test_a_gap_that_changes_nothing_that_matters_is_not_said():
    """The RAG team's 45% against the answers' 8% keeps a no-go at P(NPV > 0) 2% against 0%:
    no news, so no line (a review read '0% instead of 2%' as noise)."""
    rag = load_scenario(EXAMPLES_DIR / "genai_support_assistant.json")
    assert answers_below_own(rag) is not None
    result = run_estimate(rag, trials=TRIALS, seed=SEED)
    assert result.estimate.decision == "no-go" and result.estimate.p_npv_positive < 0.1
    assert result.own_chance_note == ""


@pytest.mark.parametrize("kind", ["md", "html", "pdf"])
def test_every_report_shows_both_chances_and_the_note(fraud, kind):
    result = run_estimate(fraud, trials=TRIALS, seed=SEED)
    data = render(result, kind)
    if kind == "pdf":
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    else:
        text = data.decode("utf-8").replace("\\", "").replace("&#x27;", "'")
        text = text.replace("&gt;", ">")
    answers = f"{answers_chance(fraud):.0%}"
    assert squeeze(f"80% (your own estimate; the answers alone would give {answers})") in (
        squeeze(text).replace("<strong>", "").replace("</strong>", ""))
    assert squeeze(result.own_chance_note) in squeeze(text)
