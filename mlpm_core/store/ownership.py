"""Owners and shares in SQL: who owns a row, who a scenario is shared with, and which rows an
identity may see. The rules themselves are pure (``mlpm_core.access``); this module only reads
and writes what they need. The guard (``guarded.py``) is its one caller.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Table,
    delete,
    exists,
    or_,
    select,
    true,
    update,
)

from mlpm_core.access import LOCAL_OWNER, TEAM, Grant, Identity, checked_email
from mlpm_core.errors import UserError
from mlpm_core.scenario import not_found
from mlpm_core.store.checks import storable_key
from mlpm_core.store.room_access import room_row
from mlpm_core.store.schema import (
    actuals,
    reference_classes,
    rooms,
    scenario_shares,
    scenarios,
    utc_now,
)

OWNED_TABLES: tuple[Table, ...] = (scenarios, actuals, reference_classes, rooms)


def scenario_owner(connection: Connection, scenario_id: str) -> str:
    """The owner of a live scenario; ``NotFoundError`` for an unknown or deleted one."""
    if not storable_key(scenario_id):
        raise not_found(scenario_id)
    owner: str | None = connection.execute(select(scenarios.c.owner).where(
        scenarios.c.id == scenario_id, scenarios.c.deleted_at.is_(None))).scalar()
    if owner is None:
        raise not_found(scenario_id)
    return owner


def grants(connection: Connection, scenario_id: str) -> list[Grant]:
    """The scenario's shares, the team first, then people by e-mail."""
    s = scenario_shares.c
    rows = connection.execute(select(s.grantee, s.can_edit).where(s.scenario_id == scenario_id)
                              .order_by(s.grantee)).all()
    return [Grant(row.grantee, bool(row.can_edit)) for row in rows]


def checked_grantee(grantee: str) -> str:
    """``TEAM`` or a lower-cased e-mail address."""
    return TEAM if grantee == TEAM else checked_email(grantee, "the person to share with")


def put_grant(connection: Connection, scenario_id: str, grant: Grant, by: str) -> None:
    """Share (or change the share of) a scenario with one grantee."""
    s = scenario_shares.c
    changed = connection.execute(update(scenario_shares).where(
        s.scenario_id == scenario_id, s.grantee == grant.grantee).values(
        can_edit=grant.can_edit, shared_by=by, shared_at=utc_now())).rowcount
    if not changed:
        connection.execute(scenario_shares.insert().values(
            scenario_id=scenario_id, grantee=grant.grantee, can_edit=grant.can_edit,
            shared_by=by, shared_at=utc_now()))


def drop_grant(connection: Connection, scenario_id: str, grantee: str) -> None:
    """Stop sharing a scenario with one grantee (nothing happens if it was not shared)."""
    s = scenario_shares.c
    connection.execute(delete(scenario_shares).where(s.scenario_id == scenario_id,
                                                     s.grantee == grantee))


def visible_scenarios(identity: Identity) -> ColumnElement[bool]:
    """A condition on ``scenarios``: the rows ``identity`` may read."""
    if identity.is_admin:
        return true()
    s = scenario_shares.c
    shared = exists().where(s.scenario_id == scenarios.c.id,
                            s.grantee.in_((identity.email, TEAM)))
    return or_(scenarios.c.owner == identity.owner, shared)


def visible_actuals(identity: Identity) -> ColumnElement[bool]:
    """A condition on ``actuals``: the identity's own rows and those of scenarios it may read."""
    if identity.is_admin:
        return true()
    readable = select(scenarios.c.id).where(visible_scenarios(identity),
                                            scenarios.c.deleted_at.is_(None))
    return or_(actuals.c.owner == identity.owner, actuals.c.scenario_id.in_(readable))


def owned_rooms(identity: Identity, scenario_owner_: str) -> ColumnElement[bool]:
    """A condition on ``rooms``: every room for the admin or the scenario's owner, else the
    identity's own rooms."""
    if identity.is_admin or identity.owner == scenario_owner_:
        return true()
    return rooms.c.owner == identity.owner


def room_owner(connection: Connection, token: Any) -> tuple[str, str]:
    """The owner of the room a join token names, and its scenario id (refused if unknown)."""
    row = room_row(connection, token)
    return row.owner, row.scenario_id


def reference_owner(connection: Connection, name: str) -> str | None:
    """The owner of the reference class saved as ``name``, or None if none is."""
    owner: str | None = connection.execute(select(reference_classes.c.owner).where(
        reference_classes.c.name == name)).scalar()
    return owner


def hand_over_local_data(connection: Connection, admin_email: str) -> int:
    """Give everything owned by the local user (created before team mode, or from the command
    line) to the team's admin; the number of rows handed over."""
    admin = checked_email(admin_email, "the administrator's e-mail address")
    if admin == LOCAL_OWNER:
        raise UserError("The administrator must be a person's e-mail address.")
    return sum(connection.execute(update(table).where(table.c.owner == LOCAL_OWNER)
                                  .values(owner=admin)).rowcount for table in OWNED_TABLES)
