"""Deleting recorded actuals: by id, all or none, on every SQL back end, and through the guard
only what the identity owns or may edit.

The scenario-only in-memory fake (``memory.py``) keeps no actuals, so these run on SQL alone.
"""

from __future__ import annotations

import pytest

from mlpm_core.access import TEAM, AccessDenied, Identity, ReadOnlyShare, SignInRequired
from mlpm_core.calibration import Actual
from mlpm_core.errors import UserError
from mlpm_core.scenario import NotFoundError
from mlpm_core.scenario.model import Scenario
from mlpm_core.store import recorded_actuals
from mlpm_core.store.database import Store
from mlpm_core.store.guarded import GuardedStore

A = Identity("a@example.com", "sub-a")
B = Identity("b@example.com", "sub-b")
ADMIN = Identity("boss@example.com", "sub-boss", is_admin=True)


def plan(name: str = "Churn model") -> Scenario:
    return Scenario.model_validate({"project": {"name": name}})


def ids(rows: list[Actual]) -> list[int]:
    return [row.id for row in rows if row.id is not None]


def test_deleting_by_id_removes_exactly_those_rows(store: Store):
    """Deleted rows are gone from every listing; the others keep their ids and order, and an id
    is never handed out again (a later add does not reuse it)."""
    sid = store.create(plan()).id
    added = store.add_actuals([Actual(f"t{n}", 1 + n, 2 + n, scenario_id=sid if n % 2 else None)
                               for n in range(5)])
    assert store.delete_actuals([added[1].id, added[3].id, added[1].id]) == 2
    assert store.list_actuals() == [added[0], added[2], added[4]]
    assert store.list_actuals(sid) == []
    again = store.add_actuals([Actual("later", 1, 1)])
    assert again[0].id not in ids(added)
    assert store.delete_actuals([]) == 0


def test_an_unknown_id_refuses_the_whole_request(store: Store):
    """One id that is not recorded (a typo, or deleted already) deletes nothing, and the
    message names the ids that were not found, and only those."""
    added = store.add_actuals([Actual("a", 1, 2), Actual("b", 2, 3)])
    with pytest.raises(NotFoundError, match=r"id 99 .*nothing was deleted") as caught:
        store.delete_actuals([added[0].id, 99])
    assert str(caught.value).startswith("No recorded actual has the id 99 ")
    store.delete_actuals([added[0].id])
    with pytest.raises(NotFoundError, match=r"the ids 1 and 7 "):
        store.delete_actuals([added[1].id, added[0].id, 7])
    assert store.list_actuals() == added[1:]


@pytest.mark.parametrize("bad", [["1"], [1.0], [True], [0], [-3], [None], "12"])
def test_ids_that_are_not_whole_numbers_are_refused_readably(store: Store, bad):
    """A string, float, boolean, zero or negative id is a readable refusal before any SQL."""
    store.add_actuals([Actual("kept", 1, 2)])
    with pytest.raises(UserError, match="whole number"):
        store.delete_actuals(bad)
    assert len(store.list_actuals()) == 1


def test_a_large_import_is_deleted_in_one_request(store: Store, monkeypatch):
    """More ids than one IN (...) takes are deleted in chunks, still all or none."""
    monkeypatch.setattr(recorded_actuals, "CHUNK", 7)
    added = store.add_actuals([Actual(f"row {n}", 1, 2) for n in range(30)])
    with pytest.raises(NotFoundError, match=r"the id 1000 "):
        store.delete_actuals([*ids(added)[:25], 1000])
    assert len(store.list_actuals()) == 30
    assert store.delete_actuals(ids(added)[:25]) == 25
    assert store.list_actuals() == added[25:]


# ------------------------------------------------------------------------ through the guard
def test_a_signed_in_person_deletes_their_own_actuals(store: Store):
    """Own rows, with or without a scenario, are deleted; the admin may delete anyone's."""
    a = GuardedStore(store, A)
    sid = a.create(plan()).id
    mine = a.add_actuals([Actual("mine", 1, 2), Actual("of my plan", 2, 3, scenario_id=sid)])
    assert a.delete_actuals(ids(mine)[:1]) == 1
    assert a.list_actuals() == mine[1:]
    assert GuardedStore(store, ADMIN).delete_actuals(ids(mine)[1:]) == 1
    assert store.list_actuals() == []


def test_another_persons_actuals_cannot_be_deleted(store: Store):
    """B may not delete A's rows, not even mixed with B's own: the refusal deletes nothing."""
    a, b = GuardedStore(store, A), GuardedStore(store, B)
    sid = a.create(plan()).id
    theirs = a.add_actuals([Actual("A alone", 1, 2), Actual("A's plan", 2, 3, scenario_id=sid)])
    own = b.add_actuals([Actual("B's", 3, 4)])
    for target in theirs:
        with pytest.raises(AccessDenied, match=rf"actual {target.id} is not yours.*nothing"):
            b.delete_actuals([*ids(own), target.id])
    assert store.list_actuals() == [*theirs, *own]
    with pytest.raises(SignInRequired):
        GuardedStore(store, None).delete_actuals(ids(own))
    assert len(store.list_actuals()) == 3


def test_a_share_decides_whether_a_scenarios_actuals_may_be_deleted(store: Store):
    """Read-only: refused, naming the owner to ask. Editable (here, the team's): B may delete
    the scenario's actuals, as B may add them, but still not A's rows without a scenario."""
    a, b = GuardedStore(store, A), GuardedStore(store, B)
    sid = a.create(plan()).id
    loose, of_plan = a.add_actuals([Actual("A alone", 1, 2),
                                    Actual("A's plan", 2, 3, scenario_id=sid)])
    a.share(sid, "b@example.com", False)
    with pytest.raises(ReadOnlyShare, match=r"read-only.*a@example\.com"):
        b.delete_actuals([of_plan.id])
    a.share(sid, TEAM, True)
    a.unshare(sid, "b@example.com")
    with pytest.raises(AccessDenied):
        b.delete_actuals([of_plan.id, loose.id])
    assert b.delete_actuals([of_plan.id]) == 1
    assert store.list_actuals() == [loose]


def test_actuals_of_a_deleted_scenario_stay_their_owners(store: Store):
    """Once A deletes the scenario, B's edit share no longer reaches its actuals; A's do."""
    a, b = GuardedStore(store, A), GuardedStore(store, B)
    sid = a.create(plan()).id
    (row,) = a.add_actuals([Actual("A's plan", 2, 3, scenario_id=sid)])
    a.share(sid, "b@example.com", True)
    a.delete(sid)
    with pytest.raises(AccessDenied, match="not yours"):
        b.delete_actuals([row.id])
    assert a.delete_actuals([row.id]) == 1


def test_an_unknown_id_through_the_guard_is_not_found(store: Store):
    """The guard passes ids it finds nothing for on to the store's all-or-nothing check."""
    a = GuardedStore(store, A)
    (row,) = a.add_actuals([Actual("mine", 1, 2)])
    with pytest.raises(NotFoundError, match="id 42"):
        a.delete_actuals([row.id, 42])
    assert a.list_actuals() == [row]
