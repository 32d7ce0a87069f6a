"""Scenario documents as a user writes them (JSON-ready dicts), valid and hostile.

What ``mlpm validate`` and ``mlpm estimate`` must refuse in one readable line or estimate with
finite numbers. Built on the shared scenario strategies of ``tests/strategies.py``.
"""

from __future__ import annotations

import json
import re

from hypothesis import strategies as st

from tests.strategies import scenarios

VALID_CONDITIONS = ('data.size == "big"', "true", "difficulty.research_share > 0.2",
                    'data.cleanliness in ["dirty", "unknown"]', "not data.versioning",
                    "data.labelled_needed > 1000 and data.personal_data")
# Conditions that parse but can never be evaluated (issue 17): an unknown field, a division by
# a constant zero, text compared with a number, a result that is not true or false.
BROKEN_CONDITIONS = ("data.no_such_field == 1", "data.sizes == \"big\"",
                     "difficulty.research_share / 0 > 1", "data.size < 3",
                     "difficulty.models_count + 1", "data.cleanliness", "1", "\"yes\"",
                     "data.labelled_needed - data.labelled_needed / 0 > 0")
NON_NUMBERS = ("20000", "1e3", "nan", "inf", "", " 5", "0x10", "1_000")
NON_BOOLEANS = ("off", "on", "true", "false", "yes", "no", "0", "1", "")
HUGE_NUMBERS = (1e308, -1e308, 1e300, -1e300, 10**30, -(10**30), 1e-320, -1.0, 0, 2**63)
NON_FINITE = ("NaN", "Infinity", "-Infinity", "1e999", "-1e999")
_NUMBER_MARK = "__fuzz_number__:"


def custom_rule(rule_id: str, when: str = "true", multiplier: list[float] | None = None,
                **fields: object) -> dict:
    """A custom rule document (a user's own rule of thumb)."""
    return {"id": rule_id, "title": f"Rule {rule_id}", "when": when,
            "multiplier": multiplier or [1.2, 1.5], **fields}


@st.composite
def scenario_documents(draw: st.DrawFn, max_tasks: int = 6) -> dict:
    """A valid scenario document: random tasks and answers, some budget, deadline and custom
    rules with conditions that hold or not."""
    document = draw(scenarios(max_tasks=max_tasks)).model_dump(mode="json")
    document["project"]["budget"] = draw(st.none() | st.floats(1e3, 1e7))
    document["project"]["deadline_weeks"] = draw(st.none() | st.floats(1, 200))
    rules = draw(st.lists(st.sampled_from(VALID_CONDITIONS), max_size=3))
    document["rules"]["custom"] = [custom_rule(f"fuzz_{index}", when)
                                   for index, when in enumerate(rules)]
    return document


def leaves(document: object, path: tuple = ()) -> list[tuple[tuple, object]]:
    """Every scalar of a document with its path (keys and list indices)."""
    if isinstance(document, dict):
        return [leaf for key, value in document.items() for leaf in leaves(value, (*path, key))]
    if isinstance(document, list):
        return [leaf for index, value in enumerate(document)
                for leaf in leaves(value, (*path, index))]
    return [(path, document)]


def replaced(document: dict, path: tuple, value: object) -> dict:
    """A deep copy of ``document`` with the value at ``path`` replaced."""
    copied = json.loads(json.dumps(document))
    target = copied
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return copied


def document_text(document: object) -> str:
    """The document as JSON text, with marked strings written as bare number tokens
    (``NaN``, ``1e999``): what a hand-edited or foreign file may hold."""
    text = json.dumps(document, ensure_ascii=False)
    return re.sub(rf'"{_NUMBER_MARK}([^"]*)"', r"\1", text)


def _kind(value: object) -> str | None:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return None


