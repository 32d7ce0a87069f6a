"""The whole assessment of one scenario: simulate, score feasibility and decide."""

from mlpm_core.assessment.contract import CostLine, Estimate, Success, Summary
from mlpm_core.assessment.run import EstimateResult, run_estimate
from mlpm_core.assessment.utilisation import deadline_capacity_days

__all__ = ["CostLine", "Estimate", "EstimateResult", "Success", "Summary", "deadline_capacity_days",
           "run_estimate"]
