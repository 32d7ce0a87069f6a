"""App speed: server start-up, and Report-page reruns with and without a cached estimate.

Not a test: a script that prints a small table. Three measurements:

* **Server start**: wall-clock time from launching the server as ``mlpm run`` does (headless,
  127.0.0.1, a free port) to the first successful ``GET /_stcore/health``.
* **Report rerun, 20k trials**: one full script run of the Report page (``app.py`` with the
  sidebar summary, then the page) through Streamlit's ``AppTest``, after an answer changed
  (the random seed, so the estimate is not in the cache): the simulation, the decision, the
  charts' specs and every element. Measured by AppTest, i.e. the server-side run without the
  websocket and the browser's drawing.
* **Report rerun, cached**: the same run when nothing changed (the estimate comes from
  ``st.cache_data``): what every click elsewhere on the page costs.

Targets: report rerun <= 300 ms p95, cached <= 80 ms p95. Run on a quiet machine:

    python bench/bench_app.py [--reruns 10] [--starts 3] [--example fraud_card_payments.json]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mlpm_cli.main import server_command  # noqa: E402
from tests.browser.support import free_port, healthy, stop  # noqa: E402

TARGET_RERUN_MS = 300.0
TARGET_CACHED_MS = 80.0
HEALTH_TIMEOUT_S = 120.0


def time_to_healthy(data_dir: Path) -> float:
    """Seconds from launching the server to its first healthy answer; the server is stopped."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "MLPM_DATA_DIR": str(data_dir)}
    env.pop("MLPM_DATABASE_URL", None)
    start = time.perf_counter()
    process = subprocess.Popen(
        server_command("127.0.0.1", port, "--server.headless", "true",
                       "--server.fileWatcherType", "none"),
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while not healthy(url):
            if process.poll() is not None:
                raise RuntimeError("the server exited before it became healthy")
            if time.perf_counter() - start > HEALTH_TIMEOUT_S:
                raise RuntimeError("the server did not become healthy in time")
            time.sleep(0.02)
        return time.perf_counter() - start
    finally:
        stop(process)


def report_reruns(example: str, reruns: int, trials: int) -> tuple[list[float], list[float]]:
    """Milliseconds per Report-page run: after a changed answer, and with nothing changed."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from mlpm_core.scenario.document import load_scenario
    from mlpm_core.store.database import open_store, resolve_url

    scenario = load_scenario(ROOT / "data" / "examples" / example)
    scenario = scenario.model_copy(update={"simulation": scenario.simulation.model_copy(
        update={"trials": trials})})
    row = open_store(resolve_url()).create(scenario, note="benchmark")
    st.cache_data.clear()
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    app.query_params["scenario"] = row.id
    app.run()
    app.switch_page("pages/report_page.py").run()  # warm-up: imports, tables, first estimate
    if app.exception:
        raise RuntimeError(f"the Report page failed: {app.exception[0].value}")

    changed = []
    for index in range(reruns):
        current = app.session_state["mlpm.scenario"]
        seed = current.simulation.seed + index + 1
        app.session_state["mlpm.scenario"] = current.model_copy(update={
            "simulation": current.simulation.model_copy(update={"seed": seed})})
        start = time.perf_counter()
        app.run()
        changed.append(1000 * (time.perf_counter() - start))
    cached = []
    for _ in range(reruns):
        start = time.perf_counter()
        app.run()
        cached.append(1000 * (time.perf_counter() - start))
    if app.exception:
        raise RuntimeError(f"the Report page failed: {app.exception[0].value}")
    return changed, cached


def _row(name: str, values: list[float], unit: str, target: float | None) -> str:
    median, p95 = float(np.median(values)), float(np.percentile(values, 95))
    verdict = "" if target is None else ("ok" if p95 <= target else "SLOW")
    shown_target = "" if target is None else f"<= {target:g} {unit}"
    return (f"{name:<42} {len(values):>4} {median:>9.1f} {p95:>9.1f} {unit:<3} "
            f"{shown_target:>10}  {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reruns", type=int, default=10, help="Report reruns per kind")
    parser.add_argument("--starts", type=int, default=3, help="server starts to time")
    parser.add_argument("--trials", type=int, default=20_000)
    parser.add_argument("--example", default="fraud_card_payments.json")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="mlpm-bench-") as folder:
        os.environ["MLPM_DATA_DIR"] = folder
        os.environ.pop("MLPM_DATABASE_URL", None)
        starts = [time_to_healthy(Path(folder)) for _ in range(args.starts)]
        changed, cached = report_reruns(args.example, args.reruns, args.trials)

    print(f"\nmlpm app benchmark ({args.example}, {args.trials:,} trials; "
          f"{os.cpu_count()} CPUs; Report runs timed with AppTest)\n")
    print(f"{'measurement':<42} {'runs':>4} {'median':>9} {'p95':>9} {'':<3} "
          f"{'target':>10}")
    print(_row("server start -> /_stcore/health", starts, "s", None))
    print(_row(f"Report rerun, {args.trials:,} trials, answer changed", changed,
               "ms", TARGET_RERUN_MS))
    print(_row("Report rerun, cached estimate", cached, "ms", TARGET_CACHED_MS))


if __name__ == "__main__":
    main()
