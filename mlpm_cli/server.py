"""``mlpm run``: the workbench server as a child process that needs no terminal.

Streamlit asks for an e-mail address on its first interactive start; with no terminal to answer
(systemd, nohup, a container) it exits with status 255. So the server runs headless whenever
standard input is not a terminal. A service manager stops ``mlpm`` with SIGTERM: the signal is
passed on to the server (which then shuts down cleanly) and ``mlpm`` waits for it and exits 0,
instead of dying at once and leaving the server running without a parent.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)


def headless(asked: bool) -> bool:
    """Run without a browser and without Streamlit's first-run prompt: when asked, or when no
    one is at a terminal to answer the prompt."""
    try:
        interactive = sys.stdin is not None and sys.stdin.isatty()
    except ValueError:  # a closed standard input
        interactive = False
    return asked or not interactive


def serve(command: Sequence[str], cwd: Path, env: dict[str, str] | None = None) -> int:
    """Run the server ``command`` until it exits, passing stop signals on to it.

    The first SIGTERM, SIGHUP or SIGINT is passed on as SIGTERM; a second one while the server
    is still stopping kills it. Returns 0 when the server stopped because it was told to,
    otherwise its own exit status (128 + the signal number when a signal ended it).
    """
    process = subprocess.Popen(list(command), cwd=cwd,
                               env=os.environ.copy() if env is None else env)
    asked: list[int] = []

    def stop(signum: int, frame: FrameType | None) -> None:
        del frame
        if process.poll() is None:
            process.send_signal(signal.SIGKILL if asked else signal.SIGTERM)
        asked.append(signum)

    previous = {signum: signal.signal(signum, stop) for signum in STOP_SIGNALS}
    try:
        status = process.wait()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if asked:
        return 0
    return 128 - status if status < 0 else status
