"""One entry point from an estimate to a report file: PDF, HTML, Markdown or JSON bytes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from mlpm_core.assessment import EstimateResult

ReportFormat = Literal["pdf", "html", "md", "json"]
Paper = Literal["A4", "Letter"]
FORMATS: tuple[ReportFormat, ...] = ("json", "md", "html", "pdf")
MEDIA_TYPES = {"pdf": "application/pdf", "html": "text/html; charset=utf-8",
               "md": "text/markdown; charset=utf-8", "json": "application/json"}
CHARTS_LEFT_OUT = ("The charts were left out of this report because they could not be drawn; "
                   "every figure they show is in the tables and text.")


def render(result: EstimateResult, fmt: ReportFormat, paper: Paper = "A4",
           version: int | None = None, charts_left_out: bool = False) -> bytes:
    """The estimate as a report in ``fmt``; ``version`` is the stored scenario version, if any.

    JSON is the estimate itself (``Estimate``, what ``mlpm estimate`` prints); the other formats
    draw one report model, so they show the same figures. A PDF or HTML report raises
    ``ChartRenderError`` when its charts cannot be drawn; ``charts_left_out`` then gives the
    report without them, saying so on its first page.
    """
    if fmt == "json":
        return (result.estimate.model_dump_json(indent=2) + "\n").encode("utf-8")
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if paper not in ("A4", "Letter"):
        raise ValueError(f"unknown paper size {paper!r}; choose A4 or Letter")
    from mlpm_core.report.model import build_report

    report = build_report(result, version=version,
                          with_charts=fmt != "md" and not charts_left_out)
    if charts_left_out and fmt != "md":
        report = report.model_copy(update={"charts_note": CHARTS_LEFT_OUT})
    if fmt == "md":
        from mlpm_core.report.markdown import render_markdown

        return render_markdown(report).encode("utf-8")
    if fmt == "html":
        from mlpm_core.report.html import render_html

        return render_html(report).encode("utf-8")
    from mlpm_core.report.pdf import render_pdf

    return render_pdf(report, paper)
