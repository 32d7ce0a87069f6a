"""Reference classes by name: the shipped ones, and those the user saved in the store.

The shipped names (``default`` among them) are reserved: every scenario that does not name a
class uses ``default``, so a class saved under that name would silently change every estimate in
the store (on a shared database, everyone's). Saving under a reserved name is refused, and a
reserved name always loads the shipped class, even from a store written before the refusal.

Every estimate asks for one, so the plain case (the default SQLite file at the current schema, or
no file at all) is answered by ``lite`` with the standard library; only what that cannot answer
opens the SQLAlchemy store. The full store is imported inside the functions for that reason: a
command line that only reads a shipped class never pays for importing SQLAlchemy.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Protocol

from mlpm_core.calibration import (
    ReferenceClass,
    parse_reference,
    read_reference_file,
    shipped_reference_names,
    shipped_reference_path,
    validate_name,
)
from mlpm_core.errors import UserError
from mlpm_core.scenario import NotFoundError, Scenario
from mlpm_core.store.lite import UseFullStore, saved_reference_document


class ReferenceWriter(Protocol):
    """Where a reference class is saved: the store, or the guard acting for one identity."""

    def save_reference_document(self, name: str, json_text: str) -> None: ...


def reserved_reference_names() -> set[str]:
    """Names no saved class may take: ``default`` and every shipped class, in lower case."""
    return {"default", *(name.lower() for name in shipped_reference_names())}


def check_new_reference_name(name: str) -> str:
    """``name`` if a fitted class may be saved under it, else one readable ``UserError``."""
    validate_name(name)
    if name.lower() in reserved_reference_names():
        raise UserError(f"The reference class name {name!r} is reserved for the class shipped "
                        "with mlpm (every scenario that names no class uses 'default'); "
                        "choose another name, e.g. 'team'.")
    return name


def load_reference_class(name: str = "default") -> ReferenceClass:
    """The shipped class ``name`` if there is one, else the user's class saved in the store."""
    path = shipped_reference_path(name)
    if path.is_file():
        return read_reference_file(path)
    text = _saved_document(name)
    if text is not None:
        return parse_reference(text, f"reference class '{name}'")
    available = ", ".join(sorted(list_reference_classes())) or "none"
    raise UserError(f"No reference class named {name!r}. Available: {available}.")


def _saved_document(name: str) -> str | None:
    """The user's saved document for ``name``, or None: the standard library first (see
    ``lite``), the SQLAlchemy store only for what that cannot answer."""
    try:
        return saved_reference_document(name)
    except UseFullStore:
        pass
    from mlpm_core.store.database import shared_store  # only here: SQLAlchemy is slow to import

    try:
        return shared_store().load_reference_document(name)
    except NotFoundError:
        return None


def list_reference_classes() -> dict[str, str]:
    """Names of the available reference classes mapped to ``"user"`` or ``"shipped"`` (a
    class saved under a shipped name before names were reserved is never loaded, so not
    listed)."""
    from mlpm_core.store.database import shared_store

    shipped = shipped_reference_names()
    saved = [name for name in shared_store().list_reference_names() if name not in shipped]
    return {**dict.fromkeys(shipped, "shipped"), **dict.fromkeys(saved, "user")}


def save_reference_class(rc: ReferenceClass, *, path: Path | None = None,
                         into: ReferenceWriter | None = None) -> str:
    """Save ``rc``: into the store (``into``, by default the shared one, with the scenarios and
    actuals), or as a JSON file at ``path`` (how the shipped classes under data/reference are
    written). Returns where. A class saved into the store may not take a reserved name
    (``check_new_reference_name``); the app passes its guarded store as ``into``."""
    if path is None:
        if into is None:
            from mlpm_core.store.database import shared_store

            into = shared_store()
        into.save_reference_document(check_new_reference_name(rc.name),
                                     rc.model_dump_json(indent=2))
        return f"the mlpm store as '{rc.name}'"
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(rc.model_dump_json(indent=2) + "\n")
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return str(target)


def reference_for(scenario: Scenario) -> ReferenceClass | None:
    """The reference class that sets ``scenario``'s estimator bias, or None when it is off."""
    simulation = scenario.simulation
    return load_reference_class(simulation.reference_class) if simulation.correlation else None
