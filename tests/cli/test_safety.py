"""Hostile or mistaken input to the command line ends in one readable line and exit status 2:
devices and pipes, numbers no fit can use, very wide files, escape characters, reserved names
and reference classes the store does not have."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from pypdf import PdfReader

from mlpm_cli.main import main
from mlpm_core.calibration.reference_class import ReferenceClass
from mlpm_core.store import list_reference_classes, load_reference_class, save_reference_class
from tests.conftest import EXAMPLES, ROOT

pytestmark = pytest.mark.usefixtures("data_dir")  # a private, empty store for every command


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mlpm_cli.main", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=120, stdin=subprocess.DEVNULL,
                          env=os.environ.copy())


def one_error_line(result: subprocess.CompletedProcess) -> str:
    """The single line a refused command prints, after checking it is just that."""
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("mlpm: error: ")
    return result.stderr


def scenario_file(tmp_path, **simulation: object):
    document = json.loads(EXAMPLES[0].read_text(encoding="utf-8"))
    document["simulation"].update(simulation)
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_validate_refuses_a_device_a_pipe_and_a_folder(tmp_path):
    """`mlpm validate /dev/zero` used to read until memory ran out; a FIFO waited for ever."""
    fifo = tmp_path / "scenario.json"
    os.mkfifo(fifo)
    for path, kind in (("/dev/zero", "a device"), (str(fifo), "a pipe"),
                       (str(tmp_path), "a folder")):
        line = one_error_line(run_cli("validate", path))
        assert f"{path} is {kind}, not a regular file" in line


@pytest.mark.parametrize(("rows", "problem"), [
    ("X,5e-324,1\nY,2,3\nZ,3,4\n", "value '5e-324' is below the smallest amount, 0.001"),
    ("X,1e-300,1e308\nY,2,3\nZ,3,4\n", "value '1e-300' is below the smallest amount"),
])
def test_calibrate_refuses_amounts_that_overflowed_the_fit(tmp_path, rows, problem):
    """These rows made `mlpm calibrate` exit 70 with a pydantic dump; now exit 2, one line."""
    path = tmp_path / "done.csv"
    path.write_text("task,est,act\n" + rows, encoding="utf-8")
    line = one_error_line(run_cli("calibrate", str(path), "--estimate-col", "est",
                                  "--actual-col", "act"))
    assert f"Column 'est', row 1: {problem}" in line


def test_interval_refuses_an_estimate_out_of_range(capsys):
    """A --estimate given on the command line is checked like a CSV amount."""
    assert main(["interval", "--estimate", "1e308"]) == 2
    assert "every --estimate must be a positive number from 0.001 to 1,000,000,000" in (
        capsys.readouterr().err)


def test_a_csv_with_20000_columns_gets_a_short_line_naming_the_problem(tmp_path):
    """The whole header used to be quoted: a 189 KB error line."""
    path = tmp_path / "wide.csv"
    header = ",".join(f"column{i}" for i in range(20_000))
    path.write_text(header + "\n" + ",".join("1" for _ in range(20_000)) + "\n")
    line = one_error_line(run_cli("calibrate", str(path), "--estimate-col", "est",
                                  "--actual-col", "act"))
    assert "wide.csv has 20,000 columns; an actuals file may have at most 1,000" in line
    assert len(line) < 200


def test_an_escape_character_in_a_key_reaches_the_terminal_escaped(tmp_path):
    """An unknown key holding ESC and U+2028 is quoted in the message as visible escapes."""
    document = json.loads(EXAMPLES[0].read_text(encoding="utf-8"))
    document["project"]["\x1b[31mred\u2028x"] = 1
    path = tmp_path / "keys.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    for command in ("validate", "estimate"):
        line = one_error_line(run_cli(command, str(path)))
        assert "\x1b" not in line and "\u2028" not in line
        assert "\\x1b[31mred\\u2028x" in line


@pytest.mark.parametrize("name", ["default", "Default"])
def test_calibrate_refuses_a_reserved_name_and_leaves_the_shipped_class(tmp_path, capsys, name):
    """`--name default` silently replaced the shipped class for every scenario in the store."""
    shipped = load_reference_class("default")
    path = tmp_path / "done.csv"
    path.write_text("est,act\n1,2\n2,3\n3,5\n4,4\n5,9\n", encoding="utf-8")
    assert main(["calibrate", str(path), "--estimate-col", "est", "--actual-col", "act",
                 "--name", name]) == 2
    err = capsys.readouterr().err
    assert f"The reference class name '{name}' is reserved" in err and err.count("\n") == 1
    assert load_reference_class("default") == shipped
    assert list_reference_classes() == {"default": "shipped"}


def test_validate_refuses_a_reference_class_that_estimate_would_refuse(tmp_path, capsys):
    """validate used to accept a class that does not exist, which estimate then refused."""
    path = scenario_file(tmp_path, reference_class="nosuch", correlation=True)
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "simulation.reference_class: No reference class named 'nosuch'" in err
    assert main(["estimate", str(path), "--trials", "5000"]) == 2
    assert "No reference class named 'nosuch'" in capsys.readouterr().err


def test_validate_finds_a_class_saved_in_the_store_it_uses(tmp_path, capsys):
    """A class saved in this store is found, so the scenario is valid."""
    save_reference_class(ReferenceClass(name="team-7", n_points=12, p_exact=0.1, mu=0.2,
                                        sigma=0.5))
    path = scenario_file(tmp_path, reference_class="team-7", correlation=True)
    assert main(["validate", str(path)]) == 0
    assert "valid scenario" in capsys.readouterr().out


def test_validate_only_notes_a_missing_class_while_the_bias_is_off(tmp_path, capsys):
    """With the estimator bias off the class is not used (estimate runs): a note, exit 0."""
    path = scenario_file(tmp_path, reference_class="nosuch", correlation=False)
    assert main(["validate", str(path)]) == 0
    captured = capsys.readouterr()
    assert "valid scenario" in captured.out
    assert captured.err.startswith("mlpm: note: simulation.reference_class: No reference class "
                                   "named 'nosuch'")
    assert main(["estimate", str(path), "--trials", "5000"]) == 0


def test_a_pdf_with_korean_japanese_and_chinese_names_prints_no_font_warning(tmp_path):
    """Hangul used to vanish from the PDF with exit 0 and a missing-glyph warning on stderr."""
    document = json.loads(EXAMPLES[0].read_text(encoding="utf-8"))
    document["project"]["name"] = "한국어 수요 예측 · ひらがな カタカナ · 简体中文 繁體中文"
    path = tmp_path / "cjk.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "cjk.pdf"
    result = run_cli("estimate", str(path), "--format", "pdf", "--trials", "5000", "-o", str(out))
    assert (result.returncode, result.stderr) == (0, "")
    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    for name in ("한국어 수요 예측", "ひらがな カタカナ", "简体中文 繁體中文"):
        assert name in text
