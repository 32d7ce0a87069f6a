"""Chart text: user labels cleaned of what breaks the drawer and cut between graphemes."""

from __future__ import annotations

import pytest

from mlpm_core.charts.text import (
    ELLIPSIS,
    REPLACEMENT,
    chart_label,
    clean,
    clean_values,
    currency_unit,
    cut,
    distinct_labels,
    graphemes,
)

FAMILY = "👨\u200d👩\u200d👧"  # one emoji sequence of five code points
FLAG = "🇫🇷"  # two regional indicators
THUMB = "👍🏽"  # an emoji with a skin tone
E_ACUTE = "e\u0301"  # e and a combining acute accent
HANGUL = "\u1100\u1161\u11a8"  # one syllable from conjoining jamo


def test_graphemes_keep_emoji_sequences_accents_flags_and_jamo_whole():
    """Each user-perceived character is one grapheme, however many code points it has."""
    text = f"a{FAMILY}{FLAG}{FLAG}{THUMB}{E_ACUTE}{HANGUL}z"
    assert list(graphemes(text)) == ["a", FAMILY, FLAG, FLAG, THUMB, E_ACUTE, HANGUL, "z"]


@pytest.mark.parametrize("unit", ["😀", FAMILY, FLAG, THUMB, E_ACUTE, "漢"])
def test_cut_never_splits_a_grapheme(unit):
    """A long run of non-BMP or combined characters is cut between them, with an ellipsis."""
    text = unit * 40
    for columns in range(3, 30):
        label = cut(text, columns)
        assert label.endswith(ELLIPSIS)
        body = label.removesuffix(ELLIPSIS)
        assert body == unit * (len(body) // len(unit)), columns
        assert body  # something of the text is kept


def test_cut_counts_wide_characters_as_two_columns():
    """CJK and emoji take two columns, so fewer of them fit than of Latin letters."""
    assert cut("漢" * 10, 9) == "漢" * 4 + ELLIPSIS
    assert cut("a" * 10, 9) == "a" * 8 + ELLIPSIS
    assert cut("short", 9) == "short"
    assert cut("exactly 9", 9) == "exactly 9"
    assert cut(FLAG * 10, 9) == FLAG * 4 + ELLIPSIS
    assert cut("\u2764\ufe0f" * 10, 9) == "\u2764\ufe0f" * 4 + ELLIPSIS


def test_cut_leaves_no_space_before_the_ellipsis():
    """The label is cut at a word's end without a dangling space."""
    assert cut("abc defghij", 5) == "abc" + ELLIPSIS


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x1b", "\x7f", "\x9b", "\ufffe", "\uffff",
                                  "\U0001fffe", "\ufdd0", "\ud800"])
def test_clean_replaces_controls_noncharacters_and_lone_surrogates(char):
    """Characters the chart drawer aborts on (or cannot encode) become U+FFFD."""
    assert clean(f"a{char}b") == f"a{REPLACEMENT}b"


@pytest.mark.parametrize("char", ["\t", "\n", "\r", "\u2028", "\u2029", "\x85"])
def test_clean_turns_line_breaks_and_separators_into_spaces(char):
    """Line and paragraph separators (which break Vega's expression parser) become spaces."""
    assert clean(f"a{char}b") == "a b"


def test_clean_keeps_ordinary_text_as_it_is():
    """Markup, quotes, accents, CJK and emoji are text, drawn as they are."""
    text = f"<b>\"O'Brien\"</b> & {E_ACUTE} 漢字 {FAMILY} \u00a0 \u200f"
    assert clean(text) == text


def test_chart_label_cleans_before_it_cuts():
    """An escape sequence in a long name is replaced, then the name is cut."""
    assert chart_label("\x1b[31m" + "x" * 60, 10) == REPLACEMENT + "[31mxxxx" + ELLIPSIS


def test_clean_values_cleans_every_string_in_a_spec_and_leaves_numbers():
    """The last guard walks dicts and lists; keys and numbers stay as they are."""
    spec = {"title": "ok", "data": {"values": [{"a": "x\x01", "b": 1.5}, ("\u2028", 2)]}}
    assert clean_values(spec) == {"title": "ok",
                                  "data": {"values": [{"a": f"x{REPLACEMENT}", "b": 1.5},
                                                      [" ", 2]]}}


@pytest.mark.parametrize(("code", "unit"), [("EUR", "EUR"), ("GBP", "GBP"), ("eur", "currency"),
                                            ("EURO", "currency"), ("E\u2028R", "currency"),
                                            ("<b>", "currency"), ("", "currency")])
def test_currency_reaches_a_title_only_as_three_capital_letters(code, unit):
    """Anything but an ISO-style code is replaced by the word 'currency'."""
    assert currency_unit(code) == unit


def test_names_that_cutting_makes_equal_are_numbered_to_stay_apart():
    """Two long names with one beginning stay two labels; names that differ early stay bare."""
    same_start = ["A long shared beginning, then one", "A long shared beginning, then two"]
    labels = distinct_labels(same_start, 20)
    assert labels[0].startswith("1. A long") and labels[1].startswith("2. A long")
    assert len(set(labels)) == 2
    assert distinct_labels(["Build", "Buy"], 20) == ["Build", "Buy"]
