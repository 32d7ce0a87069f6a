"""Room codes: a short, typeable stand-in for a room's link, valid only while the room is open.

The link's token (``secrets.token_urlsafe(32)``, 43 characters) is too long to type from a
projector. The code is 8 characters of Crockford's base32 (no I, L, O or U; read aloud without
confusion), shown as ``K7QD-M2XP``: 40 bits, derived from the token with HMAC-SHA256, so the
facilitator (who holds the token) can always show it and the code tells nothing about the token.
Only its SHA-256 is stored (``rooms.code_sha256``), looked up by hash and compared with
``hmac.compare_digest``, like every other secret of a room.

Why 40 bits are enough: a code lets its holder do what the link does (join as a participant,
submit) and nothing else (never steer the room), and only while the room is open (at most its
``ttl_hours``). Wrong codes are rate-limited per server process: after ``MAX_WRONG`` wrong codes
within ``WINDOW_S`` seconds every code look-up is refused until the window has passed (links and
QR codes keep working). Guessing then gets at most 28,800 tries in 8 hours, against 2^40
(1.1e12) codes: about one chance in 38 million per open room. The stored hash does not protect
a code against someone who can read the database: 2^40 hashes are quickly tried. That reader
already sees every estimate; what they could add is joining a room while it is still open.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32
LENGTH = 8
BITS = 5 * LENGTH
# What people type for what they read: Crockford's decoding rules, and no separators.
_TYPED = str.maketrans({"O": "0", "I": "1", "L": "1", "-": None, " ": None})
MAX_WRONG, WINDOW_S = 60, 60.0
CODE_LIMITED = ("Too many wrong room codes were tried on this server in the last minute; wait a "
                "minute, or open the link or scan the QR code instead.")


def room_code(token: str) -> str:
    """The room code of a room token: 8 characters, ``XXXX-XXXX``."""
    mac = hmac.new(token.encode("ascii"), b"mlpm room code", hashlib.sha256).digest()
    number = int.from_bytes(mac[:8], "big") >> (64 - BITS)
    chars = "".join(ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(LENGTH)))
    return f"{chars[:4]}-{chars[4:]}"


def typed_code(text: Any) -> str | None:
    """The code in what someone typed (any case, with or without the dash, O for 0, I or L for
    1), without the dash; None when it is not a code at all."""
    if not isinstance(text, str) or len(text) > 2 * LENGTH:
        return None
    cleaned = text.strip().upper().translate(_TYPED)
    return cleaned if len(cleaned) == LENGTH and all(c in ALPHABET for c in cleaned) else None


def code_digest(code: str) -> str:
    """The stored form of a code (as ``typed_code`` returns it): its SHA-256, hex."""
    return hashlib.sha256(code.encode("ascii")).hexdigest()


def stored_code(token: str) -> str:
    """What the store keeps of a token's room code: the code's SHA-256."""
    return code_digest(room_code(token).replace("-", ""))


class WrongCodes:
    """Wrong code look-ups in the last ``window_s`` seconds, in this process (thread-safe)."""

    def __init__(self, limit: int = MAX_WRONG, window_s: float = WINDOW_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.window_s, self._clock = limit, window_s, clock
        self._times: deque[float] = deque()
        self._lock = threading.Lock()

    def _forget_old(self) -> None:
        while self._times and self._clock() - self._times[0] >= self.window_s:
            self._times.popleft()

    def limited(self) -> bool:
        """Are code look-ups refused right now?"""
        with self._lock:
            self._forget_old()
            return len(self._times) >= self.limit

    def record(self) -> None:
        """Count one wrong code."""
        with self._lock:
            self._times.append(self._clock())


WRONG_CODES = WrongCodes()  # this server process's count; tests replace it
