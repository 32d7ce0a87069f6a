"""Comments, docstrings, data and docs cite only what a reader of the repository can open.

A comment that says "see SPEC §5" or "STYLE.md" points at a document that is not in the
repository, so the reason behind the code is lost to everyone who reads it. Outside ``tests/``
the text must state the requirement itself, or cite a README section or the code.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest


def _repo_root() -> Path:
    """The repository root: the nearest folder above this file that holds pyproject.toml."""
    here = Path(__file__).resolve()
    return next(folder for folder in here.parents if (folder / "pyproject.toml").is_file())


ROOT = _repo_root()
# Never scanned: version control, environments, caches, build output and the tests themselves
# (tests may name the documents they were written against; tests/data holds fixtures).
SKIPPED_DIRS = {".git", ".venv", "venv", "node_modules", "__pycache__", ".hypothesis",
                ".pytest_cache", ".ruff_cache", ".mypy_cache", "build", "dist", "screenshots"}
SKIPPED_PATHS = {"tests", "bench/results"}
MAX_BYTES = 5_000_000
OUTSIDE = [
    ("a section of SPEC", re.compile(r"\bSPEC\s*§")),
    ("SPEC.md", re.compile(r"\bSPEC\.md\b", re.IGNORECASE)),
    ("STYLE.md", re.compile(r"\bSTYLE\.md\b", re.IGNORECASE)),
    ("a file beside the repository", re.compile(r"\.\./shared\b")),
]


def _text(path: Path) -> str | None:
    """A file's text, or None for a binary file (fonts, images) or a very large one."""
    if path.stat().st_size > MAX_BYTES:
        return None
    data = path.read_bytes()
    if b"\0" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def scanned_files(root: Path = ROOT) -> list[Path]:
    """Every source, data and docs file of the repository outside the skipped folders."""
    found = []
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        dirs[:] = sorted(name for name in dirs
                         if name not in SKIPPED_DIRS and not name.endswith(".egg-info")
                         and (here / name).relative_to(root).as_posix() not in SKIPPED_PATHS)
        found += [here / name for name in sorted(files)]
    return found


def outside_citations(text: str, where: str) -> list[str]:
    """One line per citation of a document the repository does not hold."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        for what, pattern in OUTSIDE:
            if pattern.search(line):
                found.append(f"{where}:{number}: cites {what}, which a reader of the repository "
                             f"cannot open: {line.strip()[:120]!r}")
    return found


def test_nothing_outside_tests_cites_a_document_the_repository_does_not_hold():
    """State the requirement, or cite a README section or the code, instead."""
    found = []
    for path in scanned_files():
        text = _text(path)
        if text is not None:
            found += outside_citations(text, path.relative_to(ROOT).as_posix())
    assert not found, "\n".join(found)


def test_the_scan_covers_code_data_docs_and_settings():
    """The places that used to carry such citations are all scanned; tests and .git are not."""
    scanned = {path.relative_to(ROOT).as_posix() for path in scanned_files()}
    for expected in ("app.py", "Makefile", "README.md", ".streamlit/config.toml",
                     "data/feasibility.toml", "data/templates/core.toml",
                     "mlpm_core/feasibility/decision.py", "mlpm_ui/state.py",
                     "mlpm_cli/main.py", "scripts/derive_reference.py", "bench/run.py"):
        assert expected in scanned, expected
    assert not any(name.startswith(("tests/", ".git/", ".venv/")) for name in scanned)


@pytest.mark.parametrize("line, what", [
    ("# Decision texts, as data (SPEC §5).", "a section of SPEC"),
    ('"""Design (SPEC§7): ..."""', "a section of SPEC"),
    ("see spec.md for the contract", "SPEC.md"),
    ('Design (STYLE.md "Streamlit facts")', "STYLE.md"),
    ("the files in ../shared", "a file beside the repository"),
])
def test_each_kind_of_outside_citation_is_caught(line, what):
    """Each kind is reported with the file, the line number and what it cites."""
    assert outside_citations(f"first line\n{line}\n", "some/file.py") == [
        f"some/file.py:2: cites {what}, which a reader of the repository cannot open: "
        f"{line.strip()!r}"]


@pytest.mark.parametrize("line", [
    "ANY GENERAL, SPECIAL, INDIRECT, INCIDENTAL, OR CONSEQUENTIAL DAMAGES",
    'See README "The estimation model" and mlpm_core/estimate/engine.py.',
    "shared_sigma is the between-project spread",
])
def test_ordinary_text_is_not_a_citation(line):
    """Words that merely contain the names are left alone."""
    assert outside_citations(line, "some/file.py") == []
