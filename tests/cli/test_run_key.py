"""`mlpm run` on a meeting-room address prints the workbench URL with a key, once."""

from __future__ import annotations

import re

import pytest

from mlpm_cli.main import build_parser, main, server_environment
from mlpm_core.access import KEY_HASH_ENV, key_matches


def _environment(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[dict[str, str], str]:
    env = server_environment(build_parser().parse_args(["run", *argv]))
    return env, capsys.readouterr().err


def test_a_meeting_room_server_gets_a_key_hash_and_prints_the_key_once(capsys) -> None:
    env, printed = _environment(capsys, "--address", "0.0.0.0", "--port", "8600")
    match = re.search(r"http://127\.0\.0\.1:8600/\?key=([A-Za-z0-9_-]{43})\n", printed)
    assert match, printed
    assert key_matches(match.group(1), env[KEY_HASH_ENV])
    assert match.group(1) not in env[KEY_HASH_ENV]


def test_a_solo_server_has_no_key_even_if_the_environment_had_one(capsys, monkeypatch) -> None:
    monkeypatch.setenv(KEY_HASH_ENV, "0" * 64)
    env, printed = _environment(capsys, "--address", "127.0.0.1")
    assert KEY_HASH_ENV not in env and printed == ""


def test_a_chosen_key_is_used_and_a_short_one_refused(capsys) -> None:
    key = "our-workshop-key-2026"
    env, printed = _environment(capsys, "--require-key", "--key", key)
    assert key_matches(key, env[KEY_HASH_ENV]) and f"?key={key}" in printed
    assert main(["run", "--key", "short"]) == 2
    assert "at least 16 printable ASCII" in capsys.readouterr().err


def test_a_public_url_reaches_the_server_and_a_bad_one_is_refused(capsys) -> None:
    env, _ = _environment(capsys, "--public-url", "https://mlpm.example.org/")
    assert env["MLPM_PUBLIC_URL"] == "https://mlpm.example.org"
    for bad in ("mlpm.example.org", "ftp://host", "https://user:pw@host", "https://host/#x"):
        assert main(["run", "--public-url", bad]) == 2
        assert "--public-url must be" in capsys.readouterr().err
