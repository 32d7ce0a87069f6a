"""Every question counts: each field of the scenario changes a number or a stated reason.

For every leaf field of ``Scenario`` (the pydantic fields walked recursively; a range counts as
one field, and a list of models or a dict of models contributes the fields of one element), the
walk changes the value to other valid ones (bools flip, literals take the other members, numbers
scale and shift within their bounds, strings change, ranges shift and widen, optional fields
are set or emptied) on a few base scenarios, and compares the assessment before and after: the
JSON estimate (every number and every text), the decision (stage gate, needs-ML answer,
blockers) and the technical checks. A field passes as soon as one change on one base changes
anything. A field that changes nothing anywhere fails, named, unless the schema marks it
``json_schema_extra={"descriptive": True}`` (a name, an owner, a problem statement: shown to
people, never computed with) or it is one of the few fields checked by a targeted test below
(the trials and seed, which ``run_estimate`` is given here; the reference class, looked up in
the store; a team member's role, which cannot change alone without leaving its tasks without a
team member).

The bases are the three examples, a blank scenario and six variants, each there for fields
that cannot matter in the others: the Bike Shop on 40 devices with an own cost line (the device
and cost-line fields), the fraud example without a target (so that "higher is better" can flip
without crossing the threshold-beyond-target check), a maintenance project with rare failures
(the positive-class questions), the Bike Shop's batch job with its size given (the batch
questions), and the Bike Shop with a rule edited and a custom rule added, in ranged and in strict
mode (the rule fields).
"""

from __future__ import annotations

import copy
import json
import types
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import pytest
from pydantic import BaseModel, ValidationError

from mlpm_core.assessment import run_estimate
from mlpm_core.breakdown import propose_tasks
from mlpm_core.calibration.reference_class import ReferenceClass
from mlpm_core.errors import UserError
from mlpm_core.feasibility.decision import stage_gate
from mlpm_core.paths import DATA_DIR_ENV
from mlpm_core.rules import applicable_rules
from mlpm_core.scenario import Range, Scenario
from mlpm_core.store.database import DATABASE_URL_ENV
from mlpm_core.store.reference_classes import reference_for, save_reference_class
from tests.conftest import EXAMPLES_DIR

EXAMPLES = EXAMPLES_DIR
TRIALS, SEED = 5000, 1
# Fields with their own test here, instead of the generic walk.
TARGETED = {
    "simulation.trials": "test_the_trials_and_seed_set_the_run",
    "simulation.seed": "test_the_trials_and_seed_set_the_run",
    "simulation.reference_class": "test_the_reference_class_sets_the_estimator_bias",
    "team.0.role": "test_a_team_members_role_decides_which_tasks_its_rate_and_fte_apply_to",
    "project.scope": "test_the_scope_sizes_the_proposed_tasks",
}
CUSTOM_RULE = {
    "id": "pilot_site", "title": "Pilot at one site before the roll-out",
    "when": "project.stage == \"mvp\"", "multiplier": [1.1, 1.4],
    "applies_to": ["production"], "probability": 0.8,
    "warning": "The roll-out waits for the pilot.",
}
EXTRA_CANDIDATES: dict[str, list[Any]] = {
    "rules.custom.0.id": ["pilot_shop"],
    "rules.custom.0.when": ["data.size == \"big\"", "project.stage == \"growth\""],
    "rules.custom.0.range_basis": ["source"],
    "rules.custom.0.strength": ["solo_strength"],
    "project.currency": ["XYZ"],
}


# ------------------------------------------------------------------------- the schema's leaves

def _plain(annotation: Any) -> Any:
    """The annotation without the checks ``Annotated`` adds: ``SafeLine`` -> ``str``, also
    inside a list or a dict (``dict[RuleId, SafeText]`` -> ``dict[str, str]``)."""
    if get_origin(annotation) is Annotated:
        return _plain(get_args(annotation)[0])
    if get_origin(annotation) in (list, dict):
        return get_origin(annotation)[tuple(_plain(arg) for arg in get_args(annotation))]
    return annotation


def _inner(annotation: Any) -> Any:
    """The annotation without ``None`` and checks: ``float | None`` -> ``float``."""
    if get_origin(annotation) in (Union, types.UnionType):
        args = [arg for arg in get_args(annotation) if arg is not type(None)]
        return _plain(args[0]) if len(args) == 1 else annotation
    return _plain(annotation)


