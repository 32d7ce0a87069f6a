"""The three word lists the whole workbench shares, each defined once, here.

* **Lifecycle phases** a task belongs to and a rule of thumb multiplies (the phases of Google's
  "Managing ML projects" guide, google-managing-ml), in the order they run.
* **Team roles** that do the tasks and are paid a day rate.
* **Feasibility dimensions** a scenario is scored on, in the order they are shown.

Each is a ``Literal`` type, the tuple of its members (read from the ``Literal``, so the members
are typed once) and a human label per member. The scenario model, the rules, the scoring, the
data-file loaders, the charts, the report and the app import these instead of listing members
or counting them again; ``tests/unit/test_vocabulary.py`` checks that the labels and every
per-phase, per-role or per-dimension table in ``data/`` match these members exactly.
"""

from __future__ import annotations

from typing import Literal, get_args

Phase = Literal["planning", "experimentation", "pipeline", "production"]
PHASES: tuple[Phase, ...] = get_args(Phase)
PHASE_LABELS: dict[str, str] = {
    "planning": "Ideation and planning",
    "experimentation": "Experimentation",
    "pipeline": "Pipeline building",
    "production": "Productionisation",
}

Role = Literal["ml_pm", "eng_manager", "data_scientist", "ml_engineer", "data_engineer", "devops"]
ROLES: tuple[Role, ...] = get_args(Role)
ROLE_LABELS: dict[str, str] = {
    "ml_pm": "ML product manager",
    "eng_manager": "Engineering manager",
    "data_scientist": "Data scientist",
    "ml_engineer": "ML engineer",
    "data_engineer": "Data engineer",
    "devops": "DevOps engineer",
}

Dimension = Literal["data", "difficulty", "quality", "technical", "cost"]
DIMENSIONS: tuple[Dimension, ...] = get_args(Dimension)
DIMENSION_LABELS: dict[str, str] = {
    "data": "Data availability",
    "difficulty": "Problem difficulty",
    "quality": "Prediction quality",
    "technical": "Technical requirements",
    "cost": "Cost and value",
}
