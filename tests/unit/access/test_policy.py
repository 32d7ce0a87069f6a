"""The pure access rules: levels from owner and shares, refusals that say what to do."""

import pytest

from mlpm_core.access import (
    LOCAL,
    TEAM,
    AccessDenied,
    Grant,
    Identity,
    Level,
    ReadOnlyShare,
    SignInRequired,
    admin_from,
    checked_email,
    level,
    require,
    signed_in,
    team_identity,
)
from mlpm_core.errors import UserError

ANN = Identity("ann@example.com", "1")


def test_the_owner_and_the_admin_own_and_shares_give_at_most_what_they_say():
    """Owner and admin get OWN; a named or team share gives READ or EDIT, the best one wins."""
    assert level(ANN, "ann@example.com", ()) == Level.OWN
    assert level(LOCAL, "ann@example.com", ()) == Level.OWN
    assert level(ANN, "bob@example.com", ()) == Level.NONE
    assert level(ANN, "bob@example.com", [Grant("ann@example.com", False)]) == Level.READ
    assert level(ANN, "bob@example.com", [Grant(TEAM, False),
                                          Grant("ann@example.com", True)]) == Level.EDIT
    assert level(ANN, "bob@example.com", [Grant("carl@example.com", True)]) == Level.NONE


def test_refusals_say_why_and_whom_to_ask():
    """A read-only share, a non-owner and a stranger each get their own readable refusal."""
    require(Level.EDIT, Level.EDIT, "this scenario", "bob@example.com")
    with pytest.raises(ReadOnlyShare, match=r"read-only.*\(bob@example.com\).*duplicate"):
        require(Level.READ, Level.EDIT, "this scenario", "bob@example.com")
    with pytest.raises(AccessDenied, match="Only the owner"):
        require(Level.EDIT, Level.OWN, "this scenario", "bob@example.com")
    with pytest.raises(AccessDenied, match="do not have access"):
        require(Level.NONE, Level.READ, "this scenario", "bob@example.com")
    with pytest.raises(SignInRequired):
        signed_in(None)
    assert issubclass(AccessDenied, UserError)


def test_team_identities_come_from_the_provider_e_mail_lower_cased():
    """The e-mail claim names the person; the configured admin is recognised in any case."""
    me = team_identity("Boss@Example.COM", "sub-1", "boss@example.com")
    assert me == Identity("boss@example.com", "sub-1", is_admin=True)
    assert not team_identity("ann@example.com", None, "boss@example.com").is_admin
    with pytest.raises(UserError, match="no e-mail"):
        team_identity(None, "sub-2", "boss@example.com")
    for bad in ("", "ann", "ann@localhost", "a nn@example.com", "ann@exa\u2028mple.com"):
        with pytest.raises(UserError):
            checked_email(bad)


def test_team_mode_needs_an_admin(monkeypatch: pytest.MonkeyPatch):
    """The environment wins over the configured admin; neither is a readable refusal."""
    monkeypatch.delenv("MLPM_ADMIN_EMAIL", raising=False)
    assert admin_from("Boss@example.com") == "boss@example.com"
    with pytest.raises(UserError, match="admin_email"):
        admin_from(None)
    monkeypatch.setenv("MLPM_ADMIN_EMAIL", "env@example.com")
    assert admin_from("boss@example.com") == "env@example.com"


def test_unverified_addresses_and_other_domains_are_not_on_the_team():
    """An e-mail the provider marks unverified, or outside the allowed domains, is refused."""
    with pytest.raises(UserError, match="not verified"):
        team_identity("ann@example.com", "1", "boss@example.com", email_verified=False)
    assert team_identity("ann@example.com", "1", "boss@example.com", email_verified=True,
                         allowed_domains=("Example.com",)).email == "ann@example.com"
    with pytest.raises(UserError, match=r"not an account of this team \(example\.com\)"):
        team_identity("eve@gmail.com", "2", "boss@example.com", allowed_domains=("example.com",))
