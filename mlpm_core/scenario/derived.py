"""Facts that no single answer holds, offered to conditions as ``derived.*``.

They are a pydantic model so that a condition's type check (``condition_fields``) reads their
types from the same place as the answers' and a new fact cannot be mistyped in a second list.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from mlpm_core.scenario.class_balance import (
    positives_available,
    positives_to_collect,
    rare_positives,
    rare_positives_strength,
    years_to_collect,
)
from mlpm_core.scenario.metric_reading import (
    as_share,
    bar_unmeasured,
    ceiling_unknown,
    metric_counts,
    metric_scale,
    reference_error,
    score_error,
    threshold_allows,
)
from mlpm_core.scenario.model import Scenario
from mlpm_core.scenario.sections import QualitySection


class DerivedFacts(BaseModel):
    """The ``derived`` group of the condition context."""

    model_config = ConfigDict(extra="forbid")
    total_most_likely_days: float = Field(description="Sum of the tasks' most-likely days.")
    task_count: int = Field(description="Number of tasks in the work breakdown.")
    production_tasks: int = Field(description="Number of tasks in the Productionisation "
                                  "phase: the NPV counts the benefit from the end of delivery "
                                  "as if the model were in production.")
    experimentation_tasks: int = Field(description="Number of tasks in the Experimentation "
                                       "phase, where the model is built and evaluated.")
    pipeline_tasks: int = Field(description="Number of tasks in the Pipeline building "
                                "phase, where data intake and retraining are automated.")
    team_fte: float = Field(description="Full-time equivalents of the whole team (midpoints).")
    solo: bool = Field(description="One person at most does the tasks: the team rows whose "
                       "role has a task (a task's role nobody on the team holds counts as one "
                       "more person) are one row of at most 1 FTE.")
    lead_share: float = Field(description="Share of the tasks' most-likely days that the "
                              "busiest role does (FTE does not enter it); 1 without tasks.")
    solo_strength: float = Field(description="How much of a solo job's doubling applies, 0-1: "
                                 "1 when one role does every task of a job of at most 20 "
                                 "most-likely days; the lesser of ln(3 x lead_share) / ln 3 and "
                                 "ln(60 / days) / ln 3.")
    over_20_strength: float = Field(description="How much of the 'over 20 days of work' "
                                    "widening applies, 0-1: none at 20 most-likely days, all "
                                    "of it from 40, linearly between.")
    research_strength: float = Field(description="How much of the research-share rule "
                                     "applies, 0-1: none at a research share of 0.2, all of it "
                                     "from 0.4, linearly between.")
    label_shortage_strength: float = Field(description="How much of the scarce-labels rule "
                                           "applies, 0-1: none with 60% of the labelled "
                                           "examples needed, all of it at 40% or fewer, "
                                           "linearly between; 0 when none are needed.")
    metric_is_share_correct: bool = Field(description="The quality metric is a share of cases "
                                          "got right (quality.metric_counts, or its name says "
                                          "accuracy, correct, right or success), so it "
                                          "compares with how often a person gets it right.")
    metric_is_share_wrong: bool = Field(description="The quality metric is a share of cases "
                                        "got wrong (quality.metric_counts, or its name says "
                                        "error rate, wrong, incorrect or mis-...), so one "
                                        "minus it compares with how often a person gets it "
                                        "right.")
    label_gap: int = Field(description="Labels still to obtain.")
    labels_needed: int = Field(description="Labelled examples needed in all: the answer, or "
                               "more for a generative-AI route's own examples or to hold the "
                               "positive examples needed of a rare positive class.")
    labels_for_positives: int = Field(description="Cases to label to hold the positive "
                                      "examples needed: at random, or beside the examples "
                                      "needed where the positives are picked out (0 without "
                                      "a positive share).")
    positives_picked_out: bool = Field(description="The positives can be picked out where "
                                       "they happen to be labelled (the share and the events "
                                       "a year are both given), not found at random.")
    rare_positives_strength: float = Field(description="How rare the positives are, 0-1: "
                                           "none at a 2% share or missing ones half a year "
                                           "away, all of it at 0.5% or 2 years, in proportion "
                                           "to the logarithm between (1% or a year: half).")
    generative: bool = Field(description="The project generates text or images.")
    positives_available: int = Field(description="Positive examples among the labelled ones "
                                     "(labelled examples x positive share).")
    positives_to_collect: int = Field(description="Positive examples still missing; 0 when "
                                      "nothing is said about the positive class.")
    years_to_collect_positives: float = Field(description="Years until the missing positives "
                                              "have happened; 0 without events a year.")
    rare_positives: bool = Field(description="Positives are under 1% of cases, or the missing "
                                 "ones are more than a year away (mlpm's judgement).")
    metric_scale: str = Field(description="How the quality values are written: share (0-1), "
                              "percent, mixed (a share beside percent values) or other "
                              "(quality.scale, or read from the values).")
    bar_unmeasured: bool = Field(description="The values measure no bar: a mix, a "
                                 "higher-is-better score neither in shares nor in percent, or "
                                 "one whose best reachable value is unknown.")
    metric_ceiling_unknown: bool = Field(description="The metric is a higher-is-better score "
                                         "whose best reachable value is unknown and far below "
                                         "1 (NDCG, MAP, MRR, BLEU, ROUGE, METEOR): its gap to "
                                         "1 is not an error a model can remove.")
    threshold_share: float | None = Field(description="The acceptability threshold as a share "
                                          "from 0 to 1 (85 in percent is 0.85); not set on "
                                          "another scale.")
    baseline_share: float | None = Field(description="The baseline's value as a share from 0 "
                                         "to 1; not set on another scale.")
    threshold_error: float | None = Field(description="1 - the acceptability threshold's "
                                          "share, for a score where higher is better; else "
                                          "not set.")
    baseline_error: float | None = Field(description="1 - the baseline's share, for a score "
                                         "where higher is better; else not set.")
    reference_error: float | None = Field(description="The least error known today: the "
                                          "baseline's (1 - value, or the value where lower is "
                                          "better) or people's (1 - their success rate, for a "
                                          "metric of cases right or wrong); else not set.")
    threshold_allows: float | None = Field(description="The share of the reference error the "
                                           "threshold allows (1: it removes none of it), in "
                                           "the reference error's units; else not set.")


def _solo(scenario: Scenario) -> bool:
    """Whether one person does the work. Only people with tasks count: a sponsor or a manager
    on the team without tasks does not make it a team job (without tasks, the whole team)."""
    task_roles = {task.role for task in scenario.tasks}
    workers = [member for member in scenario.team
               if not task_roles or member.role in task_roles]
    unstaffed = task_roles - {member.role for member in scenario.team}
    return (len(workers) + len(unstaffed) <= 1
            and sum(member.fte.midpoint for member in workers) <= 1.0)


SOLO_FADES_OUT_AT = 1 / 3
"""The busiest role's share of the work at which nothing of the solo doubling is left."""
SMALL_JOB_DAYS = 20.0
"""Most-likely days up to which a one-person job is 'small enough to do yourself in a few
weeks' (Thompson's own line, the one his 'over 20 days' rule starts at)."""
SOLO_FADED_BY_DAYS = 60.0
"""Most-likely days at which nothing of the solo doubling is left, however the work is shared."""


