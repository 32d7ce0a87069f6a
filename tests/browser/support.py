"""Helpers for the real-browser tests (not a test module): the app server and page waits.

The server runs headless on 127.0.0.1 and a free port with its own data folder; tests drive
Debian's chromium through Playwright's ``executable_path``. Every step waits for the app to be
connected and idle before asserting: a widget change starts the next script run a moment later,
so asserting at once would read the page as the previous run left it.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from mlpm_cli.main import server_command
from mlpm_core.store.database import DATABASE_FILE, Store, open_store

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-dev-shm-usage"]
VIEWPORT = {"width": 1280, "height": 900}
STARTUP_TIMEOUT_S = 60
STEP_TIMEOUT_MS = 60_000

# The app is idle when its script is not running and it is connected, and has stayed so for a
# moment (a widget change can take a few milliseconds to start the next run).
IDLE_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const main = document.querySelector('[data-testid="stMainBlockContainer"]');
  const idle = app && main && main.querySelector('[data-testid="stElementContainer"]')
    && app.getAttribute("data-test-script-state") === "notRunning"
    && app.getAttribute("data-test-connection-state") === "CONNECTED"
    && !document.querySelector('[data-testid="stStatusWidget"]');
  if (!idle) { window.__mlpmIdleSince = null; return false; }
  window.__mlpmIdleSince = window.__mlpmIdleSince || performance.now();
  return performance.now() - window.__mlpmIdleSince > 350;
}"""


@dataclass(frozen=True)
class Server:
    """A running app server: its address and data folder."""

    url: str
    data_dir: Path
    database_url: str | None = None

    def store(self) -> Store:
        """The server's store (its database, or the same SQLite file), opened from the test
        process."""
        return open_store(self.database_url or f"sqlite:///{self.data_dir / DATABASE_FILE}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


def stop(process: subprocess.Popen) -> None:
    """Stop a server process: politely, then by force after 10 s."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def running_server(data_dir: Path, database_url: str | None = None,
                   public_host: str | None = None,
                   extra_env: dict[str, str] | None = None, port: int | None = None,
                   options: tuple[str, ...] = ()) -> Iterator[Server]:
    """Start the app server as ``mlpm run`` does, headless on 127.0.0.1; stop it at the end.
    It uses the SQLite file in ``data_dir`` unless given a ``database_url``; with
    ``public_host``, MLPM_PUBLIC_URL is ``http://<public_host>:<its port>``. ``port`` (when
    the caller must know it beforehand) and further Streamlit ``options`` are optional."""
    port = port or free_port()
    env = {**os.environ, "MLPM_DATA_DIR": str(data_dir)}
    env.pop("MLPM_DATABASE_URL", None)
    env.pop("MLPM_PUBLIC_URL", None)
    if public_host:
        env["MLPM_PUBLIC_URL"] = f"http://{public_host}:{port}"
    if database_url:
        env["MLPM_DATABASE_URL"] = database_url
    env.update(extra_env or {})
    data_dir.mkdir(parents=True, exist_ok=True)
    log_path = data_dir / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            server_command("127.0.0.1", port, "--server.headless", "true",
                           "--server.fileWatcherType", "none",
                           "--browser.gatherUsageStats", "false", *options),
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + STARTUP_TIMEOUT_S
            while not healthy(url):
                if process.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    tail = log_path.read_text(errors="replace")[-2000:]
                    raise RuntimeError(f"the app server did not become healthy:\n{tail}")
                time.sleep(0.2)
            yield Server(url=url, data_dir=data_dir, database_url=database_url)
        finally:
            stop(process)


def settle(tab, timeout_ms: int = STEP_TIMEOUT_MS) -> None:
    """Wait until the app is connected, idle and has drawn its page."""
    tab.evaluate("window.__mlpmIdleSince = null")
    tab.wait_for_timeout(120)
    tab.wait_for_function(IDLE_JS, polling=50, timeout=timeout_ms)


def widget(tab, key: str):
    """The element container of the widget with this Streamlit key."""
    return tab.locator(f".st-key-{re.sub(r'[^A-Za-z0-9_-]', '-', key)}")


def press(tab, label: str) -> None:
    """Click the button with this label and wait for the run it starts."""
    tab.get_by_role("button", name=label, exact=True).first.click()
    settle(tab)


def go(tab, title: str) -> None:
    """Open a page from the sidebar navigation (showing all of it first if it is folded)."""
    link = tab.locator('[data-testid="stSidebarNavLink"]', has_text=title).first
    more = tab.get_by_text(re.compile(r"^View \d+ more$"))
    if not link.is_visible() and more.count():
        more.first.click()
    link.click()
    settle(tab)
    tab.locator("h1", has_text=title).first.wait_for()


def no_exception(tab, where: str) -> None:
    """Fail with the exception's text if the page shows one."""
    exceptions = tab.locator('[data-testid="stException"]')
    assert exceptions.count() == 0, f"{where}: {exceptions.first.inner_text()}"


def type_into(tab, key: str, value: str) -> None:
    """Type into a text or number input and commit it with Enter."""
    box = widget(tab, key).locator("input")
    box.fill(value)
    box.press("Enter")
    settle(tab)


def download(tab, label: str) -> bytes:
    """Click a download button and return the file the browser saved."""
    with tab.expect_download(timeout=STEP_TIMEOUT_MS) as started:
        tab.get_by_role("button", name=label, exact=True).first.click()
    return Path(started.value.path()).read_bytes()


def stable_box(tab, element) -> dict:
    """The element's bounding box once it has stopped moving (charts and grids that finish
    drawing above it shift it)."""
    box = element.bounding_box()
    for _ in range(50):
        tab.wait_for_timeout(100)
        again = element.bounding_box()
        if again == box:
            return box
        box = again
    raise AssertionError("the element kept moving for 5 s")


def grid_cell_point(tab, key_prefix: str, row: int, x_offset: float = 60) -> tuple[float, float]:
    """Where to click in row ``row`` of an st.data_editor grid (the header, then rows of 35
    pixels; the row after the last is the grid's add-a-row line), scrolled into view."""
    grid = tab.locator(f'[class*="st-key-{key_prefix}"]')
    grid.evaluate("element => element.scrollIntoView({block: 'center'})")
    box = stable_box(tab, grid)
    y = box["y"] + 35 * (row + 1) + 17
    assert 0 < y < VIEWPORT["height"], f"row {row} of the grid is off screen"
    return box["x"] + x_offset, y


def type_in_cell_editor(tab, text: str) -> None:
    """Fill the cell editor the grid opened in its overlay and commit it with Enter."""
    editor = tab.locator("#portal .gdg-input")
    editor.wait_for()
    editor.fill(text)
    editor.press("Enter")
    editor.wait_for(state="detached")


def edit_cell(tab, key_prefix: str, row: int, column: int, text: str) -> None:
    """Edit one cell of an st.data_editor grid with the keyboard, as a person would."""
    tab.mouse.click(*grid_cell_point(tab, key_prefix, row))  # the first column of the row
    for _ in range(column):
        tab.keyboard.press("ArrowRight")
    tab.keyboard.press("Enter")  # opens the cell's editor in an overlay
    type_in_cell_editor(tab, text)
    settle(tab)


def scenario_id(tab) -> str:
    """The open scenario's id, from the page's address."""
    match = re.search(r"[?&]scenario=([0-9a-f]+)", tab.url)
    assert match, f"no scenario id in the URL {tab.url}"
    return match.group(1)
