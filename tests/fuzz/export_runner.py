"""Estimate and export a batch of scenario documents in one interpreter, and survive its death.

The exports run in-process, as the app and the command line run them, but in a child
interpreter per batch: the defect this suite guards against is a native abort (vl-convert
panicking on a label, exit 134), which would otherwise end the whole test run instead of
failing one scenario. The child reports each scenario on its stdout as one JSON line; when it
dies or hangs, the scenario it had started is recorded as crashed or hung and a fresh child
carries on with the next one.

Run as ``python -m tests.fuzz.export_runner`` with a JSON request on stdin (see
:func:`export_all`); each export is written to ``<folder>/<index>.<format>``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FORMATS = ("json", "md", "html", "pdf")  # the report formats; the task table is "csv"
TRIALS = 5000
ROOT = Path(__file__).resolve().parents[2]  # not from tests.conftest: the child stays light
SECONDS_PER_SCENARIO = 60  # a safety net against a hung export, never a performance check
ABORT_ON = "MLPM_FUZZ_ABORT_ON"  # a child given this text aborts on a document holding it


@dataclass(frozen=True)
class Outcome:
    """What became of one scenario: ``ok`` (every export written), ``refused`` (a UserError
    at validation, ``message`` its text), ``export_refused`` (a UserError while exporting),
    ``error`` (any other exception, ``message`` its traceback), ``crashed`` or ``hung``."""

    index: int
    status: str
    message: str = ""
    where: str = ""


def _say(**fields: Any) -> None:
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


def _export_one(raw: bytes, folder: Path, index: int) -> None:
    """Validate, estimate and export one document; report the outcome on stdout."""
    from mlpm_core.assessment import run_estimate
    from mlpm_core.errors import UserError
    from mlpm_core.report import render, tasks_csv_bytes
    from mlpm_core.scenario import scenario_from_bytes

    try:
        scenario = scenario_from_bytes(raw)
    except UserError as error:
        _say(index=index, status="refused", message=str(error))
        return
    where = "estimate"
    try:
        result = run_estimate(scenario, trials=TRIALS)
        for fmt in FORMATS:
            where = fmt
            (folder / f"{index}.{fmt}").write_bytes(render(result, fmt))  # type: ignore[arg-type]
        where = "csv"
        (folder / f"{index}.csv").write_bytes(tasks_csv_bytes(scenario))
    except UserError as error:
        _say(index=index, status="export_refused", where=where, message=str(error))
        return
    except Exception:  # the finding itself: reported with its traceback, the batch goes on
        _say(index=index, status="error", where=where, message=traceback.format_exc())
        return
    _say(index=index, status="ok")


def _child() -> None:
    request = json.loads(sys.stdin.buffer.read())
    folder = Path(request["folder"])
    abort_on = os.environ.get(ABORT_ON)
    for index in range(request["start"], len(request["documents"])):
        _say(started=index)
        raw = json.dumps(request["documents"][index], ensure_ascii=False).encode("utf-8")
        if abort_on and abort_on.encode("utf-8") in raw:
            os.abort()  # the runner's own test: a crash it must survive
        _export_one(raw, folder, index)


def _run_batch(documents: list[Any], folder: Path) -> list[Outcome]:
    """Every document's outcome, restarting the child after each crash or hang."""
    outcomes: list[Outcome] = []
    start = 0
    while start < len(documents):
        request = json.dumps({"documents": documents, "folder": str(folder), "start": start})
        limit = SECONDS_PER_SCENARIO * (len(documents) - start) + 30
        try:
            done = subprocess.run([sys.executable, "-m", "tests.fuzz.export_runner"],
                                  input=request.encode("utf-8"), capture_output=True,
                                  cwd=ROOT, timeout=limit, check=False)
            stdout, stderr, died = done.stdout, done.stderr, f"exit {done.returncode}"
        except subprocess.TimeoutExpired as expired:
            stdout, stderr, died = expired.stdout or b"", expired.stderr or b"", "hung"
        started = start
        for line in stdout.decode("utf-8", "replace").splitlines():
            fields = json.loads(line)
            if "started" in fields:
                started = fields["started"]
            else:
                outcomes.append(Outcome(fields["index"], fields["status"],
                                        fields.get("message", ""), fields.get("where", "")))
        if len(outcomes) == len(documents):
            break
        tail = stderr.decode("utf-8", "replace")[-1500:]
        status = "hung" if died == "hung" else "crashed"
        outcomes.append(Outcome(started, status, f"{died}; stderr ends: {tail}"))
        start = started + 1
    return outcomes


def export_all(documents: list[Any], folder: Path) -> list[Outcome]:
    """The outcome of every document, in order, its exports in ``folder`` (one child at a
    time: each report's charts are drawn by a helper process of the child's own, and two
    children on two cores were slower than one)."""
    folder.mkdir(parents=True, exist_ok=True)
    return sorted(_run_batch(documents, folder), key=lambda outcome: outcome.index)


def export_path(folder: Path, index: int, fmt: str) -> Path:
    """Where :func:`export_all` left the ``fmt`` export of document ``index``."""
    return folder / f"{index}.{fmt}"


if __name__ == "__main__":
    _child()
