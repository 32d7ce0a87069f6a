"""How much each applicable rule of thumb adds to the P80 effort of a scenario.

Each rule is measured with common random numbers: effort is simulated with all applicable rules,
and with all but this one, from the same seed. Only effort is needed, so this runs the engine's
effort steps (task draws, then the phase multipliers) and not costs, value or sensitivity; a
test checks that the result with every rule is exactly the engine's effort.

Each rule draws from a stream of its own (``sampling.input_stream``), so the other rules keep
their draws in both runs, and the difference is this rule's effect alone, not Monte Carlo
noise; the run with every rule is the same for all of them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from mlpm_core.calibration import ReferenceClass
from mlpm_core.estimate.engine import CHUNK_TRIALS, phase_role_effort
from mlpm_core.estimate.engine_model import EngineModel, build_model
from mlpm_core.estimate.multipliers import group_members
from mlpm_core.estimate.sampling import trial_rng
from mlpm_core.rules import ActiveRule, applicable_rules
from mlpm_core.scenario import PHASES, Scenario

EFFECT_TRIALS = 5000


@dataclass(frozen=True)
class RuleEffect:
    """One rule's effect on P80 effort (person-days).

    ``delta_share`` is the increase relative to P80 without the rule: 1.0 means it doubles it.
    """

    id: str
    title: str
    p80_with: float
    p80_without: float
    delta_days: float
    delta_share: float


def with_rules(model: EngineModel, rules: list[ActiveRule]) -> EngineModel:
    """The same model with another list of rules (masks and groups rebuilt as the engine does)."""
    masks = np.array([[not rule.phases or phase in rule.phases for phase in PHASES]
                      for rule in rules], dtype=bool).reshape(len(rules), len(PHASES))
    return replace(model, rules=tuple(rules), rule_masks=masks,
                   rule_groups=group_members(rules, masks))


def effort_samples(model: EngineModel, trials: int, seed: int) -> np.ndarray:
    """Total effort per trial, drawn exactly as ``engine.simulate`` draws it."""
    chunks = []
    for index in range(-(-trials // CHUNK_TRIALS)):
        n = min(CHUNK_TRIALS, trials - index * CHUNK_TRIALS)
        by_role = phase_role_effort(model, trial_rng(seed, index), n).by_role
        chunks.append(by_role.sum(axis=0))  # the engine's order of sums
    return chunks[0] if len(chunks) == 1 else np.concatenate(chunks)


def _p80(effort: np.ndarray) -> float:
    return float(np.quantile(effort, 0.8))


def rule_effects(scenario: Scenario, trials: int = EFFECT_TRIALS, seed: int | None = None,
                 reference: ReferenceClass | None = None) -> list[RuleEffect]:
    """Each applicable rule's effect on P80 effort, largest first; empty without tasks.

    Switched-off rules and rules whose condition does not hold are not applied, so they are
    not listed: they have no effect.
    """
    if not scenario.tasks:
        return []
    seed = scenario.simulation.seed if seed is None else seed
    rules = applicable_rules(scenario)
    model = build_model(scenario, rules, reference)
    effects = []
    with_rule = _p80(effort_samples(model, trials, seed))
    for index, rule in enumerate(rules):
        others = rules[:index] + rules[index + 1:]
        without = _p80(effort_samples(with_rules(model, others), trials, seed))
        delta = with_rule - without
        effects.append(RuleEffect(
            id=rule.id, title=rule.title, p80_with=with_rule, p80_without=without,
            delta_days=delta, delta_share=delta / without if without > 0 else 0.0,
        ))
    return sorted(effects, key=lambda effect: -effect.delta_days)
