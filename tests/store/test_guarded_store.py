"""The guarded store: every operation checked against the identity, on SQLite and PostgreSQL.

The two enumerating tests list the guard's public methods by introspection, so a method added
without a decision about who may call it fails them.
"""

from __future__ import annotations

import inspect
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from mlpm_core.access import (
    TEAM,
    AccessDenied,
    Grant,
    Identity,
    Level,
    ReadOnlyShare,
    SignInRequired,
)
from mlpm_core.calibration import Actual
from mlpm_core.errors import UserError
from mlpm_core.scenario.model import Scenario
from mlpm_core.store import rooms as room_functions
from mlpm_core.store.database import Store
from mlpm_core.store.guarded import GuardedStore
from mlpm_core.workshop import TaskEstimate

A = Identity("a@example.com", "sub-a")
B = Identity("b@example.com", "sub-b")
ADMIN = Identity("boss@example.com", "sub-boss", is_admin=True)


def make(name: str = "A's private plan") -> Scenario:
    return Scenario.model_validate({"project": {"name": name}, "tasks": [
        {"name": "T1", "phase": "planning", "role": "ml_engineer", "optimistic": 1,
         "most_likely": 2, "pessimistic": 3}]})


@dataclass
class World:
    """What A owns: a scenario with an actual, a reference class and a workshop room."""

    sid: str
    actual: int  # the id of the scenario's actual
    token: str
    key: str
    person: str  # a participant's id and secret in A's room
    secret: str


@pytest.fixture
def world(store: Store) -> World:
    a = GuardedStore(store, A)
    sid = a.create(make()).id
    (actual,) = a.add_actuals([Actual("T1", 2, 3, scenario_id=sid)])
    assert actual.id is not None
    a.save_reference_document("a-class", '{"name": "a-class"}')
    opened = a.open_room(sid, "A's room")
    person = a.join(opened.token, "Ann")
    a.submit(opened.token, person.id, person.secret, 1,
             [TaskEstimate("T1", 1, 2, 4)], None, uuid.uuid4().hex)
    return World(sid, actual.id, opened.token, opened.facilitator_key, person.id,
                 person.secret)


Call = Callable[[GuardedStore, World], Any]
CALLS: dict[str, Call] = {
    "access": lambda g, w: g.access(w.sid),
    "create": lambda g, w: g.create(make("mine")),
    "save": lambda g, w: g.save(w.sid, make("changed"), 1),
    "load": lambda g, w: g.load(w.sid),
    "list": lambda g, w: g.list(),
    "rename": lambda g, w: g.rename(w.sid, "renamed"),
    "duplicate": lambda g, w: g.duplicate(w.sid, "copy"),
    "delete": lambda g, w: g.delete(w.sid),
    "history": lambda g, w: g.history(w.sid),
    "load_version": lambda g, w: g.load_version(w.sid, 1),
    "restore": lambda g, w: g.restore(w.sid, 1, 1),
    "shares": lambda g, w: g.shares(w.sid),
    "share": lambda g, w: g.share(w.sid, "b@example.com", True),
    "unshare": lambda g, w: g.unshare(w.sid, "c@example.com"),
    "create_sponsor_link": lambda g, w: g.create_sponsor_link(w.sid, 1),
    "sponsor_links": lambda g, w: g.sponsor_links(w.sid),
    "revoke_sponsor_link": lambda g, w: g.revoke_sponsor_link(w.sid, "0" * 32),
    "add_actuals": lambda g, w: g.add_actuals([Actual("T1", 1, 2, scenario_id=w.sid)]),
    "list_actuals": lambda g, w: g.list_actuals(w.sid),
    "delete_actuals": lambda g, w: g.delete_actuals([w.actual]),
    "save_reference_document": lambda g, w: g.save_reference_document("a-class", "{}"),
    "load_reference_document": lambda g, w: g.load_reference_document("a-class"),
    "list_reference_names": lambda g, w: g.list_reference_names(),
    "hand_over_local_data": lambda g, w: g.hand_over_local_data(),
    "open_room": lambda g, w: g.open_room(w.sid, "B's room"),
    "room_for_facilitator": lambda g, w: g.room_for_facilitator(w.token, w.key),
    "close_room": lambda g, w: g.close_room(w.token, w.key),
    "reveal_names": lambda g, w: g.reveal_names(w.token, w.key),
    "next_round": lambda g, w: g.next_round(w.token, w.key),
    "reissue_seat": lambda g, w: g.reissue_seat(w.token, w.key, 1),
    "reopen_room": lambda g, w: g.reopen_room(w.token, w.key),
    "archive_room": lambda g, w: g.archive_room(w.token, w.key),
    "delete_room": lambda g, w: g.delete_room(w.token, w.key),
    "adopt": lambda g, w: g.adopt(w.token, w.key, 1),
    "list_rooms": lambda g, w: g.list_rooms(w.sid),
    "provenance": lambda g, w: g.provenance(w.sid),
    "room_view": lambda g, w: g.room_view(w.token, facilitator_key=w.key),
    "room_for_token": lambda g, w: g.room_for_token(w.token),
    "join": lambda g, w: g.join(w.token, "Bob"),
    "participant_for": lambda g, w: g.participant_for(w.token, w.person, w.secret),
    "participant_status": lambda g, w: g.participant_status(w.token, w.person, w.secret),
    "submit": lambda g, w: g.submit(w.token, w.person, w.secret, 1,
                                    [TaskEstimate("T1", 1, 2, 5)], None, uuid.uuid4().hex),
}
# What a signed-in team member may do with another person's things, and why:
ALLOWED_FOR_OTHERS = {
    "create",  # a scenario of their own
    "list",  # filtered: see test_lists_show_only_what_the_identity_may_read
    "load_reference_document", "list_reference_names",  # reference classes are team knowledge
    # The join link is the capability a facilitator hands out: holding it lets anyone signed
    # in take part, never steer (room_view here is the facilitator's view, and is refused).
    "room_for_token", "join", "participant_for", "participant_status", "submit",
}


