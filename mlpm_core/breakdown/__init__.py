"""Work-breakdown templates: tasks proposed from the answers, fitted to the team and the size."""

from mlpm_core.breakdown.fit import AppliedFactor
from mlpm_core.breakdown.generate import (
    Proposal,
    apply_proposal,
    matching_blocks,
    propose,
    propose_tasks,
)

__all__ = ["AppliedFactor", "Proposal", "apply_proposal", "matching_blocks", "propose",
           "propose_tasks"]
