"""`mlpm estimate --format pdf` when a chart cannot be drawn: exit 2 and one line, never an
abort with a Rust backtrace."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from mlpm_cli.main import main
from tests.conftest import EXAMPLES_DIR, ROOT

pytestmark = pytest.mark.usefixtures("data_dir")  # a private, empty store for every command
FRAUD = EXAMPLES_DIR / "fraud_card_payments.json"


def test_a_chart_drawer_crash_is_exit_2_with_one_readable_line(crashing_helper, tmp_path,
                                                               capsys):
    """The export fails with the usage exit status and one line naming the chart."""
    out = tmp_path / "report.pdf"
    code = main(["estimate", str(FRAUD), "--format", "pdf", "-o", str(out), "--trials", "5000"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("mlpm: error: ") and err.count("\n") == 1
    assert "could not be drawn" in err
    assert not out.exists()


@pytest.mark.slow
@pytest.mark.parametrize("hostile", ["\u0001", "\ufffe", "\x1b[31mred\x1b[0m", "a\u2028b",
                                     "😀" * 40])
def test_a_task_name_that_aborted_the_drawer_gives_a_pdf_or_one_line(tmp_path, hostile):
    """The names that made vl-convert abort (exit 134 with a backtrace) or broke Vega's
    parser: the command, in a process of its own, either refuses the file in one line
    (exit 2) or writes the PDF (exit 0)."""
    scenario = json.loads(FRAUD.read_text(encoding="utf-8"))
    for number, task in enumerate(scenario["tasks"]):  # so the name reaches the tornado
        task["name"] = f"Feature {hostile} store {number}"
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(scenario), encoding="utf-8")
    out = tmp_path / "report.pdf"
    done = subprocess.run([sys.executable, "-m", "mlpm_cli.main", "estimate", str(path),
                           "--format", "pdf", "-o", str(out), "--trials", "5000"],
                          capture_output=True, text=True, cwd=ROOT, timeout=300, check=False)
    assert done.returncode in (0, 2), done.stderr
    assert "panicked" not in done.stderr and "Traceback" not in done.stderr
    if done.returncode == 0:
        assert out.read_bytes().startswith(b"%PDF")
    else:
        assert done.stderr.startswith("mlpm: error: ") and done.stderr.count("\n") == 1
