"""PDF report speed: whole-process time from a scenario file to a PDF, per example (not a test).

Runs `python -m mlpm_cli.main estimate X.json --format pdf -o OUT.pdf` five times per example
in a fresh process and prints the median and the fastest run. Target: a median of at most 2 s
per example. Run it on a quiet machine: the figures include interpreter start-up, imports, a
20,000-trial simulation, chart drawing and PDF layout.

    python bench/bench_report.py [--repeats 5] [--trials N]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_S = 2.0


def command(example: Path, output: Path, trials: int | None) -> list[str]:
    """The command that turns one example into a PDF."""
    extra = ["--trials", str(trials)] if trials else []
    return [sys.executable, "-m", "mlpm_cli.main", "estimate", str(example), "--format", "pdf",
            "-o", str(output), *extra]


def time_runs(cmd: list[str], output: Path, repeats: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds (user + system, helper processes included) of each run,
    checking that a PDF was written each time. CPU time shows the work when other processes
    share the machine and stretch the wall-clock time."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")]))}
    times, cpu = [], []
    for _ in range(repeats):
        output.unlink(missing_ok=True)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if not output.read_bytes().startswith(b"%PDF-"):
            raise SystemExit(f"{output} is not a PDF")
    return times, cpu


def main() -> None:
    """Time every example and print one line each, with its verdict against the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--trials", type=int, default=None,
                        help="trials per estimate (default: each scenario's own)")
    args = parser.parse_args()
    print(f"whole-process time to a PDF, median of {args.repeats} runs, via "
          "mlpm estimate --format pdf")
    print(f"machine load average: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "report.pdf"
        for example in sorted((ROOT / "data" / "examples").glob("*.json")):
            times, cpu = time_runs(command(example, output, args.trials), output,
                                   args.repeats)
            median = statistics.median(times)
            verdict = "ok" if median <= TARGET_S else f"over the {TARGET_S:g} s target"
            print(f"{example.stem:30s} median {median:5.2f} s  fastest {min(times):5.2f} s  "
                  f"cpu {statistics.median(cpu):5.2f} s  {verdict}")


if __name__ == "__main__":
    main()
