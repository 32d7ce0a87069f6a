"""Where mlpm keeps a user's files, so the CLI, the app and the tests agree on one place."""

import os
from pathlib import Path

DATA_DIR_ENV = "MLPM_DATA_DIR"


def data_dir() -> Path:
    """The user's mlpm folder: ``$MLPM_DATA_DIR`` or the platform's user-data folder.

    Created on first use so callers can write into it directly.
    """
    configured = os.environ.get(DATA_DIR_ENV)
    if configured:
        path = Path(configured).expanduser()
    else:
        base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        path = Path(base) / "mlpm"
    path.mkdir(parents=True, exist_ok=True)
    return path


def repo_data_dir() -> Path:
    """The shipped ``data/`` folder (rules, examples, templates, reference classes)."""
    return Path(__file__).resolve().parent.parent / "data"
