"""The store as one identity may use it: every read and write checked against owner and shares.

Why a wrapper rather than checks in the pages: a page that forgets a check, a query parameter
that names another person's scenario, or a new page must not be able to leak anything. The app
hands each session a ``GuardedStore`` built from the signed-in identity of that run (never from
widget state); solo and meeting-room sessions get ``LOCAL``, which may do everything, so those
modes behave exactly as before. A signed-out session (``identity=None``) is refused everything.

The rules are in ``mlpm_core.access.policy``; tests/store/test_guarded_store.py runs every public
method as an unauthorised identity, so a method added without a check fails it. Checks and the
work they guard run in separate transactions: a share revoked at that very moment may let one
last request through, which is the usual trade-off of permission caches and acceptable here.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable

from sqlalchemy import Connection, select

from mlpm_core.access import (
    LOCAL_OWNER,
    AccessDenied,
    Grant,
    Identity,
    Level,
    ReadOnlyShare,
    level,
)
from mlpm_core.calibration import Actual
from mlpm_core.scenario import (
    NotFoundError,
    Scenario,
    ScenarioRepository,
    StoredScenario,
    VersionInfo,
)
from mlpm_core.store import ownership, recorded_actuals
from mlpm_core.store.checks import checked_actual_ids, checked_reference_name
from mlpm_core.store.database import Store
from mlpm_core.store.guarded_rooms import GuardedRooms
from mlpm_core.store.recorded_actuals import read_actuals
from mlpm_core.store.schema import scenarios
from mlpm_core.store.sponsor_links import SponsorLink, create_link, links_of, revoke_link


class GuardedStore(GuardedRooms, ScenarioRepository):
    """A ``Store`` restricted to what ``identity`` may see and change."""

    def __init__(self, store: Store, identity: Identity | None) -> None:
        self._store = store
        self._identity = identity

    @property
    def identity(self) -> Identity | None:
        """Who this store acts for (None: nobody is signed in)."""
        return self._identity

    def access(self, scenario_id: str) -> Level:
        """The identity's level on a scenario (refused if it may not even read it)."""
        return self._need(scenario_id, Level.READ)[1]

    # ------------------------------------------------------------------ scenarios
    def create(self, scenario: Scenario, note: str = "created") -> StoredScenario:
        return self._store.create(scenario, note, owner=self._me().owner)

    def save(self, scenario_id: str, scenario: Scenario, expected_version: int,
             note: str = "") -> StoredScenario:
        self._need(scenario_id, Level.EDIT)
        return self._store.save(scenario_id, scenario, expected_version, note)

    def load(self, scenario_id: str) -> tuple[Scenario, StoredScenario]:
        self._need(scenario_id, Level.READ)
        return self._store.load(scenario_id)

    def list(self) -> builtins.list[StoredScenario]:
        """The live scenarios the identity may read, most recently saved first."""
        me, c = self._me(), scenarios.c
        with self._store.read() as connection:
            rows = connection.execute(
                select(c.id, c.name, c.version, c.updated_at)
                .where(c.deleted_at.is_(None), ownership.visible_scenarios(me))
                .order_by(c.updated_at.desc(), c.id.desc())).all()
        return [StoredScenario(r.id, r.name, r.version, r.updated_at) for r in rows]

    def rename(self, scenario_id: str, name: str) -> StoredScenario:
        self._need(scenario_id, Level.EDIT)
        return self._store.rename(scenario_id, name)

    def duplicate(self, scenario_id: str, new_name: str) -> StoredScenario:
        """A copy owned by the identity: reading a scenario is enough to copy it."""
        me, _ = self._need(scenario_id, Level.READ)
        return self._store.duplicate(scenario_id, new_name, owner=me.owner)

    def delete(self, scenario_id: str) -> None:
        self._need(scenario_id, Level.OWN)
        self._store.delete(scenario_id)

    def history(self, scenario_id: str) -> builtins.list[VersionInfo]:
        self._need(scenario_id, Level.READ)
        return self._store.history(scenario_id)

    def load_version(self, scenario_id: str, version: int) -> Scenario:
        self._need(scenario_id, Level.READ)
        return self._store.load_version(scenario_id, version)

    def restore(self, scenario_id: str, version: int, expected_version: int) -> StoredScenario:
        self._need(scenario_id, Level.EDIT)
        return self._store.restore(scenario_id, version, expected_version)

    # ------------------------------------------------------------------ sharing
    def shares(self, scenario_id: str) -> builtins.list[Grant]:
        """Who the scenario is shared with (its owner and the admin may ask)."""
        self._need(scenario_id, Level.OWN)
        with self._store.read() as connection:
            return ownership.grants(connection, scenario_id)

    def share(self, scenario_id: str, grantee: str, can_edit: bool) -> Grant:
        """Share a scenario with a person (e-mail) or the whole team (``TEAM``)."""
        me, _ = self._need(scenario_id, Level.OWN)
        grant = Grant(ownership.checked_grantee(grantee), bool(can_edit))
        with self._store.write() as connection:
            ownership.put_grant(connection, scenario_id, grant, me.owner)
        return grant

    def unshare(self, scenario_id: str, grantee: str) -> None:
        """Stop sharing a scenario with a person or the team."""
        self._need(scenario_id, Level.OWN)
        with self._store.write() as connection:
            ownership.drop_grant(connection, scenario_id, ownership.checked_grantee(grantee))

    # ------------------------------------------------------------------ sponsor links
    def create_sponsor_link(self, scenario_id: str,
                            version: int) -> tuple[SponsorLink, str]:
        """A read-only link to one version's Report, and its token (owner only)."""
        me, _ = self._need(scenario_id, Level.OWN)
        with self._store.write() as connection:
            return create_link(connection, scenario_id, version, me.owner)

    def sponsor_links(self, scenario_id: str) -> builtins.list[SponsorLink]:
        """The scenario's sponsor links that still work (owner only)."""
        self._need(scenario_id, Level.OWN)
        with self._store.read() as connection:
            return links_of(connection, scenario_id)

    def revoke_sponsor_link(self, scenario_id: str, link_id: str) -> None:
        """Withdraw one of the scenario's sponsor links (owner only)."""
        self._need(scenario_id, Level.OWN)
        with self._store.write() as connection:
            revoke_link(connection, scenario_id, link_id)

    # ------------------------------------------------------------------ actuals
    def add_actuals(self, rows: Iterable[Actual]) -> builtins.list[Actual]:
        """Record actuals as the identity's; rows for a scenario need edit access to it."""
        me, batch = self._me(), builtins.list(rows)
        for scenario_id in sorted({row.scenario_id for row in batch if row.scenario_id}):
            self._need(scenario_id, Level.EDIT)
        return self._store.add_actuals(batch, owner=me.owner)

    def list_actuals(self, scenario_id: str | None = None) -> builtins.list[Actual]:
        """The identity's own actuals and those of scenarios it may read (or of one of them)."""
        if scenario_id is not None:
            self._need(scenario_id, Level.READ)
            return self._store.list_actuals(scenario_id)
        me = self._me()
        with self._store.read() as connection:
            return read_actuals(connection, ownership.visible_actuals(me))

    def delete_actuals(self, ids: Iterable[int]) -> int:
        """Delete recorded actuals, all or none: the identity's own, and those of scenarios it
        may edit (where it may also add them). Another person's rows are refused, so one team
        member cannot thin out the history a colleague's calibration rests on."""
        me, wanted = self._me(), checked_actual_ids(ids)
        with self._store.read() as connection:
            for row in recorded_actuals.owners_of(connection, wanted):
                if level(me, row.owner, ()) < Level.OWN:
                    _may_delete_from_scenario(connection, me, row.id, row.scenario_id)
        return self._store.delete_actuals(wanted)

    # ------------------------------------------------------------------ reference classes
    def save_reference_document(self, name: str, json_text: str) -> None:
        """Save a new reference class as the identity's, or replace one it owns."""
        me, name = self._me(), checked_reference_name(name)
        with self._store.read() as connection:
            owner = ownership.reference_owner(connection, name)
        if owner is not None and level(me, owner, ()) < Level.OWN:
            raise AccessDenied(f"The reference class '{name}' belongs to {owner}; only they may "
                               "replace it. Save yours under another name.")
        self._store.save_reference_document(name, json_text, owner=me.owner)

    def load_reference_document(self, name: str) -> str:
        """A saved reference class: team knowledge, readable by everyone signed in."""
        self._me()
        return self._store.load_reference_document(name)

    def list_reference_names(self) -> builtins.list[str]:
        """Every saved reference class's name (readable by everyone signed in)."""
        self._me()
        return self._store.list_reference_names()

    # ------------------------------------------------------------------ team mode start
    def hand_over_local_data(self) -> int:
        """Give what the local user owns to the admin (the admin alone may)."""
        me = self._me()
        if not me.is_admin or me.owner == LOCAL_OWNER:
            raise AccessDenied("Only the team's administrator may take over the local data.")
        with self._store.write() as connection:
            return ownership.hand_over_local_data(connection, me.email)


def _may_delete_from_scenario(connection: Connection, me: Identity, actual_id: int,
                              scenario_id: str | None) -> None:
    """Refuse deleting another person's actual unless ``me`` may edit its (live) scenario."""
    refused = AccessDenied(f"The recorded actual {actual_id} is not yours and not of a scenario "
                           "you may edit, so nothing was deleted.")
    if scenario_id is None:
        raise refused
    try:
        owner = ownership.scenario_owner(connection, scenario_id)
    except NotFoundError:
        raise refused from None
    have = level(me, owner, ownership.grants(connection, scenario_id))
    if have == Level.READ:
        raise ReadOnlyShare(f"The recorded actual {actual_id} belongs to a scenario shared with "
                            f"you read-only, so nothing was deleted; ask its owner ({owner}) "
                            "for edit access.")
    if have < Level.EDIT:
        raise refused
