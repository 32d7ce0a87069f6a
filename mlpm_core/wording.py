"""Counts, FTE and timestamps as people read them.

"1 tasks" and "1 condition(s)" read as machine output: :func:`counted` picks the singular or the
plural. The store keeps ISO 8601 times with microseconds and an offset
(``2026-12-05T01:58:43.331308+00:00``): exact for sorting, noise on screen. Pages and messages
show the minute, in UTC, and say so.
"""

from __future__ import annotations

import datetime as dt


def shown_time(stamp: str) -> str:
    """``'2026-12-05T01:58:43.331308+00:00'`` -> ``'2026-12-05 01:58 UTC'``.

    A time without an offset is taken as UTC (the store writes UTC); text that is not a time
    is returned as it is, so a message never fails over a timestamp.
    """
    try:
        moment = dt.datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return stamp
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def counted(count: int, singular: str, plural: str | None = None) -> str:
    """``counted(1, "task")`` -> ``'1 task'``; ``counted(3, "task")`` -> ``'3 tasks'``;
    thousands separated. ``plural`` for a word that does not just add an s."""
    word = singular if count == 1 else (plural or f"{singular}s")
    return f"{count:,} {word}"


def shown_fte(value: float) -> str:
    """``0.7071067811865476`` -> ``'0.71'``: a FTE range's midpoint is its geometric mean, which
    printed with ``:g`` as "0.707107 FTE" (a precision no staffing plan has)."""
    return f"{round(value, 2):g}"
