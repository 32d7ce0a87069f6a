"""Sponsor links: a read-only link to the Report of one scenario version, for someone outside
the team (a sponsor signs in nowhere).

The link carries a random token (``secrets.token_urlsafe(32)``); only its SHA-256 is stored and
the comparison is constant-time, as for workshop rooms. A link shows the version it was made
for, never a later one, and stops working when its owner revokes it or deletes the scenario.
Creating, listing and revoking go through ``GuardedStore`` (the scenario's owner only); opening
needs the token alone, which is the point of the link.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, select, update

from mlpm_core.errors import UserError
from mlpm_core.scenario import NotFoundError, Scenario, parse_stored
from mlpm_core.store.database import Store
from mlpm_core.store.schema import scenario_versions, scenarios, sponsor_links, utc_now

REFUSED = ("This sponsor link is not valid, or its owner withdrew it; ask them for a new "
           "one.")


class SponsorLinkRefused(UserError):
    """The token names no live sponsor link."""


@dataclass(frozen=True)
class SponsorLink:
    """One link as its owner sees it (the token itself is never stored)."""

    id: str
    scenario_id: str
    scenario_version: int
    created_by: str
    created_at: str
    revoked_at: str | None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def _link(row: Any) -> SponsorLink:
    return SponsorLink(row.id, row.scenario_id, row.scenario_version, row.created_by,
                       row.created_at, row.revoked_at)


def create_link(connection: Connection, scenario_id: str, version: int,
                by: str) -> tuple[SponsorLink, str]:
    """A new link to ``version`` of the scenario, and its token (shown once, then gone)."""
    found = connection.execute(select(scenario_versions.c.version).where(
        scenario_versions.c.scenario_id == scenario_id,
        scenario_versions.c.version == version)).scalar()
    if found is None:
        raise NotFoundError(f"Version {version!r:.20} of this scenario does not exist.")
    token, now = secrets.token_urlsafe(32), utc_now()
    link = SponsorLink(uuid.uuid4().hex, scenario_id, version, by, now, None)
    connection.execute(insert(sponsor_links).values(
        id=link.id, token_sha256=_digest(token), scenario_id=scenario_id,
        scenario_version=version, created_by=by, created_at=now, revoked_at=None))
    return link, token


def links_of(connection: Connection, scenario_id: str) -> list[SponsorLink]:
    """The scenario's links that still work, newest first."""
    s = sponsor_links.c
    rows = connection.execute(select(sponsor_links).where(
        s.scenario_id == scenario_id, s.revoked_at.is_(None))
        .order_by(s.created_at.desc())).all()
    return [_link(row) for row in rows]


def revoke_link(connection: Connection, scenario_id: str, link_id: str) -> None:
    """Stop one of the scenario's links from working (from its next use on)."""
    s = sponsor_links.c
    changed = connection.execute(update(sponsor_links).where(
        s.id == link_id, s.scenario_id == scenario_id, s.revoked_at.is_(None))
        .values(revoked_at=utc_now())).rowcount
    if changed != 1:
        raise NotFoundError("That sponsor link does not exist or was already withdrawn.")


def open_sponsor_link(store: Store, token: Any) -> tuple[Scenario, SponsorLink]:
    """The scenario version a live link shows (named as it was then) and the link;
    ``SponsorLinkRefused`` for anything else (one message: a guess learns nothing)."""
    if not isinstance(token, str) or not 20 <= len(token) <= 200 or not token.isascii():
        raise SponsorLinkRefused(REFUSED)
    hashed = _digest(token)
    s, v = sponsor_links.c, scenario_versions.c
    with store.read() as connection:
        row = connection.execute(
            select(sponsor_links, v.document, v.name)
            .join(scenarios, scenarios.c.id == s.scenario_id)
            .join(scenario_versions, (v.scenario_id == s.scenario_id)
                  & (v.version == s.scenario_version))
            .where(s.token_sha256 == hashed, s.revoked_at.is_(None),
                   scenarios.c.deleted_at.is_(None))).one_or_none()
    if row is None or not hmac.compare_digest(row.token_sha256, hashed):
        raise SponsorLinkRefused(REFUSED)
    scenario = parse_stored(row.document, row.name, row.scenario_version)
    return scenario, _link(row)
