"""Where the naughty strings go: every free-text field of a scenario, and the scenario documents
that carry them into the exports.

A field is named by its path in the scenario's JSON Schema (``tasks.[].name``,
``rules.notes.*``); ``<key>`` stands for the keys of a dict (notes and overrides are keyed by
rule id, which a person types too).
:func:`free_text_paths` reads those paths from the schema, so a text field added later without
a place here fails ``test_every_free_text_field_is_fuzzed``.

Two kinds of documents are built. A *probe* puts one string into one field of a small valid
scenario: it tells whether the schema accepts the string there. An *export document* carries a
group of accepted strings into every field at once, so one estimate and one export of each
format cover many (string, field) pairs: every string of the group goes into every list-like
field (a task, a custom rule, a note each), and the single fields (project name, currency...)
take the group's strings in turn. Each custom rule is its own group, so every title is a step
of the bridge chart; tasks get wide equal ranges and day rates are certain, so the tasks are the
tornado chart's largest drivers (it shows eight). User text reaches the chart renderer, where
the server used to abort.
"""

from __future__ import annotations

import copy
import json
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from functools import cache
from typing import Any

from mlpm_core.scenario import Scenario
from tests.conftest import EXAMPLES_DIR, naughty_strings

Document = dict[str, Any]
BASE_EXAMPLE = EXAMPLES_DIR / "bike_shop_service_forecast.json"
NOTES_KEY = "rules.notes.<key>"
OVERRIDES_KEY = "rules.overrides.<key>"
COST_LINE_NAME = "costs.custom_lines.[].name"
SINGLE_FIELDS = ("project.name", "project.owner", "project.problem_statement",
                 "project.business_metric", "project.business_target", "project.currency",
                 "quality.metric")
LIST_FIELDS = ("tasks.[].name", "rules.custom.[].title", "rules.custom.[].warning",
               "rules.custom.[].source.id", "rules.custom.[].source.quote",
               "rules.custom.[].when", "rules.disabled.[]", "rules.notes.*", NOTES_KEY,
               OVERRIDES_KEY, COST_LINE_NAME)
TEXT_FIELDS = SINGLE_FIELDS + LIST_FIELDS
ID_FIELDS = ("rules.disabled.[]", NOTES_KEY, OVERRIDES_KEY)
"""Rule ids a person types too: the schema checks them against a pattern, the suite still
sends every string there and expects a readable refusal."""
SAMPLE_SIZE = 40


def free_text_paths() -> set[str]:
    """Every string field of the scenario schema that is not an enum or a pattern-checked
    identifier, plus the free-text dict keys: what a person can type anything into."""
    schema = Scenario.model_json_schema()
    definitions = schema.get("$defs", {})
    found: set[str] = set()

    def walk(node: dict[str, Any], path: tuple[str, ...]) -> None:
        if "$ref" in node:
            walk(definitions[node["$ref"].rsplit("/", 1)[-1]], path)
            return
        for key in ("anyOf", "allOf", "oneOf"):
            for option in node.get(key, []):
                walk(option, path)
        kind = node.get("type")
        if kind == "object":
            for name, child in node.get("properties", {}).items():
                walk(child, (*path, name))
            extra = node.get("additionalProperties")
            if isinstance(extra, dict):  # a dict: its keys are typed text too
                found.add(".".join((*path, "<key>")))
                walk(extra, (*path, "*"))
            for value in node.get("patternProperties", {}).values():  # keys are checked ids
                walk(value, (*path, "*"))
        elif kind == "array":
            walk(node.get("items", {}), (*path, "[]"))
        elif kind == "string" and not {"pattern", "enum", "const"} & set(node):
            found.add(".".join(path))

    walk(schema, ())
    return found


def _categories() -> list[Callable[[str], bool]]:
    """What the fast sample must cover, each with a few strings (see :func:`sample`)."""
    def has(predicate: Callable[[str], bool]) -> Callable[[str], bool]:
        return lambda text: any(predicate(char) for char in text)

    return [
        has(lambda c: unicodedata.category(c) == "Cc" and c not in "\t\n"),  # controls, ANSI
        has(lambda c: c in "\u2028\u2029\u0085"),                             # line separators
        has(lambda c: unicodedata.category(c) in ("Cn", "Cf")),               # \ufffe, BOM, ZW
        has(lambda c: unicodedata.bidirectional(c) in ("R", "AL", "RLO", "RLE")),  # RTL
        has(lambda c: ord(c) > 0xFFFF),                                       # non-BMP, emoji
        has(lambda c: unicodedata.category(c) == "Mn"),                       # combining marks
        lambda text: "<script" in text.lower() or "javascript:" in text.lower(),
        lambda text: "drop table" in text.lower() or "1=1" in text or "' or" in text.lower(),
        lambda text: text[:1] in ("=", "+", "-", "@"),                        # formulas
        lambda text: "%s" in text or "{0}" in text or "%d" in text,           # format strings
        lambda text: not text.strip(),                                        # empty, blank
        lambda text: len(text) > 200,                                         # over a limit
    ]


