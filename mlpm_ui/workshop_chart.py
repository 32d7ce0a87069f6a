"""The spread of a room's ranges as a picture and in plain words, for a projected screen.

Per task: every participant's range as a horizontal bar from optimistic to pessimistic with a
tick at the most likely value, the group's aggregate as its own bar, outliers in red; the last
two rounds side by side so the group sees whether it converged. Plain data and a Vega-Lite spec
(no Streamlit, no Altair import), so the rows and the words are unit-tested; the page draws the
spec with ``st.vega_lite_chart`` in the browser.

Agreement in words: the centre of a range is its PERT mean (``mlpm_core.workshop.aggregate``);
"agrees within +-P%" means every centre, outliers left aside, lies within P% of the median
centre. Outliers are named ("two people see it very differently: discuss").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from mlpm_core.workshop import RoundView, TaskRound

GROUP = "Group (median of each point)"
KINDS = ("Estimate", "Outlier", GROUP)
COLOURS = ("#4c78a8", "#e45756", "#222222")
ROW_PX = 30
LABELS_PX = 140  # "Participant 12 (you)" at FONT_PX - 1
NARROW_PX = 480  # below this width (a phone) the legend lists its entries one per line
FONT_PX = 15
CLOSE, SOME = 0.20, 0.50
COUNTS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def chart_rows(round_number: int, task: TaskRound) -> list[dict[str, Any]]:
    """One row per participant's range (in joining order) and one for the group's aggregate."""
    rows: list[dict[str, Any]] = [
        {"round": f"Round {round_number}", "who": entry.label + (" (you)" if entry.is_you else ""),
         "order": entry.number, "low": entry.optimistic, "likely": entry.most_likely,
         "high": entry.pessimistic, "kind": "Outlier" if entry.outlier else "Estimate",
         "outlier": entry.outlier or "no"}
        for entry in task.entries]
    if task.aggregate is not None:
        rows.append({"round": f"Round {round_number}", "who": "Group", "order": 10_000,
                     "low": task.aggregate.optimistic, "likely": task.aggregate.most_likely,
                     "high": task.aggregate.pessimistic, "kind": GROUP, "outlier": "no"})
    return rows


def task_rows(rounds: Sequence[RoundView], task_name: str, last: int = 2) -> list[dict[str, Any]]:
    """The chart rows of one task in the last ``last`` rounds that have estimates for it."""
    found = [(view.number, task) for view in rounds for task in view.tasks
             if task.task_name == task_name and task.entries]
    return [row for number, task in found[-last:] for row in chart_rows(number, task)]


def _layers(narrow: bool) -> list[dict[str, Any]]:
    x = {"field": "low", "type": "quantitative", "title": "Person-days",
         "scale": {"zero": True}}
    y = {"field": "who", "type": "nominal", "title": None, "sort": {"field": "order"}}
    colour = {"field": "kind", "type": "nominal", "title": None,
              "scale": {"domain": list(KINDS), "range": list(COLOURS)},
              "legend": {"orient": "bottom", "labelFontSize": FONT_PX, "labelLimit": 400,
                         "direction": "vertical" if narrow else "horizontal"}}
    tooltip = [{"field": "who", "title": "Who"},
               {"field": "low", "title": "Optimistic", "format": ".3~g"},
               {"field": "likely", "title": "Most likely", "format": ".3~g"},
               {"field": "high", "title": "Pessimistic", "format": ".3~g"},
               {"field": "outlier", "title": "Outlier"}]
    return [
        {"mark": {"type": "bar", "height": 12, "cornerRadius": 3},
         "encoding": {"x": x, "x2": {"field": "high"}, "y": y, "color": colour,
                      "tooltip": tooltip}},
        {"mark": {"type": "tick", "thickness": 4, "size": 24, "color": "#111111"},
         "encoding": {"x": {"field": "likely", "type": "quantitative"}, "y": y,
                      "tooltip": tooltip}},
    ]


def spread_spec(rows: list[dict[str, Any]], width: int = 620,
                title: str | None = None) -> dict[str, Any]:
    """The Vega-Lite spec: one panel per round (side by side) sharing the days axis."""
    rounds = sorted({row["round"] for row in rows}, key=lambda name: int(name.split()[-1]))
    people = len({row["who"] for row in rows})
    # The days axis gets what the labels (about LABELS_PX) and the gaps between panels leave.
    panel = max(120, (width - LABELS_PX) // max(1, len(rounds)) - 20)
    inner = {"layer": _layers(width < NARROW_PX), "height": ROW_PX * people, "width": panel}
    titled = {"title": {"text": title, "anchor": "start", "fontSize": FONT_PX + 2,
                        "limit": width}} if title else {}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        **titled,
        "data": {"values": rows},
        "facet": {"column": {"field": "round", "type": "nominal", "title": None,
                             "sort": rounds, "header": {"labelFontSize": FONT_PX}}},
        "spec": inner,
        "resolve": {"scale": {"x": "shared", "y": "shared"}},
        "config": {"axis": {"labelFontSize": FONT_PX - 1, "titleFontSize": FONT_PX - 1,
                            "labelLimit": 180},
                   "view": {"stroke": None}},
    }


def _count(number: int) -> str:
    return COUNTS[number] if number < len(COUNTS) else str(number)


def _percent(share: float) -> int:
    return max(1, math.ceil(share * 100 - 1e-9))


def agreement_words(task: TaskRound) -> str:
    """How far apart the group is on one task, in words a sponsor understands."""
    if not task.entries or task.spread is None:
        return "No estimates yet."
    if len(task.entries) == 1:
        return "One estimate so far: nothing to compare yet."
    centres = {entry.number: (entry.optimistic + 4 * entry.most_likely + entry.pessimistic) / 6
               for entry in task.entries}
    median = task.spread.median
    outliers = [entry for entry in task.entries if entry.outlier]
    rest = [centres[entry.number] for entry in task.entries if not entry.outlier]
    if median <= 0:
        far = "" if max(centres.values()) == 0 else " apart from a few days"
        return f"The group expects almost no work{far}."
    share = max(abs(centre - median) for centre in rest) / median
    if outliers:
        who = ", ".join(f"{entry.label} ({'higher' if entry.outlier == 'high' else 'lower'})"
                        for entry in outliers)
        verb = "person sees" if len(outliers) == 1 else "people see"
        text = f"{_count(len(outliers)).capitalize()} {verb} it very differently ({who}): discuss."
        if len(rest) < 2:
            return text
        others = "agree within" if share <= CLOSE else "are within"
        return f"{text} The others {others} ±{_percent(share)}%."
    if share <= CLOSE:
        return f"The group agrees within ±{_percent(share)}%."
    if share <= SOME:
        return f"Some disagreement: the estimates lie within ±{_percent(share)}% of the middle."
    return (f"The group is far apart (up to ±{_percent(share)}% from the middle): ask the "
            "highest and the lowest why, then estimate again.")
