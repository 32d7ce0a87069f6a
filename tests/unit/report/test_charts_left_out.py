"""A report whose charts cannot be drawn: a readable error, or the report without charts."""

from __future__ import annotations

import io
from functools import cache

import pytest
from pypdf import PdfReader

from mlpm_core.assessment.run import run_estimate
from mlpm_core.charts import images
from mlpm_core.errors import UserError
from mlpm_core.report.render import CHARTS_LEFT_OUT, render
from mlpm_core.scenario.document import load_scenario
from tests.conftest import EXAMPLES_DIR


@cache
def fraud():
    """The fraud example simulated with 5,000 trials (cached)."""
    return run_estimate(load_scenario(EXAMPLES_DIR / "fraud_card_payments.json"), trials=5000)


def pdf_text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize("fmt", ["pdf", "html"])
def test_a_report_whose_charts_fail_raises_one_readable_user_error(crashing_helper, fmt):
    """The front end gets a UserError it can show as one line, naming a chart."""
    with pytest.raises(UserError) as raised:
        render(fraud(), fmt)
    message = str(raised.value)
    assert isinstance(raised.value, images.ChartRenderError)
    assert "could not be drawn" in message and "\n" not in message


def test_the_pdf_without_charts_says_so_and_keeps_the_figures(crashing_helper):
    """`charts_left_out` draws no chart (the crashing helper is never asked) and says why on
    the first page; the figures are still there."""
    pdf = render(fraud(), "pdf", charts_left_out=True)
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    first = " ".join(reader.pages[0].extract_text().split())
    assert " ".join(CHARTS_LEFT_OUT.split()[:6]) in first
    assert not any(page.images for page in reader.pages)
    assert "Key ranges" in pdf_text(pdf)


def test_the_html_without_charts_says_so_and_has_no_svg(crashing_helper):
    """The HTML report without charts carries the note and no inline SVG."""
    page = render(fraud(), "html", charts_left_out=True).decode()
    assert CHARTS_LEFT_OUT in page and "<svg" not in page


def test_a_normal_report_has_no_note_about_missing_charts():
    """With a working helper the note never appears."""
    page = render(fraud(), "html").decode()
    assert "<svg" in page and CHARTS_LEFT_OUT not in page
