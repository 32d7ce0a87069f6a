"""Labelling is paid for but not scheduled: said, so that a sponsor does not read the labels
as a purchase that arrives at once.

The cost counts the labels to obtain at their price, and the duration counts the team's tasks
and the calendar waits. Labels a team's own clerks or a vendor produce take weeks that only
the team knows (60,000 documents at one to three minutes each are one to three thousand
hours), so the estimate names them and where their time goes: the calendar waits, when
modelling must wait for them.
"""

from __future__ import annotations

from mlpm_core.feasibility import money
from mlpm_core.scenario import Scenario

LABELLING_RISK = "data_acquisition"
"""The rule group of getting labels and data: a task covering it is the labelling's own work."""


def labelling_time_sentence(scenario: Scenario, labelling_mean: float) -> str:
    """'The 60,000 labels to obtain (a mean EUR 90.1k of the cost) take calendar time the
    duration leaves out: ...'; empty when there are none to obtain, or a task gets them."""
    data = scenario.data
    if data.labels_to_buy <= 0 or any(task.covers == LABELLING_RISK for task in scenario.tasks):
        return ""  # a task that gets the labels puts their time in the plan
    what = ("observations of history to recover" if scenario.project.task_type == "forecasting"
            else "labels to obtain")
    cost = (f" (a mean {money(labelling_mean, scenario.project.currency)} of the cost)"
            if labelling_mean > 0 else "")
    waits = scenario.project.wait_weeks
    now = ("none now" if waits.high <= 0 else f"now {waits.low:g} weeks" if waits.is_certain
           else f"now {waits.low:g}-{waits.high:g} weeks")
    return (f"The {data.labels_to_buy:,} {what}{cost} take calendar time the duration leaves "
            "out: if modelling must wait for them, add that time to the calendar waits on Team "
            f"& tasks ({now}).")
