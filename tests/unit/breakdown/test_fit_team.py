"""Generated work breakdowns fit the team (roles.toml) and the size of the project (scale.toml)."""

from __future__ import annotations

import tomllib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlpm_core.assessment import run_estimate
from mlpm_core.breakdown import apply_proposal, propose, propose_tasks, scope_changes_sizes
from mlpm_core.breakdown.fit import (
    FIT_FILES,
    fit_for,
    load_roles,
    load_scale,
    scaled_days,
)
from mlpm_core.breakdown.generate import load_templates, template_paths
from mlpm_core.errors import UserError
from mlpm_core.scenario import ROLES, Scenario, Task, TeamMember, load_scenario
from tests.conftest import ROOT

TEMPLATES_DIR = ROOT / "data" / "templates"
BIKE_SHOP = ROOT / "data" / "examples" / "bike_shop_service_forecast.json"


def pert_sum(tasks: list[Task]) -> float:
    return sum((t.optimistic + 4 * t.most_likely + t.pessimistic) / 6 for t in tasks)


def scenario(team: list[str] | None = None, fte: float = 1.0, **sections) -> Scenario:
    """A default scenario with some sections' fields replaced and one row per team role."""
    document = Scenario().model_dump()
    for section, fields in sections.items():
        document[section].update(fields)
    document["team"] = [TeamMember(role=role, fte={"low": fte, "high": fte}).model_dump()
                        for role in team or []]
    return Scenario.model_validate(document)


def rule_groups() -> set[str]:
    raw = tomllib.loads((ROOT / "data" / "rules.toml").read_text(encoding="utf-8"))
    return {rule.get("group") or rule["id"] for rule in raw["rule"]}


# ------------------------------------------------------------------ the Bike Shop


def test_bike_shop_breakdown_is_near_its_own_tasks_and_uses_only_its_team():
    """The Bike Shop's generated tasks sum within 1.5x of its own, all for its data scientist."""
    shop = load_scenario(BIKE_SHOP)
    generated, own = pert_sum(propose_tasks(shop)), pert_sum(shop.tasks)
    assert own / 1.5 <= generated <= own * 1.5, (generated, own)
    assert {task.role for task in propose_tasks(shop)} == {"data_scientist"}


def test_bike_shop_decision_is_the_same_with_generated_tasks():
    """Replacing the Bike Shop's tasks with the generated ones keeps its decision."""
    shop = load_scenario(BIKE_SHOP)
    generated = apply_proposal(shop, propose_tasks(shop), "replace")
    assert generated.team == shop.team

    def decision(s: Scenario) -> str:
        return run_estimate(s, trials=20000, seed=1).estimate.decision

    assert decision(generated) == decision(shop)


# ------------------------------------------------------------------ roles from the team


def test_two_person_team_gets_only_its_roles_with_a_note_per_remapped_role():
    """A data scientist and an ML engineer get every task, and each absent role is explained."""
    proposal = propose(scenario(team=["data_scientist", "ml_engineer"],
                                technical={"platform": "online"}))
    assert {task.role for task in proposal.tasks} == {"data_scientist", "ml_engineer"}
    remapped = ["ML product manager", "Engineering manager", "Data engineer", "DevOps engineer"]
    assert len(proposal.role_notes) == len(remapped)
    for role in remapped:
        assert sum(note.startswith(f"{role} work") for note in proposal.role_notes) == 1
    assert ("DevOps engineer work (2 tasks) assigned to the ML engineer: no DevOps engineer on "
            "the team.") in proposal.role_notes


def test_remapping_follows_the_fallback_order_past_absent_roles():
    """DevOps work skips the absent ML and data engineers and says which roles were missing."""
    proposal = propose(scenario(team=["data_scientist"], technical={"platform": "batch"}))
    deploy = next(task for task in proposal.tasks if task.name == "Deploy the model")
    assert deploy.role == "data_scientist"
    assert ("DevOps engineer work (1 task) assigned to the data scientist: no DevOps engineer, "
            "ML engineer or data engineer on the team.") in proposal.role_notes


def test_a_full_team_keeps_every_template_role_without_notes():
    """When every role is on the team, no task moves and no role note is given."""
    proposal = propose(scenario(team=list(ROLES)))
    assert {task.role for task in proposal.tasks} == set(ROLES)
    assert proposal.role_notes == []


