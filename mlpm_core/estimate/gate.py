"""What a model that falls short costs when the plan stops at a gate (``value.model_gate``).

Without a gate a model that misses its acceptability threshold is found once it is built and
delivered, so its trial loses the whole delivery cost. A plan that checks the model at the end
of a phase and stops there when it falls short spends, in that trial, only:

- the people's time on the tasks of the phases up to and including the gate, with every
  multiplier those phases carry; ongoing work (project management spread over the project) in
  the same proportion as the phased work done by the gate, in that trial;
- every other one-off cost (training compute, labels, data, the team's own one-off lines) in
  full, since they are bought to build and check the model; but not the devices' hardware,
  which is bought to roll the model out.

The check at the gate is taken to be right: a model that would miss its threshold is seen to
miss it there.
"""

from __future__ import annotations

import numpy as np

from mlpm_core.estimate.cost_lines import DEVICES


def effort_to_gate(rows: np.ndarray, slot_phase: np.ndarray, slot_role: np.ndarray,
                   slot_ongoing: np.ndarray, gate: int, roles: int) -> np.ndarray:
    """Person-days per role and trial spent by the end of phase ``gate``, shape (roles, n).

    ``rows`` are the slots' effort per trial after their multipliers, shape (slots, n)."""
    n = rows.shape[1]
    spent = np.zeros((roles, n))
    before = ~slot_ongoing & (slot_phase <= gate)
    for slot in np.flatnonzero(before):
        spent[slot_role[slot]] += rows[slot]
    ongoing = np.flatnonzero(slot_ongoing)
    if ongoing.size:
        phased = rows[~slot_ongoing].sum(axis=0)
        done = rows[before].sum(axis=0)
        share = np.divide(done, phased, out=np.ones(n), where=phased > 0)
        for slot in ongoing:
            spent[slot_role[slot]] += rows[slot] * share
    return spent


def delivery_at_gate(delivery: np.ndarray, parts: dict[str, np.ndarray],
                     effort_spent: np.ndarray, day_rates: np.ndarray) -> np.ndarray:
    """The delivery cost per trial of a plan stopped at its gate: the whole delivery less the
    people's time after the gate and the devices' hardware. ``effort_spent`` is
    ``effort_to_gate``'s (roles, n); ``day_rates`` the trials' rates, shape (n, roles)."""
    people = np.einsum("ji,ij->i", effort_spent, day_rates)
    stopped: np.ndarray = delivery - parts["people"] + people
    if DEVICES in parts:
        stopped -= parts[DEVICES]
    return stopped
