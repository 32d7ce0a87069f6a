"""`make bench`: engine speed and memory on every example and on a generated 40-task scenario.

Engine time is measured in-process (median of repeated runs after a warm-up that builds the
PERT tables); peak memory of a 1,000,000-trial run is measured in a fresh subprocess (maximum
resident set size). A plain-Python loop of the same model at 10,000 trials gives the speed-up.
Targets: 100k trials of the 40-task scenario <= 50 ms; 1M trials <= 1 s and <= 1 GB peak.
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import plain_python  # noqa: E402
from bench.generated import generated_scenario  # noqa: E402
from mlpm_core.engine import build_model, simulate  # noqa: E402
from mlpm_core.scenario_io import load_scenario  # noqa: E402

TRIALS = (20_000, 100_000, 1_000_000)
REPEATS = {10_000: 7, 20_000: 7, 100_000: 7, 1_000_000: 3}


def scenarios() -> dict[str, object]:
    found = {path.stem: load_scenario(path)
             for path in sorted((ROOT / "data" / "examples").glob("*.json"))}
    found["generated_40_tasks_12_rules"] = generated_scenario()
    return found


def engine_ms(scenario, trials: int) -> float:
    simulate(scenario, trials=5000)  # warm-up: builds and caches the PERT tables
    times = []
    for _ in range(REPEATS[trials]):
        start = time.perf_counter()
        simulate(scenario, trials=trials)
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def peak_memory_mb(name: str, trials: int) -> float:
    code = (
        f"import resource, sys; sys.path.insert(0, {str(ROOT)!r})\n"
        "from bench.run import scenarios\n"
        "from mlpm_core.engine import simulate\n"
        f"s = scenarios()[{name!r}]\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        f"simulate(s, trials={trials})\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, before)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    return int(out[0]) / 1024


def plain_python_ms(scenario, trials: int = 10_000) -> float:
    model = build_model(scenario)
    start = time.perf_counter()
    plain_python.run(model, trials)
    return 1000 * (time.perf_counter() - start)


def main() -> None:
    rows = []
    print(f"{'scenario':34} {'20k ms':>8} {'100k ms':>8} {'1M ms':>8} {'1M peak MB':>11} "
          f"{'py 10k ms':>10} {'speed-up':>9}")
    for name, scenario in scenarios().items():
        times = {trials: engine_ms(scenario, trials) for trials in TRIALS}
        memory = peak_memory_mb(name, 1_000_000)
        python = plain_python_ms(scenario)
        numpy_10k = engine_ms(scenario, 10_000)
        row = {"scenario": name, **{f"ms_{t}": round(v, 1) for t, v in times.items()},
               "peak_mb_1m": round(memory), "plain_python_ms_10k": round(python),
               "speedup_vs_plain_python": round(python / numpy_10k, 1)}
        rows.append(row)
        print(f"{name:34} {times[20_000]:8.1f} {times[100_000]:8.1f} {times[1_000_000]:8.1f} "
              f"{memory:11.0f} {python:10.0f} {python / numpy_10k:8.0f}x")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "engine.json").write_text(json.dumps(rows, indent=2))
    generated = rows[-1]
    print(f"\ntargets (generated scenario): 100k {generated['ms_100000']} ms (<= 50), "
          f"1M {generated['ms_1000000']} ms (<= 1000), 1M peak {generated['peak_mb_1m']} MB "
          f"(<= 1024); machine max RSS so far "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB")


if __name__ == "__main__":
    main()
