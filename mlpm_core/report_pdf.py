"""The report as a PDF (fpdf2): A4 or Letter, an embedded Unicode font, charts as PNG.

User text is only ever written with `cell`, `multi_cell` and `table` with markdown off, so fpdf2
draws it as plain glyphs: no `write_html`, no markdown, and the `{nb}` page-count alias is
switched off (fpdf2 would otherwise replace that string anywhere on the page). The resource
access policy is NONE: the only images are the chart PNGs passed in as bytes. Fonts are DejaVu
Sans (Latin, Greek, Cyrillic and more) and, only when the text needs it, Droid Sans Fallback
for CJK; both ship in ``data/fonts`` with their licences.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
from collections.abc import Iterable, Iterator, Sequence
from typing import Literal

from fpdf import FPDF
from fpdf.enums import ResourceAccessPolicy, XPos, YPos
from fpdf.fonts import FontFace

from mlpm_core import chart_images
from mlpm_core.labels import LEVEL_COLOURS
from mlpm_core.paths import repo_data_dir
from mlpm_core.report import ChartSpec, Report

Paper = Literal["A4", "Letter"]
FONT_DIR = repo_data_dir() / "fonts"
FAMILY = "DejaVu"
FALLBACK = "DroidFallback"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
FALLBACK_FILE = "DroidSansFallbackFull.ttf"
MARGIN = 15.0
CHART_SCALE = 2
CHART_SHRINK = 0.72  # charts a little smaller than on screen: two fit on a page with text
PDF_CHARTS = ("cost_curve", "effort_histogram", "tornado", "cost_breakdown")
PAIRED = ("cost_curve", "effort_histogram")  # drawn side by side, at this size in pixels:
PAIRED_SIZE = {"width": 250, "height": 160}
PDF_CHART_HEIGHT = 170  # px; shorter than on screen so the charts and their text fit 2-6 pages
PX_TO_MM = 25.4 / 96
GREY = (90, 90, 90)
HEADING_FILL = (235, 238, 242)
DECISION_COLOURS = {"go": LEVEL_COLOURS["green"], "conditional": LEVEL_COLOURS["amber"],
                    "no-go": LEVEL_COLOURS["red"]}
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def pdf_text(text: object) -> str:
    """User text as fpdf2 should print it: line breaks kept, other control characters shown
    as U+FFFD so nothing invisible hides in the report."""
    value = str(text).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _CONTROLS.sub("\ufffd", value.replace("\u2028", "\n").replace("\u2029", "\n"))


def _hex(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height in pixels from a PNG's IHDR chunk."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG image")
    width, height = struct.unpack(">II", png[16:24])
    return width, height


class ReportPDF(FPDF):
    """An FPDF page set-up with the report's running header and footer."""

    def __init__(self, paper: Paper, running_title: str, date: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format=paper)
        self.running_title = running_title
        self.date = date
        self.resource_access_policy = ResourceAccessPolicy.NONE
        self.alias_nb_pages(None)
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(auto=True, margin=MARGIN + 5)
        for style, name in FONT_FILES.items():
            self.add_font(FAMILY, style, str(FONT_DIR / name))
        self.set_font(FAMILY, "", 10)

    def use_fallback_for(self, text: str) -> None:
        """Embed the CJK fallback font only when some character is not in DejaVu Sans."""
        regular, bold = self.fonts[FAMILY.lower()], self.fonts[FAMILY.lower() + "B"]
        covered = set(regular.cmap) & set(bold.cmap)  # type: ignore[union-attr]
        if any(ord(char) not in covered for char in set(text) if not char.isspace()):
            self.add_font(FALLBACK, "", str(FONT_DIR / FALLBACK_FILE))
            self.set_fallback_fonts([FALLBACK], exact_match=False)

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font(FAMILY, "", 8)
        self.set_text_color(*GREY)
        self.cell(0, 5, fit(self, self.running_title, self.epw), new_x=XPos.LMARGIN,
                  new_y=YPos.NEXT)
        self.ln(2)
        self.set_text_color(0, 0, 0)

    def footer(self) -> None:
        self.set_y(-MARGIN)
        self.set_font(FAMILY, "", 8)
        self.set_text_color(*GREY)
        self.cell(0, 5, f"mlpm report · {self.date}", align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, f"Page {self.page_no()}", align="R")
        self.set_text_color(0, 0, 0)


