"""The chart helper: a crash, a hang or a bad value fails one export, never the caller."""

from __future__ import annotations

import sys
import threading

import pytest

from mlpm_core.charts import images
from mlpm_core.errors import UserError
from tests.conftest import CHART_HELPER_CRASH

HANG = "import sys, time\nsys.stdin.readline()\ntime.sleep(600)\n"


def bar_chart(label: str, value: float = 1.0) -> dict:
    """A one-bar chart whose axis label is ``label``."""
    return {"title": "Test chart", "data": {"values": [{"name": label, "value": value}]},
            "mark": "bar", "encoding": {"y": {"field": "name", "type": "nominal"},
                                        "x": {"field": "value", "type": "quantitative"}}}


@pytest.fixture
def fresh_helper():
    """Each test starts and ends with no helper running, so a swapped-in helper script takes
    effect and never outlives its test."""
    images._stop_worker()
    yield
    images._stop_worker()


def helper_pid() -> int | None:
    worker = images._worker
    return worker.process.pid if worker is not None and worker.alive() else None


def test_a_label_that_aborts_the_drawer_fails_one_export_and_the_next_one_draws(
        fresh_helper, monkeypatch):
    """vl-convert aborts its process on U+0001 in a label: with the last guard switched off
    that happens in the helper, the export gets one readable error, this process lives on, and
    the next export starts a new helper and draws."""
    assert images.render([bar_chart("before")], "png")[0].startswith(b"\x89PNG")
    first = helper_pid()
    monkeypatch.setattr(images, "clean_values", lambda value: value)
    with pytest.raises(images.ChartRenderError) as raised:
        images.render([bar_chart("a\x01b")], "png")
    message = str(raised.value)
    assert isinstance(raised.value, UserError)
    assert "'Test chart' could not be drawn" in message and "stopped" in message
    assert "\n" not in message and "panic" not in message
    monkeypatch.undo()
    assert not images._helper_lock.locked()
    assert images.render([bar_chart("after")], "png")[0].startswith(b"\x89PNG")
    assert helper_pid() not in (None, first)


def test_with_the_guard_on_a_control_character_is_drawn_as_a_replacement(fresh_helper):
    """The same label with the guard on is drawn: U+0001 arrives as U+FFFD."""
    svg = images.render([bar_chart("a\x01b\u2028c")], "svg")[0].decode()
    assert "a\ufffdb c" in svg


def test_a_helper_that_crashes_mid_request_fails_that_export_only(fresh_helper, monkeypatch):
    """An injected helper that aborts on its first request: every image of the request raises
    the same readable error, and once the real helper is back the next export draws."""
    monkeypatch.setattr(images, "HELPER_SCRIPT", CHART_HELPER_CRASH)
    with images.submit([bar_chart("one"), bar_chart("two")], "svg") as pending:
        for index in (0, 1):
            with pytest.raises(images.ChartRenderError, match="chart drawer stopped"):
                pending.image(index)
    monkeypatch.undo()
    assert images.render([bar_chart("fine")], "svg")[0].startswith(b"<svg")


def test_a_hung_helper_is_stopped_after_the_timeout(fresh_helper, monkeypatch):
    """A helper that never answers is stopped when the timeout passes; the export gets a
    readable error and the lock is free for the next one."""
    monkeypatch.setattr(images, "HELPER_SCRIPT", HANG)
    monkeypatch.setattr(images, "TIMEOUT", 0.5)
    with pytest.raises(images.ChartRenderError, match="took longer than"):
        images.render([bar_chart("slow")], "svg")
    hung = images._worker
    assert hung is not None and not hung.alive()
    assert not images._helper_lock.locked()
    monkeypatch.undo()
    assert images.render([bar_chart("fine")], "svg")[0].startswith(b"<svg")


def test_a_value_json_cannot_hold_is_refused_before_the_lock_is_taken(fresh_helper):
    """NaN or infinity in a chart is a readable error raised in the caller; the lock stays free
    and every later export still draws (it used to stay held, hanging every download)."""
    for bad in (float("nan"), float("inf")):
        with pytest.raises(images.ChartRenderError, match="not a finite number"):
            images.submit([bar_chart("x", bad)], "png")
        assert not images._helper_lock.locked()
    assert images.render([bar_chart("fine")], "svg")[0].startswith(b"<svg")


def test_a_helper_that_cannot_start_is_a_readable_error(fresh_helper, monkeypatch):
    """No interpreter to start the helper with: a readable error, nothing drawn here."""
    monkeypatch.setattr(sys, "executable", "/nonexistent/python")
    with pytest.raises(images.ChartRenderError, match="could not run"):
        images.render([bar_chart("x")], "svg")
    assert not images._helper_lock.locked()


def test_an_export_that_waits_too_long_for_the_helper_is_told_it_is_busy(monkeypatch):
    """When other exports hold the helper past the queue timeout, this one gives up readably."""
    monkeypatch.setattr(images, "QUEUE_TIMEOUT", 0.1)
    with images._helper_lock, pytest.raises(images.ChartRenderError, match="busy"):
        images.render([bar_chart("x")], "svg")


def test_exports_from_many_threads_each_get_their_own_images():
    """Concurrent sessions share one helper; each gets its own charts back, in order."""
    results: dict[int, list[bytes]] = {}

    def export(number: int) -> None:
        results[number] = images.render([bar_chart(f"label{number}x"), bar_chart("second")],
                                        "svg")

    threads = [threading.Thread(target=export, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [0, 1, 2, 3]
    for number, (first, second) in results.items():
        assert f"label{number}x".encode() in first and b"second" in second
