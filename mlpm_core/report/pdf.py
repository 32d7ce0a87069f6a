"""The report as a PDF (fpdf2): A4 or Letter, embedded Unicode fonts, charts as PNG images.

Layout helpers live in `mlpm_core.report.pdf_layout`; user text only ever reaches fpdf2 through
`cell` (no `write_html`, no markdown, no `{nb}` alias, resource access policy NONE). Charts are
the shared Vega-Lite specs, drawn by vl-convert in a helper process while the first pages are
laid out. Fonts: DejaVu Sans, plus Droid Sans Fallback (Chinese, kana) and NanumSquare (Hangul)
when the text needs them, subset to the glyphs used; all ship in ``data/fonts`` with their
licences.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from mlpm_core.charts import images as chart_images
from mlpm_core.report.captions import ChartSpec
from mlpm_core.report.costs import cost_sentence
from mlpm_core.report.inputs import InputsAppendix
from mlpm_core.report.model import RULES_CHANGED_HEADING, USER_ORIGIN, AssumptionRow, Report
from mlpm_core.report.pdf_layout import (
    CHART_SCALE,
    FAMILY,
    GREY,
    LEADING,
    MARGIN,
    WHITE,
    Paper,
    new_pdf,
    pdf_text,
)
from mlpm_core.report.pdf_table import TableWriter
from mlpm_core.report.rules_table import RANGE_BASIS_LABELS, RuleRow
from mlpm_core.scenario import LEVEL_COLOURS

CHART_SHRINK = 0.72  # charts a little smaller than on screen: two fit on a page with text
# The cost breakdown chart stays in the app and the HTML (the PDF's six pages go to the bridge);
# the PDF lists the parts in one line under the key ranges when devices or own lines are there.
PDF_CHARTS = ("bridge", "cost_curve", "effort_histogram", "tornado")
PAIRED = ("cost_curve", "effort_histogram")  # drawn side by side, at this size in pixels:
PAIRED_SIZE = {"width": 250, "height": 130}
BRIDGE_SHRINK = 1.0  # the waterfall is read by its step labels: kept legible
BRIDGE_ROW_HEIGHT = 12  # px per step of the waterfall in the PDF
PDF_CHART_HEIGHT = 170  # px; shorter than on screen so the charts and their text fit 2-6 pages
KEY_ANSWERS_SIZE = 6.5  # pt: the appendix's key answers, and what "(default)" means
TASKS_SIZE = 6.5  # pt: the appendix's task and team tables (7 put a 19-task plan on a 7th page)
DECISION_COLOURS = {"go": LEVEL_COLOURS["green"], "conditional": LEVEL_COLOURS["amber"],
                    "no-go": LEVEL_COLOURS["red"]}


def hex_colour(colour: str) -> tuple[int, int, int]:
    """'#c62828' -> (198, 40, 40)."""
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _title_page(w: TableWriter, report: Report) -> None:
    pdf, title, decision = w.pdf, report.title, report.decision
    w.lines(pdf.wrap(title.project, pdf.epw, "B", 18), 18, "B")
    meta = [f"Owner: {title.owner or 'not set'}", f"Date: {title.date}"]
    if title.version is not None:
        meta.append(f"Scenario version: {title.version}")
    meta += [f"Stage: {title.stage}", f"Trials: {title.trials:,}", f"Seed: {title.seed}",
             title.generated_by]
    w.paragraph(" · ".join(meta), size=9, colour=GREY)
    if report.charts_note:
        w.paragraph(report.charts_note, style="B", size=9)
    if title.problem_statement:
        w.paragraph(title.problem_statement, size=9.5)
    top = pdf.get_y() + 1
    pdf.set_y(top)
    pdf.set_left_margin(MARGIN + 4)
    pdf.set_x(MARGIN + 4)
    w.heading(f"Decision: {decision.label} ({decision.stage} stage)", size=15)
    w.bullets(decision.reasons, size=9)
    pdf.set_left_margin(MARGIN)
    pdf.set_fill_color(*hex_colour(DECISION_COLOURS.get(decision.code, "#777777")))
    if pdf.page_no() == 1 and pdf.get_y() > top:
        pdf.rect(MARGIN, top, 2, pdf.get_y() - top, style="F")
    pdf.set_fill_color(*WHITE)
    if decision.blockers:
        _titled(w, "Blockers", ["Blocker", "Effect"],
                [[b.text, b.severity] for b in decision.blockers], (4, 1), heading_size=11)
    w.heading("Are you sure you need ML?", size=11)
    w.paragraph(decision.needs_ml)


def _titled(w: TableWriter, title: str, headings: Sequence[str], rows: Sequence[Sequence[str]],
            widths: Sequence[float], *, heading_size: float = 13, sub: bool = False,
            size: float = 8, **options: Any) -> None:
    """A heading (``sub``: a bold line) and its table, the heading moved to the next page
    unless the table's header and first rows fit below it."""
    keep = w.table_lead(headings, rows, widths, size)
    if sub:
        w.subheading(title, keep=keep)
    else:
        w.heading(title, size=heading_size, keep=keep)
    w.table(headings, rows, widths, size=size, **options)


