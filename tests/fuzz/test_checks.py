"""The fuzz suite's checks can fail: each one, given the defect it looks for, raises."""

from __future__ import annotations

import io

import pytest
from fpdf import FPDF

from tests.fuzz import checks
from tests.fuzz.export_runner import ABORT_ON, Outcome, export_all

SAFE_MARKDOWN = "# Report\n\n| Task | Days |\n| --- | --- |\n| \\<b\\> \\| x | 3 |\n"
SAFE_HTML = ('<!DOCTYPE html><html><head><meta charset="utf-8">'
             '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'">'
             '</head><body><h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>'
             '<svg><path aria-label="javascript:alert(1)"></path></svg></body></html>')


@pytest.mark.parametrize("message", [
    "first line\nsecond line", "carriage\rreturn", "escape \x1b[31m red", "nul \x00",
    "separator \u2028 inside", "override \u202e txet", "Traceback (most recent call last):",
    "x" * 700, ""])
def test_a_message_that_is_not_one_readable_line_fails(message):
    with pytest.raises(AssertionError):
        checks.assert_one_readable_line(message)


def test_a_readable_line_with_a_tab_and_a_final_newline_passes():
    checks.assert_one_readable_line("mlpm: error: tasks[1].name: a\ttab is fine\n")


@pytest.mark.parametrize("raw", ['{"cost": NaN}', '{"cost": Infinity}', '{"cost": -Infinity}',
                                 '{"cost": {"p50": null}}', '{"cost": [1, 1e999]}'])
def test_json_with_a_figure_that_is_not_finite_fails(raw):
    with pytest.raises(AssertionError):
        checks.finite_json(raw)


def test_finite_json_passes_and_parses():
    assert checks.finite_json('{"cost": {"p50": 1.5, "n": [1, 2]}}') == {
        "cost": {"p50": 1.5, "n": [1, 2]}}


@pytest.mark.parametrize("markdown", [
    "# Report\n\n<script>alert(1)</script>\n",            # raw HTML
    "# Report\n\n[click](javascript:alert(1))\n",        # a link
    "# Report\n\n![x](http://evil.example/x.png)\n",     # an image
    "# Report\n\nsome `code` here\n",                    # code
    "# Report\n\n| a | b |\n| --- | --- |\n| x | y | z |\n",  # an injected table cell
    "# Report\n\n> quoted\n",                             # a block started by user text
    "# Report\n\n1) a list\n",
    "# Report\n\nTom & Jerry\n",                          # a raw ampersand
    "# Report\n\nline\u2028break\n",
    "# Report\n\nbell \x07\n"])
def test_markdown_with_user_markup_fails(markdown):
    with pytest.raises(AssertionError):
        checks.check_markdown(markdown)


def test_escaped_markdown_passes_and_shows_the_text():
    checks.check_markdown(SAFE_MARKDOWN, ["<b> | x"])
    with pytest.raises(AssertionError, match="missing"):
        checks.check_markdown(SAFE_MARKDOWN, ["not in the report"])


@pytest.mark.parametrize("page", [
    "<html><body><script>alert(1)</script></body></html>",
    "<html><body><img src=x onerror=alert(1)></body></html>",
    "<html><body><b onmouseover=alert(1)>x</b></body></html>",
    "<html><body><svg><a href=\"javascript:alert(1)\">x</a></svg></body></html>",
    "<html><body><p style=\"background:url(http://evil.example)\">x</p></body></html>",
    '<html><head><meta http-equiv="refresh" content="0;url=http://evil.example"></head></html>',
    "<html><body><iframe srcdoc=x></iframe></body></html>"])
def test_html_with_user_markup_fails(page):
    with pytest.raises(AssertionError):
        checks.check_html(page)


def test_escaped_html_passes_and_shows_the_text():
    checks.check_html(SAFE_HTML, ["<script>alert(1)</script>"])
    with pytest.raises(AssertionError, match="missing"):
        checks.check_html(SAFE_HTML, ["not in the page"])


def _pdf(pages: int, text: str) -> bytes:
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for _ in range(pages):
        pdf.add_page()
        pdf.cell(text=text)
    return bytes(pdf.output())


def test_a_pdf_check_fails_on_garbage_one_page_or_missing_text():
    with pytest.raises(AssertionError):
        checks.check_pdf(b"<html>not a pdf</html>")
    with pytest.raises(AssertionError):
        checks.check_pdf(_pdf(1, "Plain task"))
    with pytest.raises(AssertionError, match="missing"):
        checks.check_pdf(_pdf(2, "Plain task"), ["Other task"])
    checks.check_pdf(_pdf(2, "Plain task"), ["Plain task"])


@pytest.mark.parametrize(("cell", "name"), [
    ("=1+1", "=1+1"), ("+1", "+1"), ("-1", "-1"), ("@SUM(A1)", "@SUM(A1)"),
    ("\t=1", "\t=1"), ("\r=1", "\r=1"), ("renamed", "original")])
def test_a_csv_with_a_formula_or_a_changed_name_fails(cell, name):
    text = io.StringIO()
    text.write('name,phase\r\n"' + cell.replace('"', '""') + '",planning\r\n')
    with pytest.raises(AssertionError):
        checks.check_csv(text.getvalue().encode("utf-8"), [name])


def test_a_neutralised_csv_passes():
    raw = "\ufeffname,phase,days\r\n'=1+1,planning,-1\r\nplain,planning,3\r\n".encode()
    checks.check_csv(raw, ["=1+1", "plain"])
    with pytest.raises(AssertionError):
        checks.check_csv(raw, ["=1+1"])  # a row too many


def test_the_export_runner_reports_a_crash_and_carries_on(tmp_path, monkeypatch):
    """A child that aborts on one document is recorded as crashed, and the next document is
    still exported by a fresh child."""
    monkeypatch.setenv(ABORT_ON, "crash here")
    outcomes = export_all([{"project": "crash here"}, {"not": "a scenario"}], tmp_path)
    assert [outcome.status for outcome in outcomes] == ["crashed", "refused"]
    assert outcomes[1] == Outcome(1, "refused", outcomes[1].message)
    checks.assert_one_readable_line(outcomes[1].message)
