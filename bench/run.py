"""`make bench`: engine speed and memory on every example and on a generated 40-task scenario.

Engine time is measured in-process (median of repeated runs after a warm-up that builds the
PERT tables); peak memory of a 1,000,000-trial run is measured in a fresh subprocess (maximum
resident set size). A plain-Python loop of the same model at 10,000 trials gives the speed-up.
Targets: 100k trials of the 40-task scenario <= 50 ms; 1M trials <= 1 s and <= 1 GB peak.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import plain_python  # noqa: E402
from bench.generated import generated_scenario  # noqa: E402
from mlpm_core.estimate.engine import simulate  # noqa: E402
from mlpm_core.estimate.engine_model import build_model  # noqa: E402
from mlpm_core.scenario.document import load_scenario  # noqa: E402

TRIALS = (20_000, 100_000, 1_000_000)
REPEATS = {10_000: 7, 20_000: 7, 100_000: 7, 1_000_000: 3}


def scenarios() -> dict[str, object]:
    found = {path.stem: load_scenario(path)
             for path in sorted((ROOT / "data" / "examples").glob("*.json"))}
    found["generated_40_tasks_12_rules"] = generated_scenario()
    return found


def engine_ms(scenario, trials: int) -> tuple[float, float]:
    """Median wall-clock and CPU milliseconds of one simulation. CPU time is what a shared,
    busy machine does not stretch (the engine runs on one core)."""
    simulate(scenario, trials=5000)  # warm-up: builds and caches the PERT tables
    times, cpu = [], []
    for _ in range(REPEATS[trials]):
        start, start_cpu = time.perf_counter(), time.process_time()
        simulate(scenario, trials=trials)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return 1000 * statistics.median(times), 1000 * statistics.median(cpu)


def peak_memory_mb(name: str, trials: int) -> float:
    code = (
        f"import resource, sys; sys.path.insert(0, {str(ROOT)!r})\n"
        "from bench.run import scenarios\n"
        "from mlpm_core.estimate.engine import simulate\n"
        f"s = scenarios()[{name!r}]\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        f"simulate(s, trials={trials})\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, before)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    return int(out[0]) / 1024


def plain_python_ms(scenario, trials: int = 10_000) -> float:
    """CPU milliseconds of the plain-Python loop (compared with the engine's CPU time)."""
    model = build_model(scenario)
    start = time.process_time()
    plain_python.run(model, trials)
    return 1000 * (time.process_time() - start)


def main() -> None:
    rows = []
    print("engine milliseconds per run: wall-clock / CPU (median); plain Python: CPU ms\n")
    print(f"{'scenario':30} {'20k':>13} {'100k':>13} {'1M':>15} {'1M peak MB':>11} "
          f"{'py 10k ms':>10} {'speed-up':>9}")
    for name, scenario in scenarios().items():
        times = {trials: engine_ms(scenario, trials) for trials in TRIALS}
        memory = peak_memory_mb(name, 1_000_000)
        python = plain_python_ms(scenario)
        numpy_10k = engine_ms(scenario, 10_000)[1]
        row = {"scenario": name,
               **{f"ms_{t}": round(wall, 1) for t, (wall, _) in times.items()},
               **{f"cpu_ms_{t}": round(cpu, 1) for t, (_, cpu) in times.items()},
               "peak_mb_1m": round(memory), "plain_python_cpu_ms_10k": round(python),
               "speedup_vs_plain_python": round(python / numpy_10k, 1)}
        rows.append(row)
        shown = " ".join(f"{wall:>{w}.0f}/{cpu:<{w}.0f}" for (wall, cpu), w in
                         zip(times.values(), (6, 6, 7), strict=True))
        print(f"{name:30} {shown} {memory:11.0f} {python:10.0f} {python / numpy_10k:8.0f}x")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "engine.json").write_text(json.dumps(rows, indent=2))
    generated = rows[-1]
    print(f"\ntargets (generated scenario, wall / CPU): 100k {generated['ms_100000']} / "
          f"{generated['cpu_ms_100000']} ms (<= 50), 1M {generated['ms_1000000']} / "
          f"{generated['cpu_ms_1000000']} ms (<= 1000), 1M peak {generated['peak_mb_1m']} MB "
          f"(<= 1024); load average {', '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
