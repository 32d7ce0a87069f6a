"""Lazy package faces: a package lists its public names, and each is imported on first use.

Two packages (``store`` and ``calibration``) would otherwise make every importer pay for heavy
libraries it does not use (SQLAlchemy, pandas, scipy.optimize): importing any module of a
package runs its ``__init__`` first. Their faces name the same things eagerly under
``TYPE_CHECKING``, so type checkers and readers see the full public surface.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any


def lazy_attributes(package: str, where: Mapping[str, Sequence[str]]
                    ) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package``: ``where`` maps module -> names."""
    module_of = {name: module for module, names in where.items() for name in names}

    def __getattr__(name: str) -> Any:
        module = module_of.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(f"{package}.{module}"), name)

    def __dir__() -> list[str]:
        return sorted(module_of)

    return __getattr__, __dir__
