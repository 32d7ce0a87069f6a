"""The meeting-room key: random, kept only as a hash, compared in constant time."""

from __future__ import annotations

import pytest

from mlpm_core.access import (
    KEY_HASH_ENV,
    key_hash,
    key_matches,
    lock_from_environment,
    needs_key,
    new_key,
)
from mlpm_core.errors import UserError


def test_a_new_key_matches_its_hash_and_no_other_key_does() -> None:
    key = new_key()
    assert len(key) >= 43 and key != new_key()
    expected = key_hash(key)
    assert len(expected) == 64 and key not in expected
    assert key_matches(key, expected)
    for wrong in (key[:-1], key + "x", "", None, "ключ" * 8, key.upper()):
        assert not key_matches(wrong, expected)


def test_a_short_or_unprintable_chosen_key_is_refused() -> None:
    for bad in ("short", "x" * 15, "tab\tinside-a-key-ok", "ключ-ключ-ключ-ключ"):
        with pytest.raises(UserError, match="at least 16 printable ASCII"):
            key_hash(bad)


@pytest.mark.parametrize(("address", "asked", "needed"), [
    ("127.0.0.1", False, False), ("localhost", False, False), ("::1", False, False),
    ("127.0.0.1", True, True), ("0.0.0.0", False, True), ("192.168.1.20", False, True),
    ("::", False, True), ("meeting-laptop.local", False, True)])
def test_a_key_is_needed_on_any_address_but_loopback(address: str, asked: bool,
                                                     needed: bool) -> None:
    assert needs_key(address, asked) is needed


def test_the_server_reads_the_hash_from_its_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(KEY_HASH_ENV, raising=False)
    assert lock_from_environment() is None
    expected = key_hash(new_key())
    monkeypatch.setenv(KEY_HASH_ENV, expected.upper())
    assert lock_from_environment() == expected
    monkeypatch.setenv(KEY_HASH_ENV, "not-a-hash")
    with pytest.raises(UserError, match="SHA-256"):
        lock_from_environment()
