"""How the quality metric is read: what it counts, and how its values are written.

Every measure of how demanding a bar is (the share of the baseline's or people's error that a
threshold allows, the errors a model avoids) reads the values as shares of cases. A Macro F1
written in percent (threshold 85, target 92) was read as no share at all: no bar counted
against the chance of success, and every working model reached the target. So values in
percent are read as shares, and only values on another scale (a lift, an error in units) are
left out of those measures.
"""

from __future__ import annotations

import re
from typing import Literal

from mlpm_core.scenario.quality import QualitySection

SHARE_CORRECT_WORDS = ("accuracy", "correct", "right", "success")
SHARE_WRONG_WORDS = ("error rate", "wrong", "incorrect", "misclass", "misrout", "mislabel")
"""Not "error" alone: a mean absolute (percentage) error measures how far off, not how often."""
MISSED_EVENT_WORDS = ("recall", "sensitivity", "hit rate", "detection rate", "catch rate",
                      "true positive rate", "false negative rate", "miss rate")
"""Shares of the events, whose mistakes are missed events only (false negatives)."""
FALSE_ALARM_WORDS = ("precision", "specificity", "false positive rate", "false alarm")
"""Shares of the alerts or of the non-events, whose mistakes are false alarms only."""
CASE_SHARE_WORDS = MISSED_EVENT_WORDS + FALSE_ALARM_WORDS
"""Shares of a set of cases other than all of them: of the events (a recall) or the alerts (a
precision), which the cases a year can count."""
Mistakes = Literal["missed", "false_alarms"]
PERCENT_WORDS = ("percent", "wape", "mape", "smape")
"""Lower-is-better errors written in percent or as shares alike (a WAPE of 12 or 0.12): their
values can be a mix (12 / 18 / 0.25 had been read as a baseline 70 times better)."""
CEILING_UNKNOWN = re.compile(r"\b(?:ndcg|dcg|mrr|map|bleu|rouge|meteor)(?![a-z])"
                             r"|\bmean (?:reciprocal rank|average precision)\b")
"""Scores whose best reachable value is unknown and far below 1 (a ranking's NDCG, a
translation's BLEU), as whole words (mAP@10, BLEU-4, not a MAPE or 'meteorological'): the gap
to 1 is not error a model can remove. Read as a share, a search ranker's NDCG from 0.42 to 0.47
(a 12% lift) was a bar that removed 9% of the error: x0.99 on the chance, and 98% of the
working models reached the target."""
OTHER_METRIC_WORDS = ("f1", "f-score", "f score", "auc", "roc", "r2", "r-squared", "mape",
                      "wape", "rmse", "mae", "log loss", "perplexity")
"""Other metrics' names, which a score with no known ceiling must come before to be it."""
MetricCounts = Literal["cases_right", "cases_wrong", "other"]
MetricScale = Literal["share", "percent", "mixed", "other"]
PERCENT = 100.0


def metric_counts(quality: QualitySection) -> MetricCounts:
    """What the metric counts, as the team said it or else as its name says it: only a share
    of cases got right (or wrong, the same bar said the other way round: an error rate of 0.15
    is an accuracy of 0.85) is comparable with a person's success rate (recall in the top 10%
    is not). The name is a guess, so the Quality page asks when it matters."""
    if quality.metric_counts != "from_name":
        return quality.metric_counts
    name = quality.metric.casefold()
    if _says_any(name, SHARE_WRONG_WORDS):
        return "cases_wrong"
    return "cases_right" if _says_any(name, SHARE_CORRECT_WORDS) else "other"


def counts_cases(quality: QualitySection) -> bool:
    """Whether the metric's errors (1 - value, or the value where lower is better) are a share
    of cases in error, which the cost of mistakes multiplies by the cases a year: a share of
    cases right or wrong, a recall or a precision. 1 - a Macro F1 of 0.74 had been costed as
    26% of a million claims wrong a year, EUR 1.55M, while the chance of success in the same
    report said the metric counts no cases."""
    if metric_counts(quality) != "other":
        return True
    return _says_any(quality.metric.casefold(), CASE_SHARE_WORDS)


def mistakes_counted(quality: QualitySection) -> Mistakes | None:
    """Which mistakes alone the metric counts, as its name says it first: a recall's are missed
    events, a precision's false alarms ('Recall at precision >= 0.2' is a recall); None for a
    metric that counts both or that the name does not tell."""
    if metric_counts(quality) != "other":
        return None  # a share of all cases: both kinds of mistake
    name = quality.metric.casefold()
    missed, alarms = _first(name, MISSED_EVENT_WORDS), _first(name, FALSE_ALARM_WORDS)
    if missed is None and alarms is None:
        return None
    if alarms is None or (missed is not None and missed.start() < alarms.start()):
        return "missed"
    return "false_alarms"


def _first(name: str, words: tuple[str, ...]) -> re.Match[str] | None:
    return re.search(r"\b(?:" + "|".join(map(re.escape, words)) + ")", name)


def _says_any(name: str, words: tuple[str, ...]) -> bool:
    """Whether a word of the name starts with one of ``words`` ('brightness' is not 'right')."""
    return _first(name, words) is not None


