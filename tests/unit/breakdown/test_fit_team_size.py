"""The team-size factor is linear in the team's FTE between the tiers' anchors (scale.toml).

Tiers used to hold up to a limit, so 0.1 FTE more could raise the proposal by almost half. Now
each tier's factors hold exactly at its ``at_fte`` and change linearly between two anchors.
"""

from __future__ import annotations

import math
from itertools import pairwise

import pytest

from mlpm_core.breakdown import propose
from mlpm_core.breakdown.fit import fit_for, load_scale, team_factors
from mlpm_core.errors import UserError
from mlpm_core.scenario import ROLES, Scenario, TeamMember, load_scenario
from tests.conftest import ROOT

TEMPLATES_DIR = ROOT / "data" / "templates"
EXAMPLES = sorted((ROOT / "data" / "examples").glob("*.json"))
REFERENCE = {"project": {"stage": "growth", "archetype": "improve_existing"},
             "data": {"size": "big"}}
PLAN = "Plan, milestones and stakeholder check-ins"  # the engineering manager's template task
STEP = 0.1


def scenario(fte: float, **sections) -> Scenario:
    """A default scenario (some sections replaced) with one data scientist at ``fte``."""
    document = Scenario().model_dump()
    for section, fields in sections.items():
        document[section].update(fields)
    document["team"] = [TeamMember(role="data_scientist",
                                   fte={"low": fte, "high": fte}).model_dump()]
    return Scenario.model_validate(document)


def pert_total(s: Scenario) -> float:
    return sum((t.optimistic + 4 * t.most_likely + t.pessimistic) / 6 for t in propose(s).tasks)


def tiers():
    return sorted(load_scale().team.values(), key=lambda tier: tier.at_fte)


def role_factor(tier, role) -> float:
    return tier.roles[role].factor if role in tier.roles else tier.factor


def test_factors_hold_at_anchors_are_linear_between_and_flat_outside():
    """At each anchor every role gets its tier's factor; half way between two anchors, the mean
    of theirs; below the first anchor and above the last, the end tiers' factors."""
    scale, ordered = load_scale(), tiers()
    for tier in ordered:
        place = scale.team_place(tier.at_fte)
        assert place.upper is None
        assert all(place.factor(role) == role_factor(tier, role) for role in ROLES)
    for lower, upper in pairwise(ordered):
        place = scale.team_place((lower.at_fte + upper.at_fte) / 2)
        for role in ROLES:
            mean = (role_factor(lower, role) + role_factor(upper, role)) / 2
            assert place.factor(role) == pytest.approx(mean)
    for fte, end in ((ordered[0].at_fte / 2, ordered[0]), (ordered[-1].at_fte * 3, ordered[-1])):
        assert all(scale.team_place(fte).factor(role) == role_factor(end, role)
                   for role in ROLES)


def test_the_proposal_has_no_cliff_across_the_old_tier_limits():
    """From 0.9 to 6 FTE in steps of 0.1, the reference project's proposal never shrinks, and no
    step grows it by more than the factors allow.

    The bound comes from the table: a factor positive at an anchor grows by at most its slope
    times 0.1 FTE over its value there, so a sum of such terms grows by at most the largest of
    those shares. Roles rising from 0 and half-day rounding add little on the reference project
    (days as written, several days a task). The old tiers jumped by the ratio of two neighbouring
    tiers' factors (x0.7/x0.4 at 1 FTE), which the bound must stay well below, so a return to
    tiers fails here.
    """
    ordered = tiers()
    shares, old_jumps = [], []
    for lower, upper in pairwise(ordered):
        for role in ROLES:
            low, high = role_factor(lower, role), role_factor(upper, role)
            if low > 0:
                shares.append((high - low) / (upper.at_fte - lower.at_fte) * STEP / low)
                old_jumps.append(high / low - 1)
    bound = max(shares)
    assert bound < min(jump for jump in old_jumps if jump > 0) / 2
    totals = [pert_total(scenario(tenths / 10, **REFERENCE)) for tenths in range(9, 61)]
    for fte_tenths, (before, after) in enumerate(pairwise(totals), 10):
        assert after >= before, fte_tenths / 10
        assert after / before - 1 <= bound, (fte_tenths / 10, before, after, bound)


