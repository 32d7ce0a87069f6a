"""A scenario reduced to the engine's arrays, built once per run and sampled chunk by chunk.

Kept apart from the sampling so that a changed staffing (a lever) or a rule left out is a
changed model run through the same draws, and so that each part reads on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mlpm_core.calibration import ReferenceClass, shipped_reference_class
from mlpm_core.estimate.calendar import phased_pairs
from mlpm_core.estimate.calibration_used import Calibration, calibration_of
from mlpm_core.estimate.costs import CostModel, cost_model
from mlpm_core.estimate.multipliers import group_members, multiplier_variants
from mlpm_core.estimate.three_point import ThreePointKind
from mlpm_core.estimate.value import ValueModel, value_model
from mlpm_core.rules import ActiveRule, applicable_rules, stacking_weight
from mlpm_core.scenario import PHASES, Range, Scenario
from mlpm_core.success import success_probability


@dataclass(frozen=True)
class EngineModel:
    """A scenario reduced to arrays: built once, sampled chunk by chunk."""

    names: tuple[str, ...]
    optimistic: np.ndarray
    most_likely: np.ndarray
    pessimistic: np.ndarray
    task_phase: np.ndarray
    task_role: np.ndarray
    task_slot: np.ndarray
    slot_phase: np.ndarray
    slot_role: np.ndarray
    slot_variant: np.ndarray
    slot_ongoing: np.ndarray
    slot_pair: np.ndarray
    """Per slot, its (phase, role) pair in ``pair_phase``/``pair_role``, or -1 when ongoing:
    a role's tasks of one phase share its time whatever risk they cover, so the calendar adds
    a pair's slots before comparing roles."""
    pair_phase: np.ndarray
    pair_role: np.ndarray
    variants: tuple[tuple[int, str], ...]
    roles: tuple[str, ...]
    fte: tuple[Range, ...]
    task_kind: ThreePointKind
    reference: Calibration | None
    bias_mu: float
    bias_sigma: float
    phase_sigma: float
    rules: tuple[ActiveRule, ...]
    rule_masks: np.ndarray
    rule_groups: tuple[tuple[int, tuple[int, ...]], ...]
    stacking_weight: float
    wait_weeks: Range
    costs: CostModel
    value: ValueModel
    gate: int | None = None
    """The phase (its index in ``PHASES``) at whose end a model that falls short stops the
    plan (``value.model_gate``), or None when the whole plan is delivered whatever the model."""



def build_model(scenario: Scenario, rules: list[ActiveRule] | None = None,
                reference: ReferenceClass | None = None) -> EngineModel:
    """Turn a scenario into the engine's arrays; ``rules`` defaults to the applicable rules.

    ``reference`` is the scenario's reference class, resolved by the caller (the app or the
    command line look in the store first); without one, the class shipped under that name.
    """
    tasks = scenario.tasks
    roles = tuple(sorted({task.role for task in tasks}))
    rules = applicable_rules(scenario) if rules is None else rules
    masks = np.array([[not rule.phases or phase in rule.phases for phase in PHASES]
                      for rule in rules], dtype=bool).reshape(len(rules), len(PHASES))
    simulation = scenario.simulation
    calibration = None
    bias_mu = bias_sigma = 0.0
    if simulation.correlation:
        if reference is None:
            reference = shipped_reference_class(simulation.reference_class)
        bias_mu, bias_sigma = reference.shared_mu, reference.shared_sigma
        calibration = calibration_of(reference)
    task_phase = np.array([PHASES.index(task.phase) for task in tasks], dtype=np.intp)
    task_role = np.array([roles.index(task.role) for task in tasks], dtype=np.intp)
    variants, task_variant = multiplier_variants(tasks)
    width = max(len(roles), 1)
    # a pair per (multiplier, ongoing or phased, role), in the order of the pairs before
    # ongoing work existed when there is none
    ongoing = np.array([task.ongoing for task in tasks], dtype=np.intp)
    occupied, task_slot = np.unique((task_variant * 2 + ongoing) * width + task_role,
                                    return_inverse=True)
    slot_variant = (occupied // width // 2).astype(np.intp)
    slot_phase = np.array([variants[v][0] for v in slot_variant], dtype=np.intp)
    slot_role = (occupied % width).astype(np.intp)
    slot_ongoing = (occupied // width) % 2 == 1
    pairs, slot_pair = phased_pairs(slot_phase, slot_role, slot_ongoing)
    return EngineModel(
        names=tuple(task.name for task in tasks),
        optimistic=np.array([task.optimistic for task in tasks], dtype=float),
        most_likely=np.array([task.most_likely for task in tasks], dtype=float),
        pessimistic=np.array([task.pessimistic for task in tasks], dtype=float),
        task_phase=task_phase,
        task_role=task_role,
        task_slot=task_slot.reshape(-1).astype(np.intp),
        slot_phase=slot_phase,
        slot_role=slot_role,
        slot_variant=slot_variant,
        slot_ongoing=slot_ongoing,
        slot_pair=slot_pair,
        pair_phase=np.array([phase for phase, _ in pairs], dtype=np.intp),
        pair_role=np.array([role for _, role in pairs], dtype=np.intp),
        variants=variants,
        roles=roles,
        fte=tuple(scenario.team_member(role).fte for role in roles),
        task_kind=simulation.task_distribution,
        reference=calibration,
        bias_mu=bias_mu,
        bias_sigma=bias_sigma,
        phase_sigma=simulation.phase_sigma if simulation.correlation else 0.0,
        rules=tuple(rules),
        rule_masks=masks,
        rule_groups=group_members(rules, masks),
        stacking_weight=stacking_weight(scenario),
        wait_weeks=scenario.project.wait_weeks,
        costs=cost_model(scenario, roles),
        value=value_model(scenario, success_probability(scenario).p),
        gate=(None if scenario.value.model_gate == "none"
              else PHASES.index(scenario.value.model_gate)),
    )
