"""The PDF report: figures match the JSON estimate, 2-6 non-blank pages, paper sizes, the
reference class behind the estimator bias, and any user text (accents, CJK, markup, the
naughty-strings list) printed literally."""

from __future__ import annotations

import ast
import io
import json
import re
import shutil
import subprocess
import unicodedata
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from fontTools.ttLib import TTFont
from PIL import Image
from pypdf import PdfReader

from mlpm_core.assessment.run import run_estimate
from mlpm_core.calibration.reference_class import ReferenceClass
from mlpm_core.report.model import USER_ORIGIN, bridge_rows, build_report
from mlpm_core.report.numbers import format_days, format_simulated_money
from mlpm_core.report.render import render
from mlpm_core.scenario.document import load_scenario
from mlpm_core.scenario.labels import DECISION_LABELS
from mlpm_core.store.reference_classes import reference_for, save_reference_class
from tests.conftest import BIBLIOGRAPHY_URLS, DATA, EXAMPLES, ROOT, naughty_strings

FONTS = DATA / "fonts"
UNICODE_NAME = "Café – 東京 — Ünïcödé"
HOSTILE_NAMES = ("<script>alert(1)</script>", "**bold** _it_ {nb} <b>x</b>",
                 ") Tj ET BT /F1 99 Tf (x", "%PDF-1.4 <</JavaScript (app.alert(1))>>",
                 "\\ backslash ( paren", "O'Brien & \"Sons\" <br>")
POINTS_PER_MM = 72 / 25.4


@cache
def estimate_of(path: Path):
    """The example simulated with 5,000 trials (cached: each PDF test reuses it)."""
    return run_estimate(load_scenario(path), trials=5000)


@cache
def pdf_of(path: Path, paper: str = "A4") -> bytes:
    """The example's PDF report (cached)."""
    return render(estimate_of(path), "pdf", paper=paper)  # type: ignore[arg-type]


def pdf_text(pdf: bytes) -> str:
    """All text of a PDF, page after page, as pypdf extracts it."""
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def squeeze(text: str) -> str:
    """Text without whitespace, so a line wrapped inside a table cell still matches."""
    return re.sub(r"\s+", "", text)


def with_names(path: Path, project: str, tasks: list[str] | None = None):
    """An example scenario renamed: project name and, optionally, one task per name."""
    scenario = load_scenario(path)
    update: dict[str, object] = {
        "project": scenario.project.model_copy(update={"name": project})}
    if tasks is not None:
        template = scenario.tasks[0]
        update["tasks"] = [template.model_copy(update={"name": name}) for name in tasks]
    return run_estimate(scenario.model_copy(update=update), trials=5000)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.stem)
def test_pdf_shows_the_decision_project_and_key_figures_of_the_json(path):
    """Decision, project name and P50/P80 cost and effort match the JSON estimate."""
    estimate = json.loads(render(estimate_of(path), "json"))
    currency = estimate_of(path).scenario.project.currency
    text = pdf_text(pdf_of(path))
    assert DECISION_LABELS[estimate["decision"]] in text
    assert estimate_of(path).scenario.project.name in text
    for key in ("p50", "p80"):
        assert format_simulated_money(estimate["cost"][key], currency) in text
        assert format_days(estimate["effort_days"][key]) in text


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.stem)
def test_pdf_names_the_reference_class_and_its_data_points(path):
    """The PDF states which reference class set the estimator bias, from how many finished
    tasks and projects, and whose data it is."""
    reference = estimate_of(path).simulation.model.reference
    text = squeeze(pdf_text(pdf_of(path)))
    assert squeeze(f"reference class '{reference.name}' from {reference.n_points:,} finished "
                   f"tasks ({reference.n_groups} projects)") in text
    assert squeeze(f"a median x{reference.bias_median:.2f} of their estimate") in text
    assert squeeze("SiP Task Effort Estimation, 2019") in text


def test_pdf_prints_a_user_reference_class_literally(data_dir):
    """A saved class's name, size and hostile description come out of the PDF as typed."""
    description = HOSTILE_NAMES[3]
    save_reference_class(ReferenceClass(name="team-7", n_points=1234, mu=0.1, sigma=0.5,
                                        shared_mu=0.2, shared_sigma=0.3, n_groups=3,
                                        description=description))
    scenario = load_scenario(EXAMPLES[0])
    mine = scenario.model_copy(update={"simulation": scenario.simulation.model_copy(
        update={"reference_class": "team-7"})})
    result = run_estimate(mine, trials=5000, reference=reference_for(mine))
    text = squeeze(pdf_text(render(result, "pdf")))
    assert squeeze("reference class 'team-7' from 1,234 finished tasks (3 projects)") in text
    assert squeeze(description) in text


