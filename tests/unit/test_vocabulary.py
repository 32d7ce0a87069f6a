"""Phases, roles and feasibility dimensions are each defined once, and everything else agrees.

The definitions live in ``mlpm_core/scenario/vocabulary.py``. These tests find, without a list
kept by hand, every place that could disagree with them:

* every table in a shipped TOML file (``data/`` and its templates) keyed by phase, role or
  dimension must have exactly one entry per member, and every value naming a phase, role or
  dimension must name a member: a missing or extra entry fails here, naming the file and the key,
  instead of failing a user at run time;
* every member has a label;
* no Python source outside the vocabulary spells out the members again (a tuple, list, set,
  ``Literal`` or dict keyed by them);
* no user-visible text states how many there are ("five dimensions", "mean of 5").
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

import pytest

from mlpm_core.scenario import vocabulary
from mlpm_core.scenario.labels import DIMENSION_LABELS
from mlpm_core.scenario.model import PHASE_LABELS, PHASES, ROLE_LABELS, ROLES


def _repo_root() -> Path:
    """The repository root: the nearest folder above this file that holds pyproject.toml."""
    here = Path(__file__).resolve()
    return next(folder for folder in here.parents if (folder / "pyproject.toml").is_file())


ROOT = _repo_root()
DATA = ROOT / "data"
VOCABULARY_FILE = ROOT / "mlpm_core" / "scenario" / "vocabulary.py"
# Where the code lives (tests are free to spell members out) and where users read text.
CODE = [ROOT / name for name in ("mlpm_core", "mlpm_ui", "mlpm_cli", "pages", "app.py", "bench",
                                 "scripts")]
USER_TEXT = [ROOT / name for name in ("mlpm_core", "mlpm_ui", "mlpm_cli", "pages", "app.py",
                                      "data", "README.md")]
NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                "ten", "eleven", "twelve")


@dataclass(frozen=True)
class Vocabulary:
    """One of the shared word lists, with the words that name it in keys and in prose."""

    word: str  # singular, as in a key name: "phase", "role", "dimension"
    members: tuple[str, ...]
    labels: dict[str, str]
    literal: Any
    other_key_names: frozenset[str] = frozenset()  # keys that hold members without the word
    prose: str = ""  # a regex of words that mark text as being about this vocabulary

    def names_it(self, key: str) -> bool:
        """Whether a key's name says that it holds or is keyed by members ("dimension_action")."""
        return key in self.other_key_names or any(
            token.removesuffix("s") == self.word for token in key.split("_"))


VOCABULARIES = (
    Vocabulary("phase", vocabulary.PHASES, vocabulary.PHASE_LABELS, vocabulary.Phase,
               frozenset({"applies_to"}), r"phases?"),
    Vocabulary("role", vocabulary.ROLES, vocabulary.ROLE_LABELS, vocabulary.Role,
               prose=r"roles?"),
    Vocabulary("dimension", vocabulary.DIMENSIONS, vocabulary.DIMENSION_LABELS,
               vocabulary.Dimension, prose=r"dimensions?|feasibility"),
)


def _ids(items: tuple[Vocabulary, ...]) -> list[str]:
    return [item.word for item in items]


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


# ------------------------------------------------------------------------------- definitions

@pytest.mark.parametrize("vocab", VOCABULARIES, ids=_ids(VOCABULARIES))
def test_members_are_the_literal_and_each_has_one_label(vocab):
    """The tuple is the Literal's members, none repeated; each has a distinct, non-empty label."""
    assert vocab.members == get_args(vocab.literal)
    assert len(set(vocab.members)) == len(vocab.members)
    missing = sorted(set(vocab.members) - set(vocab.labels))
    extra = sorted(set(vocab.labels) - set(vocab.members))
    assert not missing, f"{vocab.word} without a label: {missing}"
    assert not extra, f"labels for things that are not a {vocab.word}: {extra}"
    assert all(text.strip() for text in vocab.labels.values())
    assert len(set(vocab.labels.values())) == len(vocab.labels), "two members share a label"


def test_the_old_import_paths_give_the_same_objects():
    """Callers that import from the scenario model or the label module get the vocabulary itself."""
    assert PHASES is vocabulary.PHASES and PHASE_LABELS is vocabulary.PHASE_LABELS
    assert ROLES is vocabulary.ROLES and ROLE_LABELS is vocabulary.ROLE_LABELS
    assert DIMENSION_LABELS is vocabulary.DIMENSION_LABELS


