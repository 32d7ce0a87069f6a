"""Page set-up and text layout for the PDF report on top of fpdf2, user text kept inert.

fpdf2's `multi_cell` and `table` re-measure a line for every character they add, which made
layout the slowest part of a report. Here each character is measured once (the font's own
advance widths, the CJK or Hangul fallback font's for characters DejaVu lacks), lines are broken at
spaces (or between CJK characters, or anywhere in a word too long for the column), and every
line is written with `cell`: plain glyphs, markdown off, nothing interpreted. The `{nb}` alias is
off (fpdf2 would replace that string anywhere on a page) and the resource access policy is NONE.
"""

from __future__ import annotations

import bisect
import io
import itertools
import re
import struct
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal, cast

from mlpm_core.paths import repo_data_dir

if TYPE_CHECKING:
    from fpdf.fonts import TTFFont

Paper = Literal["A4", "Letter"]
Colour = tuple[int, int, int]
FONT_DIR = repo_data_dir() / "fonts"
FAMILY = "DejaVu"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
CJK_FALLBACK = "DroidFallback"
HANGUL_FALLBACK = "NanumSquare"
FALLBACK_FILES = {CJK_FALLBACK: "DroidSansFallbackFull.ttf",
                  HANGUL_FALLBACK: "NanumSquareR.ttf"}
_HANGUL = ((0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7FF))
MARGIN = 15.0
LEADING = 0.48  # line height in mm per point of font size
CHART_SCALE = 2
PX_TO_MM = 25.4 / 96
BLACK: Colour = (0, 0, 0)
GREY: Colour = (90, 90, 90)
WHITE: Colour = (255, 255, 255)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def pdf_text(text: object) -> str:
    """User text as it should print: line breaks kept, tabs as spaces, other control
    characters shown as U+FFFD so nothing invisible hides in the report."""
    value = str(text).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _CONTROLS.sub("\ufffd", value.replace("\u2028", "\n").replace("\u2029", "\n"))


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height in pixels from a PNG's IHDR chunk."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG image")
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def is_hangul(code: int) -> bool:
    """Hangul syllables and jamo: drawn with the Hangul font even where Droid Sans Fallback has
    the glyph (it has three syllables, so a Korean word would mix two designs)."""
    return any(low <= code <= high for low, high in _HANGUL)


def fallback_order(code: int) -> tuple[str, ...]:
    """The fallback families to try for a character DejaVu Sans lacks, best first: Droid Sans
    Fallback covers Chinese and kana, NanumSquare Hangul (and some kana and hanja)."""
    if is_hangul(code):
        return HANGUL_FALLBACK, CJK_FALLBACK
    return CJK_FALLBACK, HANGUL_FALLBACK


def _wide(char: str) -> bool:
    """CJK and other wide characters: a line may break before or after any of them."""
    return unicodedata.east_asian_width(char) in ("W", "F")