def _is_model(annotation: Any) -> bool:
    return (isinstance(annotation, type) and issubclass(annotation, BaseModel)
            and annotation is not Range)


def leaves(model: type[BaseModel] = Scenario, prefix: str = "") -> dict[str, Any]:
    """Every leaf field by dotted path (``.0.`` for a list's element, ``.*.`` for a dict's)."""
    found: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        inner, path = _inner(info.annotation), prefix + name
        args = get_args(inner)
        if _is_model(inner):
            found.update(leaves(inner, path + "."))
        elif get_origin(inner) is list and args and _is_model(args[0]):
            found.update(leaves(args[0], path + ".0."))
        elif get_origin(inner) is dict and len(args) == 2 and _is_model(args[1]):
            found.update(leaves(args[1], path + ".*."))
        else:
            found[path] = info
    return found


def is_descriptive(info: Any) -> bool:
    extra = info.json_schema_extra
    return isinstance(extra, dict) and extra.get("descriptive") is True


LEAVES = leaves()
DESCRIPTIVE = sorted(path for path, info in LEAVES.items() if is_descriptive(info))
WALKED = sorted(path for path in LEAVES if path not in TARGETED and path not in DESCRIPTIVE)


# ------------------------------------------------------------------------------ the bases

def _example(name: str) -> dict:
    return json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))


def _rules_edited(mode: str) -> dict:
    """The Bike Shop with a rule edited and a custom rule; in strict mode its data scientist
    is 1.5 FTE, so that the solo doubling is only partly there (a rule's ``strength``)."""
    document = _example("bike_shop_service_forecast")
    if mode == "strict":
        document["team"][0]["fte"] = 1.5
    fired = assess(json.dumps(document))[0]["rules_fired"][0]["id"]
    document["rules"] = {"mode": mode,
                         "overrides": {fired: {"multiplier": [1.2, 1.8], "probability": 0.9}},
                         "custom": [CUSTOM_RULE]}
    return document


def _on_devices() -> dict:
    """The Bike Shop's model on 40 edge gateways, with an own cost line (the device and
    cost-line fields count only there)."""
    document = _example("bike_shop_service_forecast")
    document["technical"].update(platform="on_device", device={
        "count": 40, "ram_gb": 2, "accelerator": "npu", "unit_cost": [300, 500],
        "running_cost_per_year": [50, 90]})
    document["costs"]["custom_lines"] = [
        {"name": "Gateway install", "paid": "one_off", "amount": [2000, 4000]}]
    return document


def _maintenance() -> dict:
    """Sensors on 40 machines, a few failures a year (the positive-class questions)."""
    document = Scenario().model_dump(mode="json")
    document["project"]["task_type"] = "anomaly_detection"
    document["data"].update(labelled_available=700_000, positive_share=0.0001,
                            positive_events_per_year=5, label_cost=[0.01, 0.02])
    document["technical"]["platform"] = "on_device"
    return document


def _batch_sized() -> dict:
    """The Bike Shop's batch job with its size, time per prediction and fees given (the batch
    questions)."""
    document = _example("bike_shop_service_forecast")
    document["technical"].update(batch_predictions_per_run=20_000, batch_window_hours=0.05,
                                 model_latency_ms=[5, 20])
    document["costs"]["inference_cost_per_1k_requests"] = [0.5, 1.0]
    return document


@cache
def bases() -> dict[str, dict]:
    fraud_without_target = _example("fraud_card_payments")
    fraud_without_target["quality"]["target"] = None
    found = {name: _example(name) for name in ("bike_shop_service_forecast",
                                                "fraud_card_payments",
                                                "genai_support_assistant")}
    found |= {"blank": Scenario().model_dump(mode="json"),
              "bike shop on 40 devices": _on_devices(),
              "fraud without a target": fraud_without_target,
              "maintenance, rare failures": _maintenance(),
              "bike shop, batch sized": _batch_sized(),
              "bike shop, rules edited": _rules_edited("ranged"),
              "bike shop, rules edited, strict": _rules_edited("strict")}
    return {name: Scenario.model_validate(document).model_dump(mode="json")
            for name, document in found.items()}