def test_pdf_says_when_the_estimator_bias_is_switched_off():
    """With correlation off the PDF names no class and says the bias is switched off."""
    scenario = load_scenario(EXAMPLES[0])
    off = scenario.model_copy(update={"simulation": scenario.simulation.model_copy(
        update={"correlation": False})})
    text = squeeze(pdf_text(render(run_estimate(off, trials=5000), "pdf")))
    assert squeeze("Estimator bias: correlation switched off") in text
    assert squeeze("reference class") not in text


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.stem)
@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_every_example_fits_two_to_six_pages(path, paper):
    """Each example's report is 2 to 6 pages on A4 and on Letter."""
    assert 2 <= len(PdfReader(io.BytesIO(pdf_of(path, paper))).pages) <= 6


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.stem)
def test_no_page_is_blank(path, tmp_path):
    """Every page rendered by pdftoppm has visible content (pixel variance well above 0)."""
    source = tmp_path / "report.pdf"
    source.write_bytes(pdf_of(path))
    subprocess.run(["pdftoppm", "-r", "30", "-gray", "-png", str(source),
                    str(tmp_path / "page")], check=True, timeout=60)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == len(PdfReader(io.BytesIO(pdf_of(path))).pages)
    for page in pages:
        pixels = np.asarray(Image.open(page), dtype=float)
        assert pixels.std() > 5, page.name


@pytest.mark.parametrize(("paper", "size_mm"), [("A4", (210, 297)), ("Letter", (215.9, 279.4))])
def test_paper_size_is_a4_by_default_and_letter_on_request(paper, size_mm):
    """Every page has the requested paper size."""
    reader = PdfReader(io.BytesIO(pdf_of(EXAMPLES[0], paper)))
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert width == pytest.approx(size_mm[0] * POINTS_PER_MM, abs=0.5)
        assert height == pytest.approx(size_mm[1] * POINTS_PER_MM, abs=0.5)


@pytest.mark.slow
def test_unicode_project_and_task_names_print_literally():
    """Accents, CJK and dashes are embedded in fonts and come back out of the PDF text."""
    result = with_names(EXAMPLES[0], UNICODE_NAME, [UNICODE_NAME + " task", "Ελληνικά и кириллица"])
    pdf = render(result, "pdf")
    text = pdf_text(pdf)
    assert UNICODE_NAME in text
    assert squeeze(UNICODE_NAME + " task") in squeeze(text)
    assert "Ελληνικά и кириллица" in text
    assert b"/FontFile2" in pdf  # the TrueType fonts are embedded, not referenced


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_markup_and_pdf_syntax_in_names_print_as_plain_text(name):
    """Markdown, HTML, the {nb} alias and PDF operators in a name are printed, not obeyed."""
    result = with_names(EXAMPLES[0], name, [name])
    pdf = render(result, "pdf")
    assert squeeze(name) in squeeze(pdf_text(pdf))
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata.title == name  # an escaped string, not PDF syntax
    catalog = reader.trailer["/Root"]
    assert "/Names" not in catalog and "/AA" not in catalog
    assert isinstance(catalog.get("/OpenAction", []), list)  # a page view, not an action
    # no actions; the only links are the reference list's, to the bibliography's own URLs
    links = [annotation.get_object() for page in reader.pages
             for annotation in page.get("/Annots", [])]
    assert links and all(link["/Subtype"] == "/Link" and link["/A"]["/S"] == "/URI"
                         for link in links)
    assert {link["/A"]["/URI"] for link in links} <= BIBLIOGRAPHY_URLS


def test_pdf_code_never_interprets_user_text_as_markup():
    """The PDF renderer calls no write_html and never turns markdown on."""
    source = "\n".join((ROOT / "mlpm_core" / "report" / name).read_text(encoding="utf-8")
                       for name in ("pdf.py", "pdf_layout.py"))
    calls = [node for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Call)]
    names = {node.func.attr for node in calls if isinstance(node.func, ast.Attribute)}
    assert "write_html" not in names and "write" not in names
    for node in calls:
        for keyword in node.keywords:
            if keyword.arg == "markdown":
                assert isinstance(keyword.value, ast.Constant) and keyword.value.value is False


def _covered() -> set[int]:
    codepoints: set[int] = set()
    for font in FONTS.glob("*.ttf"):
        codepoints |= set(TTFont(font, lazy=True).getBestCmap())
    return codepoints