def test_no_team_keeps_every_template_role_and_says_so():
    """Without team rows the proposal keeps the templates' roles and one note says why."""
    proposal = propose(Scenario())
    assert {task.role for task in proposal.tasks} == set(ROLES)
    assert len(proposal.role_notes) == 1 and proposal.role_notes[0].startswith("No team rows")
    assert apply_proposal(Scenario(), proposal.tasks, "replace").team == []


def test_appending_tasks_of_roles_off_the_team_still_adds_those_roles():
    """A hand-made task for a role the team lacks still brings that role onto the team."""
    s = scenario(team=["data_scientist"])
    extra = Task(name="Deploy it", phase="production", role="devops", optimistic=1,
                 most_likely=2, pessimistic=3)
    adopted = apply_proposal(s, [*propose_tasks(s), extra], "replace")
    assert {member.role for member in adopted.team} == {"data_scientist", "devops"}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(team=st.sets(st.sampled_from(ROLES), min_size=1),
       fte=st.sampled_from([0.5, 1.0, 2.0, 5.0]),
       stage=st.sampled_from(["mvp", "growth", "maturity"]),
       size=st.sampled_from(["small", "big"]))
def test_any_staffed_scenario_gets_tasks_for_its_roles_only(team, fte, stage, size):
    """Whatever the team, every proposed task names a role on it, so adopting adds no member."""
    s = scenario(team=sorted(team), fte=fte, project={"stage": stage}, data={"size": size})
    proposed = propose_tasks(s)
    assert proposed and {task.role for task in proposed} <= team
    assert apply_proposal(s, proposed, "replace").team == s.team


# ------------------------------------------------------------------ sizes that scale


@pytest.mark.parametrize("team", [[], ["data_scientist", "ml_engineer"], list(ROLES)],
                         ids=["no team", "two people", "every role"])
def test_total_days_grow_from_mvp_to_growth_to_maturity(team):
    """For the same answers, an MVP is smaller than growth, and growth smaller than maturity."""
    totals = [pert_sum(propose_tasks(scenario(team=team, project={"stage": stage})))
              for stage in ("mvp", "growth", "maturity")]
    assert totals[0] < totals[1] < totals[2], totals


def test_stage_and_data_size_factors_are_ordered_in_the_table():
    """The scale table itself says MVP < growth < maturity and small data <= big data."""
    scale = load_scale()
    assert scale.stage["mvp"].factor < scale.stage["growth"].factor < scale.stage[
        "maturity"].factor
    assert scale.data_size["small"].factor <= scale.data_size["big"].factor


def test_every_size_factor_has_a_reason_and_is_marked_as_judgement():
    """Each factor in scale.toml carries a one-line reason and says it is mlpm's judgement."""
    scale = load_scale()
    entries = [*scale.stage.values(), *scale.data_size.values(), *scale.archetype.values()]
    for tier in scale.team.values():
        entries += [tier, *tier.roles.values()]
    for entry in entries:
        assert entry.basis == "judgement" and entry.reason and "\n" not in entry.reason


def test_a_solo_job_drops_management_and_shrinks_product_work():
    """One person at most full time gets no engineering-manager tasks and less product work."""
    solo = propose(scenario(team=["data_scientist"]))
    team = propose(scenario(team=list(ROLES)))
    assert "Plan, milestones and stakeholder check-ins" in solo.dropped
    assert "Plan, milestones and stakeholder check-ins" not in {t.name for t in solo.tasks}
    framing = "Problem framing and success criteria"
    solo_days = next(t.most_likely for t in solo.tasks if t.name == framing)
    team_days = next(t.most_likely for t in team.tasks if t.name == framing)
    assert solo_days < team_days
    assert pert_sum(solo.tasks) < pert_sum(team.tasks)


def test_size_notes_name_each_factor_used():
    """The proposal lists the stage, data size, archetype and team-size factors it applied.

    Two people at 1.25 FTE each: 2.5 FTE is the small tier's anchor, where its label and factor
    hold exactly (at 2 FTE the team now sits between two tiers; test_fit_team_size covers that).
    """
    notes = propose(scenario(team=["data_scientist", "ml_engineer"], fte=1.25)).size_notes
    assert notes[0].startswith("MVP \u00d70.5 (mlpm's judgement): ")
    assert any(note.startswith("Up to three full-time people (2.5 FTE) \u00d70.7 (mlpm's "
                               "judgement): ") for note in notes)
    *factors, together = notes
    assert all("mlpm's judgement" in note for note in factors)
    assert together.startswith("Together: engineering tasks get ")


