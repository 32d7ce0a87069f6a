"""A generated 40-task scenario on which exactly 12 rules of thumb fire: the benchmark's load."""

from __future__ import annotations

from mlpm_core.rules.catalog import applicable_rules
from mlpm_core.scenario.model import PHASES, ROLES, Scenario

RULES_WANTED = 12


def generated_scenario(tasks: int = 40, seed: int = 3) -> Scenario:
    """40 tasks over every phase and role, and answers that switch 12 rules on."""
    rows = []
    for index in range(tasks):
        low = 1 + index % 7
        rows.append({
            "name": f"Task {index + 1}", "phase": PHASES[index % len(PHASES)],
            "role": ROLES[index % len(ROLES)], "optimistic": low,
            "most_likely": low + 1 + index % 3, "pessimistic": low + 4 + index % 11,
        })
    scenario = Scenario.model_validate({
        "project": {"name": "Generated benchmark scenario", "business_metric": "m"},
        "data": {"complexity": "complex", "size": "big", "cleanliness": "dirty",
                 "structure": "unstructured", "ethics_security_privacy": True,
                 "labelled_available": 5000, "labelled_needed": 5000, "label_cost": 1},
        "difficulty": {"models_count": 3, "adversaries": True, "solved_before": "novel",
                       "research_share": 0.4},
        "quality": {"evaluation_complexity": "complicated", "documentation": "heavy"},
        "technical": {"distributed_platform": True, "platform": "online",
                      "latency_p95_ms": 100, "peak_qps": 50, "mean_qps": 10},
        "team": [{"role": role, "fte": 1} for role in ROLES],
        "tasks": rows,
        "value": {"annual_benefit": {"low": 200000, "high": 900000}},
        "simulation": {"seed": seed},
    })
    fired = applicable_rules(scenario)
    assert len(fired) >= RULES_WANTED, [rule.id for rule in fired]
    keep = {rule.id for rule in fired[:RULES_WANTED]}
    document = scenario.model_dump()
    document["rules"]["disabled"] = [rule.id for rule in fired if rule.id not in keep]
    return Scenario.model_validate(document)