def _printable(text: str, covered: set[int]) -> bool:
    """A string the shipped fonts can draw and pypdf can give back in order: no controls,
    no invisible format characters, no right-to-left script (drawn unshaped, extracted
    reordered)."""
    return bool(text.strip()) and len(text) <= 200 and all(
        ord(char) in covered
        and unicodedata.category(char) not in {"Cc", "Cf", "Co", "Cs", "Zl", "Zp"}
        and unicodedata.bidirectional(char) not in {"R", "AL"} for char in text)


@pytest.mark.slow
def test_naughty_strings_as_task_names_print_literally():
    """Every naughty string the fonts cover prints literally in the tasks table."""
    covered = _covered()
    strings = [text for text in naughty_strings() if _printable(text, covered)]
    assert len(strings) > 400
    text = squeeze(pdf_text(render(with_names(EXAMPLES[0], "Naughty strings", strings), "pdf")))
    missing = [item for item in strings if squeeze(item) not in text]
    assert missing == []


@pytest.mark.slow
def test_every_naughty_string_renders_without_error():
    """The whole list, controls, emoji and right-to-left text included, gives a valid PDF."""
    strings = [text for text in naughty_strings() if 1 <= len(text) <= 200]
    project = next(text for text in strings if "<script" in text)
    pdf = render(with_names(EXAMPLES[0], project, strings), "pdf")
    assert pdf.startswith(b"%PDF-") and len(PdfReader(io.BytesIO(pdf)).pages) >= 2


def test_shipped_fonts_have_their_licences_and_stay_small():
    """Each embedded font ships with its licence text, and the fonts stay under 10 MB."""
    fonts = sorted(FONTS.glob("*.ttf"))
    assert {font.name for font in fonts} >= {"DejaVuSans.ttf", "DejaVuSans-Bold.ttf",
                                             "DroidSansFallbackFull.ttf", "NanumSquareR.ttf"}
    assert "Bitstream Vera" in (FONTS / "LICENSE-DejaVu.txt").read_text(encoding="utf-8")
    assert "Apache License" in (FONTS / "LICENSE-DroidSansFallback.txt").read_text(
        encoding="utf-8")
    assert "SIL OPEN FONT LICENSE" in (FONTS / "LICENSE-Nanum.txt").read_text(encoding="utf-8")
    assert sum(font.stat().st_size for font in fonts) < 10 * 1024 * 1024


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_the_first_two_pages_hold_the_bridge_steps_and_the_chance_of_success(path):
    """A sponsor reading only two pages sees every bridge step with its days and the chance
    of reaching the acceptability threshold."""
    result = estimate_of(path)
    pages = PdfReader(io.BytesIO(pdf_of(path))).pages
    # the running header and footer between the pages would split a paragraph that flows on
    body = [line for page in pages[:2] for line in page.extract_text().splitlines()
            if not line.startswith("mlpm report ·") and result.scenario.project.name not in line]
    first_two = squeeze("\n".join(body))
    assert squeeze("From the tasks to the P50 effort") in first_two
    for row in bridge_rows(result.estimate):
        assert squeeze(f"{row.label} {row.whole_days}") in first_two, row.label
    assert squeeze("Chance of reaching the acceptability threshold") in first_two


def test_pdf_lists_the_users_own_values_apart_from_the_assumed_ones():
    """The RAG example gives its own token prices: each is in the 'given in the scenario' line
    with its value, not in the assumptions table with a source column it does not have."""
    path = ROOT / "data/examples/genai_support_assistant.json"
    report = build_report(estimate_of(path), with_charts=False)
    given = [a for a in report.assumptions if a.origin == USER_ORIGIN]
    assumed = [a for a in report.assumptions if a.origin != USER_ORIGIN]
    assert given and assumed
    text = squeeze(pdf_text(pdf_of(path)))
    line = text.split(squeeze("Given in the scenario instead of a default:"))[1]
    for row in given:
        assert squeeze(f"{row.label} {row.value} {row.unit}") in line
    for row in assumed:
        assert squeeze(row.label) in text and squeeze(row.label) not in line


def test_a_range_too_wide_for_its_cell_breaks_after_its_dash_not_inside_a_number():
    """The assumptions table printed '3,750–15,00' over '0'."""
    from mlpm_core.report.pdf_layout import new_pdf

    pdf = new_pdf("A4", "title", "footer")
    text = "3,750\u201315,000"
    full = sum(pdf.char_widths(text, "", 7.5))
    assert pdf.wrap(text, full * 0.8 + 2.4, "", 7.5) == ["3,750\u2013", "15,000"]
    assert pdf.wrap("2026-11-23", 1000, "", 7.5) == ["2026-11-23"]  # fits: unbroken
