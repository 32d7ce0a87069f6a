"""A score with no known ceiling (an NDCG, a MAP, a BLEU) measures no quality bar.

Read as a share, a search ranker's NDCG from a 0.42 baseline to a 0.47 target (a 12% lift, a
large one for a ranker) removed 9% of the "error" 1 - NDCG: the threshold counted x0.99 on the
chance of success and 98% of the working models reached the target. The gap to 1 is not error
a model can remove, so such a score counts a typical bar, as values on no scale do, however
its values are written.
"""

from __future__ import annotations

import pytest

from mlpm_core.scenario import Scenario, ceiling_unknown, derived_facts
from mlpm_core.scenario.quality import QualitySection
from mlpm_core.success import UNMEASURED_CURVE, reaching_curve, success_probability
from tests.conftest import scenario_with

RANKER = {"metric": "NDCG@10", "baseline_value": 0.42, "acceptability_threshold": 0.435,
          "target": 0.47}


@pytest.mark.parametrize("metric", ["NDCG@10", "nDCG", "DCG@5", "ndcg10", "MRR",
                                    "mean reciprocal rank", "mAP@10", "MAP",
                                    "Mean average precision@10", "BLEU-4", "ROUGE-L", "METEOR",
                                    "MAP@k over sessions with recall > 0"])
def test_ranking_and_text_overlap_scores_have_no_known_ceiling(metric):
    assert ceiling_unknown(QualitySection(metric=metric))


@pytest.mark.parametrize("quality", [
    {"metric": "MAPE", "higher_is_better": False},  # 'map' is a word of its own only
    {"metric": "mapping accuracy"},
    {"metric": "Macro F1"},
    {"metric": "AUC"},
    {"metric": "accuracy"},
    {"metric": "NDCG@10", "metric_counts": "cases_right"},  # the team's answer wins
    # whole words, and only when named before any other metric (a verifier's finds)
    {"metric": "Recall of failures within 14 days on the site map"},
    {"metric": "F1 on meteorological event detection"},
    {"metric": "Precision of POI matches to the map"},
    {"metric": "Recall of road-sign detections on the map layer"},
])
def test_other_metrics_keep_their_reading(quality):
    assert not ceiling_unknown(QualitySection(**quality))


def _ranker(**quality: object) -> Scenario:
    return scenario_with(quality={**RANKER, **quality},
                         difficulty={"solved_before": "sota_model"})


@pytest.mark.parametrize("scale", ["from_values", "share"])
def test_the_bar_counts_as_a_typical_one_however_the_values_are_written(scale):
    scenario = _ranker(scale=scale)
    facts = derived_facts(scenario)
    assert facts["bar_unmeasured"] and facts["metric_ceiling_unknown"]
    assert facts["threshold_share"] is None and facts["threshold_allows"] is None
    estimate = success_probability(scenario)
    assert estimate.p == pytest.approx(0.75 * 0.85)
    assert any("best reachable value of this score is unknown" in reason
               for reason in estimate.reasons)
    assert reaching_curve(scenario) == UNMEASURED_CURVE


def test_a_bounded_score_that_has_a_ceiling_is_still_measured():
    """The same values on a Macro F1 keep the share reading: the threshold removes 3% of
    the baseline's error (x0.99), so the typical bar is not forced on every bounded score."""
    ranker = success_probability(_ranker())
    f1 = success_probability(_ranker(metric="Macro F1"))
    assert f1.p > ranker.p
    assert reaching_curve(_ranker(metric="Macro F1")) != UNMEASURED_CURVE


def test_no_condition_asks_to_rewrite_the_values():
    """The values are shares already: the condition for values on no scale (write them
    alike) would ask for something the team cannot do."""
    from mlpm_core.assessment import run_estimate

    result = run_estimate(_ranker(), trials=5000, seed=1)
    assert not any("How the values are written" in condition
                   for condition in result.decision.conditions)
    assert not any("neither shares nor percent" in reason for reason in result.estimate.reasons)


def test_the_report_says_the_bar_is_not_measured():
    from mlpm_core.report.costs import benefit_bar_sentence
    from mlpm_core.report.inputs import inputs_appendix
    from mlpm_core.success import benefit_share

    scenario = _ranker()
    said = benefit_bar_sentence(scenario.quality, benefit_share(scenario, UNMEASURED_CURVE))
    assert "50% reach the target, taken as half, since the values do not measure" in said
    assert any("a score with no known ceiling" in row.answer
               for row in inputs_appendix(scenario).answers)
