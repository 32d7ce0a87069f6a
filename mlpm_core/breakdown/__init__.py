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
from mlpm_core.breakdown.task_hints import (
    LikelyDoubleCount,
    double_count_sentence,
    likely_double_counts,
    load_task_hints,
    ongoing_sentence,
)

__all__ = [
    "LARGE_ROLE_FTE",
    "AppliedFactor",
    "LikelyDoubleCount",
    "Move",
    "Proposal",
    "apply_proposal",
    "assumed_team_sentence",
    "days_by_scope",
    "double_count_sentence",
    "give_tasks",
    "large_fte_sentence",
    "likely_double_counts",
    "load_task_hints",
    "matching_blocks",
    "missing_from_table",
    "missing_tasks_sentence",
    "ongoing_sentence",
    "proposal_against_table",
    "propose",
    "propose_tasks",
    "scope_changes_sizes",
    "table_lacks_sentence",
    "tasks_for_team",
]