@cache
def sample(size: int = SAMPLE_SIZE) -> tuple[str, ...]:
    """A fixed sample of the list for the fast variant: every string with a control character
    (the ones that aborted the server), then the first strings of each category above in turn,
    then evenly spaced strings of the whole list, without repeats."""
    strings = naughty_strings()
    chosen: dict[str, None] = {}
    categories = _categories()
    chosen.update((text, None) for text in strings if categories[0](text))
    for rank in range(size):
        for category in categories[1:]:
            matches = [text for text in strings if category(text) and text not in chosen]
            if matches and rank < 3 and len(chosen) < size:
                chosen[matches[0]] = None
    step = max(len(strings) // size, 1)
    for text in strings[::step]:
        if len(chosen) >= size:
            break
        chosen.setdefault(text, None)
    return tuple(chosen)


@cache
def base_document() -> Document:
    """The bike-shop example without its tasks and rules, with certain day rates and costs,
    no estimator bias and the 'over 20 days' rule off (seven tasks are 70 days, where its
    35% chance of x1.2-2.0 tops the drivers), so that the naughty tasks are what drives the
    cost spread (and so reach the tornado chart)."""
    document: Document = json.loads(BASE_EXAMPLE.read_text(encoding="utf-8"))
    document["team"] = [{"role": "data_scientist", "fte": 1, "day_rate": 500}]
    document["tasks"] = [plain_task("Plain task")]
    document["costs"] = {"training_gpu_hours": 0, "experiments": 0}
    document["rules"] = {"mode": "ranged", "disabled": ["over_20_days"]}
    document["simulation"]["correlation"] = False  # no estimator-bias driver in the tornado
    return document


def plain_task(name: str) -> Document:
    """A task with a wide range, so it is one of the largest drivers of the spread."""
    return {"name": name, "phase": "experimentation", "role": "data_scientist",
            "optimistic": 2, "most_likely": 10, "pessimistic": 40}


def plain_rule(rule_id: str) -> Document:
    """A custom rule that always fires, with a certain multiplier (not a tornado driver)."""
    return {"id": rule_id, "title": f"Rule {rule_id}", "when": "true", "multiplier": 1.1,
            "source": {"id": "user", "quote": "Added by the fuzz suite."},
            "warning": f"Warning of {rule_id}"}


RULE_FIELDS = {"rules.custom.[].title": ("title",), "rules.custom.[].warning": ("warning",),
               "rules.custom.[].source.id": ("source", "id"),
               "rules.custom.[].source.quote": ("source", "quote"),
               "rules.custom.[].when": ("when",)}


def _rule(index: int, text: str, fields: set[str]) -> Document:
    """The custom rule that carries the group's ``index``-th string in ``fields``."""
    rule = plain_rule(f"fuzz_{index}")
    for field in fields & set(RULE_FIELDS):
        *owner, key = RULE_FIELDS[field]
        (rule[owner[0]] if owner else rule)[key] = text
    return rule


def export_document(group: Sequence[str], accepted: dict[str, set[str]]) -> Document:
    """One scenario carrying the strings of ``group`` into every field that accepts them:
    ``accepted[field]`` holds the strings the schema took in that field on their own.

    Each string gets a task, a custom rule (title, warning, source, condition and note are
    one rule's) and a cost line, and is a disabled rule id, a note key and an override key;
    single fields take the group's strings in turn."""
    document = copy.deepcopy(base_document())
    rules = document["rules"]
    for position, field in enumerate(SINGLE_FIELDS):
        text = group[position % len(group)]
        if text in accepted.get(field, ()):
            section, name = field.split(".")
            document[section][name] = text
    texts = list(dict.fromkeys(group))
    tasks = [text for text in texts if text in accepted.get("tasks.[].name", ())]
    if tasks:
        document["tasks"] = [plain_task(text) for text in tasks]
    for index, text in enumerate(texts):
        fields = {field for field in LIST_FIELDS if text in accepted.get(field, ())}
        if fields & {*RULE_FIELDS, "rules.notes.*"}:
            rules.setdefault("custom", []).append(_rule(index, text, fields))
        if "rules.notes.*" in fields:
            rules.setdefault("notes", {})[f"fuzz_{index}"] = text
        if NOTES_KEY in fields:
            rules.setdefault("notes", {})[text] = "A note from the fuzz suite."
        if OVERRIDES_KEY in fields:
            rules.setdefault("overrides", {})[text] = {"probability": 0.5}
        if "rules.disabled.[]" in fields:
            rules.setdefault("disabled", []).append(text)
        if COST_LINE_NAME in fields:
            _add_cost_line(document, text)
    return document


def _add_cost_line(document: Document, name: str) -> None:
    """A one-off cost line named ``name``, unless a line of the same name (ignoring case and
    surrounding spaces, as the schema compares them) is there already."""
    lines = document["costs"].setdefault("custom_lines", [])
    if name.strip().casefold() not in {line["name"].strip().casefold() for line in lines}:
        lines.append({"name": name, "paid": "one_off", "amount": [100, 200]})


def probe(field: str, text: str) -> Document:
    """A small valid scenario with ``text`` in ``field`` and nowhere else."""
    return export_document([text], {field: {text}})


def placements(group: Sequence[str], accepted: dict[str, set[str]]) -> Iterator[tuple[str, str]]:
    """The (field, string) pairs :func:`export_document` places, for failure messages."""
    for position, field in enumerate(SINGLE_FIELDS):
        if group[position % len(group)] in accepted.get(field, ()):
            yield field, group[position % len(group)]
    for field in LIST_FIELDS:
        for text in dict.fromkeys(group):
            if text in accepted.get(field, ()):
                yield field, text


def groups(strings: Sequence[str], size: int) -> list[tuple[str, ...]]:
    """``strings`` in groups of ``size`` (the last one shorter)."""
    return [tuple(strings[start:start + size]) for start in range(0, len(strings), size)]
