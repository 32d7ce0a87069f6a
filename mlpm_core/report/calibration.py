"""The report's calibration section: which reference class set the estimator bias, and whose."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:
    from mlpm_core.estimate import Calibration


class CalibrationBlock(BaseModel):
    """Which reference class set the estimator-bias factor, from how much data, and whose."""

    model_config = ConfigDict(extra="forbid")

    used: bool
    name: str
    n_points: int
    n_groups: int
    summary: str
    description: str
    attribution: str



def bias_phrase(median: float, sigma: float) -> str:
    """What the engine takes from a reference class, in the words every view uses."""
    return (f"project totals ran a median x{median:.2f} of their estimate, one in six beyond "
            f"x{median * math.exp(sigma):.2f}")


def calibration_sentence(reference: Calibration | None) -> str:
    """The estimator bias in one line, for the report and the app's Report page."""
    if reference is None:
        return ("Estimator bias: correlation switched off; every task's estimate errs "
                "independently, so the totals may look narrower than they are.")
    projects = f"{reference.n_groups:,} project{'s' if reference.n_groups != 1 else ''}"
    if reference.n_groups == 0:
        projects = "projects not recorded"
    elif reference.spread_from:  # not these tasks' projects: a reader took them for the team's
        projects = f"no projects recorded; the spread between projects from '" \
                   f"{reference.spread_from}', {projects}"
    return (f"Estimator bias: reference class '{reference.name}' from "
            f"{reference.n_points:,} finished tasks ({projects}): "
            f"{bias_phrase(reference.bias_median, reference.bias_sigma)}; counted once with "
            "the rules of thumb.")


def calibration_block(reference: Calibration | None) -> CalibrationBlock:
    """The calibration section: the sentence, what the class represents and its attribution."""
    if reference is None:
        return CalibrationBlock(used=False, name="", n_points=0, n_groups=0,
                                summary=calibration_sentence(None), description="",
                                attribution="")
    return CalibrationBlock(used=True, name=reference.name, n_points=reference.n_points,
                            n_groups=reference.n_groups,
                            summary=calibration_sentence(reference),
                            description=reference.description,
                            attribution=reference.attribution)
