"""Who is asking: the identity every read and write of the store is checked against.

Three modes (README "Access control"): solo and meeting-room servers act for the one person who
started them, so their sessions carry ``LOCAL``, an all-powerful identity that owns what it
creates under the owner name ``local``. A team server signs people in through OpenID Connect and
builds an ``Identity`` from the provider's claims on every run; the admin, configured by e-mail,
may see and change everything, including what was created before team mode was switched on.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from mlpm_core.errors import UserError

LOCAL_OWNER = "local"
"""The owner of everything created without a sign-in (solo and meeting-room use)."""

TEAM = "*"
"""The grantee of a share with the whole team (everyone who can sign in)."""

ADMIN_EMAIL_ENV = "MLPM_ADMIN_EMAIL"
MAX_EMAIL = 320  # RFC 5321: 64 + 1 + 255


def checked_email(value: object, what: str = "an e-mail address") -> str:
    """A plausible e-mail address, lower-cased (providers differ in case, people do not)."""
    if not isinstance(value, str):
        raise UserError(f"{what} must be text")
    email = value.strip().lower()
    local, at, domain = email.partition("@")
    if (not at or not local or "." not in domain or len(email) > MAX_EMAIL
            or any(char.isspace() or not char.isprintable() for char in email)):
        raise UserError(f"'{value[:80]}' is not an e-mail address")
    return email


@dataclass(frozen=True)
class Identity:
    """A person (or the local user) the store acts for.

    ``email`` is also the owner name written on what the identity creates; ``subject`` is the
    provider's stable user id, kept for audit and display.
    """

    email: str
    subject: str
    is_admin: bool = False

    @property
    def owner(self) -> str:
        """The owner name stored on rows this identity creates."""
        return self.email


LOCAL = Identity(LOCAL_OWNER, LOCAL_OWNER, is_admin=True)
"""The identity of solo and meeting-room sessions: the person who started the server."""


def team_identity(email: str | None, subject: str | None, admin_email: str, *,
                  email_verified: bool | None = None,
                  allowed_domains: tuple[str, ...] = ()) -> Identity:
    """The identity of a signed-in team member, from the provider's claims.

    Shares name people by e-mail, so the e-mail must be there and not marked unverified (a
    provider that lets users type any address would let them pose as a colleague). With
    ``allowed_domains``, only addresses of those domains are on the team: a provider open to
    every account holder (a public Google client) must not let the world in.
    """
    if not email:
        raise UserError("The sign-in provider sent no e-mail address for this account; ask "
                        "the administrator to add the 'email' scope.")
    if email_verified is False:
        raise UserError("The sign-in provider says this account's e-mail address is not "
                        "verified; verify it with the provider, then sign in again.")
    address = checked_email(email, "the signed-in e-mail address")
    domains = {domain.strip().lower().lstrip("@") for domain in allowed_domains}
    if domains and address.rpartition("@")[2] not in domains:
        raise UserError(f"{address} is not an account of this team ({', '.join(sorted(domains))}"
                        "); sign out and sign in with your work account.")
    return Identity(address, str(subject or address), is_admin=address == admin_email)


def admin_from(configured: str | None) -> str:
    """The admin's e-mail from ``$MLPM_ADMIN_EMAIL`` or the configured value (env wins).

    Team mode refuses to start without one: existing data is handed to the admin, and without an
    admin it would belong to nobody who can sign in.
    """
    value = os.environ.get(ADMIN_EMAIL_ENV) or configured
    if not value:
        raise UserError(f"Team sign-in needs an administrator: set admin_email under [mlpm] in "
                        f".streamlit/secrets.toml or ${ADMIN_EMAIL_ENV}.")
    return checked_email(value, "the administrator's e-mail address")
