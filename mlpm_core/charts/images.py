"""Vega-Lite specs to PNG or SVG with vl-convert, only ever in a helper process.

vl-convert is native code: on some input it aborts the whole process it runs in (a panic that
cannot be caught), or it could hang. So it never runs in the caller's process (the Streamlit
server, or the command line): a helper process draws, and when the helper dies or takes longer
than `TIMEOUT` seconds the export that asked gets one readable `ChartRenderError`, the helper is
stopped, and the next export starts a fresh one. Nothing is retried in the caller's process.

It also runs in parallel: `submit` hands the helper the specs and returns at once, the report
lays out its first pages while the charts are drawn, and `Pending.image` hands over each image
as soon as it arrives. One reader thread per request takes the helpers' lock, sends the
request, reads every image (so the pipe never fills) and releases the lock on every path. The
specs are serialised before that, in the caller, so a value JSON cannot hold (NaN, infinity)
is refused before anything is locked. `prewarm` starts the helper early (its JavaScript engine
takes about half a second).
"""

from __future__ import annotations

import atexit
import json
import struct
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any, Literal

from mlpm_core.charts.text import clean_values
from mlpm_core.errors import UserError
from mlpm_core.paths import repo_data_dir

Format = Literal["png", "svg"]
FONT_DIR = repo_data_dir() / "fonts"
TIMEOUT = 30.0
"""Seconds one request may take once the helper has it; then the helper is stopped."""
QUEUE_TIMEOUT = 120.0
"""Seconds a request waits for earlier exports (each bounded by `TIMEOUT`) to finish."""
_FRAME = struct.Struct(">BI")  # status (0 ok, 1 error), payload length
_WORKER = r"""
import json, struct, sys
import vl_convert as vlc
frame = struct.Struct(">BI")
if sys.argv[1]:
    vlc.register_font_directory(sys.argv[1])
# Start the engine now, and draw one small PNG with bars, text and axes, like the reports' charts:
# the first real chart then runs on warmed-up code, ~40 ms sooner, while the parent still works.
vlc.vegalite_to_png({"data": {"values": [{"a": "x", "b": 1}, {"a": "y", "b": 2}]}, "title": "t",
                     "encoding": {"y": {"field": "a", "type": "nominal"},
                                  "x": {"field": "b", "type": "quantitative"}},
                     "layer": [{"mark": "bar"},
                               {"mark": "text", "encoding": {"text": {"field": "b"}}}]})
out = sys.stdout.buffer
for line in sys.stdin.buffer:
    request = json.loads(line)
    for spec in request["specs"]:  # each image goes out as soon as it is drawn
        try:
            if request["format"] == "png":
                status, data = 0, vlc.vegalite_to_png(spec, scale=request["scale"])
            else:
                status, data = 0, vlc.vegalite_to_svg(spec).encode("utf-8")
        except Exception as error:  # reported to the parent, which raises it
            status, data = 1, str(error).encode("utf-8", "replace")
        out.write(frame.pack(status, len(data)))
        out.write(data)
        out.flush()
"""
HELPER_SCRIPT = _WORKER
"""What the helper runs (``python -c``); tests swap it for one that crashes or hangs."""


class ChartRenderError(UserError):
    """A chart could not be drawn for this export (the other exports carry on)."""


class _Worker:
    """One helper process. Only the holder of `_helper_lock` talks to it."""

    def __init__(self) -> None:
        font_dir = str(FONT_DIR) if FONT_DIR.is_dir() else ""
        self.process = subprocess.Popen(
            [sys.executable, "-c", HELPER_SCRIPT, font_dir],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)

    def alive(self) -> bool:
        return self.process.poll() is None

    def send(self, request: bytes) -> None:
        """Write the request from a thread of its own: a large request must not block the
        reader, which keeps the helper's output pipe from filling."""
        def write() -> None:
            try:
                assert self.process.stdin is not None
                self.process.stdin.write(request)
                self.process.stdin.flush()
            except (OSError, ValueError):
                pass  # the reader sees the dead helper

        threading.Thread(target=write, daemon=True).start()

    def read_frame(self) -> tuple[int, bytes]:
        """The next image's status (0 drawn, 1 error) and bytes; OSError if the helper died."""
        assert self.process.stdout is not None
        header = self.process.stdout.read(_FRAME.size)
        if len(header) < _FRAME.size:
            raise OSError("the chart helper stopped")
        status, length = _FRAME.unpack(header)
        data = self.process.stdout.read(length)
        if len(data) < length:
            raise OSError("the chart helper stopped")
        return status, data

    def stop(self) -> None:
        if self.alive():
            self.process.kill()
        self.process.wait()
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                with suppress(OSError):  # a write cut off by the kill: nothing left to flush
                    pipe.close()


_worker: _Worker | None = None
_helper_lock = threading.Lock()


@contextmanager
def _helper(timeout: float) -> Iterator[_Worker]:
    """The running helper (started if needed), held for one request; the lock is released
    however the request ends, and a helper that failed it is stopped."""
    global _worker
    if not _helper_lock.acquire(timeout=timeout):
        raise ChartRenderError("the chart drawer is busy with other exports; try again in a "
                               "minute")
    try:
        if _worker is None or not _worker.alive():
            _worker = _Worker()
        worker = _worker
        try:
            yield worker
        except BaseException:
            worker.stop()
            raise
    finally:
        _helper_lock.release()