def public_methods(cls: type) -> set[str]:
    return {name for name, member in inspect.getmembers(cls)
            if not name.startswith("_") and inspect.isfunction(member)}


def test_every_store_operation_has_a_guarded_counterpart():
    """The guard covers every public Store method (but the plumbing) and every room function."""
    plumbing = {"read", "write", "migrate", "close"}
    rooms_api = {name for name in room_functions.__all__
                 if inspect.isfunction(getattr(room_functions, name))}
    missing = (public_methods(Store) - plumbing | rooms_api) - public_methods(GuardedStore)
    assert missing == set()
    assert set(CALLS) == public_methods(GuardedStore)


def test_a_signed_out_session_is_refused_every_operation(store: Store, world: World):
    """With nobody signed in, every public operation is refused before it touches anything."""
    guarded = GuardedStore(store, None)
    for name, call in CALLS.items():
        with pytest.raises(SignInRequired, match="Sign in"):
            call(guarded, world)
            pytest.fail(f"{name} was not refused")


def test_another_team_member_is_refused_every_operation_on_someone_elses_things(
        store: Store, world: World):
    """B, signed in but not shared with, is refused each operation on A's scenario, room,
    actuals and reference class (but the few allowed by design), and nothing changes."""
    guarded = GuardedStore(store, B)
    for name, call in CALLS.items():
        if name in ALLOWED_FOR_OTHERS:
            call(guarded, world)
            continue
        with pytest.raises(AccessDenied):
            call(guarded, world)
            pytest.fail(f"{name} was not refused")
    a = GuardedStore(store, A)
    scenario, row = a.load(world.sid)
    assert (row.version, scenario.project.name) == (1, "A's private plan")
    assert a.shares(world.sid) == [] and len(a.list_actuals(world.sid)) == 1
    room = a.room_for_facilitator(world.token, world.key)
    assert room.closed_at is None and room.current_round == 1
    assert store.load_reference_document("a-class") == '{"name": "a-class"}'


def test_lists_show_only_what_the_identity_may_read(store: Store, world: World):
    """Home, Portfolio and Actuals list only one's own things and what is shared with one."""
    b = GuardedStore(store, B)
    own = b.create(make("B's plan"))
    b.add_actuals([Actual("B task", 1, 1)])
    assert [row.id for row in b.list()] == [own.id]
    assert [a.task for a in b.list_actuals()] == ["B task"]
    assert b.list_rooms(own.id) == []
    GuardedStore(store, A).share(world.sid, "B@Example.com", False)
    assert {row.id for row in b.list()} == {own.id, world.sid}
    assert sorted(a.task for a in b.list_actuals()) == ["B task", "T1"]
    assert b.list_rooms(world.sid) == []  # A's room stays A's to steer
    admin = GuardedStore(store, ADMIN)
    assert {row.id for row in admin.list()} == {own.id, world.sid}
    assert len(admin.list_actuals()) == 2
    assert [room.title for room in admin.list_rooms(world.sid)] == ["A's room"]


