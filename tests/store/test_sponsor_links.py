"""Sponsor links: one scenario version's Report for someone outside the team, by token only."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from mlpm_core.access import AccessDenied, Identity
from mlpm_core.scenario import NotFoundError, Scenario
from mlpm_core.store.database import Store
from mlpm_core.store.guarded import GuardedStore
from mlpm_core.store.schema import sponsor_links
from mlpm_core.store.sponsor_links import SponsorLinkRefused, open_sponsor_link

A = Identity("a@example.com", "sub-a")
B = Identity("b@example.com", "sub-b")


def make(name: str) -> Scenario:
    return Scenario.model_validate({"project": {"name": name}})


def test_a_link_shows_its_version_until_revoked_and_only_its_hash_is_stored(store: Store):
    """The link keeps showing version 1 after later saves; revoking ends it at once."""
    a = GuardedStore(store, A)
    sid = a.create(make("Pricing model")).id
    link, token = a.create_sponsor_link(sid, 1)
    a.save(sid, make("Pricing model, revised"), 1)
    scenario, opened = open_sponsor_link(store, token)
    assert (scenario.project.name, opened.scenario_version) == ("Pricing model", 1)
    assert a.sponsor_links(sid) == [link]
    with store.read() as connection:
        stored = connection.execute(select(sponsor_links.c.token_sha256)).scalars().all()
    assert stored == [hashlib.sha256(token.encode()).hexdigest()]
    a.revoke_sponsor_link(sid, link.id)
    with pytest.raises(SponsorLinkRefused, match="not valid"):
        open_sponsor_link(store, token)
    assert a.sponsor_links(sid) == []
    with pytest.raises(NotFoundError):
        a.revoke_sponsor_link(sid, link.id)


def test_wrong_tokens_unknown_versions_and_deleted_scenarios_are_refused(store: Store):
    """Any other token, a version that does not exist and a deleted scenario open nothing."""
    a = GuardedStore(store, A)
    sid = a.create(make("Pricing model")).id
    _, token = a.create_sponsor_link(sid, 1)
    for wrong in (None, "", "x" * 19, token[:-1] + ("A" if token[-1] != "A" else "B"),
                  token + "\u00e9", 42):
        with pytest.raises(SponsorLinkRefused):
            open_sponsor_link(store, wrong)
    with pytest.raises(NotFoundError, match="Version 7"):
        a.create_sponsor_link(sid, 7)
    a.delete(sid)
    with pytest.raises(SponsorLinkRefused):
        open_sponsor_link(store, token)


def test_only_the_owner_hands_out_and_withdraws_links(store: Store):
    """An editor may change the scenario but not give it to people outside the team."""
    a, b = GuardedStore(store, A), GuardedStore(store, B)
    sid = a.create(make("Pricing model")).id
    a.share(sid, B.email, True)
    link, _ = a.create_sponsor_link(sid, 1)
    for call in (lambda: b.create_sponsor_link(sid, 1), lambda: b.sponsor_links(sid),
                 lambda: b.revoke_sponsor_link(sid, link.id)):
        with pytest.raises(AccessDenied, match="Only the owner"):
            call()
