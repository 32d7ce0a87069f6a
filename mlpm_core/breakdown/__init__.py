"""Work-breakdown templates: tasks proposed from the answers, per archetype and stage."""

from mlpm_core.breakdown.generate import apply_proposal, matching_blocks, propose_tasks

__all__ = ["apply_proposal", "matching_blocks", "propose_tasks"]
