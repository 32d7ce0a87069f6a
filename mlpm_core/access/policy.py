"""What an identity may do with an item, from its owner and its shares: pure rules, no I/O.

Scenarios are the unit of sharing: the owner (or the admin) shares one with named people or with
the whole team, read-only or editable. Rooms and actuals follow from their scenario and their
owner; reference classes are team knowledge that everyone signed in may read and only their
owner may replace. Refusals are ``UserError``s with a message saying what to do.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from mlpm_core.access.identity import TEAM, Identity
from mlpm_core.errors import UserError


class AccessDenied(UserError):
    """The identity may not do this with this item."""


class SignInRequired(AccessDenied):
    """No one is signed in in this session."""


class ReadOnlyShare(AccessDenied):
    """The item is shared with the identity for reading only."""


class Level(enum.IntEnum):
    """How far an identity may go with one scenario; each level includes the ones below."""

    NONE = 0
    READ = 1
    EDIT = 2
    OWN = 3  # also share, unshare, delete and hand out sponsor links


@dataclass(frozen=True)
class Grant:
    """One share of a scenario: with ``grantee`` (an e-mail, or ``TEAM``)."""

    grantee: str
    can_edit: bool


def signed_in(identity: Identity | None) -> Identity:
    """The identity, or a refusal for a signed-out session."""
    if identity is None:
        raise SignInRequired("Sign in first: this workbench is open to its team only.")
    return identity


def level(identity: Identity, owner: str, grants: Iterable[Grant]) -> Level:
    """The identity's level on an item owned by ``owner`` with these shares."""
    if identity.is_admin or identity.owner == owner:
        return Level.OWN
    best = Level.NONE
    for grant in grants:
        if grant.grantee in (identity.email, TEAM):
            best = max(best, Level.EDIT if grant.can_edit else Level.READ)
    return best


def require(have: Level, need: Level, what: str, owner: str) -> None:
    """Refuse when ``have`` is below ``need``, naming the owner to ask."""
    if have >= need:
        return
    if have == Level.READ and need == Level.EDIT:
        raise ReadOnlyShare(f"{what} is shared with you read-only, so nothing was changed; ask "
                            f"its owner ({owner}) for edit access, or duplicate it to work on "
                            "your own copy.")
    if have >= Level.READ:
        raise AccessDenied(f"Only the owner of {what} ({owner}) may do this.")
    raise AccessDenied(f"You do not have access to {what}; ask its owner to share it with you.")
