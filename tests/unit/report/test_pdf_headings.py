"""The PDF's section headings stay with what they introduce; table headers and figures never break
inside a word.

A heading left at the foot of a page, its table starting on the next, reads as an empty section;
a header cut mid-word ("Chanc" / "e") reads as a typo. Both are checked on the shipped examples,
on A4 and Letter, from the text the PDF holds.
"""

from __future__ import annotations

import io
import re
from functools import cache
from pathlib import Path

import pytest
from pypdf import PdfReader

from mlpm_core.assessment.run import run_estimate
from mlpm_core.report.model import USER_ORIGIN, Report, build_report
from mlpm_core.report.render import render
from mlpm_core.scenario.document import load_scenario
from tests.conftest import EXAMPLES

PAPERS = ("A4", "Letter")
# each table section's heading, and the first cell of its first row
FIRST_CELLS = {
    "Feasibility by dimension": lambda report: report.feasibility[0].label,
    "Rules of thumb that fired": lambda report: report.rules_fired[0].title,
    "Technical checks": lambda report: report.checks[0].title,
    # the table holds the defaults; values the scenario gave follow it in a line of their own
    "Assumptions used": lambda report: next(a for a in report.assumptions
                                            if a.origin != USER_ORIGIN).label,
    "Appendix: inputs": lambda report: report.inputs.tasks[0].name,
}
RULE_HEADERS = ("Rule", "Multiplier", "Chance", "Applies to", "Source")


@cache
def _result(path: Path):
    return run_estimate(load_scenario(path), trials=5000)


@cache
def pages_of(path: Path, paper: str) -> tuple[str, ...]:
    """The text of each page of the example's PDF, whitespace squeezed to single spaces."""
    pdf = render(_result(path), "pdf", paper=paper)  # type: ignore[arg-type]
    return tuple(re.sub(r"\s+", " ", page.extract_text())
                 for page in PdfReader(io.BytesIO(pdf)).pages)


def report_of(path: Path) -> Report:
    return build_report(_result(path))


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.stem)
def test_a_table_heading_shares_its_page_with_the_first_row(path, paper):
    """Wherever a table section's heading is printed, its first row follows on the same page
    (the fraud example on A4 left "Rules of thumb that fired" and the column names alone at the
    foot of page 2)."""
    report = report_of(path)
    for heading, first in FIRST_CELLS.items():
        page = next(text for text in pages_of(path, paper) if heading in text)
        after = page.split(heading, 1)[1]
        start = " ".join(first(report).split()[:2])
        assert start in after, f"{heading}: {start!r} is not on its page"


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.stem)
def test_the_rules_table_header_keeps_every_word_whole(path, paper):
    """Each column name of the rules table prints whole: "Chance", not "Chanc" over "e"."""
    heading = "Rules of thumb that fired"
    page = next(text for text in pages_of(path, paper) if heading in text)
    header = page.split(heading, 1)[1].split(report_of(path).rules_fired[0].title.split()[0])[0]
    words = header.split()
    for name in RULE_HEADERS:
        assert all(word in words for word in name.split()), (name, header)


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.stem)
def test_the_assumptions_table_prints_values_and_dates_whole(path, paper):
    """A value or a checked date is never cut inside a word ("2,000–4,00" over "0", "2026-11-2"
    over "3"): the columns are wide enough for the ledger's and the examples' figures."""
    words = set(" ".join(pages_of(path, paper)).split())
    for row in report_of(path).assumptions:
        for shown in (row.value, row.checked):
            assert all(word in words for word in shown.split()), (row.label, shown)
