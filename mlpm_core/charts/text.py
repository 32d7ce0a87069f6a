"""User text made safe to draw in a chart: cleaned, cut on grapheme boundaries, never code.

Three ways user text broke chart drawing, and what this module does about each:

- A control character (U+0001, an ANSI escape, U+FFFE) makes vl-convert abort its whole
  process while it lays out the label. `clean` replaces every character that XML 1.0 cannot
  hold (C0 controls, lone surrogates, U+FFFE/U+FFFF) and the other controls, noncharacters and
  line/paragraph separators (U+2028/U+2029, which break Vega's expression parser) with a space
  or U+FFFD.
- Vega cuts a label that is too wide by UTF-16 code units, so it can split an emoji into a lone
  surrogate that the drawing step cannot encode. User labels are therefore cut here, by
  `cut`, on grapheme boundaries (an emoji sequence, a letter with its accents, a flag stays
  whole), and the specs switch Vega's own pixel limits off for them.
- An explicit sort order (a list of labels) is compiled by Vega-Lite into an expression; the
  specs sort by a number in the data instead, so user text only ever travels as a data value.

Currency codes are the one piece of user input in chart titles; `currency_unit` lets through
only three capital letters (ISO 4217 style) and drops anything else.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from typing import Any

ELLIPSIS = "…"
REPLACEMENT = "\ufffd"
_SPACES = frozenset("\t\n\r\x0b\x0c\x85\u2028\u2029")
_ZWJ = "\u200d"
_CURRENCY = re.compile(r"[A-Z]{3}")


def _is_noncharacter(code: int) -> bool:
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def _safe_char(char: str) -> str:
    """The character, a space for a line break or tab, or U+FFFD for a character that must not
    reach the chart drawer."""
    if char in _SPACES:
        return " "
    code = ord(char)
    if code < 0x20 or 0x7F <= code < 0xA0 or 0xD800 <= code < 0xE000 or _is_noncharacter(code):
        return REPLACEMENT
    return char


def clean(text: str) -> str:
    """``text`` with controls, separators, lone surrogates and noncharacters replaced."""
    if text.isprintable():  # the common case: nothing to replace (printable excludes them all)
        return text
    return "".join(_safe_char(char) for char in text)


def _joins_previous(char: str, previous: str, regional_run: int) -> bool:
    """Whether ``char`` continues the grapheme that ``previous`` is in (a simplified form of
    Unicode's extended grapheme cluster rules: marks, joiners, emoji modifiers and tags, flag
    pairs and conjoining Hangul jamo)."""
    code = ord(char)
    if unicodedata.category(char) in ("Mn", "Me", "Mc") or char == _ZWJ or previous == _ZWJ:
        return True
    if 0x1F3FB <= code <= 0x1F3FF or 0xE0020 <= code <= 0xE007F:  # skin tones, emoji tags
        return True
    if 0x1F1E6 <= code <= 0x1F1FF:  # the second regional indicator of a flag
        return regional_run % 2 == 1
    return 0x1160 <= code <= 0x11FF or 0xD7B0 <= code <= 0xD7FB  # vowel and final jamo


def graphemes(text: str) -> Iterator[str]:
    """The user-perceived characters of ``text``, one string each."""
    cluster, previous, regional_run = "", "", 0
    for char in text:
        if cluster and _joins_previous(char, previous, regional_run):
            cluster += char
        else:
            if cluster:
                yield cluster
            cluster = char
        regional_run = regional_run + 1 if 0x1F1E6 <= ord(char) <= 0x1F1FF else 0
        previous = char
    if cluster:
        yield cluster


def width(grapheme: str) -> int:
    """Columns a grapheme takes: 2 for wide ones (CJK, emoji, flags, emoji-style symbols)."""
    wide = (unicodedata.east_asian_width(grapheme[0]) in ("W", "F")
            or 0x1F1E6 <= ord(grapheme[0]) <= 0x1F1FF or "\ufe0f" in grapheme)
    return 2 if wide else 1


def cut(text: str, columns: int) -> str:
    """``text`` cut to at most ``columns`` columns, on a grapheme boundary, with an ellipsis
    when anything was left out."""
    kept: list[str] = []
    used = 0
    for grapheme in graphemes(text):
        used += width(grapheme)
        if used > columns:
            return "".join(kept[:_fit(kept, columns - 1)]).rstrip() + ELLIPSIS
        kept.append(grapheme)
    return text


def _fit(kept: list[str], columns: int) -> int:
    """How many of the leading graphemes fit in ``columns`` columns."""
    used = 0
    for count, grapheme in enumerate(kept):
        used += width(grapheme)
        if used > columns:
            return count
    return len(kept)


def chart_label(text: str, columns: int) -> str:
    """User text as a chart label: cleaned, then cut to ``columns`` columns."""
    return cut(clean(text), columns)


def distinct_labels(texts: Sequence[str], columns: int) -> list[str]:
    """Chart labels for ``texts``, numbered ("1. ...") when cutting made two of them equal
    (distinct names must stay distinct bands or colours in a chart)."""
    labels = [chart_label(text, columns) for text in texts]
    if len(set(labels)) == len(set(texts)):
        return labels
    return [f"{number}. {chart_label(text, columns - 4)}"
            for number, text in enumerate(texts, start=1)]


def currency_unit(code: str) -> str:
    """A currency code fit for a chart title (three capital letters), or ``"currency"``."""
    return code if _CURRENCY.fullmatch(code) else "currency"


def clean_values(value: Any) -> Any:
    """``value`` (a spec: dicts, lists, strings, numbers) with every string `clean`: a last
    guard before a spec goes to the chart drawer, whatever path the text took into it."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {key: clean_values(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [clean_values(item) for item in value]
    return value
