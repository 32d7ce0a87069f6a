"""Reading a file a person named: only a regular file, and never more than a size limit.

``Path.read_bytes`` trusts the path: ``/dev/zero`` is read until memory runs out, a FIFO with no
writer blocks for ever, and ``stat().st_size`` is 0 for both, so a size check before reading
does not help. Here the file is opened without blocking, checked on the open descriptor (no race
between the check and the read) and read up to one byte past the limit, so an oversized or
growing file is refused without being read whole.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from mlpm_core.errors import UserError

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISFIFO, "a pipe"),
    (stat.S_ISSOCK, "a socket"),
)
_CHUNK = 1024 * 1024


def size_text(limit: int) -> str:
    """A byte limit as a person reads it: '5 MB', '20 MB', '512 KB'."""
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):g} MB"
    return f"{limit / 1024:g} KB" if limit >= 1024 else f"{limit} bytes"


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def read_regular_file(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them.

    Raises ``UserError`` (one line) when the file is missing or unreadable, is not a regular
    file (a folder, a device such as ``/dev/zero``, a pipe, a socket), or is larger than
    ``limit`` bytes.
    """
    name = str(path)
    try:
        # O_NONBLOCK: opening a FIFO with no writer would otherwise wait for one
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise UserError(f"cannot read {name}: file not found") from None
    except OSError as error:
        raise UserError(f"cannot read {name}: {error.strerror or error}") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise UserError(f"{name} is {_kind(mode)}, not a regular file; give the path of "
                            "a file")
        raw = _read_at_most(fd, limit + 1)
    except OSError as error:
        raise UserError(f"cannot read {name}: {error.strerror or error}") from None
    finally:
        os.close(fd)
    if len(raw) > limit:
        raise UserError(f"{Path(name).name} is larger than {size_text(limit)}, the limit "
                        "for this file")
    return raw


def _read_at_most(fd: int, count: int) -> bytes:
    """Up to ``count`` bytes from ``fd``: fewer only at the end of the file."""
    parts: list[bytes] = []
    left = count
    while left > 0:
        chunk = os.read(fd, min(left, _CHUNK))
        if not chunk:
            break
        parts.append(chunk)
        left -= len(chunk)
    return b"".join(parts)