@settings(max_examples=200, deadline=None)
@given(points=st.lists(st.floats(0, 200, allow_nan=False), min_size=3, max_size=3),
       factor=st.floats(0.01, 5, allow_nan=False))
def test_scaled_three_points_stay_ordered_on_half_days(points, factor):
    """Scaling and rounding keeps optimistic <= most likely <= pessimistic, on half days."""
    low, mid, high = sorted(points)
    scaled = scaled_days((low, mid, high), factor, 0.5)
    assert list(scaled) == sorted(scaled)
    assert all(value >= 0.5 and (value * 2).is_integer() for value in scaled)
    assert (scaled[2] > scaled[0]) == (high > low)  # a range stays a range, a point a point


def test_a_small_task_with_a_range_keeps_one():
    """(1, 2, 3) days scaled by 0.2 would round to half a day three times: no uncertainty left.
    The pessimistic point stays a step above the optimistic one; a certain task stays certain."""
    assert scaled_days((1, 2, 3), 0.2, 0.5) == (0.5, 0.5, 1.0)
    assert scaled_days((2, 2, 2), 0.2, 0.5) == (0.5, 0.5, 0.5)


def test_the_reference_project_keeps_the_template_days():
    """A growth product, big data, improving a process, with a large team: days as written."""
    s = scenario(team=list(ROLES), fte=2.0, project={"stage": "growth",
                                                      "archetype": "improve_existing"},
                 data={"size": "big"})
    design = next(task for task in propose_tasks(s) if task.name == "Design doc")
    assert (design.optimistic, design.most_likely, design.pessimistic) == (2, 3, 5)


# ------------------------------------------------------------------ covers


def test_every_covers_names_a_known_rule_group():
    """Each template block's `covers` is a `group` of data/rules.toml."""
    groups = rule_groups()
    covered = [block.covers for template in load_templates() for block in template.block
               if block.covers]
    assert covered and set(covered) <= groups


def test_an_unknown_covers_group_is_refused_by_block_id(tmp_path):
    """A block covering a group no rule has fails to load, naming the block and the group."""
    (tmp_path / "bad.toml").write_text(
        'title = "t"\n[[block]]\nid = "odd_block"\ntitle = "b"\nwhen = "true"\n'
        'covers = "no_such_group"\nsource = { id = "user", quote = "q" }\n'
        'tasks = [{ name = "x", phase = "planning", role = "ml_pm", days = [1, 2, 3] }]\n',
        encoding="utf-8")
    with pytest.raises(UserError, match=r"odd_block covers 'no_such_group'"):
        load_templates(tmp_path)


def test_the_proposal_says_which_tasks_cover_which_risk():
    """Dirty big data with missing labels: cleaning, scale and labelling tasks carry their group
    (``Task.covers``); the others cover nothing."""
    proposal = propose(scenario(data={"cleanliness": "dirty", "size": "big",
                                      "labelled_available": 0, "labelled_needed": 5000}))
    covers = {task.name: task.covers for task in proposal.tasks}
    assert covers["Data cleaning"] == "data_understanding"
    assert covers["Distributed data processing set-up"] == "data_scale"
    assert covers["Label quality review"] == "data_acquisition"
    assert covers["Design doc"] == ""


# ------------------------------------------------------------------ the tables


def test_every_role_in_the_fallback_table_is_known_and_every_role_has_fallbacks():
    """roles.toml names only known roles, and gives each role every other role as a fallback."""
    raw = tomllib.loads((TEMPLATES_DIR / "roles.toml").read_text(encoding="utf-8"))["role"]
    assert set(raw) == set(ROLES)
    for role, entry in raw.items():
        assert entry["fallbacks"] and set(entry["fallbacks"]) <= set(ROLES)
        assert sorted(entry["fallbacks"]) == sorted(set(ROLES) - {role})
        assert entry["reason"]
    assert load_roles().role.keys() == set(ROLES)


def test_a_fallback_table_missing_a_role_is_a_readable_error(tmp_path):
    """A roles table without a role fails with the file name and the missing role."""
    path = tmp_path / "roles.toml"
    path.write_text('[role.ml_pm]\nfallbacks = ["eng_manager"]\nreason = "r"\n',
                    encoding="utf-8")
    with pytest.raises(UserError, match=r"roles\.toml is invalid.*eng_manager"):
        load_roles(path)