@st.composite
def mistyped_documents(draw: st.DrawFn) -> tuple[dict, str, str]:
    """(document, field, what): a valid document with one value a strict schema refuses: a
    boolean or text for a number, text for a boolean, a list or an object for a scalar, an
    unknown key (``field`` is the dotted path), or a non-finite number token (``field`` is
    empty: the JSON reader refuses it before any field is known)."""
    document = draw(scenario_documents())
    # Hypothesis favours the first choice: the common case goes first.
    mistake = draw(st.sampled_from(["wrong type", "wrong type", "non-finite", "unknown key"]))
    if mistake == "unknown key":
        sections = sorted(key for key, value in document.items() if isinstance(value, dict))
        section = draw(st.sampled_from(sections))
        return replaced(document, (section, "fuzz_unknown_key"), 1), section, "an unknown key"
    typed = [(path, _kind(value)) for path, value in leaves(document) if _kind(value)]
    path, kind = draw(st.sampled_from(typed))
    field = ".".join(str(part) for part in path)
    if kind == "number" and mistake == "non-finite":
        token = draw(st.sampled_from(NON_FINITE))
        return replaced(document, path, f"{_NUMBER_MARK}{token}"), "", f"{token} for a number"
    wrong = (st.booleans() | st.sampled_from(NON_NUMBERS) if kind == "number"
             else st.sampled_from(NON_BOOLEANS))
    value = draw(wrong | st.sampled_from([[], {}, [1, 2, 3]]))
    return replaced(document, path, value), field, f"{value!r} for a {kind}"


@st.composite
def broken_condition_documents(draw: st.DrawFn) -> tuple[dict, str]:
    """(document, rule id): a valid document plus one custom rule whose condition parses but
    cannot be evaluated."""
    document = draw(scenario_documents())
    rule_id = f"broken_{draw(st.integers(0, 999))}"
    document["rules"]["custom"].append(
        custom_rule(rule_id, draw(st.sampled_from(BROKEN_CONDITIONS))))
    return document, rule_id


SHIPPED_RULES = ("small_solo_job", "over_20_days", "complex_data", "big_data",
                 "complex_platform")


@st.composite
def huge_rules(draw: st.DrawFn, max_rules: int) -> dict:
    """Rules that multiply and multiply: up to ``max_rules`` custom rules that always fire with
    multipliers up to the schema's 100, and overrides of shipped rules with huge ranges."""
    count = draw(st.sampled_from([1, max_rules // 2, max_rules]) | st.integers(1, max_rules))
    low = draw(st.sampled_from([1.5, 10.0, 99.0]) | st.floats(1.0, 100.0))
    custom = [custom_rule(f"huge_{index}", "true", [low, draw(st.floats(low, 100.0))],
                          probability=1.0) for index in range(count)]
    overrides = {rule: {"multiplier": [value, value * draw(st.sampled_from([1, 10]))]}
                 for rule in draw(st.lists(st.sampled_from(SHIPPED_RULES), unique=True))
                 for value in [draw(st.sampled_from([1e3, 1e8, 1e14]))]}
    return {"custom": custom, "overrides": overrides}


@st.composite
def hostile_documents(draw: st.DrawFn, max_rules: int = 40) -> dict:
    """Anything: a valid document, mistyped, with out-of-range or huge numbers, many rules with
    huge multipliers, a broken condition, an unknown reference class, many tasks, or several
    of these at once."""
    document = draw(scenario_documents())
    for _ in range(draw(st.integers(1, 3))):
        choice = draw(st.integers(0, 5))
        if choice == 0:
            document = draw(mistyped_documents())[0]
        elif choice == 1:
            numbers = [path for path, value in leaves(document) if _kind(value) == "number"]
            document = replaced(document, draw(st.sampled_from(numbers)),
                                draw(st.sampled_from(HUGE_NUMBERS)))
        elif choice == 2:
            document["rules"].update(draw(huge_rules(max_rules)))
        elif choice == 3:
            document = draw(broken_condition_documents())[0]
        elif choice == 4:
            document["simulation"]["reference_class"] = draw(st.sampled_from(
                ["no_such_class", "default", "DEFAULT", "x" * 64]))
        else:
            document["tasks"] = document["tasks"] * draw(st.integers(1, 80))
    return document


@st.composite
def run_time_zero_documents(draw: st.DrawFn) -> tuple[dict, str, bool]:
    """(document, rule id, divides by zero): a custom rule that divides by a field that may be
    zero in this scenario, so its condition fails only when it is evaluated."""
    document = draw(scenario_documents())
    available = draw(st.sampled_from([0, 0, 10, 5000]))
    document["data"]["labelled_available"] = available
    rule_id = "per_label"
    document["rules"]["custom"].append(custom_rule(
        rule_id, "data.labelled_needed / data.labelled_available > 2"))
    return document, rule_id, available == 0