# ------------------------------------------------------------------------------- data files

@dataclass(frozen=True)
class Finding:
    """A table keyed by members, or a value that names members, found in a data file."""

    vocab: Vocabulary
    where: str  # the key path inside the file, e.g. "dimension_action" or "penalty[3].dimension"
    kind: str  # "table" (keys must be exactly the members) or "value" (must be members)
    found: tuple[str, ...]


def _key_path(parent: str, key: str) -> str:
    return f"{parent}.{key}" if parent else key


def _strings(value: Any) -> tuple[str, ...] | None:
    """A string or a list of strings as a tuple; None for anything else."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    return None


def _is_keyed_table(vocab: Vocabulary, key: str, table: dict[str, Any]) -> bool:
    """Whether a table's keys are meant to be the members.

    Either most of its keys are members (at least two, and at least half), or its name says so
    ("dimension_action") and it is not a plain mapping of other keys to members
    ("check_dimension = {inference_cost = "cost"}").
    """
    overlap = set(table) & set(vocab.members)
    if len(overlap) >= 2 and 2 * len(overlap) >= len(table):
        return True
    if not vocab.names_it(key):
        return False
    return bool(overlap) or not all(isinstance(value, str) for value in table.values())


def find_vocabulary(document: Any, parent: str = "", key: str = "") -> Iterator[Finding]:
    """Every table keyed by members and every value naming members, anywhere in a document."""
    if isinstance(document, list):
        for index, item in enumerate(document):
            yield from find_vocabulary(item, f"{parent}[{index}]", key)
        return
    if not isinstance(document, dict):
        return
    for vocab in VOCABULARIES:
        if _is_keyed_table(vocab, key, document):
            yield Finding(vocab, parent, "table", tuple(document))
        elif vocab.names_it(key) and all(isinstance(value, str) for value in document.values()):
            yield Finding(vocab, parent, "value", tuple(document.values()))
    for name, value in document.items():
        where = _key_path(parent, name)
        names = _strings(value)
        if names is not None:
            for vocab in VOCABULARIES:
                if vocab.names_it(name):
                    yield Finding(vocab, where, "value", names)
        else:
            yield from find_vocabulary(value, where, name)


# Override tables: only the members that differ from a default are listed (a team size's own
# factor for a few roles), so a missing member is by design; an unknown key is still an error.
PARTIAL_TABLES = re.compile(r"^data/templates/scale\.toml: \[team\.[a-z_]+\.roles\]$")


def problems(path: Path, document: dict[str, Any]) -> list[str]:
    """What a data file gets wrong about the vocabularies, one line per file and key."""
    found = []
    for finding in find_vocabulary(document):
        vocab, where = finding.vocab, f"{_relative(path)}: [{finding.where}]"
        if finding.kind == "table":
            for member in vocab.members:
                if member not in finding.found and not PARTIAL_TABLES.match(where):
                    found.append(f"{where} has no entry for the {vocab.word} '{member}'")
            for key in finding.found:
                if key not in vocab.members:
                    found.append(f"{where} has an entry '{key}', which is not a {vocab.word} "
                                 f"(the {vocab.word}s are {', '.join(vocab.members)})")
        else:
            for name in finding.found:
                if name not in vocab.members:
                    found.append(f"{where} names '{name}', which is not a {vocab.word} "
                                 f"(the {vocab.word}s are {', '.join(vocab.members)})")
    return found


TOML_FILES = sorted(DATA.rglob("*.toml"))


def _load(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", TOML_FILES, ids=[_relative(path) for path in TOML_FILES])
def test_data_file_tables_have_exactly_the_members(path):
    """Per-phase, per-role and per-dimension tables and values in each shipped TOML file."""
    found = problems(path, _load(path))
    assert not found, "\n".join(found)


def test_the_data_file_scan_finds_what_it_must_check():
    """The scan is not vacuous: it sees the per-dimension tables and the phase and role values.

    If a data file is restructured so that these are no longer found, the scan must learn the
    new shape rather than silently check nothing.
    """
    findings = {(finding.vocab.word, finding.kind, _relative(path), finding.where.split("[")[0])
                for path in TOML_FILES for finding in find_vocabulary(_load(path))}
    kinds = {(word, kind) for word, kind, _, _ in findings}
    assert {("dimension", "table"), ("dimension", "value"), ("phase", "value"),
            ("role", "value")} <= kinds
    assert ("dimension", "table", "data/feasibility.toml", "ok_reason") in findings
    assert ("dimension", "table", "data/conditions.toml", "dimension_action") in findings
    assert ("phase", "value", "data/rules.toml", "rule") in findings


@pytest.mark.parametrize("text, expected", [
    # A per-dimension table that lacks one member and has one too many.
    ("[ok_reason]\ndata = 'a'\ndifficulty = 'b'\nquality = 'c'\ntechnical = 'd'\n"
     "security = 'e'\n",
     ["[ok_reason] has no entry for the dimension 'cost'",
      "[ok_reason] has an entry 'security', which is not a dimension"]),
    # A table named after dimensions, with tables as values, that has only one of them.
    ("[dimension_action.data]\naction = 'x'\n",
     [f"[dimension_action] has no entry for the dimension '{name}'"
      for name in vocabulary.DIMENSIONS if name != "data"]),
    # Values naming members: a scalar, a list and a mapping of other keys to members.
    ("[[block]]\ntasks = [{ phase = 'testing', role = 'ml_engineer' }]\n"
     "[[rule]]\napplies_to = ['planning', 'deployment']\n"
     "[check_dimension]\nlatency = 'speed'\n",
     ["[block[0].tasks[0].phase] names 'testing', which is not a phase",
      "[rule[0].applies_to] names 'deployment', which is not a phase",
      "[check_dimension] names 'speed', which is not a dimension"]),
])
def test_a_wrong_data_file_is_reported_by_file_and_key(text, expected):
    """Each mistake is one line naming the file and the key path inside it."""
    found = problems(DATA / "example.toml", tomllib.loads(text))
    assert len(found) == len(expected), found
    for line in expected:
        assert any(message.startswith(f"data/example.toml: {line}") for message in found), (
            line, found)


def test_a_table_keyed_by_other_things_is_left_alone():
    """Stage tables, check-to-dimension maps and scenario-like sections are not per-member."""
    document = {"stage": {"mvp": {"label": "MVP"}, "growth": {"label": "Growth"}},
                "check_dimension": {"inference_cost": "cost"},
                "levels": {"green": 70, "amber": 40},
                "scenario": {section: {} for section in ("project", "data", "difficulty",
                                                         "quality", "technical", "value",
                                                         "team", "tasks", "rules")}}
    assert problems(DATA / "example.toml", document) == []


# ------------------------------------------------------------------------------- source code

def _python_files(roots: list[Path]) -> list[Path]:
    files = []
    for root in roots:
        if root.is_file():
            files.append(root)
        elif root.is_dir():
            files += sorted(path for path in root.rglob("*.py") if "__pycache__" not in path.parts)
    return files


def _constant_strings(nodes: list[ast.expr | None]) -> list[str] | None:
    """The nodes' values when every node is a string constant; None otherwise."""
    strings = [node.value for node in nodes
               if isinstance(node, ast.Constant) and isinstance(node.value, str)]
    return strings if len(strings) == len(nodes) else None