def test_a_scale_table_missing_a_stage_is_a_readable_error(tmp_path):
    """A scale table without a factor for maturity fails with the file name and the stage."""
    text = (TEMPLATES_DIR / "scale.toml").read_text(encoding="utf-8")
    path = tmp_path / "scale.toml"
    path.write_text(text.replace("[stage.maturity]", "[stage.later]"), encoding="utf-8")
    with pytest.raises(UserError, match=r"scale\.toml is invalid.*maturity"):
        load_scale(path)


def test_the_tables_are_not_read_as_templates():
    """roles.toml and scale.toml sit beside the templates but are not template files."""
    names = {path.name for path in template_paths()}
    assert names and not names & set(FIT_FILES)
    assert all((TEMPLATES_DIR / name).is_file() for name in FIT_FILES)


# ------------------------------------------------------------------ the Team & tasks page




@pytest.mark.parametrize(("fte", "scaled_down"), [(1.0, True), (2.5, True), (3.9, True),
                                                  (4.0, False), (8.0, False)])
def test_a_proposal_says_when_the_team_size_shrank_it(fte, scaled_down):
    proposal = propose(scenario(["data_scientist"], fte=fte))
    assert proposal.team_scaled_down is scaled_down
    assert proposal.team_factor == pytest.approx(load_scale().team_place(fte).factor())


@pytest.mark.parametrize("fte", [0.5, 1.0, 2.5, 3.0])
def test_the_full_scope_keeps_the_template_days_and_shrinks_only_coordination(fte):
    """Sized for the full scope, a data scientist's tasks get no team factor whatever the
    team; the product manager keeps the tier's share of coordination; a solo team still has
    no manager."""
    team = ["data_scientist", "ml_pm", "eng_manager"]
    per_person = fte / len(team)
    by_team = fit_for(scenario(team, fte=per_person))
    full = fit_for(scenario(team, fte=per_person, project={"scope": "full"}))
    place = load_scale().team_place(fte)
    common = full.factor_by_role["data_scientist"]
    assert common == pytest.approx(by_team.factor_by_role["data_scientist"] / place.factor())
    assert full.factor_by_role["ml_pm"] == pytest.approx(
        common * min(1, place.factor("ml_pm") / place.factor()))
    if fte <= 1:
        assert full.factor_by_role["eng_manager"] == 0
    assert full.team_factor == 1 and propose(scenario(team, fte=per_person,
                                                      project={"scope": "full"})
                                             ).team_scaled_down is False


@pytest.mark.parametrize(("fte", "differs"), [(0.5, True), (2.5, True), (3.9, True),
                                              (4.0, False), (8.0, False)])
def test_the_page_knows_when_the_choice_of_sizing_changes_nothing(fte, differs):
    """Below the reference tier the two ways of sizing propose different days, from it on the
    same ones, whichever is chosen; with no team there is nothing to choose between."""
    for scope in ("from_team", "full"):
        chosen = scenario(["data_scientist"], fte=fte, project={"scope": scope})
        assert scope_changes_sizes(chosen) is differs
        other = "full" if scope == "from_team" else "from_team"
        twin = scenario(["data_scientist"], fte=fte, project={"scope": other})
        assert (propose_tasks(chosen) != propose_tasks(twin)) is differs
    assert scope_changes_sizes(Scenario()) is False


def test_a_reference_sized_team_gets_the_same_proposal_either_way():
    team = ["data_scientist", "ml_engineer"]
    assert (propose_tasks(scenario(team, fte=3.0))
            == propose_tasks(scenario(team, fte=3.0, project={"scope": "full"})))


def test_the_proposal_says_what_its_factors_leave_together():
    """MVP x0.5, small data x0.75, augment x0.9 and a small team each read as modest; the
    proposal says what they leave together, the product a data scientist's days get."""
    proposal = propose(scenario(["data_scientist"], fte=1.7, project={
        "stage": "mvp", "archetype": "augment_manual"}, data={"size": "small"}))
    scale = load_scale()
    expected = (scale.stage["mvp"].factor * scale.data_size["small"].factor
                * scale.archetype["augment_manual"].factor * scale.team_place(1.7).factor())
    assert proposal.engineering_factor == pytest.approx(expected)
    assert proposal.size_notes[-1].startswith(
        f"Together: engineering tasks get {expected:.0%} of the template days")
    assert expected < 0.3
