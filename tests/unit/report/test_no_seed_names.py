"""No report format shows a seed file name: sources appear as citations by author and title."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from mlpm_core.assessment.run import run_estimate
from mlpm_core.report.model import build_report
from mlpm_core.report.render import render
from mlpm_core.report.task_csv import tasks_csv
from mlpm_core.scenario.document import load_scenario
from tests.conftest import EXAMPLES, SEED_NAME

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("path", EXAMPLES, ids=[path.stem for path in EXAMPLES])
def test_no_report_format_contains_a_seed_file_name(path):
    """Markdown, HTML, PDF text, the JSON estimate, the report model as JSON and the task CSV;
    the formats that cite say who wrote what (Thompson's title is in every report here) and
    end with the references."""
    result = run_estimate(load_scenario(path), trials=2000)
    outputs = {fmt: render(result, fmt).decode("utf-8") for fmt in ("md", "html", "json")}
    pdf = PdfReader(io.BytesIO(render(result, "pdf")))
    outputs["pdf"] = "\n".join(page.extract_text() for page in pdf.pages)
    outputs["report model"] = build_report(result, with_charts=False).model_dump_json()
    outputs["tasks csv"] = tasks_csv(result.scenario)
    for fmt, text in outputs.items():
        assert not SEED_NAME.search(text), fmt
    for fmt in ("md", "html", "pdf", "json"):
        assert "Thompson" in outputs[fmt], fmt
    for fmt in ("html", "pdf"):
        assert "Managing Machine Learning Projects" in outputs[fmt], fmt
    assert "Managing Machine Learning Projects" in outputs["md"].replace("\\", "")

    # each report ends with the list of the sources it cites
    assert outputs["md"].rsplit("\n## ", 1)[1].startswith("References\n")
    assert outputs["html"].rsplit("<h2>", 1)[1].startswith("References</h2>")
    assert "References" in pdf.pages[-1].extract_text()