@lru_cache(maxsize=1)
def _report_pdf_class() -> type[Any]:
    """The FPDF subclass, built on first use: fpdf2 takes a third of a second to import, so a
    report starts drawing its charts first."""
    from fpdf import FPDF
    from fpdf.enums import ResourceAccessPolicy

    class ReportPDF(FPDF):
        """A4 or Letter pages with the report's fonts, running header and footer."""

        def __init__(self, paper: Paper, running_title: str, footer_text: str) -> None:
            super().__init__(orientation="portrait", unit="mm", format=paper)
            self.running_title = pdf_text(running_title).replace("\n", " ")
            self.footer_text = footer_text
            self.resource_access_policy = ResourceAccessPolicy.NONE
            # fpdf2 documents None as turning the alias off; its annotation says str
            self.alias_nb_pages(None)  # type: ignore[arg-type]
            self.set_margins(MARGIN, MARGIN, MARGIN)
            self.set_auto_page_break(auto=True, margin=MARGIN + 5)
            for style, name in FONT_FILES.items():
                self.add_font(FAMILY, style, str(FONT_DIR / name))
            self.fallbacks: dict[str, TTFFont] = {}
            self.set_font(FAMILY, "", 10)

        def use_fallback_for(self, text: str) -> None:
            """Embed a fallback font only when some character of ``text`` is not in DejaVu Sans,
            and only the ones those characters need (each adds its glyphs to the PDF)."""
            # fpdf2 types its fonts as core or TrueType; every font here is a TrueType file
            regular = cast("TTFFont", self.fonts[FAMILY.lower()])
            bold = cast("TTFFont", self.fonts[FAMILY.lower() + "B"])
            covered = set(regular.cmap) & set(bold.cmap)
            missing = {ord(char) for char in set(text) if not char.isspace()} - covered
            if not missing:
                return
            hangul = any(is_hangul(code) for code in missing)
            wanted = ([HANGUL_FALLBACK] if hangul else []) + (
                [CJK_FALLBACK] if not all(is_hangul(code) for code in missing) else [])
            for family in wanted:
                self.add_font(family, "", str(FONT_DIR / FALLBACK_FILES[family]))
                self.fallbacks[family.lower()] = cast("TTFFont", self.fonts[family.lower()])
            self.set_fallback_fonts(wanted, exact_match=False)

        def fallback_font(self, code: int) -> TTFFont | None:
            """The embedded fallback font that draws character ``code``, if any does."""
            for family in fallback_order(code):
                font = self.fallbacks.get(family.lower())
                if font is not None and code in font.cmap:
                    return font
            return None

        def get_fallback_font(self, char: str, style: str = "") -> str | None:
            """fpdf2's choice of fallback font for ``char``, made as ``fallback_font`` makes it
            (fpdf2 alone takes the first listed font that has the glyph)."""
            del style  # the fallback fonts have one style; bold CJK prints regular
            font = self.fallback_font(ord(char))
            return None if font is None else str(font.fontkey)

        def cell(self, *args: Any, **kwargs: Any) -> bool:
            """fpdf2's cell, re-selecting the font first when a fallback font is in use.

            fpdf2 (2.8.x) remembers that the page's font is set, but a fallback-font fragment
            changes the PDF text state for the rest of the page, so the next line in the main font
            would be drawn with the fallback's glyph ids (garbled text). Re-selecting costs a few
            bytes per line.
            """
            if self.fallbacks:
                self.current_font_is_set_on_page = False
            return super().cell(*args, **kwargs)

        def char_widths(self, text: str, style: str, size: float) -> list[float]:
            """Advance width of each character in mm, as fpdf2 will draw it."""
            font = cast("TTFFont", self.fonts[FAMILY.lower() + style])
            cmap, widths = font.cmap, font.cw
            scale = size / 1000 / self.k
            out = []
            for char in text:
                code = ord(char)
                fallback = None if code in cmap or not self.fallbacks \
                    else self.fallback_font(code)
                out.append((widths[code] if fallback is None else fallback.cw[code]) * scale)
            return out

        def header(self) -> None:
            if self.page_no() == 1:
                return
            self.set_font(FAMILY, "", 8)
            self.set_text_color(*GREY)
            self.cell(self.epw, 5, self.fit(self.running_title, self.epw, "", 8),
                      new_x="LMARGIN", new_y="NEXT")
            self.ln(2)
            self.set_text_color(*BLACK)

        def footer(self) -> None:
            self.set_y(-MARGIN)
            self.set_font(FAMILY, "", 8)
            self.set_text_color(*GREY)
            self.cell(self.epw, 5, self.footer_text, align="L")
            self.set_x(self.l_margin)
            self.cell(self.epw, 5, f"Page {self.page_no()}", align="R")
            self.set_text_color(*BLACK)

        def fit(self, text: str, width: float, style: str, size: float) -> str:
            """``text`` on one line, cut with an ellipsis if it is wider than ``width`` mm."""
            widths = self.char_widths(text, style, size)
            if sum(widths) <= width:
                return text
            room = width - sum(self.char_widths("…", style, size))
            keep = bisect.bisect_right(list(itertools.accumulate(widths)), room)
            return text[:keep] + "…"

        def wrap(self, text: str, width: float, style: str, size: float) -> list[str]:
            """``text`` broken into lines no wider than ``width`` mm (at least one char a line)."""
            lines: list[str] = []
            for paragraph in pdf_text(text).split("\n"):
                lines += self._wrap_paragraph(paragraph, width, style, size)
            return lines

        def _wrap_paragraph(self, text: str, width: float, style: str, size: float) -> list[str]:
            ends = list(itertools.accumulate(self.char_widths(text, style, size), initial=0.0))
            lines, start, length = [], 0, len(text)
            width -= 0.05  # rounding headroom: fpdf2 measures in whole font units
            while True:
                end = bisect.bisect_right(ends, ends[start] + width) - 1  # chars [start, end) fit
                if end >= length:
                    lines.append(text[start:])
                    return lines
                end = max(end, start + 1)
                space = text.rfind(" ", start, end + 1)
                dash = max(text.rfind(mark, start, end) for mark in "\u2013-/")
                if space > start or dash > start:  # else after a dash: '3,750–' over '15,000'
                    stop = space if space > start else dash + 1
                    lines.append(text[start:stop])
                    start = stop + 1 if space > start else stop
                    continue
                cut = next((k for k in range(end, start, -1)
                            if _wide(text[k]) or _wide(text[k - 1])), end)
                lines.append(text[start:cut])
                start = cut

    return ReportPDF


