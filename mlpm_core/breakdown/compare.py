"""How a proposal's size compares with the task table it would replace.

A team that has sized its own work and then presses "Generate" may get a proposal a fraction of
its size (sized from a small team, the templates read a small project) and, by replacing its
tasks, halve its estimate without noticing. The confirmation says so in days before anything
changes.
"""

from __future__ import annotations

from mlpm_core.breakdown.generate import Proposal, days_by_scope, scope_changes_sizes
from mlpm_core.scenario import Scenario

CLOSE = 0.25
"""Within a quarter of the table either way, the two sizes are called close."""


def _days(value: float) -> str:
    return f"{value:,.1f}".removesuffix(".0")


def proposal_against_table(scenario: Scenario, proposal: Proposal) -> str | None:
    """One paragraph comparing the proposal's most-likely days with the table's, or None when
    there is no table to compare with (or either adds up to nothing)."""
    own = sum(task.most_likely for task in scenario.tasks)
    proposed = sum(task.most_likely for task in proposal.tasks)
    if own <= 0 or proposed <= 0:
        return None
    ratio = proposed / own
    head = (f"Your task table adds up to {_days(own)} person-days most likely; the proposal "
            f"to {_days(proposed)}")
    if abs(ratio - 1) <= CLOSE:
        return f"{head}, close to it."
    if ratio > 1:
        return (f"{head}, {ratio:.1f} times it. The proposal may budget for work your table "
                "leaves out: compare the two lists before replacing.")
    sentence = (f"{head}, {ratio:.0%} of it. Replacing your tasks would start the estimate "
                "from the smaller figure: keep your own numbers where you trust them, or "
                "append only the tasks your table lacks.")
    if scenario.project.scope == "from_team" and scope_changes_sizes(scenario):
        full = days_by_scope(scenario)["full"]
        sentence += (f" Sized at full scope (above) the proposal adds up to {_days(full)} "
                     "person-days.")
    return sentence