@cache
def assess(document_json: str) -> tuple[dict, dict, list]:
    """What a field may change: the JSON estimate, the decision and the technical checks."""
    result = run_estimate(Scenario.model_validate_json(document_json), trials=TRIALS, seed=SEED)
    return (result.estimate.model_dump(mode="json"), result.decision.model_dump(mode="json"),
            [check.to_json() for check in result.checks])


def _key(document: dict) -> str:
    return json.dumps(document, sort_keys=True)


# --------------------------------------------------------------------- reading and changing

MISSING = object()


def get(document: dict, path: str) -> Any:
    node: Any = document
    for part in path.split("."):
        if isinstance(node, list):
            if not node:
                return MISSING
            node = node[int(part)]
        elif isinstance(node, dict):
            if part == "*":
                if not node:
                    return MISSING
                part = next(iter(node))
            node = node.get(part, MISSING)
            if node is MISSING:
                return MISSING
        else:
            return MISSING
    return node


def put(document: dict, path: str, value: Any) -> dict:
    changed = copy.deepcopy(document)
    *parents, leaf = path.split(".")
    node: Any = changed
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[
            next(iter(node)) if part == "*" else part]
    if isinstance(node, list):
        node[int(leaf)] = value
    else:
        node[leaf] = value
    return changed


def _range_candidates(current: dict | None) -> list[Any]:
    if current is None:
        return [[1, 10], [100, 1000], [0.1, 0.5]]

    def moved(scale: float, shift: float) -> dict:
        return {key: (value * scale + shift if key in ("low", "high", "most_likely")
                      and value is not None else value) for key, value in current.items()}

    return [moved(2, 0), moved(0.5, 0), moved(1, 1),
            {"low": current["low"] + 1, "high": current["high"] + 10}, None]


def _number_candidates(kind: type, current: float | None) -> list[Any]:
    if current is None:
        values = [0.5, 0.9, 0.1, 1, 2, 10, 100, 1e4, 1e6]
    else:
        values = [current * 2, current * 0.5, current + 1, current - 1, current + 0.1,
                  current - 0.1, current * 10, 0, 1, None]
    if kind is int:
        values = [None if value is None else round(value) for value in values]
    return [value for value in values if value != current]


def candidates(path: str, info: Any, current: Any, base: dict) -> list[Any]:
    """Other values for the field, valid or not (invalid ones are skipped by the walk)."""
    annotation = _inner(info.annotation)
    origin, args = get_origin(annotation), get_args(annotation)
    extra = EXTRA_CANDIDATES.get(path, [])
    if annotation is bool:
        return [not current]
    if origin is Literal:
        return [member for member in args if member != current]
    if annotation is Range:
        return _range_candidates(current) + extra
    if annotation in (int, float):
        return _number_candidates(annotation, current) + extra
    if annotation is str:
        groups = [] if path != "rules.custom.0.group" else sorted(  # join a fired rule's group
            {rule.group for rule in applicable_rules(Scenario.model_validate(base))} - {""})
        return [*extra, *groups, f"{current} (changed)", "changed"]
    if origin is list and args and args[0] is float:
        return [[share * 0.5 for share in current], [1.0] * len(current),
                [*current, current[-1] * 0.5]]
    if origin is list and args and args[0] is str:  # rules.disabled: switch a fired rule off
        return [[*current, rule["id"]] for rule in assess(_key(base))[0]["rules_fired"]]
    if origin is list and args and get_origin(args[0]) is Literal:  # phases
        return [[phase] for phase in get_args(args[0]) if [phase] != current] + [[]]
    if origin is dict and args == (str, str):  # rules.notes: a note on a fired rule
        return [{**current, rule["id"]: "Checked with the team."}
                for rule in assess(_key(base))[0]["rules_fired"]] + [{}]
    raise AssertionError(f"{path}: no way to change a {annotation!r}; add a strategy")


def changes_something(path: str) -> str | None:
    """The base and value that changed the assessment, or None when nothing did."""
    info = LEAVES[path]
    for name, base in bases().items():
        current = get(base, path)
        if current is MISSING:
            continue
        before = assess(_key(base))
        for value in candidates(path, info, current, base):
            try:
                changed = Scenario.model_validate(put(base, path, value)).model_dump(mode="json")
            except ValidationError:
                continue
            if changed == base:
                continue
            try:
                after = assess(_key(changed))
            except UserError:
                continue
            if after != before:
                return f"{name}: {value!r}"
    return None


