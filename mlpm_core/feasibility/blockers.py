"""Blockers: answers that make a project impossible, or forbid go until a named action is
done, and failed technical checks said the same way (texts in ``data/conditions.toml``)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from mlpm_core.conditions import parse
from mlpm_core.feasibility.decision_texts import load_decision_texts
from mlpm_core.feasibility.scoring import fill, flatten
from mlpm_core.feasibility.technical import TechnicalCheck, money, number
from mlpm_core.rules import condition_context
from mlpm_core.scenario import Scenario

Severity = Literal["no-go", "condition"]


class Blocker(BaseModel):
    """An answer that forces no-go, or forbids go until a condition is met."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    text: str
    severity: Severity


def find_blockers(scenario: Scenario,
                  checks: list[TechnicalCheck]) -> list[tuple[Blocker, str]]:
    """Every blocker with the action that would lift it: answers first, then failed checks."""
    texts, context = load_decision_texts(), condition_context(scenario)
    values = flatten(context)
    found = [(Blocker(id=entry["id"], text=fill(entry["text"], values),
                      severity=entry["severity"]), fill(entry["action"], values))
             for entry in texts.get("blocker", []) if parse(entry["when"]).evaluate(context)]
    for check in checks:
        if check.status != "fail":
            continue
        shown = {"value": "", "limit": "", "detail": check.detail}
        for key in ("value", "limit"):
            figure = getattr(check, key)
            if figure is not None:
                shown[key] = (money(figure, scenario.project.currency)
                              if check.id == "inference_cost" else number(figure))
        template = texts["check_action"].get(check.action_key or check.id)
        action = fill(template, shown) if template else f"Resolve: {check.summary}"
        severity: Severity = "no-go" if check.blocker else "condition"
        found.append((Blocker(id=f"check_{check.id}", text=check.summary, severity=severity),
                      action))
    return found


def blocker_reason(blocker: Blocker) -> str:
    """A blocker as the decision's reasons say it: 'Blocker (rules it out): ...'."""
    kind = "rules it out" if blocker.severity == "no-go" else "must be resolved first"
    return f"Blocker ({kind}): {blocker.text}"
