"""Whether ``mlpm run`` starts a team server: Streamlit will read an ``[auth]`` table from a
secrets file (the app's ``.streamlit/secrets.toml`` or the user's ``~/.streamlit/``).

On a team server everyone signs in, so a meeting-room key would only confuse: ``mlpm run`` then
prints no key and says how people get in instead.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

SECRETS = Path(".streamlit") / "secrets.toml"


def sign_in_configured(app_dir: Path, home: Path | None = None) -> bool:
    """Whether a secrets file Streamlit reads for this app has an ``[auth]`` table."""
    for folder in (app_dir, Path.home() if home is None else home):
        try:
            data = tomllib.loads((folder / SECRETS).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue
        if isinstance(data.get("auth"), dict):
            return True
    return False
