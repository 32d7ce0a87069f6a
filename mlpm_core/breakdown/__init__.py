"""Work-breakdown templates: tasks proposed from the answers, fitted to the team and the size."""

from mlpm_core.breakdown.compare import proposal_against_table
from mlpm_core.breakdown.fit import AppliedFactor
from mlpm_core.breakdown.generate import (
    Proposal,
    apply_proposal,
    days_by_scope,
    matching_blocks,
    missing_from_table,
    missing_tasks_sentence,
    propose,
    propose_tasks,
    scope_changes_sizes,
    table_lacks_sentence,
)
from mlpm_core.breakdown.staffing import (
    LARGE_ROLE_FTE,
    Move,
    assumed_team_sentence,
    give_tasks,
    large_fte_sentence,
    tasks_for_team,
)

__all__ = [
    "LARGE_ROLE_FTE",
    "AppliedFactor",
    "Move",
    "Proposal",
    "apply_proposal",
    "assumed_team_sentence",
    "days_by_scope",
    "give_tasks",
    "large_fte_sentence",
    "matching_blocks",
    "missing_from_table",
    "missing_tasks_sentence",
    "proposal_against_table",
    "propose",
    "propose_tasks",
    "scope_changes_sizes",
    "table_lacks_sentence",
    "tasks_for_team",
]