def ceiling_unknown(quality: QualitySection) -> bool:
    """Whether the metric is a higher-is-better score whose best reachable value is unknown
    (``CEILING_UNKNOWN``), named before any other metric word in its name ('Recall of
    failures on the site map' is a recall), unless the team said it counts cases: its values
    can be written as shares, but they measure no bar."""
    if not quality.higher_is_better or metric_counts(quality) != "other":
        return False
    name = quality.metric.casefold()
    found = CEILING_UNKNOWN.search(name)
    if found is None:
        return False
    others = [match.start() for words in (CASE_SHARE_WORDS, SHARE_CORRECT_WORDS,
                                          SHARE_WRONG_WORDS, OTHER_METRIC_WORDS)
              for match in [_first(name, words)] if match is not None]
    return all(found.start() < start for start in others)


def metric_scale(quality: QualitySection) -> MetricScale:
    """How the values are written, as the team said it or else as the values say it: all from
    0 to 1 are shares; up to 100 are percent where a share is what such a metric is (a
    higher-is-better score, a share of cases got wrong, or an error its name says is a
    percentage, a WAPE; an RMSE of 12 is in its own units), unless a share sits beside them
    (a baseline of 0.74 beside a target of 88 had been read as 0.74% and flipped a decision to
    no-go): that is a mix, measured as no scale; anything else is another scale. A lift of 2
    misread as percent would count as a bar that removes almost none of the error, about what
    a lift's bar says here anyway."""
    if quality.scale != "from_values":
        return quality.scale
    values = quality.stated_values
    if all(0 <= value <= 1 for value in values):
        return "share"
    percent_like = (quality.higher_is_better or metric_counts(quality) == "cases_wrong"
                    or _says_any(quality.metric.casefold(), PERCENT_WORDS))
    if percent_like and all(0 <= value <= PERCENT for value in values):
        return "mixed" if any(0 < value <= 1 for value in values) else "percent"
    return "other"


def mixed_values(quality: QualitySection) -> tuple[float, float] | None:
    """A share and a percent written side by side (0.74, 88), when the values are a mix."""
    if metric_scale(quality) != "mixed":
        return None
    values = quality.stated_values
    return (min(value for value in values if 0 < value <= 1), max(values))


def bar_unmeasured(quality: QualitySection) -> bool:
    """Whether the values measure no bar: a mix of shares and percent, a higher-is-better
    score on another scale (a lower-is-better one is measured as a share of the baseline), or
    a score whose best reachable value is unknown."""
    scale = metric_scale(quality)
    return (scale == "mixed" or (quality.higher_is_better and scale == "other")
            or ceiling_unknown(quality))


def as_share(value: float | None, quality: QualitySection) -> float | None:
    """``value`` as a share from 0 to 1 (85 in percent is 0.85); None on another scale, and for
    a score whose best reachable value is unknown (its gap to 1 is not an error)."""
    if value is None:
        return None
    scale = metric_scale(quality)
    if scale in ("other", "mixed") or ceiling_unknown(quality):
        return None
    share = value / PERCENT if scale == "percent" else value
    return share if 0 <= share <= 1 else None


def score_error(value: float | None, quality: QualitySection) -> float | None:
    """The error of a higher-is-better score (1 - its share), so that a sentence can compare
    errors instead of calling a value an error; ``None`` for any other metric."""
    share = as_share(value, quality)
    if share is None or not quality.higher_is_better:
        return None
    return round(1 - share, 9)  # 1 - 0.85 prints 0.15, not 0.15000000000000002


def reference_error(quality: QualitySection, people: float | None) -> float | None:
    """The least error known today, which a threshold is measured against (the chance of
    success measures the bar the same way): the baseline's, or people's where the metric
    counts cases right or wrong. A score judged against a weak baseline took 15 points for a
    threshold below how often people get it right, which the chance counted as no bar.

    For a lower-is-better metric on another scale the baseline's own value is the error (a
    threshold is then measured in the same units); people are compared only with shares."""
    errors = []
    higher = quality.higher_is_better
    baseline, share = quality.baseline_value, as_share(quality.baseline_value, quality)
    if higher and share is not None and share < 1:
        errors.append(1 - share)
    if not higher and baseline is not None and baseline > 0:
        errors.append(baseline if share is None else share)
    counts = metric_counts(quality)
    comparable = metric_scale(quality) in ("share", "percent") and counts == (
        "cases_right" if higher else "cases_wrong")
    if people is not None and people < 1 and comparable:
        errors.append(1 - people)
    return round(min(errors), 9) if errors else None


def threshold_allows(quality: QualitySection, people: float | None) -> float | None:
    """The share of the least error known today that the threshold allows (1: none of it is
    removed), in the reference error's own units; None when either is not known."""
    reference = reference_error(quality, people)
    threshold = quality.acceptability_threshold
    if reference is None or reference <= 0 or threshold is None:
        return None
    share = as_share(threshold, quality)
    if quality.higher_is_better:
        return None if share is None else round((1 - share) / reference, 9)
    if share is None and metric_scale(quality) != "other":  # a mix, or off its own scale
        return None
    return round((threshold if share is None else share) / reference, 9)
