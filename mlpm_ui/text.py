"""Putting untrusted text on screen safely.

Most Streamlit text elements (``st.markdown``, ``st.caption``, ``st.error``, widget labels,
``st.write`` of a string) interpret Markdown, Streamlit's ``:colour[...]`` directives and
``$...$`` LaTeX. User text (names, problem statements, anything from an uploaded file, even an
error message quoting a bad value) goes through :func:`md` first: every ASCII punctuation
character is backslash-escaped, which CommonMark defines as "show this character literally", and
line breaks become spaces so that a name cannot start a heading or a list.
"""

from __future__ import annotations

import re
import string

_PUNCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x0b\x0c\x85]+")
_BACKTICKS = re.compile("`+")
_UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")


def md(text: object) -> str:
    """``text`` as Markdown that displays exactly these characters and nothing else."""
    flat = _LINE_BREAKS.sub(" ", str(text))
    return _PUNCTUATION.sub(r"\\\1", flat)


def linked_source(text: str, url: str | None) -> str:
    """A source's text, escaped, and a link to it: only a bibliography address (``https://``)
    becomes a link, never anything a user could have put in a cell."""
    link = f" [source]({url})" if url and url.startswith("https://") else ""
    return md(text) + link


def code(text: object) -> str:
    """``text`` as an inline code span: shown literally, with no backslashes added.

    Markdown does not interpret anything inside a code span (not even backslash escapes, which
    is why :func:`md` there shows every backslash). The fence is one backtick longer than the
    longest run of backticks in the text, so a user-edited condition cannot close it early;
    CommonMark strips one space from each end, which keeps a leading or trailing backtick apart
    from the fence.
    """
    flat = _LINE_BREAKS.sub(" ", str(text))
    longest = max((len(run) for run in _BACKTICKS.findall(flat)), default=0)
    fence = "`" * (longest + 1)
    return f"{fence} {flat} {fence}"


def md_paragraphs(text: object) -> str:
    """Like :func:`md`, but keeps the line breaks of a multi-line text as paragraphs."""
    lines = _LINE_BREAKS.split(str(text))
    return "\n\n".join(md(line) for line in lines if line.strip())


def safe_filename(name: str, suffix: str, fallback: str = "scenario") -> str:
    """A download file name from a user's project name: letters, digits, ``._-`` only."""
    stem = _UNSAFE_FILENAME.sub("_", name).strip("._-")[:80] or fallback
    return f"{stem}{suffix}"
