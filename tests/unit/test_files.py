"""Reading a file a person named: regular files only, never more than the limit."""

from __future__ import annotations

import os

import pytest

from mlpm_core.errors import UserError
from mlpm_core.files import read_regular_file, size_text


def test_a_regular_file_up_to_the_limit_is_read_whole(tmp_path):
    """A file of exactly ``limit`` bytes, and one reached through a symbolic link, are read."""
    path = tmp_path / "data.csv"
    path.write_bytes(b"x" * 100)
    link = tmp_path / "link.csv"
    link.symlink_to(path)
    assert read_regular_file(path, 100) == b"x" * 100
    assert read_regular_file(link, 1000) == b"x" * 100


def test_one_byte_over_the_limit_is_refused_with_the_limit_named(tmp_path):
    """A file of ``limit + 1`` bytes is refused, and the message says the limit."""
    path = tmp_path / "big.json"
    path.write_bytes(b"x" * 2049)
    with pytest.raises(UserError, match=r"big\.json is larger than 2 KB"):
        read_regular_file(path, 2048)


def test_a_sparse_huge_file_is_refused_without_reading_it_whole(tmp_path):
    """A 10 GB sparse file is refused after reading one byte past a small limit."""
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.truncate(10 * 1024**3)
    with pytest.raises(UserError, match="larger than 1 MB"):
        read_regular_file(path, 1024 * 1024)


def test_a_device_is_refused_instead_of_read_until_memory_runs_out():
    """/dev/zero has size 0 and never ends: it is refused as a device."""
    with pytest.raises(UserError, match="/dev/zero is a device, not a regular file"):
        read_regular_file("/dev/zero", 5 * 1024 * 1024)


def test_a_pipe_with_no_writer_is_refused_without_waiting(tmp_path):
    """Opening a FIFO for reading would wait for a writer; it is refused at once."""
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    with pytest.raises(UserError, match="is a pipe, not a regular file"):
        read_regular_file(fifo, 1024)


def test_a_folder_and_a_missing_file_are_readable_errors(tmp_path):
    """A folder and a path that does not exist each give one readable message."""
    with pytest.raises(UserError, match="is a folder, not a regular file"):
        read_regular_file(tmp_path, 1024)
    with pytest.raises(UserError, match=r"cannot read .*nope\.json: file not found"):
        read_regular_file(tmp_path / "nope.json", 1024)


def test_an_unreadable_file_is_a_readable_error(tmp_path):
    """A file the process may not open is reported with the system's reason."""
    if os.geteuid() == 0:
        path = "/proc/1/mem"  # root may open any plain file; this one refuses even root
    else:
        path = tmp_path / "secret.csv"
        path.write_text("a,b\n")
        path.chmod(0)
    with pytest.raises(UserError, match="cannot read"):
        read_regular_file(path, 1024)


def test_limits_read_as_a_person_says_them():
    """Limits print in MB, KB or bytes."""
    assert [size_text(n) for n in (5 * 1024 * 1024, 20 * 1024 * 1024, 512 * 1024, 10)] == [
        "5 MB", "20 MB", "512 KB", "10 bytes"]
