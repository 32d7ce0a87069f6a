"""Looking up a reference class by name: a shipped name always means the shipped class, and a
class the user saved is found whichever way the store is read.

The default SQLite file is read with the standard library (no SQLAlchemy) when it is at the
current schema version or absent; an older or newer file goes through the SQLAlchemy store,
which migrates or refuses it as before. The checks that SQLAlchemy stays unloaded run in a fresh
interpreter, because this test process has imported it long ago.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from mlpm_core.calibration.reference_class import ReferenceClass
from mlpm_core.errors import UserError
from mlpm_core.store.database import Store, default_url, open_store
from mlpm_core.store.lite import SCHEMA_VERSION
from mlpm_core.store.reference_classes import (
    list_reference_classes,
    load_reference_class,
    save_reference_class,
)
from mlpm_core.store.schema import LATEST_VERSION, schema_migrations
from tests.conftest import ROOT

LOOKUP = """
import json, sys
from mlpm_core.store.reference_classes import load_reference_class
found = {name: load_reference_class(name).mu for name in sys.argv[1:]}
print(json.dumps({"mu": found, "sqlalchemy": "sqlalchemy" in sys.modules}))
"""


def user_class(name: str, mu: float) -> ReferenceClass:
    return ReferenceClass(name=name, n_points=12, p_exact=0.1, mu=mu, sigma=0.6)


def lookup_in_fresh_interpreter(*names: str) -> dict:
    """``load_reference_class(name).mu`` per name, and whether SQLAlchemy got imported."""
    done = subprocess.run([sys.executable, "-c", LOOKUP, *names], capture_output=True,
                          text=True, cwd=ROOT, env=os.environ.copy(), timeout=120, check=True)
    return json.loads(done.stdout)


def test_the_schema_version_read_without_sqlalchemy_is_the_one_migrations_reach():
    """store_lite only reads files at the version the migrations produce; the two must agree."""
    assert SCHEMA_VERSION == LATEST_VERSION


def test_saved_classes_are_found_without_sqlalchemy_and_shipped_names_stay_shipped(data_dir):
    """A user's class loads from the store file without SQLAlchemy; a class stored under a
    shipped name (possible before such names were reserved) never replaces the shipped one."""
    shipped_mu = load_reference_class("default").mu
    save_reference_class(user_class("team-x", 0.25))
    with open_store() as store:
        store.save_reference_document("default",
                                      user_class("default", shipped_mu + 0.5).model_dump_json())
    assert lookup_in_fresh_interpreter("team-x", "default") == {
        "mu": {"team-x": 0.25, "default": shipped_mu}, "sqlalchemy": False}


def test_a_shipped_name_is_reserved_whatever_its_case(data_dir):
    """Saving a class as 'default' (or 'Default') is refused with a message naming the name;
    the store keeps nothing under it."""
    for name in ("default", "Default"):
        with pytest.raises(UserError, match=f"'{name}' is reserved"):
            save_reference_class(user_class(name, 0.9))
    assert list_reference_classes() == {"default": "shipped"}


def test_without_a_store_file_shipped_classes_load_and_no_file_is_created(data_dir):
    """With nothing saved there is nothing to find: the shipped class loads, no store appears."""
    shipped_mu = load_reference_class("default").mu
    assert lookup_in_fresh_interpreter("default") == {
        "mu": {"default": shipped_mu}, "sqlalchemy": False}
    assert not (data_dir / "mlpm.sqlite3").exists()
    with pytest.raises(UserError, match="No reference class named 'team-x'"):
        load_reference_class("team-x")


def test_an_older_store_file_is_read_through_the_store_and_migrated(data_dir):
    """A file at an older schema version still yields its saved class, and is brought up to
    date on the way, as opening the store always did."""
    old = Store(default_url())
    assert old.migrate(target=2) == [1, 2]  # reference classes arrived in version 2
    old.save_reference_document("team-x", user_class("team-x", 0.75).model_dump_json())
    old.close()
    assert load_reference_class("team-x").mu == 0.75
    with open_store() as store, store.read() as connection:
        versions = [row.version for row in connection.execute(schema_migrations.select())]
    assert versions == list(range(1, LATEST_VERSION + 1))


def test_a_store_file_from_a_newer_mlpm_is_still_refused(data_dir):
    """The look-up does not read around a schema it does not know."""
    with open_store() as store, store.write() as connection:
        connection.execute(schema_migrations.insert().values(
            version=LATEST_VERSION + 1, applied_at="2099-01-01T00:00:00.000000+00:00",
            description="future"))
    with pytest.raises(UserError, match="newer mlpm"):
        load_reference_class("team-x")
