"""The conflict list is the same on every station, whatever order the files arrive in: an
entry is the change that lost (on its row, and field if any), listed by whichever station
applies both sides, with the same kind, winner and values everywhere (issue 10 §1-2).

Stations A, B and C sort in that order; C gets the two sides in one order or the other by
not seeing one station's newest file for one sync."""

from __future__ import annotations

import pytest

from db.models import Client, Contact, TeamMember
from db.operations import Create, Delete, Update
from db.sync import list_conflicts, restore_conflict
from tests.sync.harness import Bench, listed
from tests.sync.test_causal import _converged, _folder, _shared_client, abc, not_arrived

__all__ = ["abc"]


def _same_lists(bench: Bench) -> set[tuple[object, ...]]:
    _converged(bench)
    lists = [listed(s.path) for s in bench.stations]
    for s, other in zip(bench.stations[1:], lists[1:], strict=True):
        assert other == lists[0], f"{s.name}'s conflict list differs from A's"
    return lists[0]


def _c_gets(bench: Bench, first: str) -> None:
    """C applies A's file(s) and B's, `first` = which station's newest arrives first."""
    a, b, c = bench.stations
    late = b if first == "A" else a
    c.close()
    with not_arrived(*sorted(_folder(bench, late).glob("*.jsonl"))[-1:]):
        bench.sync(c)
    bench.sync(c)


@pytest.mark.parametrize("first", ["A", "B"])
def test_edits_lost_to_a_delete_are_listed_alike_in_either_order(abc: Bench, first: str) -> None:
    a, b, _c = abc.stations
    cid = _shared_client(abc)
    b.apply(Update(Client, cid, {"name": "B's name"}))
    b.apply(Update(Client, cid, {"industry": "B's industry"}))
    a.apply(Delete(Client, cid))
    abc.sync(a)
    b.close()
    with not_arrived(*sorted(_folder(abc, a).glob("*.jsonl"))[-1:]):
        abc.sync(b)  # B's edits go out before A's delete reaches B
    _c_gets(abc, first)
    entries = _same_lists(abc)
    kinds = sorted(e[0] for e in entries)
    assert kinds == ["edit_deleted", "edit_deleted"]


@pytest.mark.parametrize("first", ["A", "B"])
def test_a_contact_added_under_a_deleted_client_is_listed_alike(abc: Bench, first: str) -> None:
    a, b, _c = abc.stations
    cid = _shared_client(abc)
    contact = Create(Contact, {"client_id": cid, "name": "Dana"})
    b.apply(contact)
    a.apply(Delete(Client, cid))
    abc.sync(a)
    b.close()
    with not_arrived(*sorted(_folder(abc, a).glob("*.jsonl"))[-1:]):
        abc.sync(b)
    _c_gets(abc, first)
    entries = _same_lists(abc)
    assert [(e[0], e[2]) for e in entries] == [("orphan", contact.id)]


@pytest.mark.parametrize("first", ["A", "B"])
def test_a_reference_to_a_deleted_member_is_listed_alike(abc: Bench, first: str) -> None:
    a, b, _c = abc.stations
    member = Create(TeamMember, {"name": "Sam"})
    a.apply(member)
    cid = _shared_client(abc)
    b.apply(Update(Client, cid, {"account_manager_id": member.id}))
    a.apply(Delete(TeamMember, member.id))
    abc.sync(a)
    b.close()
    with not_arrived(*sorted(_folder(abc, a).glob("*.jsonl"))[-1:]):
        abc.sync(b)
    _c_gets(abc, first)
    entries = _same_lists(abc)
    assert [(e[0], e[3]) for e in entries] == [("field", "account_manager_id")]


@pytest.mark.parametrize("order", ["ABC", "CAB", "BCA"])
def test_three_concurrent_renames_list_the_two_that_lost_alike(abc: Bench, order: str) -> None:
    """Three stations rename one client without seeing each other's: the highest wins and
    the two others are listed, against it, on every station."""
    cid = _shared_client(abc)
    for s in abc.stations:
        s.apply(Update(Client, cid, {"name": f"{s.name}'s name"}))
    for name in order:
        station = abc.stations["ABC".index(name)]
        station.close()
        abc.sync(station)
    entries = _same_lists(abc)
    assert len(entries) == 2
    assert len({(e[7], e[9]) for e in entries}) == 1  # one winner for both


def test_an_entry_goes_once_someone_who_saw_its_loser_rewrites_the_field(abc: Bench) -> None:
    """A and B rename the client concurrently; C, having got both (and listed A's name as
    lost), renames it again. C had seen A's name, so it is no longer a concurrent value: no
    station lists it any more, C (by its own push) included, whatever it had listed before."""
    a, b, c = abc.stations
    cid = _shared_client(abc)
    a.apply(Update(Client, cid, {"name": "A's name"}))
    b.apply(Update(Client, cid, {"name": "B's name"}))
    abc.sync(a)
    abc.sync(b)  # B lists A's rename
    abc.sync(c)
    assert [e[3] for e in listed(c.path)] == ["name"]
    c.apply(Update(Client, cid, {"name": "C's name"}))
    abc.sync(c)
    assert listed(c.path) == set()
    abc.sync(a)  # A gets B's rename (and lists its own as lost), then C's
    entries = _same_lists(abc)
    assert entries == set()
    assert a.sql("SELECT name FROM client") == [("C's name",)]


def test_delete_restore_and_delete_again_leave_one_list_everywhere(abc: Bench) -> None:
    """A deletes the client while B edits it (B's edit is listed); B restores it from the
    list, A edits the restored client, and C, having seen all of that, deletes it again:
    nothing anyone did went unseen, so no station lists anything."""
    a, b, c = abc.stations
    cid = _shared_client(abc)
    a.apply(Delete(Client, cid))
    b.apply(Update(Client, cid, {"industry": "B's industry"}))
    abc.sync(a)
    abc.sync(b)
    store = b.open()
    (entry,) = [e for e in list_conflicts(store) if e.kind == "edit_deleted"]
    restore_conflict(store, entry.id)
    abc.sync(b)
    abc.sync(a)
    a.apply(Update(Client, cid, {"name": "A's name"}))
    abc.sync(a)
    abc.sync(c)
    c.apply(Delete(Client, cid))
    abc.sync(c)
    assert _same_lists(abc) == set()
    assert a.sql("SELECT count(*) FROM client") == [(0,)]
