"""Question pages say what their answers do to their feasibility dimension, where they are
typed: a baseline above the acceptability threshold is accepted, and the Quality page says it
costs the quality dimension points, as the report's feasibility chart will."""

import pytest

from mlpm_core.feasibility import answer_score
from tests.app.support import goto, new_app, start_example

pytestmark = pytest.mark.usefixtures("fresh_app")


def _boxes(at) -> str:
    return "\n".join(str(element.value) for element in [*at.info, *at.success, *at.caption]
                     ).replace("\\", "")


def test_a_baseline_above_the_threshold_is_said_on_the_quality_page():
    at = new_app()
    start_example(at, "fraud_card_payments.json")
    goto(at, "quality")
    before = at.session_state["mlpm.scenario"]
    assert before.quality.higher_is_better
    assert "no better than the baseline" not in _boxes(at)
    baseline = before.quality.acceptability_threshold + 0.01
    at.text_input(key="f:quality.baseline_value").input(str(baseline)).run()
    assert not at.exception and not at.error
    shown = _boxes(at)
    assert "no better than the baseline" in shown
    score = answer_score(at.session_state["mlpm.scenario"], "quality")
    assert f"Prediction quality scores {score.score}/100 on these answers" in shown


@pytest.mark.parametrize("page, dimension", [("data", "data"), ("difficulty", "difficulty"),
                                             ("quality", "quality"),
                                             ("technical", "technical")])
def test_every_assessed_question_page_shows_its_dimension_score(page, dimension):
    at = new_app()
    start_example(at, "genai_support_assistant.json")
    goto(at, page)
    score = answer_score(at.session_state["mlpm.scenario"], dimension)
    assert f"scores {score.score}/100 on these answers" in _boxes(at)
    for reason in score.reasons if score.score < 100 else []:
        assert reason.split(" (")[0][:40] in _boxes(at)


def test_a_full_score_is_said_as_plainly_as_a_lost_point():
    at = new_app()
    start_example(at)  # the Bike Shop's quality answers lose no point
    goto(at, "quality")
    assert answer_score(at.session_state["mlpm.scenario"], "quality").score == 100
    assert any("scores 100/100 on these answers" in box.value.replace("\\", "")
               for box in at.success)


def test_quality_values_typed_in_percent_score_as_their_shares_and_a_wrong_scale_is_refused():
    """A share right of 90 / 85 / 0 is the assistant example's 0.9 / 0.85 / 0 bar, which costs
    the quality dimension points: in percent it costs the same (it cost none when percent was
    read as no share at all). Calling those values shares is refused, and kept out."""
    at = new_app()
    start_example(at, "genai_support_assistant.json")
    goto(at, "quality")
    before = answer_score(at.session_state["mlpm.scenario"], "quality")
    assert any("allows an error" in reason for reason in before.reasons)
    for field, value in (("target", "90"), ("acceptability_threshold", "85")):
        at.text_input(key=f"f:quality.{field}").input(value).run()
        assert not at.exception and not at.error
    typed = at.session_state["mlpm.scenario"]
    assert (typed.quality.target, typed.quality.acceptability_threshold) == (90, 85)
    assert answer_score(typed, "quality").score == before.score
    assert f"Prediction quality scores {before.score}/100 on these answers" in _boxes(at)
    at.selectbox(key="f:quality.scale").set_value("share").run()
    assert not at.exception
    assert "90 is not a share from 0 to 1" in "\n".join(
        str(error.value) for error in at.error).replace("\\", "")
    assert at.session_state["mlpm.scenario"].quality.scale == "from_values"
