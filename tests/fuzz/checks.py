"""What every outcome of the fuzz suite must satisfy, as assertions that name what broke.

A refusal is one readable line; an accepted scenario exports to JSON with finite numbers, to
Markdown and HTML with every piece of user text escaped (present as text, never as markup), to a
PDF that opens and whose text can be extracted, and to a CSV whose cells no spreadsheet runs as
a formula. Each check is itself tested on a bad example (``test_checks.py``) so that it can fail.
"""

from __future__ import annotations

import csv
import html
import io
import json
import math
import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from html.parser import HTMLParser
from typing import Any

from pypdf import PdfReader

LINE_LIMIT = 600  # "mlpm: error: " and a message of at most 500 characters, with room to spare
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Markup characters that make a link, an image, code, emphasis, raw HTML or maths wherever they
# stand. The report writes none of them outside a backslash escape or an entity, except the
# asterisks of its bold lines; block markup (headings, lists, quotes) only counts at the start of
# a line, and table borders are counted per row.
MARKDOWN_INLINE = frozenset("`[]<>_~$*")
MARKDOWN_BOLD_LINE = re.compile(r"^\*\*[^*]*\*\*$")
MARKDOWN_BLOCK_STARTS = re.compile(
    r"^(?: {4}| {0,3}(?:>|```|~~~|<|\+\s|\*\s|=+\s*$|-{3,}\s*$|_{3,}\s*$|\d{1,9}[.)](?:\s|$)))")
ENTITY = re.compile(r"&(?:amp|lt|gt|quot|#\d+|#x[0-9a-fA-F]+);")
FORBIDDEN_TAGS = frozenset({"script", "iframe", "frame", "object", "embed", "img", "image",
                            "link", "base", "form", "input", "button", "a", "audio", "video",
                            "source", "foreignobject", "use", "animate", "set", "marquee",
                            "applet", "textarea", "select", "noscript", "template"})
URL_ATTRIBUTES = frozenset({"href", "src", "xlink:href", "action", "formaction", "srcdoc",
                            "background", "poster", "data", "srcset"})


def unreadable_characters(text: str) -> list[str]:
    """Characters that break a line or steer a terminal or a page: controls other than tab,
    line and paragraph separators, bidirectional overrides (as their code points)."""
    return [f"U+{ord(char):04X}" for char in text
            if (unicodedata.category(char) in ("Cc", "Zl", "Zp") and char != "\t")
            or char in BIDI_CONTROLS]


def assert_one_readable_line(text: str, limit: int = LINE_LIMIT) -> None:
    """``text`` (a message, or stderr with its final newline) is one short readable line with
    no traceback. A tab is allowed: it neither breaks the line nor steers the terminal."""
    line = text.removesuffix("\n")
    assert line.strip(), "the message is empty"
    assert "Traceback" not in line, f"a traceback instead of a message: {line[:300]!r}"
    assert not unreadable_characters(line), (
        f"unreadable characters {unreadable_characters(line)[:5]} in {line[:300]!r}")
    assert len(line) <= limit, f"a {len(line)}-character message: {line[:200]!r}..."


NEVER_PAID_BACK = "$.payback_years."
"""Where null is a figure's meaning, not a failure: a payback that never comes."""


