"""One conflict list everywhere, in the orders the 200-seed soak found lists still differing
(issue 10): each test lets two stations apply the same changes in two orders that the
natural sync order gives, and checks that every station lists the same entries.

Stations A, B and C sort in that order, so a pull applies their files in that order."""

from __future__ import annotations

import json

from db.models import Client, Contact, TeamMember
from db.operations import Create, Delete, Update
from db.sync import list_conflicts, restore_conflict
from tests.sync.harness import Bench, Station, listed
from tests.sync.test_causal import _shared_client, abc
from tests.sync.test_conflict_list import _same_lists

__all__ = ["abc"]


def _restore_entry(station: Station, kind: str, row_id: str) -> None:
    """The user restores the station's listed entry of this kind for this row."""
    store = station.open()
    (entry,) = [c for c in list_conflicts(store) if c.kind == kind and c.row_id == row_id]
    restore_conflict(store, entry.id)


def test_a_restore_that_loses_to_a_delete_lists_the_row_that_delete_took(abc: Bench) -> None:
    """B sets the industry and, later, deletes the client; meanwhile A deleted it and C,
    whose rename A's delete took, restored it. B's delete is the highest, so the client
    stays deleted and C's restore is listed with the row: the restore's industry (it
    outranks B's edit, which B's delete had seen), at B, where the restore came after the
    delete, as at A, where it came before."""
    a, b, c = abc.stations
    cid = _shared_client(abc)
    b.apply(Update(Client, cid, {"industry": "B's industry"}))
    a.apply(Delete(Client, cid))
    abc.sync(a)
    c.apply(Update(Client, cid, {"name": "C's name"}))
    abc.sync(c)
    _restore_entry(c, "edit_deleted", cid)
    abc.sync(c)
    b.apply(Delete(Client, cid))
    abc.sync(b)  # B gets A's delete and C's restore after its own delete
    entries = _same_lists(abc)
    (lost,) = [e for e in entries if e[0] == "delete"]
    assert json.loads(lost[10])["industry"] == ""
    assert json.loads(lost[10])["name"] == "C's name"


def test_a_losing_restore_still_answers_what_its_author_saw_listed(abc: Bench) -> None:
    """A deletes the client while B edits it and adds a contact (both listed). B restores the
    client, then the contact; C, having seen the client's restore but not the contact's,
    deletes the client again. The contact's restore loses, but its author had seen the
    contact's first insert: that entry goes on every station (C's own delete came first
    there, A got the restore first)."""
    a, b, c = abc.stations
    cid = _shared_client(abc)
    b.apply(Update(Client, cid, {"name": "B's name"}))
    contact = Create(Contact, {"client_id": cid, "name": "Dana"})
    b.apply(contact)
    a.apply(Delete(Client, cid))
    abc.sync(a)
    abc.sync(b)
    _restore_entry(b, "edit_deleted", cid)
    abc.sync(b)
    abc.sync(c)
    _restore_entry(b, "orphan", contact.id)
    c.apply(Delete(Client, cid))
    abc.sync(c)
    abc.sync(b)
    entries = _same_lists(abc)
    orphans = [e for e in entries if e[0] == "orphan" and e[2] == contact.id]
    assert len(orphans) == 1  # the restore's, not the first insert's


def test_a_restore_takes_over_what_lost_to_the_edit_it_saw(abc: Bench) -> None:
    """A deletes the client; B and then C rename it, neither seeing the other. C restores it
    with its name (having seen its own rename, not B's). B's name lost to the restore on
    every station: at C it arrives after the restore, at A and B before it (listed first
    as lost to C's rename)."""
    a, b, c = abc.stations
    cid = _shared_client(abc)
    a.apply(Delete(Client, cid))
    abc.sync(a)
    b.apply(Update(Client, cid, {"name": "B's name"}))
    c.apply(Update(Client, cid, {"name": "C's name"}))
    abc.sync(c)
    _restore_entry(c, "edit_deleted", cid)
    abc.sync(c)
    abc.sync(b)
    entries = _same_lists(abc)
    (lost,) = [e for e in entries if e[3] == "name"]
    restore = c.sql("SELECT hlc FROM sync_outbox WHERE op = 'I' AND row_id = ?", (cid,))
    assert (lost[4], lost[9]) == ('"B\'s name"', restore[-1][0])


def test_a_write_that_lost_to_a_nulled_reference_shows_it_reading_null(abc: Bench) -> None:
    """A deletes Sam; C makes Kim the account manager, then B (later, not having seen A's
    delete) makes it Sam. B's write wins and reads NULL. C's lost to it: the entry shows
    NULL as the winning value at B (where Sam's delete came first) and at C (where B's
    write came first)."""
    a, b, c = abc.stations
    sam, kim = Create(TeamMember, {"name": "Sam"}), Create(TeamMember, {"name": "Kim"})
    a.apply(sam)
    a.apply(kim)
    cid = _shared_client(abc)
    a.apply(Delete(TeamMember, sam.id))
    abc.sync(a)
    c.apply(Update(Client, cid, {"account_manager_id": kim.id}))
    b.apply(Update(Client, cid, {"account_manager_id": sam.id}))
    abc.sync(b)
    abc.sync(c)
    abc.sync(b)
    entries = _same_lists(abc)
    by_loser = {json.loads(e[4]): json.loads(e[5]) for e in entries if e[3]}
    assert by_loser == {kim.id: None, sam.id: None}
    assert a.sql("SELECT account_manager_id FROM client") == [(None,)]


def test_a_row_lost_with_a_parent_deleted_twice_names_the_later_delete(abc: Bench) -> None:
    """B adds a contact; A deletes the client, C restores it (having seen that delete, not
    the contact), and A deletes it again. The contact never saw either delete: it is listed
    as lost to the later one at B, where it went with the first, as at C, where it arrived
    after the second."""
    a, b, c = abc.stations
    cid = _shared_client(abc)
    contact = Create(Contact, {"client_id": cid, "name": "Dana"})
    b.apply(contact)
    a.apply(Delete(Client, cid))
    abc.sync(a)
    c.apply(Update(Client, cid, {"name": "C's name"}))
    abc.sync(c)
    _restore_entry(c, "edit_deleted", cid)
    abc.sync(c)
    abc.sync(a)
    a.apply(Delete(Client, cid))
    abc.sync(a)
    abc.sync(b)
    abc.sync(c)
    entries = _same_lists(abc)
    (orphan,) = [e for e in entries if e[0] == "orphan"]
    second = a.sql("SELECT hlc FROM sync_outbox WHERE op = 'D' AND row_id = ?", (cid,))
    assert orphan[9] == second[-1][0]
    assert listed(b.path) == entries
