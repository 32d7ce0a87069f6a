"""No output of the mlpm command shows a seed file name."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from mlpm_cli.main import build_parser, main
from tests.conftest import EXAMPLES, SEED_NAME

pytestmark = pytest.mark.slow


def commands() -> list[str]:
    """Every sub-command the parser knows, so a new one is checked without editing this."""
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return sorted(action.choices)


def test_no_command_output_contains_a_seed_file_name(tmp_path, capsys):
    """Estimates in every format, validation, the schema and every command's help."""
    runs = [["--help"], *([name, "--help"] for name in commands()), ["validate", str(EXAMPLES[0])],
            ["schema"]]
    runs += [["estimate", str(path), "--trials", "5000", "--format", fmt]
             for path in EXAMPLES for fmt in ("json", "md")]
    runs += [["estimate", str(EXAMPLES[-1]), "--trials", "5000", "--format", "html"]]
    seen = []
    for argv in runs:
        try:
            status = main(argv)
        except SystemExit as stop:  # --help
            status = stop.code
        out = capsys.readouterr()
        assert status == 0, (argv, out.err)
        assert not SEED_NAME.search(out.out + out.err), argv
        seen.append(out.out)
    assert any("Thompson" in text for text in seen)  # the estimates do cite their sources
    pdf = tmp_path / "report.pdf"
    assert main(["estimate", str(EXAMPLES[-1]), "--trials", "5000", "--format", "pdf",
                 "-o", str(pdf)]) == 0
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.read_bytes())).pages)
    assert "Thompson" in text and not SEED_NAME.search(text + capsys.readouterr().out)