def _ranges(w: TableWriter, report: Report) -> None:
    _titled(w, "Key ranges", ["", "P10", "P50", "P80", "P90", "Mean"],
            [[row.label, *(row.shown[k] for k in ("p10", "p50", "p80", "p90", "mean"))]
             for row in report.ranges], (1.6, 1, 1, 1, 1, 1), numeric=(1, 2, 3, 4, 5), size=8.5)
    # what the NPV counts rides on the cost line's type: a line more here moves the bridge
    # heading to page 2, and the RAG example on Letter paper to a seventh page
    w.paragraph(f"{cost_sentence(report.costs)} {report.npv_basis}".strip(), size=7.5)
    if report.team_cost_note:
        w.paragraph(report.team_cost_note, size=7.5)
    w.paragraph(f"Chance that the NPV is positive, P(NPV > 0): {report.p_npv_positive_shown}",
                style="B")
    w.paragraph(report.success.line, size=9)
    if report.npv_split:
        w.paragraph(report.npv_split, size=8.5)
    calibration = report.calibration
    w.paragraph(calibration.summary, size=9)
    about = " ".join(text for text in (calibration.description, calibration.attribution) if text)
    if about:
        w.paragraph(about, size=7, colour=GREY)  # the reference data's provenance, small print



def _bridge(w: TableWriter, report: Report, charts: Mapping[str, tuple[bytes, ChartSpec]]) -> None:
    """The bridge in words first (text flows on from the key ranges), then the waterfall."""
    w.heading("From the tasks to the P50 effort", keep=8)  # two lines of its text follow
    if report.bridge_note:
        w.paragraph(report.bridge_note, size=9)
    # the steps as one paragraph of text (a table would push the report past six pages)
    w.paragraph("Steps in person-days: " + "; ".join(
        f"{row.label} {row.whole_days}" for row in report.bridge) + ".", size=7, colour=GREY)
    if "bridge" in charts:
        png, spec = charts["bridge"]
        w.images([(png, spec.caption)], shrink=BRIDGE_SHRINK,
                 continued="From the tasks to the P50 effort (continued)")


def _feasibility(w: TableWriter, report: Report) -> None:
    fills = {row.level_label: hex_colour(LEVEL_COLOURS.get(row.level, "#777777"))
             for row in report.feasibility}
    _titled(w, "Feasibility by dimension", ["Dimension", "Score", "Light", "Reasons"],
            [[row.label, str(row.score), row.level_label, "\n".join(row.reasons)]
             for row in report.feasibility], (1.3, 0.5, 0.55, 5), numeric=(1,),
            fills={2: fills})


