"""The meeting-room key: the workbench opens only to a browser that brought it.

A server bound to anything but loopback (``mlpm run --address 0.0.0.0`` for a workshop) is
reachable by every participant; without a key, anyone holding a join link could open Home and
every saved scenario. As Jupyter does, ``mlpm run`` then makes a random key, prints the workbench
URL carrying it once, and hands the server only the key's SHA-256 (in the environment), so the
key itself is stored nowhere.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
import secrets

from mlpm_core.errors import UserError

KEY_HASH_ENV = "MLPM_WORKBENCH_KEY_SHA256"
MIN_KEY_LENGTH = 16  # characters of a key the user chose: guessable keys are refused


def new_key() -> str:
    """A fresh key (256 random bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def key_hash(key: str) -> str:
    """The SHA-256 (hex) the server keeps instead of the key; refuses a short key."""
    if len(key) < MIN_KEY_LENGTH or not key.isascii() or not key.isprintable():
        raise UserError(f"a workbench key needs at least {MIN_KEY_LENGTH} printable ASCII "
                        "characters")
    return hashlib.sha256(key.encode("ascii")).hexdigest()


def key_matches(key: str | None, expected_hash: str) -> bool:
    """Whether ``key`` is the workbench key (a constant-time comparison of the hashes)."""
    if not key or not key.isascii():
        return False
    given = hashlib.sha256(key.encode("ascii")).hexdigest()
    return hmac.compare_digest(given, expected_hash)


def lock_from_environment() -> str | None:
    """The key hash this server checks, or None when the workbench is open (solo use)."""
    value = os.environ.get(KEY_HASH_ENV, "").strip().lower()
    if not value:
        return None
    if len(value) != 64 or any(char not in "0123456789abcdef" for char in value):
        raise UserError(f"${KEY_HASH_ENV} must be a SHA-256 in hex (64 characters)")
    return value


def needs_key(address: str, require_key: bool) -> bool:
    """A key is needed on any address but loopback, or when asked for."""
    if require_key:
        return True
    if address == "localhost":
        return False
    try:
        return not ipaddress.ip_address(address).is_loopback
    except ValueError:  # a host name: other machines may resolve it
        return True