def _spelled_out(node: ast.AST) -> list[str] | None:
    """The strings a collection, a Literal[...] or a dict's keys spell out, if all are strings."""
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return _constant_strings(list(node.elts))
    if isinstance(node, ast.Dict):
        return _constant_strings(list(node.keys))
    if isinstance(node, ast.Subscript):
        name = node.value.attr if isinstance(node.value, ast.Attribute) else getattr(
            node.value, "id", "")
        if name == "Literal":
            inner = node.slice
            return _constant_strings(list(inner.elts) if isinstance(inner, ast.Tuple)
                                     else [inner])
    return None


def retyped_members(source: str, where: str) -> list[str]:
    """Places in one source file that list two or more members of a vocabulary by hand."""
    found = set()  # a Literal's members are also a tuple node: one report per line
    for node in ast.walk(ast.parse(source)):
        strings = _spelled_out(node)
        if not strings or len(strings) < 2:
            continue
        for vocab in VOCABULARIES:
            if all(text in vocab.members for text in strings):
                found.add((node.lineno, f"{where}:{node.lineno}: lists {vocab.word}s by hand "
                           f"({', '.join(strings)}); derive them from "
                           f"mlpm_core.scenario.vocabulary"))
    return [line for _, line in sorted(found)]


def test_no_source_file_lists_the_members_again():
    """Outside the vocabulary, code derives its lists of phases, roles and dimensions."""
    found = [line for path in _python_files(CODE) if path != VOCABULARY_FILE
             for line in retyped_members(path.read_text(encoding="utf-8"), _relative(path))]
    assert not found, "\n".join(found)


