"""``python -m mlpm_cli``: the same as the ``mlpm`` command."""

from mlpm_cli.main import main

raise SystemExit(main())
