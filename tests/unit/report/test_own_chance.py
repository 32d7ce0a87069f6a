"""A team's own chance of success well above the answers' is a driver a sponsor must see: every
report shows the answers' chance beside it and, past a 10-point gap, what P(NPV > 0) and the
decision would be with theirs, on the same trials."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from mlpm_core.assessment import run_estimate
from mlpm_core.assessment.own_chance import OWN_ABOVE_ANSWERS, answers_below_own
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


def test_the_note_is_the_estimate_left_to_the_answers(fraud):
    """'Left to the answers' 48%, P(NPV > 0) would be 47% instead of 80% and the decision
    would turn from go to conditional go': the figures of the same scenario, trials and seed
    with the team's chance cleared."""
    result = run_estimate(fraud, trials=TRIALS, seed=SEED)
    theirs = run_estimate(with_own(fraud, None), trials=TRIALS, seed=SEED).estimate
    answers = answers_chance(fraud)
    assert theirs.success.p == pytest.approx(answers)
    assert fraud.quality.p_reach_threshold - answers >= OWN_ABOVE_ANSWERS
    note = result.own_chance_note
    assert note.startswith(f"Left to the answers' {answers:.0%}, P(NPV > 0) would be "
                           f"{theirs.p_npv_positive:.0%} instead of "
                           f"{result.estimate.p_npv_positive:.0%}")
    said = {"go": "go", "conditional": "conditional go", "no-go": "no-go"}
    before, after = said[result.estimate.decision], said[theirs.decision]
    turn = (f"turn from {before} to {after}" if before != after else f"stay {before}")
    assert f"the decision would {turn}: the NPV rests on your 80%" in note
    assert theirs.p_npv_positive < result.estimate.p_npv_positive
    assert note in result.estimate.warnings
    assert theirs.warnings.count(note) == 0


@pytest.mark.parametrize("gap", [0.0, 0.05, 0.099])
def test_a_chance_near_or_below_the_answers_runs_nothing_more(fraud, gap):
    """Under a 10-point gap (or below the answers) there is no note: the answers' arithmetic
    is a judgement too, and a few points are no finding."""
    own = round(answers_chance(fraud) + gap, 4)
    assert answers_below_own(with_own(fraud, own)) is None
    result = run_estimate(with_own(fraud, own), trials=TRIALS, seed=SEED)
    assert result.own_chance_note == ""
    assert answers_below_own(with_own(fraud, 0.2)) is None
    assert answers_below_own(with_own(fraud, None)) is None


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