@contextmanager
def _watchdog(worker: _Worker, seconds: float) -> Iterator[threading.Event]:
    """Stop the helper if the block takes longer than ``seconds``; the event says it did."""
    expired = threading.Event()

    def expire() -> None:
        expired.set()
        worker.process.kill()

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield expired
    finally:
        timer.cancel()


def prewarm() -> None:
    """Start the helper now so its JavaScript engine is ready when the first report needs it."""
    global _worker
    if _helper_lock.acquire(blocking=False):  # busy means it is already running
        try:
            if _worker is None or not _worker.alive():
                _worker = _Worker()
        except OSError:
            pass  # the first export reports it
        finally:
            _helper_lock.release()


@atexit.register
def _stop_worker() -> None:
    if _worker is not None:
        _worker.stop()


def _encode(specs: Sequence[dict[str, Any]], fmt: Format, scale: float) -> bytes:
    """The request as one line of JSON; a chart value JSON cannot hold is a readable error."""
    request = {"specs": clean_values(list(specs)), "format": fmt, "scale": scale}
    try:
        return json.dumps(request, allow_nan=False).encode("utf-8") + b"\n"
    except ValueError:
        raise ChartRenderError("the charts could not be drawn: a charted figure is not a "
                               "finite number (the inputs make a result overflow)") from None


def _named(spec: dict[str, Any]) -> str:
    title = spec.get("title")  # our own text, never user text
    return f"the chart '{title}'" if isinstance(title, str) and title else "a chart"


def _first_line(message: str) -> str:
    """The drawer's own reason, without the JavaScript stack that follows it."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    reasons = [line for line in lines
               if not line.startswith("at ") and not line.endswith("conversion failed:")]
    return (reasons or lines or ["no reason given"])[0].removeprefix("Error:").strip()


class Pending:
    """Charts being drawn; `image` and `result` wait for them."""

    def __init__(self, specs: Sequence[dict[str, Any]], fmt: Format, scale: float) -> None:
        self.specs = list(specs)
        self.frames: list[tuple[int, bytes]] = []
        self.done = False
        self.failure: str | None = None
        self.arrived = threading.Condition()
        self.reader: threading.Thread | None = None
        if self.specs:
            request = _encode(self.specs, fmt, scale)  # before any lock is taken
            self.reader = threading.Thread(target=self._collect, args=(request,), daemon=True)
            self.reader.start()

    def _collect(self, request: bytes) -> None:
        """Run the request in this reader thread; whatever happens, `image` learns of it."""
        failure: str | None = None
        try:
            failure = self._exchange(request)
        except ChartRenderError as error:
            failure = str(error)
        except Exception as error:  # the helper could not start, or something unforeseen
            failure = f"the chart drawer could not run ({type(error).__name__}: {error})"
        finally:
            with self.arrived:
                self.done, self.failure = True, failure
                self.arrived.notify_all()

    def _exchange(self, request: bytes) -> str | None:
        """Send the request and read every image as it arrives (reading to the end keeps the
        stream in step for the next request); the reason if the helper failed, else None."""
        with _helper(QUEUE_TIMEOUT) as worker, _watchdog(worker, TIMEOUT) as expired:
            worker.send(request)
            try:
                for _ in self.specs:
                    frame = worker.read_frame()
                    with self.arrived:
                        self.frames.append(frame)
                        self.arrived.notify_all()
            except OSError:
                worker.stop()  # the next request starts a fresh helper
                if expired.is_set():
                    return f"drawing took longer than {TIMEOUT:.0f} seconds"
                return "the chart drawer stopped on this scenario's text or figures"
        return None

    def image(self, index: int) -> bytes:
        """The image of ``specs[index]``, as soon as it is drawn."""
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.frames) > index or self.done)
            frame = self.frames[index] if len(self.frames) > index else None
            failure = self.failure or "the chart drawer stopped"
        name = _named(self.specs[index])
        if frame is None:
            raise ChartRenderError(f"{name} could not be drawn: {failure}")
        status, data = frame
        if status:
            raise ChartRenderError(
                f"{name} could not be drawn: {_first_line(data.decode('utf-8', 'replace'))}")
        return data

    def result(self) -> list[bytes]:
        """The images, in the order of the specs."""
        return [self.image(index) for index in range(len(self.specs))]

    def close(self) -> None:
        """Wait until the request is over (bounded by the timeouts), so the helper is free."""
        if self.reader is not None:
            self.reader.join()

    def __enter__(self) -> Pending:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def submit(specs: Sequence[dict[str, Any]], fmt: Format = "png", scale: float = 2) -> Pending:
    """Start drawing the charts; call `result()` on the answer when the images are needed."""
    return Pending(specs, fmt, scale)


def render(specs: Sequence[dict[str, Any]], fmt: Format = "png", scale: float = 2) -> list[bytes]:
    """Draw the charts and wait for them."""
    with submit(specs, fmt, scale) as pending:
        return pending.result()
