"""Vega-Lite specs to PNG or SVG with vl-convert, in a helper process that runs in parallel.

vl-convert starts a JavaScript engine on first use (about half a second) and holds the GIL while
it draws, so a thread cannot overlap it with the rest of a report. A small helper process does:
`submit` hands it the specs and returns at once; the report lays out its first pages while the
charts are drawn. The helper sends each image as soon as it is drawn and a reader thread here
collects it (so the pipe never fills and stalls the helper), which lets `Pending.image` hand the
layout the first charts while the later ones are still being drawn; `Pending.result` waits for
all of them. `prewarm` starts the helper early (e.g. before a command line loads the simulation
engine). The helper is reused for later reports and ends with this process; if it cannot run,
charts are drawn here.
"""

from __future__ import annotations

import atexit
import json
import struct
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from mlpm_core.paths import repo_data_dir

Format = Literal["png", "svg"]
FONT_DIR = repo_data_dir() / "fonts"
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


class ChartRenderError(RuntimeError):
    """vl-convert could not draw a chart spec."""


_registered = False


def render_here(specs: Sequence[dict[str, Any]], fmt: Format = "png",
                scale: float = 2) -> list[bytes]:
    """Draw the charts in this process (the fallback, and the simple path for tests)."""
    import vl_convert

    global _registered
    if not _registered:
        vl_convert.register_font_directory(str(FONT_DIR))
        _registered = True
    if fmt == "png":
        return [vl_convert.vegalite_to_png(spec, scale=scale) for spec in specs]
    return [vl_convert.vegalite_to_svg(spec).encode("utf-8") for spec in specs]


class _Worker:
    """One helper process; requests are serialised by a lock held until results are read."""

    def __init__(self, font_dir: Path) -> None:
        self.lock = threading.Lock()
        self.process = subprocess.Popen(
            [sys.executable, "-c", _WORKER, str(font_dir) if font_dir.is_dir() else ""],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)

    def alive(self) -> bool:
        return self.process.poll() is None

    def send(self, request: bytes) -> None:
        def write() -> None:
            try:
                assert self.process.stdin is not None
                self.process.stdin.write(request)
                self.process.stdin.flush()
            except OSError:
                pass  # the read side sees the dead helper and falls back

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


_worker: _Worker | None = None
_worker_lock = threading.Lock()


def _get_worker() -> _Worker | None:
    global _worker
    with _worker_lock:
        if _worker is None or not _worker.alive():
            try:
                _worker = _Worker(FONT_DIR)
            except (OSError, ValueError):  # no interpreter to start: draw in this process
                _worker = None
        return _worker


def prewarm() -> None:
    """Start the helper now so its JavaScript engine is ready when the first report needs it."""
    _get_worker()


@atexit.register
def _stop_worker() -> None:
    if _worker is not None:
        _worker.stop()


class Pending:
    """Charts being drawn; `image` and `result` wait for them (drawing here if the helper
    failed)."""

    def __init__(self, specs: Sequence[dict[str, Any]], fmt: Format, scale: float) -> None:
        self.specs, self.fmt, self.scale = list(specs), fmt, scale
        self.frames: list[tuple[int, bytes]] = []
        self.fallback: list[bytes] | None = None
        self.helper_failed = False
        self.arrived = threading.Condition()
        self.reader: threading.Thread | None = None
        worker = _get_worker() if self.specs else None
        if worker is not None:
            worker.lock.acquire()
            request = {"specs": self.specs, "format": fmt, "scale": scale}
            worker.send(json.dumps(request, allow_nan=False).encode("utf-8") + b"\n")
            self.reader = threading.Thread(target=self._collect, args=(worker,), daemon=True)
            self.reader.start()
        else:
            self.helper_failed = True

    def _collect(self, worker: _Worker) -> None:
        """Read every frame of this request as it arrives (reading to the end keeps the stream
        in step for the next request), then free the helper for the next report."""
        try:
            for _ in self.specs:
                frame = worker.read_frame()
                with self.arrived:
                    self.frames.append(frame)
                    self.arrived.notify_all()
        except OSError:
            worker.stop()
            with self.arrived:
                self.helper_failed = True
                self.arrived.notify_all()
        finally:
            worker.lock.release()

    def image(self, index: int) -> bytes:
        """The image of ``specs[index]``, as soon as it is drawn."""
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.frames) > index or self.helper_failed)
            frame = self.frames[index] if len(self.frames) > index else None
        if frame is None:  # the helper could not start or stopped: draw them all here
            if self.fallback is None:
                self.fallback = render_here(self.specs, self.fmt, self.scale)
            return self.fallback[index]
        status, data = frame
        if status:
            raise ChartRenderError(data.decode("utf-8", "replace"))
        return data

    def result(self) -> list[bytes]:
        """The images, in the order of the specs."""
        return [self.image(index) for index in range(len(self.specs))]

    def close(self) -> None:
        """Wait until the helper has sent every image, so it is free for the next report."""
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