class _ChartImages(Mapping[str, tuple[bytes, ChartSpec]]):
    """The report's chart images by key, each waited for only when the layout reaches it: the
    helper sends them one by one as it draws them, so laying out the first charts overlaps
    drawing the later ones instead of waiting for all of them."""

    def __init__(self, specs: Sequence[ChartSpec], pending: chart_images.Pending) -> None:
        self._index = {chart.key: index for index, chart in enumerate(specs)}
        self._specs, self._pending = list(specs), pending

    def __getitem__(self, key: str) -> tuple[bytes, ChartSpec]:
        index = self._index[key]
        return self._pending.image(index), self._specs[index]

    def __contains__(self, key: object) -> bool:
        return key in self._index  # without waiting for the image, unlike Mapping's own

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)


def _charts(w: TableWriter, report: Report, charts: Mapping[str, tuple[bytes, ChartSpec]]) -> None:
    # the summary sentences first, so they fill the end of a page before the charts
    w.heading("Cost, effort and what drives the spread")
    w.bullets(report.sensitivity.lines, size=9)
    # where the weeks come from, here where the page has room, not in the key ranges
    w.paragraph(report.duration_basis, size=7, colour=GREY)
    pair = [(charts[key][0], charts[key][1].caption) for key in PAIRED if key in charts]
    if pair:
        w.images(pair)
    for key in ("tornado",):
        if key in charts:
            png, spec = charts[key]
            w.images([(png, spec.caption)], shrink=CHART_SHRINK)


def _rules_risks_steps(w: TableWriter, report: Report) -> None:
    if report.rules_fired:
        # "Chance" and "Multiplier" print whole at these widths (a test checks it); the wider
        # title and source columns make no row taller on Letter and some shorter on A4
        _titled(w, "Rules of thumb that fired",
                ["Rule", "Multiplier", "Chance", "Applies to", "Source"],
                [[r.title, _rule_multiplier(r), r.probability, r.applies_to, _rule_source(r)]
                 for r in report.rules_fired], (1.95, 1.2, 0.7, 1.6, 3.9), size=7.5)
        w.paragraph(f"{JUDGEMENT_NOTE} {report.rules_note}".strip(), size=7, colour=GREY)
    else:
        w.heading("Rules of thumb that fired")
        w.paragraph("No rule of thumb applied.")
    if report.rules_not_applied:
        w.subheading("Rules not applied")
        w.bullets([rule.line for rule in report.rules_not_applied], size=9)
    if report.rules_changed:
        w.subheading(RULES_CHANGED_HEADING)
        if report.rules_changed_note:
            w.paragraph(report.rules_changed_note, size=8.5)
        w.bullets(report.rules_changed, size=8.5)
    w.heading("Risks and conditions")
    w.subheading(report.decision.conditions_heading)
    w.bullets(report.decision.conditions, size=7.5)  # a no-go lists many: smaller keeps six pages
    # beside the conditions they come from (not under the scores: the charts must stay on
    # the first pages and the report within six)
    w.paragraph(f"How the decision is made: {' '.join(report.decision.policy)}", size=7,
                colour=GREY)
    w.subheading("Risks")
    w.bullets(report.risks, size=8)
    # the heading keeps its source line and the first stage's title and lines with it: alone
    # at the foot of a page, they read as a section with nothing in it
    w.heading("Next steps by stage", keep=32)
    if report.next_steps_sources:
        cited = "; ".join(source.plain for source in report.next_steps_sources)
        w.paragraph(f"Stages and steps after {cited}.", size=8)
    for stage in report.next_steps:
        marker = " (this decision)" if stage.current else ""
        w.subheading(f"{stage.label}{marker}: {stage.summary}")
        if stage.lead:
            w.paragraph(stage.lead, size=8.5)
        if stage.current:
            w.bullets(stage.steps, size=8.5)
        else:  # the other stages orient the reader: one smaller paragraph each keeps six pages
            w.paragraph(" ".join(stage.steps), size=8)
        if stage.gate:
            w.paragraph(f"Stage gate: {stage.gate}", size=8)