def test_the_source_scan_would_see_a_retyped_list():
    """The scan catches a Literal, a tuple and a label dict that repeat members, and only those."""
    source = ('Kind = Literal["planning", "pipeline"]\n'
              'ORDER = ("data", "cost")\n'
              'NAMES = {"ml_pm": "PM", "devops": "Ops"}\n'
              'OTHER = ("data", "cost", "elsewhere")\n'
              'ONE = ("data",)\n')
    found = retyped_members(source, "example.py")
    assert [line.split(":")[1] for line in found] == ["1", "2", "3"]
    assert found[0].startswith("example.py:1: lists phases by hand (planning, pipeline)")


# ------------------------------------------------------------------------------- stated counts

def _count_patterns(vocab: Vocabulary) -> list[re.Pattern[str]]:
    """Text that states a count of the vocabulary's members.

    "five dimensions", "four lifecycle phases", "6 roles": any count before the word. And
    "of 5", "all five" in the same piece of text as a word about the vocabulary ("Feasibility
    score (mean of 5)"): the current count, which is what goes stale when a member is added.
    """
    numbers = "|".join(NUMBER_WORDS[2:]) + r"|\d+"
    size = len(vocab.members)
    current = rf"\b(?:of|all|the|these)\s+(?:{NUMBER_WORDS[size]}|{size})(?![\w.,%])"
    return [
        re.compile(rf"\b(?:{numbers})[\s-]+(?:(?:feasibility|lifecycle|project|team)[\s-]+)?"
                   rf"{vocab.word}s?\b", re.IGNORECASE),
        re.compile(rf"(?=.*{current})(?=.*\b(?:{vocab.prose})\b)", re.IGNORECASE | re.DOTALL),
    ]


def _texts(path: Path) -> Iterator[tuple[int, str]]:
    """The pieces of text in a file a reader sees, with their line numbers.

    Python: every string constant (docstrings, help, labels, messages; an f-string's literal
    parts) and every comment. Other files: each line.
    """
    text = path.read_text(encoding="utf-8")
    if path.suffix != ".py":
        yield from enumerate(text.splitlines(), start=1)
        return
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type == tokenize.COMMENT:
            yield token.start[0], token.string


def stated_counts(path: Path) -> list[str]:
    """Where a file states how many phases, roles or dimensions there are."""
    found = []
    for number, text in _texts(path):
        for vocab in VOCABULARIES:
            if any(pattern.search(text) for pattern in _count_patterns(vocab)):
                shown = " ".join(text.split())
                found.append(f"{_relative(path)}:{number}: states the number of {vocab.word}s: "
                             f"{shown[:120]!r}")
    return found


def _user_text_files() -> list[Path]:
    files = []
    for root in USER_TEXT:
        if root.is_file():
            files.append(root)
        elif root.is_dir():
            files += sorted(path for path in root.rglob("*")
                            if path.suffix in (".py", ".toml", ".md")
                            and "__pycache__" not in path.parts)
    return files


def test_no_text_states_how_many_members_there_are():
    """Text says "each dimension" or derives the count; it never writes "five dimensions"."""
    found = [line for path in _user_text_files() for line in stated_counts(path)]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("text, word", [
    ("the mean of the five dimension scores", "dimension"),
    ("Feasibility score (mean of 5)", "dimension"),
    ("tasks in all four lifecycle phases", "phase"),
    ("a team of 6 roles", "role"),
])
def test_a_stated_count_is_caught(text, word):
    """The patterns see the ways a count used to be written."""
    vocab = next(item for item in VOCABULARIES if item.word == word)
    assert any(pattern.search(text) for pattern in _count_patterns(vocab))


@pytest.mark.parametrize("text", [
    "Each feasibility dimension scores 0-100",
    "the mean of the dimension scores (data, difficulty, quality, technical, cost; 0-100)",
    "one task per phase, in phase order",
    "(80 means: 4 times out of 5 it fits)",
])
def test_text_without_a_count_passes(text):
    """Ordinary sentences about the vocabularies are not mistaken for stated counts."""
    assert not any(pattern.search(text) for vocab in VOCABULARIES
                   for pattern in _count_patterns(vocab))
