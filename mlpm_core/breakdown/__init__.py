"""Work-breakdown templates: tasks proposed from the answers, fitted to the team and the size."""

from mlpm_core.breakdown.fit import AppliedFactor
from mlpm_core.breakdown.generate import (
    Proposal,
    apply_proposal,
    matching_blocks,
    propose,
    propose_tasks,
    scope_changes_sizes,
)
from mlpm_core.breakdown.staffing import Move, assumed_team_sentence, give_tasks, tasks_for_team

__all__ = ["AppliedFactor", "Move", "Proposal", "apply_proposal", "assumed_team_sentence",
           "give_tasks", "matching_blocks", "propose", "propose_tasks", "scope_changes_sizes",
           "tasks_for_team"]
