"""The mlpm command as a user runs it: estimates, validation, schema, and clean failures."""

import gc
import json
import os
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlpm_cli.main import main
from tests.conftest import EXAMPLES, ROOT

# The keys of the JSON estimate, as the README's "Quickstart (command line)" lists them.
ESTIMATE_KEYS = {"decision", "reasons", "conditions", "feasibility", "effort_days",
                 "duration_weeks", "duration_weeks_overlapped", "cost", "cost_breakdown", "npv",
                 "roi", "payback_years", "p_npv_positive",
                 "npv_if_success", "npv_if_failure", "success", "rules_fired", "sensitivity",
                 "bridge", "warnings", "trials", "seed", "schema_version"}


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mlpm_cli.main", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_estimate_prints_exactly_the_estimate_keys_and_repeats_for_the_same_seed(path, capsys):
    """`mlpm estimate --format json` prints exactly the JSON estimate's keys, identically for one
    seed."""
    assert main(["estimate", str(path), "--trials", "5000", "--seed", "3"]) == 0
    first = capsys.readouterr().out
    assert main(["estimate", str(path), "--trials", "5000", "--seed", "3"]) == 0
    assert capsys.readouterr().out == first
    estimate = json.loads(first)
    assert set(estimate) == ESTIMATE_KEYS
    assert estimate["decision"] in {"go", "conditional", "no-go"}
    assert set(estimate["feasibility"]) == {"data", "difficulty", "quality", "technical", "cost"}
    assert (estimate["trials"], estimate["seed"]) == (5000, 3)
    for key in ("effort_days", "duration_weeks", "duration_weeks_overlapped", "cost", "npv"):
        assert set(estimate[key]) == {"mean", "p10", "p50", "p80", "p90"}


def test_the_examples_end_in_three_different_decisions(capsys):
    """The shipped examples show every outcome: go, conditional and no-go."""
    decisions = set()
    for path in EXAMPLES:
        main(["estimate", str(path), "--trials", "5000"])
        decisions.add(json.loads(capsys.readouterr().out)["decision"])
    assert decisions == {"go", "conditional", "no-go"}


def test_estimate_writes_to_a_file_with_o(tmp_path, capsys):
    """-o writes the estimate to a file instead of stdout."""
    out = tmp_path / "estimate.json"
    assert main(["estimate", str(EXAMPLES[0]), "--trials", "5000", "-o", str(out)]) == 0
    assert capsys.readouterr().out == ""
    assert json.loads(out.read_text())["trials"] == 5000


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_validate_accepts_every_example(path, capsys):
    """`mlpm validate` says an example is valid and exits 0."""
    assert main(["validate", str(path)]) == 0
    assert "valid scenario" in capsys.readouterr().out


def test_schema_prints_the_json_schema_with_descriptions(capsys):
    """`mlpm schema` prints a JSON Schema whose fields carry descriptions."""
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == "Scenario"
    assert "description" in schema["$defs"]["Task"]["properties"]["optimistic"]


BAD_FILES = {
    "not_json": (b"this is not json", "not valid JSON"),
    "wrong_type": (b'{"simulation": {"trials": "many"}}', "simulation.trials"),
    "inverted_range": (b'{"value": {"annual_benefit": {"low": 9, "high": 1}}}',
                       "value.annual_benefit"),
    "nan": (b'{"value": {"discount_rate": NaN}}', "NaN"),
    "deep": (b"[" * 70 + b"]" * 70, "nested"),
    "duplicate": (b'{"project": {}, "project": {}}', "appears twice"),
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_bad_files_get_one_readable_line_and_exit_status_2(name, tmp_path):
    """Bad input is one message naming the problem, exit 2, no traceback."""
    content, expected = BAD_FILES[name]
    path = tmp_path / f"{name}.json"
    path.write_bytes(content)
    for command in ("validate", "estimate"):
        result = run_cli(command, str(path))
        assert result.returncode == 2
        assert "Traceback" not in result.stderr
        assert expected in result.stderr
        assert result.stderr.count("\n") == 1


def test_a_file_over_5_mb_is_refused_before_reading(tmp_path):
    """A 6 MB file is refused with the size limit in the message."""
    path = tmp_path / "huge.json"
    path.write_bytes(b'{"project": {"name": "' + b"x" * (6 * 1024 * 1024) + b'"}}')
    result = run_cli("validate", str(path))
    assert (result.returncode, "Traceback" in result.stderr) == (2, False)
    assert "larger than 5 MB" in result.stderr


def test_a_missing_file_is_a_clean_error(tmp_path):
    """A path that does not exist is reported, not a traceback."""
    result = run_cli("validate", str(tmp_path / "nope.json"))
    assert result.returncode == 2 and "cannot read" in result.stderr


def test_trials_below_the_floor_are_refused(capsys):
    """Fewer than 5,000 trials are refused: the charts would look broken."""
    assert main(["estimate", str(EXAMPLES[0]), "--trials", "100"]) == 2
    assert "5,000" in capsys.readouterr().err


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(["project", "data", "tasks", "name", "low", "high",
                                       "value", "team", "role", "x", "simulation", "trials"])
                      | st.text(max_size=8), children, max_size=4),
    max_leaves=25,
)


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(json_values)
def test_validate_never_shows_a_traceback_on_generated_json(tmp_path, capsys, document):
    """Whatever JSON arrives, `mlpm validate` exits 0 or 2 with a message, never a crash."""
    path = tmp_path / "fuzz.json"
    path.write_text(json.dumps(document))
    status = main(["validate", str(path)])
    captured = capsys.readouterr()
    assert status in (0, 2)
    if status == 2:
        assert captured.err.startswith("mlpm: error: ") and captured.err.count("\n") == 1


