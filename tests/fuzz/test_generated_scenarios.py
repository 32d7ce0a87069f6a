"""Generated scenarios, valid and hostile, through ``mlpm validate`` and ``mlpm estimate``.

The outcome is always exit 0 with finite numbers in the JSON estimate, or exit 2 with exactly one
readable line on stderr; never 70 (an internal error), 134 (an abort) or a traceback (issue 17).
The commands run in-process through the CLI's ``main`` with captured output; a few real runs
check the exit status a shell sees. Every test draws from fixed seeds (``derandomize``); the
``slow`` variants draw ten times as many examples.
"""

from __future__ import annotations

import io
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from mlpm_cli.main import main
from tests.conftest import ROOT
from tests.fuzz import checks
from tests.fuzz.documents import (
    broken_condition_documents,
    custom_rule,
    document_text,
    hostile_documents,
    mistyped_documents,
    run_time_zero_documents,
    scenario_documents,
)
from tests.fuzz.naughty import base_document

TRIALS = "5000"  # the estimate's own trials are checked by validate; 5,000 keeps runs short


def fuzz_settings(examples: int) -> settings:
    """Fixed seeds, no example database, no deadline (an estimate takes a tenth of a second
    or, with many rules, several) and no shrinking: the first failing example is reported as
    drawn, which is readable enough and saves minutes of re-running estimates."""
    return settings(max_examples=examples, derandomize=True, database=None, deadline=None,
                    phases=(Phase.explicit, Phase.generate),
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])


def run_main(*args: str) -> tuple[int, str, str]:
    """``mlpm <args>`` in this process: exit status, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def write(folder: Path, document: object) -> str:
    path = folder / "scenario.json"
    path.write_text(document_text(document), encoding="utf-8")
    return str(path)


def check_run(command: str, code: int, out: str, err: str) -> None:
    """Exit 0 and a clean stdout, or exit 2 and one readable line on stderr."""
    assert code in (0, 2), f"mlpm {command} exited {code}: {err[:400]}"
    assert "Traceback" not in out + err, f"mlpm {command}: a traceback: {err[:400]}"
    if code == 2:
        assert out == "", f"mlpm {command} refused but printed {out[:200]!r}"
        checks.assert_one_readable_line(err)
    elif command == "estimate":
        checks.finite_json(out)


def validate_and_estimate(folder: Path, document: object) -> tuple[int, int, str]:
    """Both commands on ``document``, checked; their exit statuses and validate's stderr."""
    path = write(folder, document)
    validated = run_main("validate", path)
    check_run("validate", *validated)
    estimated = run_main("estimate", path, "--trials", TRIALS)
    check_run("estimate", *estimated)
    if validated[0] == 2:
        assert estimated[0] == 2, "estimate accepted a scenario that validate refused"
    return validated[0], estimated[0], validated[2]


def check_valid(folder: Path, document: dict) -> None:
    assert validate_and_estimate(folder, document)[:2] == (0, 0)


def check_mistyped(folder: Path, case: tuple[dict, str, str]) -> None:
    document, where, what = case
    validated, estimated, message = validate_and_estimate(folder, document)
    assert (validated, estimated) == (2, 2), f"{what} at {where or 'a number'} was accepted"
    names = [part for part in where.split(".") if part and not part.isdigit()][-2:]
    assert not names or any(name in message for name in names), (
        f"the refusal of {what} at {where} names neither the field nor its parent: {message}")


def check_broken_condition(folder: Path, case: tuple[dict, str]) -> None:
    document, rule_id = case
    validated, _, message = validate_and_estimate(folder, document)
    when = document["rules"]["custom"][-1]["when"]
    assert validated == 2, f"validate accepted the condition {when!r}"
    assert rule_id in message, f"the refusal does not name rule {rule_id}: {message}"


@given(scenario_documents())
@fuzz_settings(15)
def test_valid_scenarios_validate_and_estimate_with_finite_numbers(tmp_path, data_dir, case):
    """A valid generated scenario passes validate and estimates with finite figures."""
    check_valid(tmp_path, case)


@pytest.mark.slow
@given(scenario_documents())
@fuzz_settings(150)
def test_many_valid_scenarios_validate_and_estimate_with_finite_numbers(tmp_path, data_dir,
                                                                        case):
    """As above, with ten times the examples."""
    check_valid(tmp_path, case)