def test_a_read_only_share_lets_read_and_copy_but_refuses_every_edit(store: Store,
                                                                       world: World):
    """Shared read-only, B loads and copies, and each edit says it is read-only."""
    a, b = GuardedStore(store, A), GuardedStore(store, B)
    assert a.share(world.sid, "b@example.com", False) == Grant("b@example.com", False)
    assert b.access(world.sid) == Level.READ
    assert b.load(world.sid)[0].project.name == "A's private plan"
    assert [v.version for v in b.history(world.sid)] == [1]
    copy = b.duplicate(world.sid, "B's copy")
    assert b.access(copy.id) == Level.OWN
    for name in ("save", "rename", "restore", "add_actuals", "delete_actuals", "open_room"):
        with pytest.raises(ReadOnlyShare, match=r"read-only.*a@example\.com"):
            CALLS[name](b, world)
    for name in ("delete", "share", "shares", "unshare"):
        with pytest.raises(AccessDenied, match="Only the owner"):
            CALLS[name](b, world)
    assert a.load(world.sid)[1].version == 1


def test_an_editable_team_share_lets_everyone_edit_and_unsharing_takes_it_back(
        store: Store, world: World):
    """A share with the team reaches everyone signed in; unsharing removes it again."""
    a, b = GuardedStore(store, A), GuardedStore(store, B)
    a.share(world.sid, TEAM, True)
    assert b.save(world.sid, make("B's edit"), 1).version == 2
    assert a.shares(world.sid) == [Grant(TEAM, True)]
    a.unshare(world.sid, TEAM)
    with pytest.raises(AccessDenied, match="do not have access"):
        b.load(world.sid)


def test_shares_name_people_by_e_mail(store: Store, world: World):
    """A grantee that is neither an e-mail address nor the team is refused readably."""
    a = GuardedStore(store, A)
    for bad in ("", "bob", "a b@example.com", "x" * 400 + "@example.com"):
        with pytest.raises(UserError, match=r"e-mail|must be text") as caught:
            a.share(world.sid, bad, False)
        assert not isinstance(caught.value, AccessDenied)
    assert a.shares(world.sid) == []


def test_the_admin_takes_over_what_was_created_without_a_sign_in(store: Store):
    """Rows the local user created (solo use, the command line) go to the admin, nobody else."""
    local_row = store.create(make("Before team mode"))
    store.add_actuals([Actual("old", 1, 2, scenario_id=local_row.id)])
    store.save_reference_document("old-class", "{}")
    a = GuardedStore(store, A)
    assert a.list() == [] and a.list_actuals() == []
    with pytest.raises(AccessDenied, match="administrator"):
        a.hand_over_local_data()
    assert GuardedStore(store, ADMIN).hand_over_local_data() == 3
    with pytest.raises(AccessDenied, match=r"boss@example\.com"):
        a.save_reference_document("old-class", "{}")
    assert GuardedStore(store, ADMIN).access(local_row.id) == Level.OWN


def test_rows_written_before_owners_existed_migrate_to_the_local_owner(url: str):
    """A version-4 database's scenarios, actuals, reference classes and rooms gain an owner
    (the local user, whom team mode hands to its admin): none is left ownerless."""
    old = Store(url)
    old.migrate(target=4)
    row = old.create(make("Kept"))
    opened = room_functions.open_room(old, row.id, "Old room")
    old.add_actuals([Actual("T1", 1, 2, scenario_id=row.id)])
    old.save_reference_document("old", "{}")
    with old.write() as connection:  # as an mlpm before migration 6 wrote them
        for table in ("scenarios", "actuals", "reference_classes", "rooms"):
            connection.exec_driver_sql(f"ALTER TABLE {table} DROP COLUMN owner")
    old.migrate()
    admin = GuardedStore(old, ADMIN)
    assert admin.hand_over_local_data() == 4
    assert GuardedStore(old, A).list() == []
    assert admin.room_for_facilitator(opened.token, opened.facilitator_key).title == "Old room"
    old.close()