def fit(pdf: FPDF, text: str, width: float) -> str:
    """``text`` on one line, cut with an ellipsis if it is wider than ``width``."""
    line = pdf_text(text).replace("\n", " ")
    if pdf.get_string_width(line) <= width:
        return line
    while line and pdf.get_string_width(line + "…") > width:
        line = line[:-1]
    return line + "…"


class Writer:
    """Small layout helpers over one ReportPDF."""

    def __init__(self, pdf: ReportPDF) -> None:
        self.pdf = pdf

    def heading(self, text: str, size: float = 13, keep: float = 20) -> None:
        """A bold heading, moved to the next page unless ``keep`` mm fit below it."""
        pdf = self.pdf
        if pdf.will_page_break(size + keep):
            pdf.add_page()
        pdf.ln(2)
        pdf.set_font(FAMILY, "B", size)
        pdf.multi_cell(0, size * 0.5, pdf_text(text), markdown=False, align="L",
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1)
        pdf.set_font(FAMILY, "", 10)

    def paragraph(self, text: str, size: float = 9.5, style: str = "",
                  colour: tuple[int, int, int] = (0, 0, 0)) -> None:
        pdf = self.pdf
        pdf.set_font(FAMILY, style, size)
        pdf.set_text_color(*colour)
        pdf.multi_cell(0, size * 0.48, pdf_text(text), markdown=False, align="L",
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(0, 0, 0)
        pdf.ln(1)

    def bullets(self, items: Iterable[str], size: float = 9.5) -> None:
        pdf = self.pdf
        pdf.set_font(FAMILY, "", size)
        shown = False
        for item in items:
            shown = True
            pdf.set_x(pdf.l_margin + 2)
            pdf.cell(4, size * 0.48, "•")
            pdf.multi_cell(0, size * 0.48, pdf_text(item), markdown=False, align="L",
                           new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(0.6)
        if not shown:
            pdf.multi_cell(0, size * 0.48, "None.", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1)

    def table(self, headings: Sequence[str], rows: Iterable[Sequence[str]],
              widths: Sequence[float], numeric: Sequence[int] = (), size: float = 8,
              fills: dict[int, dict[str, tuple[int, int, int]]] | None = None) -> None:
        """A table with a bold heading row; ``fills`` colours column cells by their text."""
        pdf = self.pdf
        pdf.set_font(FAMILY, "", size)
        align = tuple("RIGHT" if i in numeric else "LEFT" for i in range(len(headings)))
        style = FontFace(emphasis="BOLD", fill_color=HEADING_FILL)
        with pdf.table(col_widths=tuple(widths), text_align=align, line_height=size * 0.5,
                       headings_style=style, markdown=False, padding=(0.8, 1.2),
                       borders_layout="HORIZONTAL_LINES", repeat_headings=1,
                       first_row_as_headings=True) as table:
            header = table.row()
            for text in headings:
                header.cell(pdf_text(text))
            for values in rows:
                row = table.row()
                for column, text in enumerate(values):
                    colour = (fills or {}).get(column, {}).get(text)
                    row.cell(pdf_text(text), style=FontFace(fill_color=colour,
                                                            color=(255, 255, 255))
                             if colour else None)
        pdf.ln(2)

    def images(self, charts: Sequence[tuple[bytes, str]], shrink: float = 1.0) -> None:
        """Charts side by side (scaled down together if too wide), each with its caption."""
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
        top = pdf.get_y()
        x = pdf.l_margin + (pdf.epw - sum(widths) - gap * (len(charts) - 1)) / 2
        bottom = top
        pdf.set_font(FAMILY, "", 8)
        pdf.set_text_color(*GREY)
        for (png, caption), width, height in zip(charts, widths, heights, strict=True):
            pdf.image(io.BytesIO(png), x=x, y=top, w=width, h=height)
            pdf.set_xy(x, top + height + 0.5)
            pdf.multi_cell(width, 3.8, pdf_text(caption), markdown=False, align="L",
                           new_x=XPos.LEFT, new_y=YPos.NEXT)
            bottom = max(bottom, pdf.get_y())
            x += width + gap
        pdf.set_text_color(0, 0, 0)
        pdf.set_xy(pdf.l_margin, bottom + 2)


def _title_page(w: Writer, report: Report) -> None:
    pdf, title, decision = w.pdf, report.title, report.decision
    pdf.set_font(FAMILY, "B", 18)
    pdf.multi_cell(0, 8, pdf_text(title.project), markdown=False, align="L", new_x=XPos.LMARGIN,
                   new_y=YPos.NEXT)
    meta = [f"Owner: {title.owner or 'not set'}", f"Date: {title.date}"]
    if title.version is not None:
        meta.append(f"Scenario version: {title.version}")
    meta += [f"Stage: {title.stage}", f"Trials: {title.trials:,}", f"Seed: {title.seed}",
             title.generated_by]
    w.paragraph(" · ".join(meta), size=9, colour=GREY)
    if title.problem_statement:
        w.paragraph(title.problem_statement, size=9.5)
    top = pdf.get_y() + 1
    pdf.set_y(top)
    pdf.set_left_margin(MARGIN + 4)
    pdf.set_x(MARGIN + 4)
    w.heading(f"Decision: {decision.label} ({decision.stage} stage)", size=15)
    w.bullets(decision.reasons, size=9)
    pdf.set_left_margin(MARGIN)
    pdf.set_fill_color(*_hex(DECISION_COLOURS.get(decision.code, "#777777")))
    if pdf.page_no() == 1 and pdf.get_y() > top:
        pdf.rect(MARGIN, top, 2, pdf.get_y() - top, style="F")
    pdf.set_fill_color(255, 255, 255)
    if decision.blockers:
        w.heading("Blockers", size=11)
        w.table(["Blocker", "Effect"], [[b.text, b.severity] for b in decision.blockers],
                (4, 1))
    w.heading("Are you sure you need ML?", size=11)
    w.paragraph(decision.needs_ml)


def _ranges(w: Writer, report: Report) -> None:
    w.heading("Key ranges")
    w.table(["", "P10", "P50", "P80", "P90", "Mean"],
            [[row.label, *(row.shown[k] for k in ("p10", "p50", "p80", "p90", "mean"))]
             for row in report.ranges], (1.6, 1, 1, 1, 1, 1), numeric=(1, 2, 3, 4, 5), size=8.5)
    w.paragraph(f"Chance that the NPV is positive, P(NPV > 0): {report.p_npv_positive_shown}",
                style="B")


def _feasibility(w: Writer, report: Report) -> None:
    w.heading("Feasibility by dimension")
    fills = {row.level_label: _hex(LEVEL_COLOURS.get(row.level, "#777777"))
             for row in report.feasibility}
    w.table(["Dimension", "Score", "Light", "Reasons"],
            [[row.label, str(row.score), row.level_label, "\n".join(row.reasons)]
             for row in report.feasibility], (1.3, 0.5, 0.55, 5), numeric=(1,),
            fills={2: fills})


def _charts(w: Writer, report: Report, charts: dict[str, tuple[bytes, ChartSpec]]) -> None:
    w.heading("Cost, effort and what drives the spread", keep=60)
    pair = [(charts[key][0], charts[key][1].caption) for key in PAIRED if key in charts]
    if pair:
        w.images(pair)
    w.bullets([report.sensitivity.cost_summary, report.sensitivity.effort_summary])
    for key in ("tornado", "cost_breakdown"):
        if key in charts:
            png, spec = charts[key]
            w.images([(png, spec.caption)], shrink=CHART_SHRINK)


def _rules_risks_steps(w: Writer, report: Report) -> None:
    w.heading("Rules of thumb that fired")
    if report.rules_fired:
        w.table(["Rule", "Multiplier", "Chance", "Applies to", "Source"],
                [[r.title, r.multiplier, r.probability, r.applies_to, r.source]
                 for r in report.rules_fired], (2, 1, 0.7, 1.3, 4), size=7.5)
    else:
        w.paragraph("No rule of thumb applied.")
    w.heading("Risks and conditions")
    w.paragraph("Conditions", style="B")
    w.bullets(report.decision.conditions, size=9)
    w.paragraph("Risks", style="B")
    w.bullets(report.risks, size=9)
    w.heading("Next steps by stage")
    for stage in report.next_steps:
        marker = " (this decision)" if stage.current else ""
        w.paragraph(f"{stage.label}{marker}: {stage.summary}", style="B", size=9.5)
        if stage.lead:
            w.paragraph(stage.lead, size=9)
        w.bullets(stage.steps, size=8.5)
        if stage.gate:
            w.paragraph(f"Stage gate: {stage.gate}", size=9)


def _checks_assumptions(w: Writer, report: Report) -> None:
    w.heading("Technical checks")
    w.table(["Check", "Status", "Result"],
            [[c.title, c.status_label, c.summary] for c in report.checks], (1.4, 0.6, 5))
    w.heading("Assumptions used")
    w.table(["Assumption", "Value", "Unit", "From", "Source", "Checked"],
            [[a.label, a.value, a.unit, a.origin, a.source, a.checked]
             for a in report.assumptions], (1.4, 1, 1.2, 0.9, 3, 0.9), size=7.5)


def _appendix(w: Writer, report: Report) -> None:
    inputs = report.inputs
    w.heading("Appendix: inputs")
    w.paragraph("Tasks (person-days)", style="B")
    w.table(["Task", "Phase", "Role", "Optimistic", "Most likely", "Pessimistic"],
            [[t.name, t.phase, t.role, t.optimistic, t.most_likely, t.pessimistic]
             for t in inputs.tasks], (3.0, 1.35, 1.35, 0.95, 0.95, 0.95), numeric=(3, 4, 5),
            size=7.5)
    w.paragraph("Team", style="B")
    w.table(["Role", "FTE", "Day rate"], [[m.role, m.fte, m.day_rate] for m in inputs.team],
            (2, 1, 2), size=7.5)
    w.paragraph("Key answers", style="B")
    cells = [(f"{a.section}: {a.question}", a.answer) for a in inputs.answers]
    half = (len(cells) + 1) // 2
    left, right = cells[:half], [*cells[half:], ("", "")]
    w.table(["Question", "Answer", "Question", "Answer"],
            [[*first, *second] for first, second in zip(left, right, strict=False)],
            (2.2, 1.8, 2.2, 1.8), size=7)


def strings(value: object) -> Iterator[str]:
    """Every string inside nested dicts and lists (the report's text, for font coverage)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings(item)


def render_pdf(report: Report, paper: Paper = "A4") -> bytes:
    """The whole report as PDF bytes."""
    specs = [chart for chart in report.charts if chart.key in PDF_CHARTS]
    drawn = [{**chart.spec, **PAIRED_SIZE} if chart.key in PAIRED
             else {**chart.spec, "height": min(chart.spec.get("height", PDF_CHART_HEIGHT),
                                               PDF_CHART_HEIGHT)} for chart in specs]
    with chart_images.submit(drawn, "png", CHART_SCALE) as pending:
        running = (f"{report.title.project} · {report.title.stage} stage · "
                   f"{report.decision.label}")
        pdf = ReportPDF(paper, running, report.title.date)
        pdf.use_fallback_for("".join(strings(report.model_dump(exclude={"charts"}))))
        pdf.set_title(pdf_text(report.title.project).replace("\n", " "))
        pdf.set_author(pdf_text(report.title.owner).replace("\n", " "))
        pdf.set_creator(report.title.generated_by)
        # the report's date, not the clock: the same report on the same day gives the same bytes
        pdf.set_creation_date(dt.datetime.combine(dt.date.fromisoformat(report.title.date),
                                                  dt.time(), tzinfo=dt.UTC))
        pdf.add_page()
        w = Writer(pdf)
        _title_page(w, report)
        _ranges(w, report)
        _feasibility(w, report)
        images = dict(zip((chart.key for chart in specs), pending.result(), strict=True))
    charts = {chart.key: (images[chart.key], chart) for chart in specs}
    _charts(w, report, charts)
    _rules_risks_steps(w, report)
    _checks_assumptions(w, report)
    _appendix(w, report)
    return bytes(pdf.output())
