"""The decision's texts, as data: blockers, actions and the needs-ML answers
(``data/conditions.toml``) and the stages with their gates (``data/stages.toml``)."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

from mlpm_core.conditions import parse
from mlpm_core.errors import UserError
from mlpm_core.feasibility.scoring import fill, flatten
from mlpm_core.paths import repo_data_dir
from mlpm_core.rules import condition_context
from mlpm_core.scenario import Scenario

CONDITIONS_FILE = "conditions.toml"
STAGES_FILE = "stages.toml"


def _load(name: str, path: Path | None) -> dict[str, Any]:
    path = path or repo_data_dir() / name
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise UserError(f"{path.name} is invalid: {error}") from None


@lru_cache(maxsize=4)
def load_decision_texts(path: Path | None = None) -> dict[str, Any]:
    """Blockers, actions and the needs-ML answers from ``data/conditions.toml``."""
    data = _load(CONDITIONS_FILE, path)
    for blocker in data.get("blocker", []):
        parse(blocker["when"])
    for entry in data.get("dimension_action", {}).values():
        for variant in entry.get("instead", []):
            parse(variant["when"])
    return data


@lru_cache(maxsize=4)
def load_stages(path: Path | None = None) -> dict[str, Any]:
    """Stage intros and gate items from ``data/stages.toml``."""
    data = _load(STAGES_FILE, path)
    for item in data.get("gate", []):
        parse(item.get("when", "true"))
    return data


def stage_gate(scenario: Scenario) -> str:
    """What must be true, measured, before investing in the next stage."""
    stages, context = load_stages(), condition_context(scenario)
    values = flatten(context)
    stage = stages["stage"][scenario.project.stage]
    items = [fill(item["text"], values) for item in stages.get("gate", [])
             if item["stage"] == scenario.project.stage
             and parse(item.get("when", "true")).evaluate(context)]
    return f"{stage['intro']}: " + "; ".join(items) + "."


def dimension_action(scenario: Scenario, dimension: str) -> str:
    """What to do about a dimension below the go line: its action, or the first variant
    whose ``when`` holds (labels that cannot be obtained cannot build a benchmark set)."""
    entry = load_decision_texts()["dimension_action"][dimension]
    context = condition_context(scenario)
    for variant in entry.get("instead", []):
        if parse(variant["when"]).evaluate(context):
            return fill(variant["action"], flatten(context))
    return str(entry["action"])


def needs_ml(scenario: Scenario) -> str:
    """The answer to "are you sure you need ML at all?" from the rules-baseline answer."""
    return str(load_decision_texts()["needs_ml"][scenario.project.rules_baseline]["answer"])


def rules_npv_note(scenario: Scenario) -> str:
    """What rules that solve some or all of the problem mean for the NPV, said beside it: a
    benefit measured against today's process counts what the rules would earn too, and the
    report said "rules may be enough" above an NPV that credited the model with all of it.
    Empty when the answer leaves nothing to say."""
    return str(load_decision_texts()["needs_ml"][scenario.project.rules_baseline].get(
        "npv_note", ""))


def rules_p_npv_caveat(scenario: Scenario) -> str:
    """What rules that solve some or all of the problem mean for P(NPV > 0), said in the
    decision's own line: beside the NPV alone, the decision list still read "77%, at least the
    70% needed for go" under "rules may be enough". Empty when the answer leaves nothing to
    say."""
    return str(load_decision_texts()["needs_ml"][scenario.project.rules_baseline].get(
        "p_npv_caveat", ""))
