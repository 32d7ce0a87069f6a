"""The naughty strings through every free-text field into every export (issue 17).

For each string and field: either the schema refuses the scenario in one readable line, or
JSON, Markdown, HTML, PDF and the task CSV all export, with the text escaped. Never a traceback,
an internal error or an abort. The fast tests take a fixed sample of 40 strings (every string
with a control character among them) and export them fourteen to a scenario, so each string
reaches every list-like field (tasks, custom rules, notes...) and a few single fields (project
name, currency...); the ``slow`` ones take the whole list, so every string reaches every field.
"""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import pytest

from mlpm_core.assessment import run_estimate
from mlpm_core.charts import report_chart_specs
from mlpm_core.errors import UserError
from mlpm_core.scenario import scenario_from_document
from tests.conftest import ROOT, naughty_strings
from tests.fuzz import checks
from tests.fuzz.export_runner import export_all, export_path
from tests.fuzz.naughty import (
    ID_FIELDS,
    LIST_FIELDS,
    SINGLE_FIELDS,
    TEXT_FIELDS,
    Document,
    export_document,
    free_text_paths,
    groups,
    placements,
    probe,
    sample,
)

ALLOWED_CONTROLS = "\t\n"
# An export of exotic text in the charts takes 3 to 8 seconds whatever the number of strings in
# it (font fallback in the chart renderer and the PDF): the fast test exports the sample in
# three scenarios. The slow tests put every string into every list-like field seven strings to
# a scenario, and into every single field (which need a scenario per string) with plain text
# everywhere else, which exports in about a second.
FAST_GROUP = 14
SLOW_GROUP = 7
SLOW_CHUNKS = 10
SHOWN_LIMIT = 12  # failures printed in full; the count says how many more


@cache
def probed(strings: tuple[str, ...]) -> tuple[dict[str, set[str]], dict[tuple[str, str], str]]:
    """Which strings each field accepts on its own, and the message of every refusal; any
    exception other than a UserError is recorded as the refusal's message, to fail later."""
    accepted: dict[str, set[str]] = {field: set() for field in TEXT_FIELDS}
    refused: dict[tuple[str, str], str] = {}
    for field in TEXT_FIELDS:
        for text in strings:
            try:
                scenario_from_document(probe(field, text))
            except UserError as error:
                refused[field, text] = str(error)
            except Exception as error:  # a bug: validation must only ever raise a UserError
                refused[field, text] = f"Traceback: {type(error).__name__}: {error}"
            else:
                accepted[field].add(text)
    return accepted, refused


def has_control(text: str) -> bool:
    """A control character the schema must refuse (every one but tab and newline)."""
    return any(unicodedata.category(char) == "Cc" and char not in ALLOWED_CONTROLS
               for char in text)


def report(failures: Sequence[str]) -> str:
    shown = "\n".join(failures[:SHOWN_LIMIT])
    more = len(failures) - SHOWN_LIMIT
    return f"{len(failures)} failure(s):\n{shown}" + (f"\n... and {more} more" if more > 0 else "")


def refusal_failures(strings: tuple[str, ...]) -> list[str]:
    """Every refusal whose message is not one readable line."""
    failures = []
    for (field, text), message in probed(strings)[1].items():
        try:
            checks.assert_one_readable_line(message, limit=checks.LINE_LIMIT)
        except AssertionError as error:
            failures.append(f"{field} = {text!r:.60}: {error}")
    return failures


def _shown(document: Document) -> dict[str, list[str]]:
    """The user text each format must show as text: the project name, the task names and
    the titles of custom rules that fire, where they carry no control character (which the
    Markdown writer may replace)."""
    names = [task["name"] for task in document["tasks"]]
    titles = [rule["title"] for rule in document["rules"].get("custom", [])
              if rule["when"] == "true"]
    texts = [document["project"]["name"], *names, *titles]
    readable = [text for text in texts if not has_control(text)]
    plain = [text for text in [document["project"]["name"], *names]
             if all(" " <= char <= "~" for char in text)]
    return {"md": readable, "html": readable, "pdf": plain}


