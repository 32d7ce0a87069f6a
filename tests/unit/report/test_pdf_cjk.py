"""Korean, Japanese and Chinese names print in the PDF: each script has a font that draws it,
subset into the report, and the text comes back out of the PDF."""

from __future__ import annotations

import io
import logging
import re

from fontTools.ttLib import TTFont
from pypdf import PdfReader

from mlpm_core.assessment.run import run_estimate
from mlpm_core.report.pdf_layout import FALLBACK_FILES, FONT_DIR, fallback_order, is_hangul
from mlpm_core.report.render import render
from mlpm_core.scenario.document import load_scenario
from tests.conftest import EXAMPLES

KOREAN = "한국어 수요 예측"
JAPANESE = "ひらがな カタカナ 需要予測"
CHINESE = "简体中文 繁體中文 需求预测"
PROJECT = f"{KOREAN} · {JAPANESE}"
TASKS = [f"{KOREAN} 가나다 작업", f"{JAPANESE} タスク", f"{CHINESE} 任务"]


def render_names(project: str, tasks: list[str]) -> bytes:
    """The first example renamed, as a PDF."""
    scenario = load_scenario(EXAMPLES[0])
    template = scenario.tasks[0]
    renamed = scenario.model_copy(update={
        "project": scenario.project.model_copy(update={"name": project}),
        "tasks": [template.model_copy(update={"name": name}) for name in tasks]})
    return render(run_estimate(renamed, trials=5000, seed=7), "pdf")


def squeezed_text(pdf: bytes) -> str:
    """All text of the PDF without whitespace (a name may wrap inside a table cell)."""
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"\s+", "", text)


def embedded_fonts(pdf: bytes) -> set[str]:
    """Base names of the fonts embedded in the PDF, subset prefixes removed."""
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return names


def test_hangul_kana_and_chinese_names_come_back_out_of_the_pdf_without_a_font_warning(caplog):
    """Every Korean, Japanese and Chinese name is found in the extracted text, and fpdf2 logs no
    missing glyph (Hangul used to vanish with only that warning on stderr)."""
    with caplog.at_level(logging.WARNING):
        pdf = render_names(PROJECT, TASKS)
    text = squeezed_text(pdf)
    for name in (PROJECT, *TASKS):
        assert re.sub(r"\s+", "", name) in text, name
    assert [record.getMessage() for record in caplog.records
            if "missing" in record.getMessage()] == []
    assert {"NanumSquare", "DroidSansFallback"} <= {
        re.sub(r"(Regular|-.*)$", "", name) for name in embedded_fonts(pdf)}


def test_the_fonts_are_subset_so_a_cjk_report_stays_small():
    """Only the glyphs used are embedded: the report is a fraction of the 4.7 MB of fallback
    fonts it draws from."""
    pdf = render_names(PROJECT, TASKS)
    fonts = sum((FONT_DIR / name).stat().st_size for name in FALLBACK_FILES.values())
    assert len(pdf) < 600_000 < fonts


def test_a_latin_report_embeds_no_fallback_font():
    """A report DejaVu Sans can draw alone carries neither CJK font."""
    pdf = render_names("Demand forecast", ["Data audit", "Baseline model"])
    assert not {"NanumSquare", "DroidSansFallback"} & {
        re.sub(r"(Regular|-.*)$", "", name) for name in embedded_fonts(pdf)}


def test_hangul_is_drawn_by_the_hangul_font_and_han_by_droid():
    """A Korean word is drawn in one design, even for the few syllables Droid Sans Fallback
    also has; Chinese characters and kana come from Droid Sans Fallback."""
    droid = TTFont(FONT_DIR / FALLBACK_FILES["DroidFallback"]).getBestCmap()
    nanum = TTFont(FONT_DIR / FALLBACK_FILES["NanumSquare"]).getBestCmap()
    assert ord("가") in droid and ord("가") in nanum  # the case the order exists for
    assert all(ord(char) in nanum for char in KOREAN if not char.isspace())
    assert all(ord(char) in droid for char in JAPANESE + CHINESE if not char.isspace())
    assert [fallback_order(ord(char))[0] for char in "가ㄱ中ひ"] == [
        "NanumSquare", "NanumSquare", "DroidFallback", "DroidFallback"]
    assert is_hangul(ord("힣")) and not is_hangul(ord("中"))