def _checks_assumptions(w: TableWriter, report: Report) -> None:
    _titled(w, "Technical checks", ["Check", "Status", "Result"],
            [[c.title, c.status_label, c.summary] for c in report.checks], (1.4, 0.6, 5),
            size=7.5)
    assumed = [a for a in report.assumptions if a.origin != USER_ORIGIN]
    if assumed:
        _titled(w, "Assumptions used",
                ["Assumption", "Value", "Unit", "From", "Source", "Checked"],
                [[a.label, a.value, a.unit, a.origin, _assumption_source(a), a.checked]
                 for a in assumed], (1.7, 0.95, 1.05, 0.8, 3.4, 0.9), size=7.5)
    else:
        w.heading("Assumptions used")
    given = [a for a in report.assumptions if a.origin == USER_ORIGIN]
    if given:  # the user's own values need no source column: one line each way saves a page
        w.paragraph("Given in the scenario instead of a default: " + "; ".join(
            f"{a.label} {a.value} {a.unit}" for a in given) + ".", size=7.5)


def _rule_source(rule: RuleRow) -> str:
    """Author and year with the quote: the table is narrow, the references give the rest."""
    if rule.citation is None:
        return rule.source
    return f"{rule.citation.brief}: \u201c{rule.quote}\u201d"


JUDGEMENT_NOTE = ("Multiplier ranges are mlpm's judgement unless marked as the source's "
                  "factor.")


def _rule_multiplier(rule: RuleRow) -> str:
    """The range, marked when the source gives it (a column saying "mlpm's judgement" on most
    rows made every row three lines and the RAG example seven pages)."""
    judged = rule.basis == RANGE_BASIS_LABELS["judgement"]
    return rule.multiplier if judged else f"{rule.multiplier} ({rule.basis})"


def _assumption_source(row: AssumptionRow) -> str:
    cited = "; ".join(source.brief for source in row.citations)
    return f"{row.source}; see {cited}" if cited else row.source


def _references(w: TableWriter, report: Report, size: float = 6.5) -> None:
    """The sources the report cites, one compact line each where it fits, each entry a link to
    its URL (URLs come from the bibliography, never from a user; shown without "https://")."""
    if not report.references:
        return
    pdf, height = w.pdf, size * LEADING
    pdf.ln(1.5)
    w.subheading("References", size=8, keep=2 * height)
    for reference in report.references:
        shown = reference.full.replace(reference.url, reference.url.removeprefix("https://"))
        lines = pdf.wrap(shown, pdf.epw, "", size)
        if pdf.will_page_break(height * len(lines)):
            pdf.add_page()
        top = pdf.get_y()
        w.lines(lines, size)
        if reference.url:
            pdf.link(pdf.l_margin, top, pdf.epw, pdf.get_y() - top, reference.url)
        pdf.ln(0.3)


def _appendix(w: TableWriter, report: Report) -> None:
    inputs = report.inputs
    tasks = (["Task", "Phase", "Role", "Optimistic", "Most likely", "Pessimistic"],
             [[t.name, t.phase, t.role, t.optimistic, t.most_likely, t.pessimistic]
              for t in inputs.tasks], (2.95, 1.6, 1.4, 0.9, 0.9, 0.9))
    # the heading keeps the "Tasks" line and the table's first rows with it
    w.heading("Appendix: inputs",
              keep=w.table_lead(*tasks, size=TASKS_SIZE) + 9.5 * LEADING + 1)
    _titled(w, "Tasks (person-days)", *tasks, sub=True, numeric=(3, 4, 5), size=TASKS_SIZE)
    _titled(w, "Team", ["Role", "FTE", "Day rate"],
            [[m.role, m.fte, m.day_rate] for m in inputs.team], (2, 1, 2), sub=True,
            size=TASKS_SIZE)
    _key_answers(w, inputs)


