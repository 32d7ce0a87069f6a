"""A heading moves to the next page unless what it must keep fits below it, its own lines and
the space around them included."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from pypdf import PdfReader

from mlpm_core.report.pdf_layout import LEADING, Writer, new_pdf


@pytest.mark.parametrize("spare", [0.5, 2.5])
def test_a_heading_without_room_for_its_keep_and_its_spacing_moves_to_the_next_page(spare):
    """Place the cursor so that the heading's line and ``keep`` fit but not the 3 mm of space
    around it: the heading must start a new page (it used to stay, alone at the foot)."""
    pdf = new_pdf("A4", "running", "footer")
    pdf.add_page()
    writer, size, keep = Writer(pdf), 13.0, 30.0
    pdf.set_y(pdf.page_break_trigger - size * LEADING - keep - spare)
    writer.heading("Appendix: inputs", size=size, keep=keep)
    assert pdf.page_no() == 2
    # and what it keeps then fits below it
    assert not pdf.will_page_break(keep)


def test_a_heading_with_room_stays_on_its_page():
    pdf = new_pdf("A4", "running", "footer")
    pdf.add_page()
    writer = Writer(pdf)
    pdf.set_y(pdf.page_break_trigger - 13 * LEADING - 30 - 10)
    writer.heading("Appendix: inputs", size=13, keep=30)
    assert pdf.page_no() == 1


def _png(width: int, height: int) -> bytes:
    """A blank PNG of that size."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("room", [10.0, 200.0])
def test_a_chart_moved_to_the_next_page_is_headed_there(room):
    """The bridge's waterfall opened page 2 with no heading (its section's heading and text
    were at the foot of page 1): a chart that moves carries its 'continued' heading along;
    one that fits needs none."""
    pdf = new_pdf("A4", "running", "footer")
    pdf.add_page()
    writer = Writer(pdf)
    pdf.set_y(pdf.page_break_trigger - room)
    writer.images([(_png(800, 300), "caption")], continued="Bridge (continued)")
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(bytes(pdf.output()))).pages]
    moved = room < 100
    assert len(pages) == (2 if moved else 1)
    assert ("Bridge (continued)" in pages[-1]) is moved
    assert "Bridge (continued)" not in pages[0]
