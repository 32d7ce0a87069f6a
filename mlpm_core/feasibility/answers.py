"""What a question page's answers already do to its feasibility dimension, before any run.

The report's feasibility chart is the first place a person would otherwise learn that a
baseline above the acceptability threshold costs the quality dimension 30 points: the answer
is accepted, rightly (it is a finding, not an error), and nothing on the page said so. The
question pages show this score next to the answers that move it.
"""

from __future__ import annotations

from mlpm_core.feasibility.checks import technical_checks
from mlpm_core.feasibility.scoring import DimensionScore, score_dimensions
from mlpm_core.scenario import Dimension, Scenario


def answer_score(scenario: Scenario, dimension: Dimension) -> DimensionScore:
    """The dimension's score on the answers and the technical checks alone, with the reasons
    for every point lost, worded as the report words them (the simulated cost comes later)."""
    return score_dimensions(scenario, technical_checks(scenario), None)[dimension]