def finite_json(raw: bytes | str) -> Any:
    """The parsed JSON estimate; fails on NaN or infinity (as a token or a number too large
    to be finite) and on null, which is how a non-finite figure is written (but for a payback
    percentile, where null says the money put in never comes back)."""
    def refuse(token: str) -> Any:
        raise AssertionError(f"the JSON holds {token}")

    document = json.loads(raw, parse_constant=refuse)
    stack: list[tuple[str, Any]] = [("$", document)]
    while stack:
        path, value = stack.pop()
        if value is None and path.startswith(NEVER_PAID_BACK):
            continue
        assert value is not None, f"{path} is null (a figure that was not finite)"
        if isinstance(value, float):
            assert math.isfinite(value), f"{path} is {value}"
        elif isinstance(value, dict):
            stack.extend((f"{path}.{key}", item) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend((f"{path}[{index}]", item) for index, item in enumerate(value))
    return document


def squeeze(text: str) -> str:
    """Text without whitespace, so a line wrapped inside a table cell still matches."""
    return "".join(text.split())


def _markdown_unescaped(line: str) -> Iterable[tuple[int, str]]:
    """(position, character) of every character of ``line`` not escaped by a backslash."""
    index = 0
    while index < len(line):
        if line[index] == "\\" and index + 1 < len(line):
            index += 2
            continue
        yield index, line[index]
        index += 1


def markdown_text(markdown: str) -> str:
    """What a reader sees of escaped text: backslash escapes and entities undone."""
    return html.unescape(re.sub(r"\\(.)", r"\1", markdown))


@cache
def _citation_markup() -> tuple[str, ...]:
    """The Markdown mlpm writes for its own sources (links, italic titles, the reference list),
    longest first: product markup, not user text, so it is set aside before the check."""
    from mlpm_core.sources import (
        citation,
        load_sources,
        markdown_citation,
        markdown_reference,
        reference_list,
    )

    found = {markdown_reference(reference) for reference in reference_list()}
    for source_id in load_sources():
        cited = citation(source_id)
        if cited is not None:
            found |= {markdown_citation(cited, True), markdown_citation(cited, False)}
    return tuple(sorted(found, key=len, reverse=True))


def _without_citations(line: str) -> str:
    for markup in _citation_markup():
        line = line.replace(markup, "citation")
    return line


def check_markdown(markdown: str, shown: Iterable[str] = ()) -> None:
    """No user text became markup: no raw HTML, no stray markup characters, no block started
    inside a value, every table row with its header's number of cells; each of ``shown`` is
    in the text a reader sees (escaped, not dropped)."""
    breaks = [f"U+{ord(char):04X}" for char in markdown
              if char != "\n" and (unicodedata.category(char) in ("Cc", "Zl", "Zp")
                                   or char == "\x85")]
    assert not breaks, f"line-breaking or control characters {breaks[:5]} in the Markdown"
    cells = 0
    for number, written in enumerate(markdown.splitlines(), start=1):
        line = _without_citations(written)
        raw = [(pos, char) for pos, char in _markdown_unescaped(line)]
        bold = MARKDOWN_BOLD_LINE.match("".join(char for _, char in raw))
        stray = {char for _, char in raw if char in MARKDOWN_INLINE and not (bold and char == "*")}
        assert not stray, f"line {number}: unescaped {sorted(stray)} in {line[:200]!r}"
        for pos, char in raw:
            assert char != "&" or ENTITY.match(line, pos), (
                f"line {number}: a raw '&' in {line[:200]!r}")
        assert not MARKDOWN_BLOCK_STARTS.match(line), (
            f"line {number} starts a Markdown block: {line[:200]!r}")
        pipes = sum(char == "|" for _, char in raw)
        if line.startswith("|"):
            cells = cells or pipes
            assert pipes == cells, f"line {number}: {pipes} cell borders, the table has {cells}"
        else:
            cells = 0
    text = squeeze(markdown_text(markdown))
    missing = [item for item in shown if squeeze(item) not in text]
    assert not missing, f"user text missing from the Markdown: {missing[:3]!r}"


class _Page(HTMLParser):
    """Every tag with its attributes, and the text a browser would show."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _bibliography_link(attrs: list[tuple[str, str | None]]) -> bool:
    """An ``<a href>`` to a source of the bibliography and nothing else (no handler, no style)."""
    from tests.conftest import BIBLIOGRAPHY_URLS

    names = dict(attrs)
    return set(names) <= {"href", "rel", "target"} and names.get("href") in BIBLIOGRAPHY_URLS


def check_html(page: str, shown: Iterable[str] = ()) -> None:
    """No user text became markup: no script or embedding element, no event handler, no link
    or URL attribute, no style that runs or loads anything, only the report's own meta tags;
    each of ``shown`` is in the page's text (escaped, not dropped). User text inside an
    attribute value (an SVG aria-label) is fine: it is escaped there too."""
    assert "<script" not in page.lower(), "a <script> in the HTML report"
    parser = _Page()
    parser.feed(page)
    parser.close()
    for tag, attrs in parser.tags:
        if tag == "a" and _bibliography_link(attrs):
            continue  # the report's own citation of a source
        assert tag not in FORBIDDEN_TAGS, f"a <{tag}> element in the HTML report"
        for name, value in attrs:
            assert not name.startswith("on"), f"an event handler {name}= on <{tag}>"
            assert name not in URL_ATTRIBUTES, f"a {name}= attribute on <{tag}>"
            if name == "style":  # styles are the report's own: no script or resource in them
                style = (value or "").lower().replace(" ", "")
                assert not any(bad in style for bad in ("javascript:", "expression(", "url(")), (
                    f"a style that runs or loads something on <{tag}>: {value!r:.100}")
        if tag == "meta":
            kinds = {name for name, _ in attrs} - {"content"}
            equiv = dict(attrs).get("http-equiv")
            assert kinds in ({"charset"}, {"name"}, {"http-equiv"}), f"<meta {attrs}>"
            assert equiv in (None, "Content-Security-Policy"), f"<meta http-equiv={equiv}>"
    text = squeeze("".join(parser.text))
    missing = [item for item in shown if squeeze(item) not in text]
    assert not missing, f"user text missing from the HTML: {missing[:3]!r}"


def check_pdf(pdf: bytes, shown: Iterable[str] = ()) -> None:
    """A PDF that opens, with at least two pages whose text extracts; each of ``shown`` (plain
    ASCII text: extraction of other scripts depends on the font) is in that text."""
    assert pdf.startswith(b"%PDF-"), "not a PDF"
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) >= 2, f"{len(pages)} page(s)"
    text = squeeze("\n".join(page.extract_text() for page in pages))
    missing = [item for item in shown if squeeze(item) not in text]
    assert not missing, f"user text missing from the PDF: {missing[:3]!r}"


def check_csv(raw: bytes, names: list[str]) -> None:
    """The task table: one row per task in order, no cell a spreadsheet would run as a
    formula, and each name as typed (an apostrophe in front of a formula is allowed)."""
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert len(rows) == len(names) + 1, f"{len(rows) - 1} task rows for {len(names)} tasks"
    for row, name in zip(rows[1:], names, strict=True):
        formulas = [cell for position, cell in enumerate(row) if cell.startswith(FORMULA_STARTS)
                    and (position == 0 or not _is_number(cell))]
        assert not formulas, f"formula cells {formulas!r}"
        assert row[0] in (name, "'" + name), f"task {name!r} became {row[0]!r}"


def _is_number(cell: str) -> bool:
    """A negative number in a figure's column is a number, not a formula."""
    try:
        float(cell)
    except ValueError:
        return False
    return True