def lead_share(scenario: Scenario) -> float:
    """The busiest role's share of the tasks' most-likely days; 1 without tasks. FTE does not
    enter it: it sets the pace, never the effort, so more people in one role (or 1.01 FTE)
    leave the estimate as it was."""
    days: dict[str, float] = {}
    for task in scenario.tasks:
        days[task.role] = days.get(task.role, 0.0) + task.most_likely
    total = sum(days.values())
    return float(max(days.values()) / total) if total > 0 else 1.0


def solo_strength(share: float, days: float) -> float:
    """The part of Thompson's 'small enough that you can do it yourself in a few weeks: double
    it' that applies, 0-1: the lesser of two fades, each ln(x / end) / ln(start / end) of the
    rule's log factor (mlpm's judgement). By share: all of it when one role does every task,
    none once the busiest does a third or less. By size: all of it up to 20 most-likely days,
    none from 60. Fades instead of yes/no answers keep a half-day helper, or day 21, from
    halving the estimate; their logarithmic shape (a third of the way per factor of 3) keeps
    more work from ever giving a smaller estimate for factors up to x3, which a steeper fade
    would not."""
    by_share = math.log(max(share, 1e-9) / SOLO_FADES_OUT_AT) / math.log(1 / SOLO_FADES_OUT_AT)
    by_size = (1.0 if days <= SMALL_JOB_DAYS else
               math.log(SOLO_FADED_BY_DAYS / days) / math.log(SOLO_FADED_BY_DAYS / SMALL_JOB_DAYS))
    return min(1.0, max(0.0, min(by_share, by_size)))


