"""Start the workbench's Streamlit server: ``python -m mlpm_ui.serve [streamlit run options]``.

``mlpm run`` (and so ``make run``) starts the app this way rather than with plain ``streamlit run
app.py``. Streamlit takes a ``pages/`` folder beside the entrypoint for an old-style multipage
app until some session has called ``st.navigation``: on a fresh server it runs that session's
first script run the old way, so the first person to open a deep link (a workshop's
``/join?room=...``, a ``/report?scenario=...`` bookmark) got a false "Page not found" dialog over
the right page (streamlit issue 9624; PR 10276's review describes the same). This app always
navigates with ``st.navigation``, so the launcher says so before any session starts.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

APP = Path(__file__).resolve().parent.parent / "app.py"


def main(options: Sequence[str]) -> None:
    """Run ``streamlit run app.py`` with ``options`` in this process (it exits when it stops)."""
    PagesManager.uses_pages_directory = False
    cli.main(["run", str(APP), *options], prog_name="streamlit")


if __name__ == "__main__":
    main(sys.argv[1:])