def _key_answers(w: TableWriter, inputs: InputsAppendix) -> None:
    """The key answers in two pairs of question and answer, without a row naming the columns
    (the pairs say what they are). What "(default)" means goes on the heading's own line, in
    the table's type: the appendix ends the report, and a line more there can start a page for
    the references alone (the generative-AI example on Letter paper)."""
    cells = [(f"{a.section}: {a.question}", a.answer) for a in inputs.answers]
    half = (len(cells) + 1) // 2
    left, right = cells[:half], [*cells[half:], ("", "")]
    widths = (2.2, 1.8, 2.2, 1.8)
    rows = [[*first, *second] for first, second in zip(left, right, strict=False)]
    w.subheading("Key answers", keep=w.table_lead((), rows, widths, KEY_ANSWERS_SIZE))
    beside = bool(inputs.default_note) and _beside_heading(w, "Key answers", inputs.default_note)
    w.table((), rows, widths, size=KEY_ANSWERS_SIZE)
    if inputs.default_note and not beside:
        w.paragraph(inputs.default_note, size=KEY_ANSWERS_SIZE)


def _beside_heading(w: TableWriter, heading: str, note: str, heading_size: float = 9.5) -> bool:
    """``note`` in small type to the right of the subheading just written, when it fits on
    that line; whether it did."""
    pdf = w.pdf
    end = pdf.get_y()
    top = end - 1 - heading_size * LEADING  # ``subheading``: one line, then 1 mm
    pdf.set_font(FAMILY, "B", heading_size)
    start = pdf.l_margin + pdf.get_string_width(heading) + 3
    pdf.set_font(FAMILY, "", KEY_ANSWERS_SIZE)
    if pdf.get_string_width(note) > pdf.l_margin + pdf.epw - start:
        return False
    # centred in a cell as tall as the heading's, raised a little less than smaller type is
    pdf.set_xy(start, top + (heading_size - KEY_ANSWERS_SIZE) * 0.12)
    pdf.cell(pdf.l_margin + pdf.epw - start, heading_size * LEADING, note)
    pdf.set_xy(pdf.l_margin, end)
    return True


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


def _pdf_sized(chart: ChartSpec) -> dict[str, object]:
    """A chart's spec at its PDF size: the pair side by side, the bridge compact and without
    its title (the section heading says it), the others no taller than ``PDF_CHART_HEIGHT``."""
    if chart.key in PAIRED:
        return {**chart.spec, **PAIRED_SIZE}
    if chart.key == "bridge":
        rows = len(chart.spec["layer"][0]["data"]["values"])
        return {**chart.spec, "title": "", "height": BRIDGE_ROW_HEIGHT * rows}
    return {**chart.spec, "height": min(chart.spec.get("height", PDF_CHART_HEIGHT),
                                        PDF_CHART_HEIGHT)}


def render_pdf(report: Report, paper: Paper = "A4") -> bytes:
    """The whole report as PDF bytes."""
    specs = [chart for chart in report.charts if chart.key in PDF_CHARTS]
    drawn = [_pdf_sized(chart) for chart in specs]
    with chart_images.submit(drawn, "png", CHART_SCALE) as pending:
        running = (f"{report.title.project} · {report.title.stage} stage · "
                   f"{report.decision.label}")
        pdf = new_pdf(paper, running, f"mlpm report · {report.title.date}")
        pdf.use_fallback_for("".join(strings(report.model_dump(exclude={"charts"}))))
        pdf.set_title(pdf_text(report.title.project).replace("\n", " "))
        pdf.set_author(pdf_text(report.title.owner).replace("\n", " "))
        pdf.set_creator(report.title.generated_by)
        # the report's date, not the clock: the same report on the same day gives the same bytes
        pdf.set_creation_date(dt.datetime.combine(dt.date.fromisoformat(report.title.date),
                                                  dt.time(), tzinfo=dt.UTC))
        pdf.add_page()
        w = TableWriter(pdf)
        _title_page(w, report)
        images = _ChartImages(specs, pending)
        _ranges(w, report)
        _bridge(w, report, images)
        _feasibility(w, report)
        _charts(w, report, images)
    _rules_risks_steps(w, report)
    _checks_assumptions(w, report)
    _appendix(w, report)
    _references(w, report)
    return bytes(pdf.output())