def _check_exports(document: Document, folder: Path, index: int) -> None:
    shown = _shown(document)
    checks.finite_json(export_path(folder, index, "json").read_bytes())
    checks.check_markdown(export_path(folder, index, "md").read_text(encoding="utf-8"),
                          shown["md"])
    checks.check_html(export_path(folder, index, "html").read_text(encoding="utf-8"),
                      shown["html"])
    checks.check_pdf(export_path(folder, index, "pdf").read_bytes(), shown["pdf"])
    checks.check_csv(export_path(folder, index, "csv").read_bytes(),
                     [task["name"] for task in document["tasks"]])


def export_failures(strings: tuple[str, ...], group_size: int, folder: Path,
                    fields: Sequence[str] = TEXT_FIELDS) -> list[str]:
    """Every group of strings whose scenario did not export cleanly, with what went wrong;
    the strings go into ``fields`` only (wherever the schema accepts them)."""
    accepted = {field: texts if field in fields else set()
                for field, texts in probed(strings)[0].items()}
    batches = groups(strings, group_size)
    documents = [export_document(group, accepted) for group in batches]
    failures = []
    for outcome, document, group in zip(export_all(documents, folder), documents, batches,
                                        strict=True):
        carried = {field for field, _ in placements(group, accepted)}
        left_out = sorted(set(fields) - carried)
        where = (f"strings {[text[:40] for text in group]!r} in {len(carried)} fields"
                 + (f" (not in {', '.join(left_out)})" if left_out else ""))
        if outcome.status != "ok":
            lines = outcome.message.strip().splitlines() or [""]
            detail = lines[-1] if len(lines) == 1 else f"{lines[0][:60]} ... {lines[-1]}"
            step = f" in {outcome.where}" if outcome.where else ""
            failures.append(f"{outcome.status}{step}: {detail[:300]} -- {where}")
            continue
        try:
            _check_exports(document, folder, outcome.index)
        except AssertionError as error:
            failures.append(f"unsafe export: {str(error)[:300]} -- {where}")
    return failures


def test_every_free_text_field_is_fuzzed():
    """The fields the suite fills are exactly the schema's free-text fields and keys: a text
    field added to the scenario without a place in tests/fuzz/naughty.py fails here."""
    assert free_text_paths() == set(TEXT_FIELDS) - set(ID_FIELDS)
    assert set(SINGLE_FIELDS).isdisjoint(LIST_FIELDS)


def test_the_sample_covers_every_kind_of_naughty_string():
    """The fast sample holds 40 distinct strings: every one with a control character (the
    ones that aborted the server), line separators, right-to-left and non-BMP text, emoji,
    script and SQL injections, formulas and the empty string."""
    strings = sample()
    assert len(set(strings)) == len(strings) == 40
    assert set(strings) <= set(naughty_strings())
    assert {text for text in naughty_strings() if has_control(text)} <= set(strings)
    for wanted in ("\u2028", "\u2029", "\ufffe", "\u202e", "\U0001f468", "<script>",
                   "DROP TABLE", "=", "ثم"):
        assert any(wanted in text for text in strings), wanted
    assert "" in strings


def test_naughty_tasks_and_rules_reach_the_charts():
    """An export document puts every rule title on a bridge step, and up to seven task names
    (a slow test's group) all among the tornado's drivers, so the chart renderer really draws
    the naughty text (a fast scenario's fourteen strings reach the charts as rule titles)."""
    names = tuple(f"Task {letter}" for letter in "ABCDEFG")[:SLOW_GROUP]
    titles = tuple(f"Rule {letter}" for letter in "ABCDEFGHIJKLMN")[:FAST_GROUP]
    accepted = {"tasks.[].name": set(names), "rules.custom.[].title": set(titles)}
    document = export_document(names + titles, accepted)
    result = run_estimate(scenario_from_document(document), trials=5000)
    specs = {key: json.dumps(spec, ensure_ascii=False)
             for key, spec in report_chart_specs(result).items()}
    assert [name for name in names if name not in specs["tornado"]] == []
    assert [title for title in titles if title not in specs["bridge"]] == []


