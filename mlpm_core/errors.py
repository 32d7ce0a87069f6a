"""The one exception type a user ever sees: a readable message, never a traceback."""

import math
import unicodedata

MESSAGE_LIMIT = 500
"""Characters of a message shown before it is cut: a 20,000-column CSV must not print 189 KB."""

_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


def shown_number(value: float) -> str:
    """A number as a message quotes it: ``2,000,000`` (``:g`` wrote 2e+06 for what was typed
    as 2000000), ``0.35``, ``1,234.5``; up to three decimals, and tiny values significant."""
    if not math.isfinite(value):
        return str(value)
    if float(value).is_integer():
        return f"{value:,.0f}"
    if abs(value) < 0.001:
        return f"{value:.3g}"
    return f"{value:,.3f}".rstrip("0").rstrip(".")


def _visible(char: str) -> str:
    """A character as a terminal or a web page may show it without being steered by it."""
    if char == "\t":
        return char
    if char in _BIDI_CONTROLS or unicodedata.category(char) in ("Cc", "Zl", "Zp", "Cs", "Co"):
        return char.encode("unicode_escape").decode("ascii") if ord(char) < 0x10000 \
            else f"\\U{ord(char):08x}"
    return char


def readable(message: str, limit: int = MESSAGE_LIMIT) -> str:
    """One line, no control or line-separator characters, at most ``limit`` characters.

    Messages quote user input (a key, a cell, a rule title). An escape character would reach
    the terminal raw and U+2028 would break the line a front end promised to be one.
    """
    text = "".join(_visible(char) for char in message)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class UserError(Exception):
    """Bad input from a person (a file, a flag, a form value), explained in one message.

    Front ends (CLI, app) catch this and show ``str(error)``; anything else is a bug.
    ``str()`` is always :func:`readable`, whatever text was quoted into the message.
    """

    def __str__(self) -> str:
        return readable(super().__str__())
