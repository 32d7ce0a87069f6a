"""Free text a person types: which characters it may hold, checked once at the schema.

A task name or a rule title travels into charts, PDFs, terminals and SQL. Some characters break
one of them: a control character makes the chart renderer panic, U+2028 and U+2029 end a line
inside Vega's expressions and JavaScript, a lone surrogate cannot be encoded as UTF-8 at all,
PostgreSQL refuses NUL in text, and the noncharacters (U+FFFE, U+FFFF and their kin) are not
meant for interchange. None of them is ever meant in a name or a note, so they are refused where
the text enters, with a message naming the field and the character, instead of failing later
somewhere a person cannot see why.

Tab is allowed everywhere (pasted from a spreadsheet); a line break (``\\n``) only in multi-line
text (``SafeText``: notes, problem statements); single-line text (``SafeLine``: names, titles)
refuses it too. Everything else in Unicode is allowed, so every language can be written.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated, Any

from pydantic import AfterValidator

from mlpm_core.errors import UserError


def _is_noncharacter(code: int) -> bool:
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def _refused(char: str, multiline: bool) -> str | None:
    """What is wrong with one character, or None when it is allowed."""
    if char == "\t" or (char == "\n" and multiline):
        return None
    code = ord(char)
    if char == "\n":
        return "a line break"
    category = unicodedata.category(char)
    if category == "Cc":
        return f"a control character (U+{code:04X})"
    if category in ("Zl", "Zp"):
        return f"a line or paragraph separator (U+{code:04X})"
    if category == "Cs":
        return f"a lone surrogate (U+{code:04X}), which is not a character"
    if _is_noncharacter(code):
        return f"a Unicode noncharacter (U+{code:04X})"
    return None


def unsafe_character(text: str, *, multiline: bool = False) -> str | None:
    """The first character ``text`` may not hold, described with its position; None if none.

    ASCII text without control characters, the common case, is accepted without looking at
    each character.
    """
    if text.isascii() and text.isprintable():
        return None
    for position, char in enumerate(text, start=1):
        problem = _refused(char, multiline)
        if problem is not None:
            return f"{problem} at character {position}"
    return None


def _expected(multiline: bool) -> str:
    if multiline:
        return "must be text without control characters (tabs and line breaks are fine)"
    return "must be one line of text without control characters"


def _check(text: str, multiline: bool) -> str:
    problem = unsafe_character(text, multiline=multiline)
    if problem is not None:
        raise ValueError(f"{_expected(multiline)}; found {problem}")
    return text


def _single_line(text: str) -> str:
    return _check(text, multiline=False)


def _multi_line(text: str) -> str:
    return _check(text, multiline=True)


SafeLine = Annotated[str, AfterValidator(_single_line)]
"""Single-line text (a name, a title): no line break, no other control character."""

SafeText = Annotated[str, AfterValidator(_multi_line)]
"""Multi-line text (a note, a statement): tabs and line breaks, no other control character."""


def checked_text(value: Any, what: str, *, multiline: bool = False) -> str:
    """``value`` if it is text a person may store under ``what``, else one ``UserError``.

    For inputs that reach a database without passing the scenario schema (a save note, a
    scenario's new name, an actual's task): they are checked before any SQL runs, so a bad
    character is a readable refusal instead of a driver error.
    """
    if not isinstance(value, str):
        raise UserError(f"The {what} must be text.")
    problem = unsafe_character(value, multiline=multiline)
    if problem is not None:
        raise UserError(f"The {what} {_expected(multiline)}; found {problem}.")
    return value