def new_pdf(paper: Paper, running_title: str, footer_text: str) -> Any:
    """An fpdf2 document with the report's fonts, margins, running header and footer."""
    return _report_pdf_class()(paper, running_title, footer_text)


class Writer:
    """Headings, paragraphs, bullets and chart images, flowing over pages (tables:
    ``pdf_table.TableWriter``)."""

    def __init__(self, pdf: Any) -> None:
        self.pdf = pdf

    def lines(self, lines: Iterable[str], size: float, style: str = "", indent: float = 0.0,
              colour: Colour = BLACK, first_prefix: str = "") -> None:
        """Lines of text at the left margin (plus ``indent``), breaking pages as needed."""
        pdf = self.pdf
        pdf.set_font(FAMILY, style, size)
        pdf.set_text_color(*colour)
        height = size * LEADING
        for index, line in enumerate(lines):
            if pdf.will_page_break(height):
                pdf.add_page()
                pdf.set_font(FAMILY, style, size)
                pdf.set_text_color(*colour)
            pdf.set_x(pdf.l_margin + indent - (4 if first_prefix else 0))
            if first_prefix:
                pdf.cell(4, height, first_prefix if index == 0 else "")
            pdf.cell(pdf.epw - indent, height, line, new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(*BLACK)

    def heading(self, text: str, size: float = 13, keep: float = 14) -> None:
        """A bold heading, moved to the next page unless it, its spacing and ``keep`` mm fit."""
        pdf, lines = self.pdf, self.pdf.wrap(text, self.pdf.epw, "B", size)
        if pdf.will_page_break(2 + len(lines) * size * LEADING + 1 + keep):
            pdf.add_page()
        pdf.ln(2)
        self.lines(lines, size, "B")
        pdf.ln(1)

    def subheading(self, text: str, size: float = 9.5, keep: float = 12) -> None:
        """A bold line, moved to the next page unless ``keep`` mm of what follows fit below."""
        lines = self.pdf.wrap(text, self.pdf.epw, "B", size)
        if self.pdf.will_page_break(len(lines) * size * LEADING + 1 + keep):
            self.pdf.add_page()
        self.paragraph(text, size, "B")

    def paragraph(self, text: str, size: float = 9.5, style: str = "",
                  colour: Colour = BLACK) -> None:
        """Wrapped text across the page width."""
        self.lines(self.pdf.wrap(text, self.pdf.epw, style, size), size, style, colour=colour)
        self.pdf.ln(1)

    def bullets(self, items: Iterable[str], size: float = 9.5) -> None:
        """A bulleted list; 'None.' when empty."""
        indent, shown = 6.0, False
        for item in items:
            shown = True
            wrapped = self.pdf.wrap(item, self.pdf.epw - indent, "", size)
            self.lines(wrapped, size, indent=indent, first_prefix="•")
            self.pdf.ln(0.6)
        if not shown:
            self.lines(["None."], size)
        self.pdf.ln(1)

    def images(self, charts: Sequence[tuple[bytes, str]], shrink: float = 1.0,
               continued: str | None = None) -> None:
        """Chart PNGs side by side (scaled down together if too wide), each with a caption;
        ``continued`` heads them when they move to the next page without their heading."""
        pdf = self.pdf
        sizes = [png_size(png) for png, _ in charts]
        widths = [px_w / CHART_SCALE * PX_TO_MM * shrink for px_w, _ in sizes]
        gap = 4.0
        factor = min(1.0, (pdf.epw - gap * (len(charts) - 1)) / sum(widths))
        widths = [width * factor for width in widths]
        heights = [width * px_h / px_w for width, (px_w, px_h) in zip(widths, sizes,
                                                                       strict=True)]
        if pdf.will_page_break(max(heights) + 10):
            pdf.add_page()
            if continued:
                self.paragraph(continued, 9.5, "B")
        top = pdf.get_y()
        x = pdf.l_margin + (pdf.epw - sum(widths) - gap * (len(charts) - 1)) / 2
        bottom = top
        pdf.set_font(FAMILY, "", 8)
        pdf.set_text_color(*GREY)
        for (png, caption), width, height in zip(charts, widths, heights, strict=True):
            pdf.image(io.BytesIO(png), x=x, y=top, w=width, h=height)
            for index, line in enumerate(pdf.wrap(caption, width, "", 8)):
                pdf.set_xy(x, top + height + 0.5 + index * 3.8)
                pdf.cell(width, 3.8, line)
            bottom = max(bottom, pdf.get_y() + 3.8)
            x += width + gap
        pdf.set_text_color(*BLACK)
        pdf.set_xy(pdf.l_margin, bottom + 2)