def _ramp(value: float, none: float, full: float) -> float:
    """0 at ``none``, 1 at ``full`` and beyond, linear between."""
    return min(1.0, max(0.0, (value - none) / (full - none)))


OVER_20_FULL_AT = 40.0
"""Most-likely days from which all of 'over 20 days: probably a lot bigger' applies."""


def over_20_strength(days: float) -> float:
    """The part of the 'over 20 days' widening that applies at ``days`` most-likely days: a
    ramp from nothing at 20 to all of it at 40 (mlpm's judgement), so that 20.02 days no longer
    cost 9% more than 19.8. It only grows with the days, so more work never lowers it."""
    return _ramp(days, SMALL_JOB_DAYS, OVER_20_FULL_AT)


RESEARCH_FADES_IN = (0.2, 0.4)
"""Research shares at which the research-share rule starts and is whole (mlpm's judgement,
centred on the 0.3 at which it used to switch on whole)."""
LABELS_FADE_IN = (0.6, 0.4)
"""Shares of the labelled examples needed at which the scarce-labels rule starts and is whole
(mlpm's judgement, centred on the half at which it used to switch on whole: one label fewer
there cost 5% of the P50)."""


def research_strength(share: float) -> float:
    """The part of the research-share rule that applies: grows with the share, so a point more
    research moves the estimate a little, never by the whole rule."""
    return _ramp(share, *RESEARCH_FADES_IN)


def label_shortage_strength(available: int, needed: int) -> float:
    """The part of the scarce-labels rule that applies: grows as the labels in hand fall
    short of those needed."""
    return _ramp(available / needed, *LABELS_FADE_IN) if needed > 0 else 0.0


def _rarity(scenario: Scenario, facts: Mapping[str, Any]) -> str:
    """The answers the rarity comes from, in words."""
    data = scenario.data
    said = []
    if data.positive_share is not None:
        said.append(f"positives are {data.positive_share:.2%} of cases")
    if facts["years_to_collect_positives"]:
        said.append(f"the missing ones are {facts['years_to_collect_positives']:g} years away")
    return " and ".join(said) or "nothing is said about the positive class"


