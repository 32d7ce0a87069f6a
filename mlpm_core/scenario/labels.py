"""Human labels for the codes the estimate uses, shared by the charts, the report and the app.

One place, so that a chart legend, a report table and a page heading never disagree.
"""

from __future__ import annotations

# The labels of the feasibility dimensions live beside the dimensions, in vocabulary (as do the
# phase and role labels); imported here so every label can be taken from this module.
from mlpm_core.scenario.vocabulary import DIMENSION_LABELS as DIMENSION_LABELS
from mlpm_core.scenario.vocabulary import ROLE_LABELS

DECISION_LABELS: dict[str, str] = {
    "go": "Go",
    "conditional": "Conditional go",
    "no-go": "No-go",
}

LEVEL_LABELS: dict[str, str] = {"green": "Green", "amber": "Amber", "red": "Red"}
LEVEL_COLOURS: dict[str, str] = {"green": "#2e7d32", "amber": "#f2a900", "red": "#c62828"}

STAGE_LABELS: dict[str, str] = {"mvp": "MVP", "growth": "Growth", "maturity": "Maturity"}

DELIVERY_PART_LABELS: dict[str, str] = {
    "people": "People",
    "training_compute": "Training compute",
    "labelling": "Labelling",
    "data_purchase": "Data purchase",
}
RUN_PART_LABELS: dict[str, str] = {
    "serving": "Serving compute",  # online replicas or a batch job's machine time
    "inference": "Inference fees and tokens",
    "retraining": "Retraining compute",
    "storage": "Storage",
    "licences": "Licences",
    "maintenance": "Maintenance and monitoring",
}

VALUE_PART_LABELS: dict[str, str] = {
    "avoided_errors": "Errors avoided (if the model works)",
}

# The risk groups of the shipped rules of thumb (``group`` in data/rules.toml), as a task's
# "Covers risk" names them; a test checks that every shipped group has one.
RULE_GROUP_LABELS: dict[str, str] = {
    "data_understanding": "Understanding and cleaning the data",
    "data_scale": "Data scale",
    "data_acquisition": "Getting labels and data",
    "platform": "Platform and operations",
    "governance": "Governance, privacy and documentation",
    "models": "Several models or tools",
    "quality_bar": "Quality bar and evaluation",
    "scope": "Size and scope growth",
    "adversaries": "Adversaries",
    "problem": "Novel or research problem",
}

CHECK_STATUS_LABELS: dict[str, str] = {"ok": "OK", "warn": "Warning", "fail": "Fail",
                                       "n/a": "n/a"}


def label(mapping: dict[str, str], code: str) -> str:
    """The label of a code, or the code made readable when the mapping does not know it."""
    return mapping.get(code, code.replace("_", " ").capitalize())


def _readable(text: str) -> str:
    """A role label inside a sentence: 'data scientist', but 'ML engineer', 'DevOps engineer'."""
    first = text.split(" ", 1)[0]
    return text[0].lower() + text[1:] if first[1:] == first[1:].lower() else text


def role_name(role: str) -> str:
    """A role as it reads inside a sentence."""
    return _readable(label(ROLE_LABELS, role))