# ------------------------------------------------------------------------------- the tests

@pytest.mark.slow
@pytest.mark.parametrize("path", WALKED)
def test_every_question_changes_a_number_or_a_reason(path):
    """Changing the field changes the estimate, the decision or a check on some base; if not,
    wire it into a number or a reason, or mark it descriptive in the schema."""
    assert changes_something(path) is not None, (
        f"{path} changes nothing in any base scenario and is not marked descriptive")


@pytest.mark.slow
@pytest.mark.parametrize("path", [path for path in DESCRIPTIVE if path != "schema_version"])
def test_descriptive_fields_change_no_number(path):
    """A descriptive field is only shown to people: if it changes a number, drop the marker."""
    assert changes_something(path) is None, f"{path} is marked descriptive but counts"


def test_every_field_is_walked_targeted_or_descriptive():
    """The walk, the targeted tests and the descriptive marker together cover the schema."""
    assert set(TARGETED) <= set(LEAVES)
    assert set(WALKED) | set(TARGETED) | set(DESCRIPTIVE) == set(LEAVES)
    assert set(DESCRIPTIVE) == {"schema_version", "project.name", "project.owner",
                                "project.problem_statement", "rules.notes"}
    for name in set(TARGETED.values()):
        assert name in globals(), name


def test_the_scope_sizes_the_proposed_tasks():
    """The scope changes no estimate of tasks already typed: it sizes the tasks the Team &
    tasks page proposes, which a person then adopts (the full scope: more work for a solo
    team)."""
    document = _example("bike_shop_service_forecast")
    small = propose_tasks(Scenario.model_validate(document))
    document["project"]["scope"] = "full"
    full = propose_tasks(Scenario.model_validate(document))
    assert sum(task.most_likely for task in full) > 1.5 * sum(task.most_likely for task in small)


def test_the_trials_and_seed_set_the_run():
    """Without explicit trials and seed the run takes the scenario's; another seed draws other
    numbers and more trials are more simulated projects."""
    scenario = Scenario.model_validate(_example("bike_shop_service_forecast"))
    document = scenario.model_dump(mode="json")
    document["simulation"].update(trials=5000, seed=3)
    first = run_estimate(Scenario.model_validate(document)).estimate
    document["simulation"]["seed"] = 4
    second = run_estimate(Scenario.model_validate(document)).estimate
    document["simulation"]["trials"] = 6000
    third = run_estimate(Scenario.model_validate(document)).estimate
    assert (first.trials, first.seed, second.seed, third.trials) == (5000, 3, 4, 6000)
    assert first.npv != second.npv and first.cost != second.cost


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "mlpm"
    monkeypatch.setenv(DATA_DIR_ENV, str(folder))
    monkeypatch.delenv(DATABASE_URL_ENV, raising=False)
    return folder


def test_the_reference_class_sets_the_estimator_bias(data_dir):
    """The name picks the class the caller resolves (a saved one here): its bias moves the
    effort, and an unknown name is refused by name."""
    save_reference_class(ReferenceClass(name="team-x", n_points=40, mu=0.3, sigma=0.5,
                                        shared_mu=0.4, shared_sigma=0.2, n_groups=6))
    document = _example("bike_shop_service_forecast")
    default = Scenario.model_validate(document)
    document["simulation"]["reference_class"] = "team-x"
    team = Scenario.model_validate(document)
    efforts = [run_estimate(scenario, trials=TRIALS, seed=SEED,
                            reference=reference_for(scenario)).estimate.effort_days.p50
               for scenario in (default, team)]
    assert efforts[1] > efforts[0]
    document["simulation"]["reference_class"] = "nobody-saved-this"
    with pytest.raises(UserError, match="nobody-saved-this"):
        reference_for(Scenario.model_validate(document))