@given(hostile_documents(max_rules=20))
@fuzz_settings(40)
def test_hostile_scenarios_end_in_exit_0_with_finite_numbers_or_one_line(tmp_path, data_dir,
                                                                         case):
    """Whatever is in the file (wrong types, huge or out-of-range numbers, many rules with huge
    multipliers, broken conditions, unknown reference classes): exit 0 with finite numbers or
    exit 2 with one readable line, and estimate never accepts what validate refused."""
    validate_and_estimate(tmp_path, case)


@pytest.mark.slow
@given(hostile_documents(max_rules=200))
@fuzz_settings(400)
def test_many_hostile_scenarios_end_in_exit_0_with_finite_numbers_or_one_line(tmp_path,
                                                                              data_dir, case):
    """As above, with ten times the examples and up to 200 rules."""
    validate_and_estimate(tmp_path, case)


@given(mistyped_documents())
@fuzz_settings(40)
def test_a_value_of_the_wrong_type_is_refused_naming_the_field(tmp_path, data_dir, case):
    """No coercion: a boolean or text for a number, text for a boolean, a list or an object
    for a scalar, NaN or 1e999, an unknown key: exit 2 from both commands, naming the field."""
    check_mistyped(tmp_path, case)


@pytest.mark.slow
@given(mistyped_documents())
@fuzz_settings(400)
def test_any_value_of_the_wrong_type_is_refused_naming_the_field(tmp_path, data_dir, case):
    """As above, with ten times the examples."""
    check_mistyped(tmp_path, case)


@given(broken_condition_documents())
@fuzz_settings(20)
def test_a_condition_that_cannot_be_evaluated_is_refused_with_the_rule_id(tmp_path, data_dir,
                                                                          case):
    """An unknown field, a division by zero, text compared with a number or a result that is
    not true or false: validate refuses the rule by its id instead of never firing it."""
    check_broken_condition(tmp_path, case)


@pytest.mark.slow
@given(broken_condition_documents())
@fuzz_settings(200)
def test_every_condition_that_cannot_be_evaluated_is_refused_with_the_rule_id(tmp_path,
                                                                              data_dir, case):
    """As above, with ten times the examples."""
    check_broken_condition(tmp_path, case)


@given(run_time_zero_documents())
@fuzz_settings(8)
def test_a_condition_failing_at_run_time_is_reported_in_the_warnings(tmp_path, data_dir, case):
    """A division by a field that is zero in this scenario cannot be refused up front; the
    estimate then says in its warnings that the rule could not be evaluated, naming it,
    instead of silently never firing it (and says nothing of the kind when it could)."""
    document, rule_id, zero = case
    path = write(tmp_path, document)
    code, out, err = run_main("estimate", path, "--trials", TRIALS)
    check_run("estimate", code, out, err)
    assert code == 0, err
    warned = [text for text in checks.finite_json(out)["warnings"] if rule_id in text]
    assert bool(warned) == zero, f"warnings naming {rule_id}: {warned}"


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """``mlpm <args>`` as a shell runs it."""
    return subprocess.run([sys.executable, "-m", "mlpm_cli", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=300, check=False)


def check_process(done: subprocess.CompletedProcess[str], command: str) -> None:
    check_run(command, done.returncode, done.stdout, done.stderr)


@pytest.mark.parametrize(("section", "key", "value"), [
    ("project", "budget", True), ("data", "personal_data", "off"),
    ("simulation", "trials", "20000")])
def test_the_command_line_refuses_a_coerced_value_with_exit_2(tmp_path, data_dir, section,
                                                              key, value):
    """The reproductions of issue 17: ``"budget": true``, ``"personal_data": "off"`` and
    ``"trials": "20000"`` are refused by a real ``mlpm validate`` with exit 2 and one line."""
    document = base_document() | {section: base_document()[section] | {key: value}}
    done = run_cli("validate", write(tmp_path, document))
    check_process(done, "validate")
    assert done.returncode == 2, f"{key}: {value!r} was accepted: {done.stdout}"
    assert key in done.stderr


def test_two_hundred_rules_with_huge_multipliers_give_finite_numbers_or_one_line(tmp_path,
                                                                                 data_dir):
    """The reproduction of the hung downloads: 200 custom rules with multiplier [99, 100],
    which validate accepted and the simulation overflowed (null and "nan" figures with exit
    0). Now exit 0 with finite numbers or 2 with one line."""
    document = base_document() | {"rules": {"custom": [
        custom_rule(f"huge_{index}", "true", [99, 100], probability=1.0)
        for index in range(200)]}}
    validate_and_estimate(tmp_path, document)
