"""`mlpm run` as a service manager runs it: no terminal, stopped with SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mlpm_cli import server
from tests.browser.support import free_port, healthy
from tests.conftest import ROOT

STARTUP_TIMEOUT_S = 90


def children(pid: int) -> list[int]:
    """Process ids of ``pid``'s children (Linux /proc)."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text()
        found += [int(child) for child in text.split()]
    return found


def alive(pid: int) -> bool:
    """Whether ``pid`` is still a running (not zombie) process."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


PORT_FREE_S = 5  # what a restart by a service manager may wait for the port


def port_free(port: int) -> bool:
    """Whether a new server could bind the port now."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@pytest.mark.slow
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP],
                         ids=lambda stop: stop.name)
def test_run_without_a_terminal_serves_and_stops_cleanly_on_a_stop_signal(tmp_path, stop):
    """With standard input from /dev/null (systemd, nohup, a container) the server starts
    instead of exiting 255 at Streamlit's first-run prompt; SIGTERM (or SIGINT, SIGHUP) stops
    the server too, `mlpm run` exits 0 and the port is free for the next start within 5 s."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "MLPM_DATA_DIR": str(tmp_path / "data"), "HOME": str(tmp_path)}
    env.pop("MLPM_DATABASE_URL", None)
    log_path = tmp_path / "run.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "mlpm_cli.main", "run", "--port", str(port)],
            cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + STARTUP_TIMEOUT_S
            while not healthy(url):
                assert process.poll() is None, log_path.read_text(errors="replace")[-2000:]
                assert time.monotonic() < deadline, "the server did not become healthy"
                time.sleep(0.3)
            streamlit = children(process.pid)
            assert streamlit, "the server runs as a child of mlpm"
            process.send_signal(stop)
            stopped = time.monotonic()
            assert process.wait(timeout=60) == 0, log_path.read_text(errors="replace")[-2000:]
            while not port_free(port) and time.monotonic() < stopped + PORT_FREE_S:
                time.sleep(0.1)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    assert not any(alive(pid) for pid in streamlit)
    assert not healthy(url) and port_free(port)
    assert "Email" not in log_path.read_text(errors="replace")


def test_run_is_headless_whenever_no_terminal_could_answer_a_prompt(monkeypatch):
    """Asked for, or with standard input that is not a terminal, the server runs headless."""
    class Stdin:
        def __init__(self, tty: bool) -> None:
            self.tty = tty

        def isatty(self) -> bool:
            return self.tty

    monkeypatch.setattr(sys, "stdin", Stdin(tty=False))
    assert server.headless(asked=False) is True
    monkeypatch.setattr(sys, "stdin", Stdin(tty=True))
    assert server.headless(asked=False) is False
    assert server.headless(asked=True) is True
    monkeypatch.setattr(sys, "stdin", None)
    assert server.headless(asked=False) is True


def test_serve_returns_the_server_status_when_it_ends_on_its_own(tmp_path):
    """A server that fails by itself is not reported as a clean stop."""
    assert server.serve([sys.executable, "-c", "raise SystemExit(3)"], tmp_path) == 3
    assert server.serve([sys.executable, "-c", "import os; os.kill(os.getpid(), 9)"],
                        tmp_path) == 128 + 9
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL  # handlers put back