def test_a_team_members_role_decides_which_tasks_its_rate_and_fte_apply_to():
    """Swapping the roles of two team members swaps their day rates and FTEs between tasks."""
    document = Scenario().model_dump(mode="json")
    document["tasks"] = [
        {"name": "Model", "phase": "experimentation", "role": "data_scientist",
         "optimistic": 10, "most_likely": 20, "pessimistic": 40},
        {"name": "Service", "phase": "production", "role": "ml_engineer",
         "optimistic": 2, "most_likely": 3, "pessimistic": 5}]
    document["team"] = [{"role": "data_scientist", "fte": 1, "day_rate": 500},
                        {"role": "ml_engineer", "fte": 2, "day_rate": 1000}]
    before = assess(_key(document))[0]
    document["team"][0]["role"], document["team"][1]["role"] = "ml_engineer", "data_scientist"
    after = assess(_key(Scenario.model_validate(document).model_dump(mode="json")))[0]
    assert after["cost"]["p50"] > before["cost"]["p50"]
    assert after["duration_weeks"]["p50"] < before["duration_weeks"]["p50"]


# ------------------------------------------------- fields that counted for nothing until wired

@pytest.mark.parametrize(("archetype", "phrase"), [
    ("improve_existing", "beats the process it improves"),
    ("augment_manual", "people in the loop take up the model's suggestions"),
    ("automate_manual", "cases it cannot settle reach a person"),
])
def test_the_archetype_names_what_the_mvp_must_prove(archetype, phrase):
    """FSDL's archetypes differ in what the MVP must show: beating the process it improves,
    being taken up by the people it helps, or handing the cases it cannot settle to a person."""
    gate = stage_gate(Scenario.model_validate({"project": {"archetype": archetype}}))
    assert phrase in gate
    others = {"improve_existing", "augment_manual", "automate_manual"} - {archetype}
    for other in others:
        assert phrase not in stage_gate(Scenario.model_validate(
            {"project": {"archetype": other}}))


def test_a_generative_route_needs_its_own_examples_labelled():
    """The examples a generative-AI route needs count towards the labels still to obtain when
    they are more than the labelled examples needed; without a route they do not."""
    data = {"labelled_available": 100, "labelled_needed": 300, "genai_samples_needed": 2000,
            "label_cost": 4}
    routed = Scenario.model_validate({"data": {**data, "genai_route": "fine_tuning"}})
    plain = Scenario.model_validate({"data": data})
    assert (routed.data.label_gap, plain.data.label_gap) == (1900, 200)
    fewer = Scenario.model_validate({"data": {**data, "genai_route": "prompting",
                                              "genai_samples_needed": 10}})
    assert fewer.data.label_gap == 200
    labelling = [run_estimate(scenario, trials=TRIALS, seed=SEED).simulation.part_means[
        "labelling"] for scenario in (routed, plain)]
    assert labelling == pytest.approx([1900 * 4, 200 * 4])


@pytest.mark.parametrize(("higher", "threshold", "baseline", "fires"), [
    (True, 0.7, 0.8, True), (True, 0.8, 0.8, True), (True, 0.85, 0.8, False),
    (False, 0.3, 0.2, True), (False, 0.1, 0.2, False),
])
def test_a_threshold_no_better_than_the_baseline_is_a_quality_reason(higher, threshold,
                                                                       baseline, fires):
    """Which way the metric points decides whether the threshold improves on the baseline."""
    scenario = Scenario.model_validate({"quality": {
        "higher_is_better": higher, "acceptability_threshold": threshold,
        "baseline_value": baseline}})
    reasons = run_estimate(scenario, trials=TRIALS, seed=SEED).estimate.feasibility[
        "quality"].reasons
    assert any("no better than the baseline" in reason for reason in reasons) == fires


def test_labels_that_cannot_be_obtained_are_not_paid_for():
    """The labelling cost counts only labels that can be bought: with no way to obtain the
    missing ones, their price is not spent (the gap is a blocker instead), and a label's cost
    then changes no cost at all."""
    data = {"labelled_available": 100, "labelled_needed": 300, "label_cost": 4}
    costs = {}
    for obtainable in (True, False):
        for price in (4, 9):
            scenario = Scenario.model_validate(
                {"data": {**data, "labels_obtainable": obtainable, "label_cost": price}})
            costs[obtainable, price] = run_estimate(
                scenario, trials=TRIALS, seed=SEED).simulation.part_means["labelling"]
    assert costs[True, 4] == pytest.approx(200 * 4)
    assert costs[True, 9] == pytest.approx(200 * 9)
    assert costs[False, 4] == costs[False, 9] == 0