@pytest.mark.parametrize("path", EXAMPLES, ids=[path.stem for path in EXAMPLES])
def test_the_examples_sit_where_a_tier_holds_exactly(path):
    """The examples' teams (0.6, 4 and 11 FTE) are at or outside the anchors, so every role's
    factor is its tier's own, as before interpolation, and their proposals are unchanged."""
    example = load_scenario(path)
    scale = load_scale()
    place = scale.team_place(sum(member.fte.midpoint for member in example.team))
    assert place.upper is None
    common = math.prod(table[key].factor for table, key in (
        (scale.stage, example.project.stage), (scale.data_size, example.data.size),
        (scale.archetype, example.project.archetype)))
    tier = place.lower[1]
    assert fit_for(example).factor_by_role == {role: common * role_factor(tier, role)
                                               for role in ROLES}


def test_a_team_between_two_tiers_names_both_in_its_note():
    """A team of 1.7 FTE says its factor, both tiers with their factors and anchors, a reason."""
    notes = propose(scenario(1.7)).size_notes
    solo, small = load_scale().team["solo"], load_scale().team["small"]
    team_note = next(note for note in notes if note.startswith("Team of 1.7 FTE"))
    assert team_note == (
        "Team of 1.7 FTE \u00d70.54 (mlpm's judgement): between 'One full-time person or less' "
        "(\u00d70.4 at 1 FTE) and 'Up to three full-time people' (\u00d70.7 at 2.5 FTE). "
        f"{solo.reason}")
    manager = next(note for note in notes if note.startswith("Engineering manager tasks"))
    assert "(\u00d70 at 1 FTE)" in manager and "(\u00d70.25 at 2.5 FTE)" in manager
    assert small.reason not in team_note


def test_an_anchor_keeps_the_tier_label_and_reason():
    """At exactly 1 FTE the note is the solo tier's own, as before interpolation."""
    notes = propose(scenario(1.0)).size_notes
    solo = load_scale().team["solo"]
    assert f"One full-time person or less (1 FTE) \u00d70.4 (mlpm's judgement): {solo.reason}" \
        in notes
    assert not any(note.startswith("Team of") for note in notes)


@pytest.mark.parametrize("fte", [0.5, 1.0])
def test_a_zero_role_factor_drops_its_tasks_at_or_below_the_solo_anchor(fte):
    """The engineering manager's factor is 0 at the solo anchor: its tasks are left out."""
    proposal = propose(scenario(fte))
    assert PLAN in proposal.dropped and PLAN not in {task.name for task in proposal.tasks}


def test_just_above_the_solo_anchor_the_dropped_tasks_come_back_tiny():
    """At 1.1 FTE the engineering manager's task is back at the rounding step, not dropped,
    and keeps a range (its template has one): a step up to two steps."""
    proposal = propose(scenario(1.1))
    plan = next(task for task in proposal.tasks if task.name == PLAN)
    step = load_scale().rounding_days
    assert PLAN not in proposal.dropped
    assert (plan.optimistic, plan.most_likely, plan.pessimistic) == (step, step, 2 * step)


def test_two_tiers_at_the_same_anchor_are_a_readable_error(tmp_path):
    """Anchors order the tiers, so two tiers at one FTE fail to load, naming the file."""
    text = (TEMPLATES_DIR / "scale.toml").read_text(encoding="utf-8")
    path = tmp_path / "scale.toml"
    path.write_text(text.replace("at_fte = 2.5", "at_fte = 1.0"), encoding="utf-8")
    with pytest.raises(UserError, match=r"scale\.toml is invalid.*at_fte"):
        load_scale(path)


def test_a_team_between_anchors_reads_its_fte_to_two_decimals():
    """A range's midpoint can be 2.20711 FTE; the note says 'Team of 2.21 FTE'."""
    (team, *_) = team_factors(load_scale().team_place(2.2071067811865475))
    assert team.applies_to == "Team of 2.21 FTE"