STRENGTH_REASONS: dict[str, Callable[[Mapping[str, Any], Scenario], str]] = {
    "solo_strength": lambda facts, _: (
        "counts in full when one role does every task of a job of at most 20 most-likely "
        f"days; here the busiest role does {facts['lead_share']:.0%} of the task days and the "
        f"tasks add up to {facts['total_most_likely_days']:.1f} (it fades out once the busiest "
        "role does a third of the work or less, or at 60 days)"),
    "over_20_strength": lambda facts, _: (
        "counts in full from 40 most-likely days and not at all at 20; here the tasks add up "
        f"to {facts['total_most_likely_days']:.1f}"),
    "research_strength": lambda _, scenario: (
        f"counts in full from a research share of {RESEARCH_FADES_IN[1]:.0%} and not at all "
        f"at {RESEARCH_FADES_IN[0]:.0%}; here it is {scenario.difficulty.research_share:.0%}"),
    "label_shortage_strength": lambda _, scenario: (
        f"counts in full when {LABELS_FADE_IN[1]:.0%} or fewer of the labelled examples needed "
        f"exist and not at all from {LABELS_FADE_IN[0]:.0%}; here "
        f"{scenario.data.labelled_available:,} of {scenario.data.labels_needed:,} exist"),
    "rare_positives_strength": lambda facts, scenario: (
        "counts in full when positives are 0.5% of cases or fewer, or the missing ones 2 years "
        "or more away, half at 1% or a year, and not at all from 2% or half a year; here "
        f"{_rarity(scenario, facts)}"),
}
"""Why a rule scaled by a derived fact counts as much as it does, for the report: from the
derived facts and the scenario."""


def bar_facts(quality: QualitySection, people: float | None) -> dict[str, Any]:
    """The facts that measure the quality bar, apart so that the chance of success can take
    them again at each bar between the threshold and the target."""
    return {
        "metric_scale": metric_scale(quality),
        "bar_unmeasured": bar_unmeasured(quality),
        "metric_ceiling_unknown": ceiling_unknown(quality),
        "threshold_share": as_share(quality.acceptability_threshold, quality),
        "baseline_share": as_share(quality.baseline_value, quality),
        "threshold_error": score_error(quality.acceptability_threshold, quality),
        "baseline_error": score_error(quality.baseline_value, quality),
        "reference_error": reference_error(quality, people),
        "threshold_allows": threshold_allows(quality, people),
    }


def derived_facts(scenario: Scenario) -> dict[str, Any]:
    """The derived facts of a scenario, as the mapping conditions see."""
    data, quality = scenario.data, scenario.quality
    return DerivedFacts(
        total_most_likely_days=sum(task.most_likely for task in scenario.tasks),
        task_count=len(scenario.tasks),
        production_tasks=sum(task.phase == "production" for task in scenario.tasks),
        experimentation_tasks=sum(task.phase == "experimentation" for task in scenario.tasks),
        pipeline_tasks=sum(task.phase == "pipeline" for task in scenario.tasks),
        team_fte=scenario.team_fte,
        solo=_solo(scenario),
        lead_share=round(lead_share(scenario), 9),
        metric_is_share_correct=metric_counts(quality) == "cases_right",
        metric_is_share_wrong=metric_counts(quality) == "cases_wrong",
        solo_strength=round(solo_strength(lead_share(scenario), sum(
            task.most_likely for task in scenario.tasks)), 9),
        over_20_strength=round(over_20_strength(
            sum(task.most_likely for task in scenario.tasks)), 9),
        research_strength=round(research_strength(scenario.difficulty.research_share), 9),
        label_shortage_strength=round(label_shortage_strength(data.labelled_available,
                                                              data.labels_needed), 9),
        label_gap=scenario.data.label_gap,
        labels_needed=data.labels_needed,
        labels_for_positives=data.labels_for_positives(data.labelled_needed,
                                                        data.labelled_available),
        positives_picked_out=data.positives_found_where_they_happen,
        rare_positives_strength=round(rare_positives_strength(data, data.labelled_available), 9),
        generative=scenario.project.task_type == "generation",
        positives_available=positives_available(data, data.labelled_available),
        positives_to_collect=positives_to_collect(data, data.labelled_available),
        years_to_collect_positives=round(years_to_collect(data, data.labelled_available), 1),
        rare_positives=rare_positives(data, data.labelled_available),
        **bar_facts(quality, scenario.difficulty.human_success_rate),
    ).model_dump(mode="json")
