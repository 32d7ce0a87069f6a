"""Free-text fields refuse the characters that break charts, terminals and databases.

Control characters other than tab (and newline in multi-line text), U+2028/U+2029, lone
surrogates and noncharacters are refused at the schema with one message naming the field; every
other character, in any script, is accepted as typed.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlpm_cli.main import main
from mlpm_core.errors import UserError
from mlpm_core.scenario import checked_text, unsafe_character
from mlpm_core.scenario.document import scenario_from_document
from tests.conftest import EXAMPLES, naughty_strings
from tests.strategies import safe_lines

REFUSED = {
    "\x00": "a control character (U+0000)",
    "\x01": "a control character (U+0001)",
    "\x1b[31m": "a control character (U+001B)",
    "\r": "a control character (U+000D)",
    "\x7f": "a control character (U+007F)",
    "\x85": "a control character (U+0085)",
    "\u2028": "a line or paragraph separator (U+2028)",
    "\u2029": "a line or paragraph separator (U+2029)",
    "\ud800": "a lone surrogate (U+D800)",
    "\ufffe": "a Unicode noncharacter (U+FFFE)",
    "\uffff": "a Unicode noncharacter (U+FFFF)",
    "\U0001fffe": "a Unicode noncharacter (U+1FFFE)",
    "\ufdd0": "a Unicode noncharacter (U+FDD0)",
}

# Where each kind of free text lives in a scenario document: (path for the message, setter).
SINGLE_LINE = {
    "project.name": lambda d, v: d["project"].__setitem__("name", v),
    "project.currency": lambda d, v: d["project"].__setitem__("currency", v[:8]),
    "quality.metric": lambda d, v: d["quality"].__setitem__("metric", v),
    "tasks[1].name": lambda d, v: d["tasks"][0].__setitem__("name", v),
    "rules.custom[1].title": lambda d, v: d["rules"].__setitem__("custom", [
        {"id": "mine", "title": v, "when": "true", "multiplier": [1.1, 1.5]}]),
}
MULTI_LINE = {
    "project.problem_statement": lambda d, v: d["project"].__setitem__("problem_statement", v),
    "rules.notes.mine": lambda d, v: d["rules"].__setitem__("notes", {"mine": v}),
    "rules.custom[1].warning": lambda d, v: d["rules"].__setitem__("custom", [
        {"id": "mine", "title": "Mine", "when": "true", "multiplier": [1.1, 1.5],
         "warning": v}]),
}


def document_with(setter, value: str) -> dict:
    document = json.loads(EXAMPLES[0].read_text(encoding="utf-8"))
    setter(document, value)
    return document


@pytest.mark.parametrize("path", [*SINGLE_LINE, *MULTI_LINE])
@pytest.mark.parametrize("bad", list(REFUSED), ids=[f"U+{ord(c[0]):04X}" for c in REFUSED])
def test_every_free_text_field_refuses_the_character_naming_field_and_character(path, bad):
    """One readable line: the field's path, what the text must be, the character and where."""
    setter = {**SINGLE_LINE, **MULTI_LINE}[path]
    with pytest.raises(UserError) as caught:
        scenario_from_document(document_with(setter, f"ok{bad}"))
    message = str(caught.value)
    assert message.startswith(f"{path}: must be ")
    if bad == "\ud800":  # pydantic refuses it before the text check: not even a character
        assert "found a lone surrogate (half of a character)" in message
    else:
        assert f"found {REFUSED[bad]} at character 3" in message
    assert "\n" not in message and bad not in message


@pytest.mark.parametrize("path", list(SINGLE_LINE))
def test_single_line_fields_refuse_a_line_break(path):
    with pytest.raises(UserError) as caught:
        scenario_from_document(document_with(SINGLE_LINE[path], "One\nTwo"))
    assert str(caught.value).startswith(f"{path}: must be one line of text without control "
                                        "characters; found a line break at character 4")


@pytest.mark.parametrize("path", list(MULTI_LINE))
def test_multi_line_fields_keep_line_breaks_and_tabs(path):
    text = "First line\n\tsecond line, indented"
    scenario = scenario_from_document(document_with(MULTI_LINE[path], text))
    assert text in scenario.model_dump_json() or json.dumps(text)[1:-1] in \
        scenario.model_dump_json()


@pytest.mark.parametrize("text", ["Tab\tseparated", "Überprüfung der Daten", "数据清洗",
                                  "데이터 정리", "データ整理", "تنظيف البيانات", "🚀 launch 𝔘",
                                  "zero\u200bwidth"])
def test_any_script_emoji_and_tabs_are_accepted_as_typed(text):
    """Refusing is for characters nobody types; every language stays writable."""
    scenario = scenario_from_document(document_with(SINGLE_LINE["tasks[1].name"], text))
    assert scenario.tasks[0].name == text


def test_a_rule_id_in_the_notes_must_be_a_rule_id():
    """Keys of notes, overrides and disabled name rules, so they follow the rule-id pattern."""
    document = document_with(MULTI_LINE["rules.notes.mine"], "why")
    document["rules"]["notes"] = {"bad\x00id": "why"}
    with pytest.raises(UserError, match=r"^rules\.notes\.bad\\x00id"):
        scenario_from_document(document)


def test_naughty_strings_are_either_accepted_as_typed_or_refused_in_one_line():
    """All 515 naughty strings as a task name: loaded unchanged, or refused naming the field,
    exactly when the text has a character the rule refuses."""
    accepted = refused = 0
    for text in naughty_strings():
        name = text[:200] or "empty"
        try:
            scenario = scenario_from_document(document_with(SINGLE_LINE["tasks[1].name"], name))
        except UserError as error:
            refused += 1
            assert unsafe_character(name) is not None, name
            assert str(error).startswith("tasks[1].name: must be one line")
        else:
            accepted += 1
            assert unsafe_character(name) is None and scenario.tasks[0].name == name
    assert accepted > 400 and refused >= 5  # the issue found 5 with control characters


@given(safe_lines(min_size=1))
def test_text_from_the_shared_strategy_is_always_accepted(text):
    assert checked_text(text, "name") == text


@given(st.text(min_size=1, max_size=20), st.sampled_from(list(REFUSED)))
def test_checked_text_refuses_any_text_holding_a_refused_character(text, bad):
    with pytest.raises(UserError, match=r"^The note must be one line of text without control"):
        checked_text(text + bad, "note")


def test_checked_text_refuses_what_is_not_text():
    with pytest.raises(UserError, match=r"^The note must be text\.$"):
        checked_text(b"bytes", "note")


@pytest.mark.parametrize("command", [["validate"], ["estimate", "--format", "pdf", "-o", "x.pdf"]])
def test_the_command_line_refuses_a_control_character_in_one_line(tmp_path, capsys, command):
    """The reproduction: a control character in a task name made the PDF export abort (exit
    134); now the file is refused on loading, exit 2, naming the field."""
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(document_with(SINGLE_LINE["tasks[1].name"], "Clean\x01data")),
                    encoding="utf-8")
    options = [str(tmp_path / part) if part.endswith(".pdf") else part for part in command[1:]]
    assert main([command[0], str(path), *options]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "tasks[1].name: must be one line of text without control characters; found a " \
        "control character (U+0001) at character 6" in err