@pytest.mark.parametrize("fmt, magic", [pytest.param("pdf", b"%PDF-", marks=pytest.mark.slow),
                                         ("html", b"<!DOCTYPE html>"), ("md", b"# ")])
def test_estimate_writes_each_report_format(tmp_path, fmt, magic):
    """`--format pdf|html|md -o OUT` writes that report; the project name is in it."""
    out = tmp_path / f"report.{fmt}"
    assert main(["estimate", str(EXAMPLES[0]), "--trials", "5000", "--format", fmt,
                 "-o", str(out)]) == 0
    content = out.read_bytes()
    assert content.startswith(magic)
    if fmt != "pdf":
        assert "Bike Shop" in content.decode("utf-8")


@pytest.mark.slow
def test_a_pdf_of_a_shipped_example_does_not_load_the_sql_store(tmp_path):
    """A report whose reference class is not one the user saved reads the store file without
    SQLAlchemy (a quarter of a second on every command), with and without a store file."""
    check = ("import sys; from mlpm_cli.main import main; code = main(sys.argv[1:]); "
             "print(code, 'sqlalchemy' in sys.modules)")
    for store_file in (False, True):
        data = tmp_path / f"data-{store_file}"
        env = {**os.environ, "MLPM_DATA_DIR": str(data)}
        env.pop("MLPM_DATABASE_URL", None)
        if store_file:
            subprocess.run([sys.executable, "-c", "from mlpm_core.store import open_store; "
                            "open_store().close()"], env=env, cwd=ROOT, check=True, timeout=120)
        out = tmp_path / f"report-{store_file}.pdf"
        done = subprocess.run([sys.executable, "-c", check, "estimate", str(EXAMPLES[0]),
                               "--trials", "5000", "--format", "pdf", "-o", str(out)],
                              capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
        assert done.stdout.split() == ["0", "False"], done.stderr
        assert out.read_bytes().startswith(b"%PDF-")
        assert (data / "mlpm.sqlite3").exists() == store_file


def test_an_estimate_pauses_the_cycle_collector_for_its_own_run_only(monkeypatch):
    """The collector is off while the estimate runs and back as it was afterwards (these tests
    share one process)."""
    import mlpm_core.assessment

    seen: list[bool] = []
    run = mlpm_core.assessment.run_estimate
    monkeypatch.setattr(mlpm_core.assessment, "run_estimate",
                        lambda *a, **k: seen.append(gc.isenabled()) or run(*a, **k))
    try:
        for enabled in (True, False):
            (gc.enable if enabled else gc.disable)()
            assert main(["estimate", str(EXAMPLES[0]), "--trials", "5000"]) == 0
            assert gc.isenabled() is enabled
    finally:
        gc.enable()
    assert seen == [False, False]


def test_a_pdf_needs_an_output_file(capsys):
    """A binary PDF is never dumped on the terminal."""
    assert main(["estimate", str(EXAMPLES[0]), "--format", "pdf"]) == 2
    assert "-o" in capsys.readouterr().err


@pytest.mark.parametrize("spelling", ["same", "relative", "link"])
def test_an_estimate_never_replaces_its_own_scenario(tmp_path, monkeypatch, capsys, spelling):
    """`estimate X -o X` had overwritten the scenario with its estimate and exited 0."""
    scenario = tmp_path / "pumps.json"
    scenario.write_bytes(EXAMPLES[0].read_bytes())
    output = {"same": str(scenario), "relative": "./pumps.json", "link": "alias.json"}[spelling]
    if spelling == "link":
        (tmp_path / "alias.json").symlink_to(scenario)
    monkeypatch.chdir(tmp_path)
    assert main(["estimate", str(scenario), "--trials", "5000", "-o", output]) == 2
    assert "is the scenario itself" in capsys.readouterr().err
    assert scenario.read_bytes() == EXAMPLES[0].read_bytes()


def test_run_starts_the_app_through_its_launcher_on_this_machine_only(monkeypatch) -> None:
    """`mlpm run` starts the server through mlpm_ui.serve, bound to 127.0.0.1 by default."""
    import mlpm_cli.server

    started: list[list[str]] = []
    monkeypatch.setattr(mlpm_cli.server, "serve",
                        lambda command, *_: started.append(command) or 0)
    assert main(["run", "--port", "8765", "--headless"]) == 0
    command = started[0]
    assert command[:3] == [sys.executable, "-m", "mlpm_ui.serve"]
    options = dict(zip(command[3::2], command[4::2], strict=True))
    assert options == {"--server.address": "127.0.0.1", "--server.port": "8765",
                       "--server.headless": "true"}
