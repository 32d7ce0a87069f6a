"""Devices and the user's own cost lines appear by name in every report format and the JSON
estimate, a user's name escaped for the format it is shown in; examples without them keep their
PDF as it was (the one-line breakdown is only added when there is something of the user's)."""

from __future__ import annotations

import io
import json
import re
from functools import cache

from pypdf import PdfReader

from mlpm_cli.main import main
from mlpm_core.assessment.run import CostLine, run_estimate
from mlpm_core.report.costs import cost_rows, cost_sentence
from mlpm_core.report.model import build_report
from mlpm_core.report.render import render
from mlpm_core.scenario.document import load_scenario
from mlpm_core.scenario.model import Scenario
from tests.conftest import ROOT

HOSTILE = "<b>Gateway</b> *install* | [x](y)"
PLAIN = "Gateway support"


def edge_document() -> dict:
    """The predictive-maintenance project: 40 gateways with 2 GB and two own cost lines."""
    return {
        "project": {"name": "Predictive maintenance", "budget": 150000},
        "technical": {"platform": "on_device", "model_parameters_millions": 5,
                      "precision": "int8",
                      "device": {"count": 40, "ram_gb": 2, "accelerator": "npu",
                                 "unit_cost": [300, 500], "running_cost_per_year": [50, 90]}},
        "team": [{"role": "data_scientist", "fte": 1, "day_rate": [500, 800]},
                 {"role": "ml_engineer", "fte": 1, "day_rate": [500, 800]}],
        "tasks": [{"name": "Model", "phase": "experimentation", "role": "data_scientist",
                   "optimistic": 10, "most_likely": 20, "pessimistic": 40},
                  {"name": "Deploy", "phase": "production", "role": "ml_engineer",
                   "optimistic": 5, "most_likely": 10, "pessimistic": 20}],
        "costs": {"custom_lines": [
            {"name": HOSTILE, "paid": "one_off", "amount": [2000, 4000]},
            {"name": PLAIN, "paid": "yearly", "amount": [1000, 3000]}]},
        "value": {"annual_benefit": [50000, 150000]},
    }


@cache
def result():
    return run_estimate(Scenario.model_validate(edge_document()), trials=5000, seed=1)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_json_estimate_names_each_line(tmp_path, capsys):
    """`mlpm estimate` lists the devices and both lines, as typed, in its cost breakdown."""
    path = tmp_path / "edge.json"
    path.write_text(json.dumps(edge_document()), encoding="utf-8")
    assert main(["estimate", str(path), "--trials", "5000", "--seed", "1"]) == 0
    lines = json.loads(capsys.readouterr().out)["cost_breakdown"]
    labels = [line["label"] for line in lines]
    assert {"Devices (40 x unit cost)", "Devices running (40 x yearly cost)", HOSTILE,
            PLAIN} <= set(labels)
    assert labels.index("People") < labels.index(HOSTILE) < labels.index(PLAIN)


def test_markdown_lists_the_lines_with_the_users_name_escaped():
    """The table has the devices and both lines; the name's markup is inert text."""
    markdown = render(result(), "md").decode()
    section = markdown.split("## Where the money goes", 1)[1].split("## ", 1)[0]
    assert "| Devices \\(40 x unit cost\\) | One\\-off |" in section
    assert "&lt;b&gt;Gateway&lt;/b&gt; \\*install\\* \\| \\[x\\]\\(y\\)" in section
    assert "<b>" not in markdown
    assert f"| {PLAIN} | Per year |" in section


def test_html_lists_the_lines_with_the_users_name_escaped():
    """The HTML table names each line; the user's tags arrive as text, never as markup."""
    page = render(result(), "html").decode()
    assert "<td>Devices (40 x unit cost)</td><td>One-off</td>" in page
    assert "<td>&lt;b&gt;Gateway&lt;/b&gt; *install* | [x](y)</td>" in page
    assert f"<td>{PLAIN}</td><td>Per year</td>" in page
    assert "<b>Gateway" not in page


def test_the_pdf_names_each_line_and_fits_six_pages():
    """The PDF's one-line breakdown has the devices and both names as typed."""
    pdf = render(result(), "pdf")
    text = squeeze(pdf_text(pdf))
    for name in ("Meancostbypart:", "Devices(40xunitcost)", squeeze(HOSTILE),
                 squeeze(f"{PLAIN} USD"), "Devicesrunning(40xyearlycost)"):
        assert name in text, name
    assert len(PdfReader(io.BytesIO(pdf)).pages) <= 6


def test_every_pdf_says_what_the_money_is_for_running_costs_included():
    """The RAG example's PDF names each part with its mean, the yearly inference bill (what
    makes it a no-go) among them, as the Markdown lists them."""
    example = run_estimate(load_scenario(ROOT / "data/examples/genai_support_assistant.json"),
                           trials=5000, seed=1)
    text = squeeze(pdf_text(render(example, "pdf")))
    line = text.split("Meancostbypart:")[1]
    for row in build_report(example, with_charts=False).costs:
        assert squeeze(row.label) in line and squeeze(row.mean) in line
    assert "Inference" in render(example, "md").decode() and "ayear" in line


def test_the_inputs_appendix_has_the_device_answers_and_the_lines():
    """The key answers say how many devices, their RAM, accelerator and prices, and each own
    line with when it is paid."""
    markdown = render(result(), "md").decode()
    assert "40 / 2 GB / NPU / USD 300–500 once, USD 50–90 a year" in markdown
    assert f"{PLAIN} \\(yearly, USD 1,000–3,000\\)" in markdown


def test_a_part_costing_cents_reads_under_one_unit_not_zero():
    """A weekly batch of a small model costs cents of machine time a year: 'under EUR 1',
    never 'EUR 0'; whole amounts stay whole and a part of exactly 0 stays 0."""
    lines = [CostLine(key="people", label="People", paid="one_off", mean=32209.2),
             CostLine(key="serving", label="Serving replicas", paid="yearly", mean=0.17),
             CostLine(key="storage", label="Storage", paid="yearly", mean=0.0)]
    rows = cost_rows(lines, "EUR")
    assert [row.mean for row in rows] == ["EUR 32,200", "under EUR 1", "EUR 0"]
    assert "Serving replicas under EUR 1 a year" in cost_sentence(rows)
