"""The whole assessment of one scenario: simulate, score feasibility and decide."""

from mlpm_core.assessment.run import CostLine, EstimateResult, Success, Summary, run_estimate

__all__ = ["CostLine", "EstimateResult", "Success", "Summary", "run_estimate"]