def test_a_refusal_of_a_sample_string_is_one_readable_line():
    """Whatever the schema refuses, in any field, it says in one readable line."""
    failures = refusal_failures(sample())
    assert not failures, report(failures)


def test_control_characters_are_refused_in_every_text_field():
    """A control character other than tab and newline (NUL, backspace, an ANSI escape, C1
    controls) is refused at the schema, in every free-text field, naming the field."""
    accepted, refused = probed(sample())
    failures = []
    for text in filter(has_control, sample()):
        for field in TEXT_FIELDS:
            if text in accepted[field]:
                failures.append(f"{field} accepts {text!r:.60}")
            elif not any(part in refused[field, text]
                         for part in field.replace("[]", "").split(".")[-2:] if part
                         and part not in ("*", "<key>")):
                failures.append(f"{field}: the refusal does not name the field: "
                                f"{refused[field, text][:200]}")
    assert not failures, report(failures)


def test_the_sample_exports_to_every_format_with_its_text_escaped(tmp_path, data_dir):
    """Every sample string the schema accepts goes into the fields that accept it, fourteen
    strings to a scenario, and every format exports with the text escaped."""
    failures = export_failures(sample(), FAST_GROUP, tmp_path)
    assert not failures, report(failures)


@pytest.mark.slow
def test_a_refusal_of_any_naughty_string_is_one_readable_line():
    """The whole list, in every field: every refusal is one readable line."""
    failures = refusal_failures(naughty_strings())
    assert not failures, report(failures)


@pytest.mark.slow
@pytest.mark.parametrize("chunk", range(SLOW_CHUNKS))
def test_every_naughty_string_exports_from_every_list_field(chunk, tmp_path, data_dir):
    """A tenth of the whole list per test, seven strings to a scenario, each as a task name,
    a custom rule's title, warning, source and condition, a note, a note key, an override key
    and a disabled rule id wherever the schema accepts it: every format exports with the text
    escaped."""
    failures = export_failures(naughty_strings()[chunk::SLOW_CHUNKS], SLOW_GROUP, tmp_path,
                               LIST_FIELDS)
    assert not failures, report(failures)


@pytest.mark.slow
@pytest.mark.parametrize("chunk", range(SLOW_CHUNKS))
def test_every_naughty_string_exports_from_every_single_field(chunk, tmp_path, data_dir):
    """A tenth of the whole list per test, one string per scenario in the project name, owner,
    problem statement, business metric and target, currency and quality metric wherever the
    schema accepts it: every format exports with the text escaped."""
    failures = export_failures(naughty_strings()[chunk::SLOW_CHUNKS], 1, tmp_path,
                               SINGLE_FIELDS)
    assert not failures, report(failures)


@pytest.mark.parametrize(("fmt", "field", "text"), [
    ("pdf", "tasks.[].name", "Task \u0001 with a control character"),
    ("html", "rules.custom.[].title", "Roses are \x1b[0;31mred\x1b[0m")])
def test_the_command_line_never_aborts_on_a_naughty_label(tmp_path, data_dir, fmt, field,
                                                          text):
    """The reproduction of the server abort, as a shell runs it: ``mlpm estimate --format
    pdf`` (or html) on a scenario with a control character in a task name or a rule title
    exits 0 with a valid report, or 2 with one readable line; never 134 with a backtrace."""
    path, output = tmp_path / "scenario.json", tmp_path / f"report.{fmt}"
    path.write_text(json.dumps(probe(field, text)), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "mlpm_cli", "estimate", str(path), "--trials",
                           "5000", "--format", fmt, "-o", str(output)], capture_output=True,
                          text=True, cwd=ROOT, timeout=300, check=False)
    assert done.returncode in (0, 2), f"exit {done.returncode}: {done.stderr[-600:]}"
    if done.returncode == 2:
        checks.assert_one_readable_line(done.stderr)
    elif fmt == "pdf":
        checks.check_pdf(output.read_bytes())
    else:
        checks.check_html(output.read_text(encoding="utf-8"))
