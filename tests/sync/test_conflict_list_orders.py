"""One conflict list everywhere, in the orders the 200-seed soak found lists still differing
(issue 10): each test lets two stations apply the same changes in two orders that the
natural sync order gives, and checks that every station lists the same entries.

Stations A, B and C sort in that order, so a pull applies their files in that order."""

from __future__ import annotations

import contextlib
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.errors import NotFoundError
from db.models import Client, Contact, ImportantDate, TeamMember
from db.operations import Create, Delete, Update
from db.sync import RestoreError, list_conflicts, restore_conflict
from tests.sync.harness import Bench, Station, dump, listed, lost_edits
from tests.sync.test_arrival_order import AUTHORS, _trickle
from tests.sync.test_causal import _folder, _shared_client, abc, not_arrived
from tests.sync.test_conflict_list import _c_gets, _same_lists

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


def test_two_writes_of_a_deleted_member_list_the_lower_as_lost_to_the_higher(
    abc: Bench,
) -> None:
    """C deletes Sam; A and then B, neither seeing the other nor C's delete, make Sam the
    client's account manager. B's write wins the field and reads NULL, lost to Sam's
    delete; A's lost to B's: at C, where the delete came first and nulled A's write before
    B's came, as at B, where the writes met first."""
    a, b, c = abc.stations
    sam = Create(TeamMember, {"name": "Sam"})
    a.apply(sam)
    cid = _shared_client(abc)
    c.apply(Delete(TeamMember, sam.id))
    a.apply(Update(Client, cid, {"account_manager_id": sam.id}))
    b.apply(Update(Client, cid, {"account_manager_id": sam.id}))
    abc.sync(c)
    abc.sync(a)
    abc.sync(b)
    entries = _same_lists(abc)
    by_loser = {e[6]: (e[7], json.loads(e[5])) for e in entries}
    assert by_loser == {a.station_id: (b.station_id, None), b.station_id: (c.station_id, None)}


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


@pytest.mark.parametrize("first", ["A", "B"])
def test_an_edit_lost_with_its_row_names_the_rows_own_delete(abc: Bench, first: str) -> None:
    """A deletes the client, and with it its contact (the contact's own delete first); B
    edits the contact meanwhile. B's edit lost to the contact's own delete, not the
    client's, whichever of A's and B's files C gets first."""
    a, b, _c = abc.stations
    cid = _shared_client(abc)
    contact = Create(Contact, {"client_id": cid, "name": "Dana"})
    a.apply(contact)
    abc.settle(1)
    b.apply(Update(Contact, contact.id, {"title": "B's title"}))
    a.apply(Delete(Client, cid))
    abc.sync(a)
    b.close()
    with not_arrived(*sorted(_folder(abc, a).glob("*.jsonl"))[-1:]):
        abc.sync(b)
    _c_gets(abc, first)
    (lost,) = _same_lists(abc)
    own = a.sql("SELECT hlc FROM sync_outbox WHERE op = 'D' AND row_id = ?", (contact.id,))
    assert (lost[0], lost[9]) == ("edit_deleted", own[0][0])


def test_a_restore_outranked_by_a_restore_the_delete_saw_is_not_listed(abc: Bench) -> None:
    """A deletes the client, and B's new contact goes with it. B and then A restore the
    contact with the same values, neither seeing the other's restore; A then deletes it.
    B's restore lost every field to A's, which the delete saw: no station lists it (at B
    the two restores merged before the delete came, at A it came after the delete)."""
    a, b, _c = abc.stations
    cid = _shared_client(abc)
    contact = Create(Contact, {"client_id": cid, "name": "Dana"})
    b.apply(contact)
    a.apply(Delete(Client, cid))
    abc.sync(a)
    abc.sync(b)
    abc.sync(a)
    _restore_entry(b, "orphan", contact.id)
    _restore_entry(a, "orphan", contact.id)
    a.apply(Delete(Contact, contact.id))
    abc.sync(b)
    abc.sync(a)
    assert _same_lists(abc) == set()


def test_a_restore_under_a_parent_restored_unseen_names_the_parents_later_delete(
    abc: Bench,
) -> None:
    """B deletes Dana before A's new birthday under her reaches it (listed). A deletes the
    client, restores the birthday (with Dana and the client), then deletes Dana. B,
    having seen none of that, restores the birthday with Dana too. B's Dana lost to A's
    client delete, which it never saw; B's birthday lost with her, to Dana's later delete
    by A: at B, where A's client delete came after the restores and took both, as at A,
    where they came after Dana's delete (soak seed 155)."""
    a, b, _c = abc.stations
    cid = _shared_client(abc)
    dana = Create(Contact, {"client_id": cid, "name": "Dana"})
    a.apply(dana)
    abc.sync(a)
    abc.sync(b)
    birthday = Create(
        ImportantDate, {"contact_id": dana.id, "label": "birthday", "day": 1, "month": 2}
    )
    a.apply(birthday)
    b.apply(Delete(Contact, dana.id))
    abc.sync(b)
    abc.sync(a)
    abc.sync(b)  # the birthday arrives at B after Dana's delete: listed there and at A
    a.apply(Delete(Client, cid))
    _restore_entry(a, "orphan", birthday.id)
    a.apply(Delete(Contact, dana.id))
    abc.sync(a)
    b.close()
    with not_arrived(*sorted(_folder(abc, a).glob("*.jsonl"))[-1:]):
        _restore_entry(b, "orphan", birthday.id)
        abc.sync(b)
    abc.sync(a)
    abc.sync(b)
    entries = _same_lists(abc)
    (lost,) = [e for e in entries if e[0] == "orphan" and e[2] == birthday.id]
    deletes = a.sql("SELECT hlc FROM sync_outbox WHERE op = 'D' AND row_id = ?", (dana.id,))
    assert (lost[6], lost[9]) == (b.station_id, deletes[-1][0])


@pytest.mark.parametrize("first", ["A", "B"])
def test_a_reference_to_a_member_deleted_after_its_client_reads_null(
    abc: Bench, first: str
) -> None:
    """A deletes the client and then Sam; B, meanwhile, makes Sam the client's account
    manager. B's edit lost with the client, and its reference lost to Sam's delete: every
    station lists the edit holding NULL and the reference as lost to Sam's delete, whether
    B's edit came before A's deletes (C gets B's file first) or after them (at A, and at C
    when A's file comes first)."""
    a, b, _c = abc.stations
    sam = Create(TeamMember, {"name": "Sam"})
    a.apply(sam)
    cid = _shared_client(abc)
    b.apply(Update(Client, cid, {"account_manager_id": sam.id}))
    a.apply(Delete(Client, cid))
    a.apply(Delete(TeamMember, sam.id))
    abc.sync(a)
    b.close()
    with not_arrived(*sorted(_folder(abc, a).glob("*.jsonl"))[-1:]):
        abc.sync(b)  # B's edit goes out before A's deletes reach B
    _c_gets(abc, first)
    entries = _same_lists(abc)
    (edit,) = [e for e in entries if e[0] == "edit_deleted"]
    assert json.loads(edit[4]) == {"account_manager_id": None}
    assert json.loads(edit[10])["account_manager_id"] is None
    (reference,) = [e for e in entries if e[0] == "field"]
    member_delete = a.sql("SELECT hlc FROM sync_outbox WHERE op = 'D' AND row_id = ?", (sam.id,))
    assert (json.loads(reference[4]), reference[5], reference[9]) == (
        sam.id,
        "null",
        member_delete[0][0],
    )


def test_a_member_deleted_here_nulls_a_reference_an_edit_of_a_deleted_row_holds(
    abc: Bench,
) -> None:
    """A deletes the client; B makes Sam its account manager; A gets B's edit (listed,
    holding Sam) and then deletes Sam. The edit's entry reads NULL at A, as at B and C,
    where Sam's delete arrived after it and nulled the reference."""
    a, b, _c = abc.stations
    sam = Create(TeamMember, {"name": "Sam"})
    a.apply(sam)
    cid = _shared_client(abc)
    a.apply(Delete(Client, cid))
    abc.sync(a)
    b.close()
    with not_arrived(*sorted(_folder(abc, a).glob("*.jsonl"))[-1:]):
        b.apply(Update(Client, cid, {"account_manager_id": sam.id}))
        abc.sync(b)
    abc.sync(a)
    a.apply(Delete(TeamMember, sam.id))
    abc.sync(a)
    entries = _same_lists(abc)
    (edit,) = [e for e in entries if e[0] == "edit_deleted"]
    assert json.loads(edit[4]) == {"account_manager_id": None}


@pytest.mark.parametrize("wrote", ["C's edit", "C's insert", "B's edit"])
def test_a_reference_its_rows_delete_had_seen_is_not_lost_to_a_members_delete(
    abc: Bench, wrote: str
) -> None:
    """C makes Sam the client's account manager (or adds the client with Sam, or gets B's
    edit doing so) and then deletes the client; A, meanwhile, deletes Sam. C's delete saw
    the reference, so nothing of it is lost to Sam's delete: no station lists it, neither
    A, where C's delete came after the reference was nulled, nor C, where Sam's delete
    came after C's and found only the deleted client referring to Sam (the hypothesis
    property's case `rename, manager, delete member, delete client`)."""
    a, b, c = abc.stations
    sam = Create(TeamMember, {"name": "Sam"})
    a.apply(sam)
    if wrote == "C's insert":
        abc.settle(1)
        client = Create(Client, {"name": "Acme", "account_manager_id": sam.id})
        c.apply(client)
        cid = client.id
    else:
        cid = _shared_client(abc)
        (b if wrote == "B's edit" else c).apply(Update(Client, cid, {"account_manager_id": sam.id}))
        if wrote == "B's edit":
            abc.sync(b)
            abc.sync(c)
    a.apply(Delete(TeamMember, sam.id))
    c.apply(Delete(Client, cid))
    abc.sync(a)
    abc.sync(c)  # Sam's delete reaches C after C's delete of the client
    assert _same_lists(abc) == set()


def test_a_restore_lost_to_a_delete_is_not_listed_by_field_for_a_later_edit(abc: Bench) -> None:
    """Soak seed 135. A deletes Sam while B renames him; A restores B's rename, and so,
    later, does B, not having seen A's restore. A, not having seen B's, deletes Sam again;
    C, having seen only A's restore, sets his email. B's restore lost to A's second delete
    and is listed with its row; its email lost to C's edit too, but a restore lost to a
    delete is listed with its row, not field by field: at B, where A's delete and then C's
    edit came after the restore, as at C, where the restore came last."""
    a, b, c = abc.stations
    sam = Create(TeamMember, {"name": "Sam"})
    a.apply(sam)
    abc.settle(1)
    b.apply(Update(TeamMember, sam.id, {"name": "B's Sam"}))
    a.apply(Delete(TeamMember, sam.id))
    abc.sync(a)
    abc.sync(b)  # B's rename lost to A's delete
    abc.sync(a)
    _restore_entry(a, "edit_deleted", sam.id)
    abc.sync(a)
    abc.sync(c)  # C sees Sam back
    _restore_entry(b, "edit_deleted", sam.id)  # B has not seen A's restore
    a.apply(Delete(TeamMember, sam.id))  # A has not seen B's restore
    c.apply(Update(TeamMember, sam.id, {"email": "sam@c.example"}))  # nor has C
    abc.sync(a)
    abc.sync(c)
    abc.sync(b)  # A's second delete, then C's edit, reach B after its restore
    entries = _same_lists(abc)
    restores = b.sql("SELECT hlc FROM sync_outbox WHERE op = 'I' AND row_id = ?", (sam.id,))
    mine = [e for e in entries if (e[6], e[8]) == (b.station_id, restores[-1][0])]
    assert [e[0] for e in mine] == ["delete"]
    assert json.loads(mine[0][10])["email"] == "sam@c.example"


def test_an_orphan_of_a_row_restored_since_shows_the_rows_latest_values(abc: Bench) -> None:
    """Soak seed 81. C's rename of the contact lost to B's delete of it, and C restores it;
    A, not having seen that restore, deletes the client. B restores C's rename too (with
    the client), having seen A's delete, and renames the contact again. C's restore is A's
    delete's orphan, and its entry shows the contact as it is now, with B's name: at C,
    where A's delete took the contact and B's restore and rename came after, as at A,
    where C's restore came last."""
    a, b, c = abc.stations
    cid = _shared_client(abc)
    contact = Create(Contact, {"client_id": cid, "name": "Dana"})
    a.apply(contact)
    abc.settle(1)
    c.apply(Update(Contact, contact.id, {"name": "C's Dana"}))
    b.apply(Delete(Contact, contact.id))
    abc.sync(b)
    abc.sync(c)  # C's rename lost to B's delete
    _restore_entry(c, "edit_deleted", contact.id)
    abc.sync(a)
    a.apply(Delete(Client, cid))  # A has not seen C's restore
    abc.sync(a)
    abc.sync(b)
    _restore_entry(b, "edit_deleted", contact.id)  # brings the client back too
    b.apply(Update(Contact, contact.id, {"name": "B's Dana"}))
    abc.sync(b)
    abc.sync(c)  # A's delete takes C's restore, then B's restore and rename arrive
    entries = _same_lists(abc)
    restores = c.sql("SELECT hlc FROM sync_outbox WHERE op = 'I' AND row_id = ?", (contact.id,))
    (orphan,) = [e for e in entries if e[0] == "orphan" and e[8] == restores[-1][0]]
    assert json.loads(orphan[10])["name"] == "B's Dana"
    assert c.sql("SELECT name FROM contact") == [("B's Dana",)]


def test_a_row_lost_with_a_restored_parent_names_the_delete_that_took_the_restore(
    abc: Bench,
) -> None:
    """Soak seed 81. C adds a birthday under Dana and renames her; B deletes Dana (both of
    C's changes listed), and C restores her. A, having seen none of that, deletes the
    client, and Dana with it (her own delete first). C's restore outranks A's delete of
    Dana but goes with the client: the birthday, which no delete ever saw, names the
    client's delete at A, where the restore came last, as at C, where the client's delete
    took the restored Dana."""
    a, b, c = abc.stations
    cid = _shared_client(abc)
    dana = Create(Contact, {"client_id": cid, "name": "Dana"})
    a.apply(dana)
    abc.settle(1)
    birthday = Create(
        ImportantDate, {"contact_id": dana.id, "label": "birthday", "day": 1, "month": 2}
    )
    c.apply(birthday)
    c.apply(Update(Contact, dana.id, {"name": "C's Dana"}))
    b.apply(Delete(Contact, dana.id))
    abc.sync(b)
    abc.sync(c)  # the birthday and the rename lost to B's delete
    a.apply(Delete(Client, cid))  # A has seen none of it
    _restore_entry(c, "edit_deleted", dana.id)  # after A's delete, not having seen it
    abc.sync(a)
    abc.sync(c)  # A's deletes reach C after its restore
    abc.sync(a)  # C's restore reaches A after A's deletes
    entries = _same_lists(abc)
    (lost,) = [e for e in entries if e[2] == birthday.id]
    client_delete = a.sql("SELECT hlc FROM sync_outbox WHERE op = 'D' AND row_id = ?", (cid,))
    assert (lost[0], lost[9]) == ("orphan", client_delete[0][0])


def test_a_restore_outranked_by_a_higher_one_is_not_its_parents_deletes_orphan(
    abc: Bench,
) -> None:
    """Soak seed 81. C's rename of Dana lost to A's delete of her; A then deletes the
    client too. B and then C restore C's rename, neither seeing the other's restore nor the
    client's delete. Both restores went with the client, but C's outranks B's in every
    field: only C's is listed as the client's delete's orphan, at A, where both came after
    the client's delete, as at C, where they met while the client was still there."""
    a, b, c = abc.stations
    cid = _shared_client(abc)
    dana = Create(Contact, {"client_id": cid, "name": "Dana"})
    a.apply(dana)
    abc.settle(1)
    c.apply(Update(Contact, dana.id, {"name": "C's Dana"}))
    a.apply(Delete(Contact, dana.id))
    abc.sync(a)
    abc.sync(c)
    abc.sync(b)  # C's rename lost to A's delete, at every station
    a.apply(Delete(Client, cid))
    _restore_entry(b, "edit_deleted", dana.id)
    _restore_entry(c, "edit_deleted", dana.id)  # later: it outranks B's
    abc.sync(b)
    abc.sync(c)  # B's restore meets C's while the client is there
    abc.sync(a)  # both reach A after the client's delete
    entries = _same_lists(abc)
    restores = c.sql("SELECT hlc FROM sync_outbox WHERE op = 'I' AND row_id = ?", (dana.id,))
    orphans = [(e[6], e[8]) for e in entries if e[0] == "orphan" and e[2] == dana.id]
    assert orphans == [(c.station_id, restores[-1][0])]


def test_a_restore_that_came_after_its_parents_delete_keeps_the_fields_it_took(
    abc: Bench,
) -> None:
    """Soak seed 81. As above, but C restores Dana first, B then, and A deletes the client
    after both. At A, B's restore comes first and goes with the client, and C's comes
    after it, below the client's delete: it lost every field to B's, which the row keeps,
    so it is listed nowhere, as at B and C, where the restores met while the client was
    there."""
    a, b, c = abc.stations
    cid = _shared_client(abc)
    dana = Create(Contact, {"client_id": cid, "name": "Dana"})
    a.apply(dana)
    abc.settle(1)
    c.apply(Update(Contact, dana.id, {"name": "C's Dana"}))
    a.apply(Delete(Contact, dana.id))
    abc.sync(a)
    abc.sync(c)
    abc.sync(b)  # C's rename lost to A's delete, at every station
    _restore_entry(c, "edit_deleted", dana.id)
    _restore_entry(b, "edit_deleted", dana.id)  # later: it outranks C's
    a.apply(Delete(Client, cid))  # later still, having seen neither
    abc.sync(c)
    abc.sync(b)
    abc.sync(c)  # the restores met while the client was there
    abc.sync(a)  # B's restore, then C's, reach A after the client's delete
    entries = _same_lists(abc)
    restores = b.sql("SELECT hlc FROM sync_outbox WHERE op = 'I' AND row_id = ?", (dana.id,))
    lost = [(e[0], e[6], e[8]) for e in entries if e[2] == dana.id and e[3] is None]
    assert lost == [("orphan", b.station_id, restores[-1][0])]


def test_a_birthday_under_a_restore_outranking_the_contacts_delete_names_the_clients(
    abc: Bench,
) -> None:
    """Soak seed 81 (id seed 4). B deletes Dana while C renames her, and A restores C's
    rename. A then deletes the client, Dana with it (her own delete first, one local
    cascade), while B renames her; B restores that rename, bringing both back. C, having
    seen none of A's or B's later changes, restores its own rename (outranking A's delete
    of Dana, unseen) and adds a birthday under her. At C, where the birthday came first,
    C's restore set Dana's own delete aside and the client's took Dana and the birthday;
    at A and B, where B's restore had answered Dana's delete first, the birthday names the
    client's delete too, not Dana's one tick below it."""
    a, b, c = abc.stations
    cid = _shared_client(abc)
    dana = Create(Contact, {"client_id": cid, "name": "Dana"})
    a.apply(dana)
    abc.settle(1)
    c.apply(Update(Contact, dana.id, {"name": "C's Dana"}))
    b.apply(Delete(Contact, dana.id))
    abc.sync(b)
    abc.sync(c)  # C's rename lost to B's delete
    abc.sync(a)
    _restore_entry(a, "edit_deleted", dana.id)
    abc.sync(a)
    abc.sync(b)  # Dana is back at B
    b.apply(Update(Contact, dana.id, {"name": "B's Dana"}))
    a.apply(Delete(Client, cid))  # not having seen B's rename
    abc.sync(a)
    abc.sync(b)  # B's rename lost to Dana's own delete
    _restore_entry(b, "edit_deleted", dana.id)  # the client comes back with her
    _restore_entry(c, "edit_deleted", dana.id)  # having seen none of A's or B's since
    birthday = Create(
        ImportantDate, {"contact_id": dana.id, "label": "birthday", "day": 1, "month": 2}
    )
    c.apply(birthday)
    abc.sync(b)
    abc.sync(c)  # A's deletes and B's restore reach C after its restore and birthday
    abc.sync(a)  # B's restore, then C's, reach A after A's deletes
    abc.sync(b)
    entries = _same_lists(abc)
    (lost,) = [e for e in entries if e[2] == birthday.id]
    client_delete = a.sql("SELECT hlc FROM sync_outbox WHERE op = 'D' AND row_id = ?", (cid,))
    assert (lost[0], lost[9]) == ("orphan", client_delete[-1][0])


def test_a_child_added_under_a_restore_outranking_an_answered_delete_stays(abc: Bench) -> None:
    """B deletes Dana while C renames her, and A restores C's rename; A deletes Dana again
    while B renames her, and B restores that rename. C, having seen none of A's or B's later
    changes, restores its own rename (later, so it outranks A's second delete, unseen) and
    adds a birthday under her. At C, Dana and the birthday stay: C's restore set A's delete
    aside. At A and B, where B's restore had answered that delete before C's changes came,
    the birthday stays too: its author had seen a restore outranking that delete."""
    a, b, c = abc.stations
    cid = _shared_client(abc)
    dana = Create(Contact, {"client_id": cid, "name": "Dana"})
    a.apply(dana)
    abc.settle(1)
    c.apply(Update(Contact, dana.id, {"name": "C's Dana"}))
    b.apply(Delete(Contact, dana.id))
    abc.sync(b)
    abc.sync(c)
    abc.sync(a)
    _restore_entry(a, "edit_deleted", dana.id)
    abc.sync(a)
    abc.sync(b)
    b.apply(Update(Contact, dana.id, {"name": "B's Dana"}))
    a.apply(Delete(Contact, dana.id))
    abc.sync(a)
    abc.sync(b)  # B's rename lost to A's delete
    _restore_entry(b, "edit_deleted", dana.id)
    _restore_entry(c, "edit_deleted", dana.id)  # having seen none of A's or B's since
    birthday = Create(
        ImportantDate, {"contact_id": dana.id, "label": "birthday", "day": 1, "month": 2}
    )
    c.apply(birthday)
    abc.sync(b)
    abc.sync(c)
    abc.sync(a)
    abc.sync(b)
    _same_lists(abc)
    for station in abc.stations:
        assert station.sql("SELECT label FROM important_date") == [("birthday",)], station.name


def test_a_birthday_lost_to_its_contacts_delete_keeps_naming_it_when_the_client_goes_later(
    abc: Bench,
) -> None:
    """Soak seed 81 (id seed 24). C adds a birthday under Dana and renames her while B
    deletes her: both lost to B's delete. B restores the rename. A, having seen the birthday
    lost, deletes the client (not having seen B's restore). The birthday lost to B's delete
    and A's delete had seen it: it keeps naming B's delete at B, where A's delete took the
    restored Dana, as at A and C, where B's restore came after A's delete and went with the
    client."""
    a, b, c = abc.stations
    cid = _shared_client(abc)
    dana = Create(Contact, {"client_id": cid, "name": "Dana"})
    a.apply(dana)
    abc.settle(1)
    c.apply(Update(Contact, dana.id, {"name": "C's Dana"}))
    birthday = Create(
        ImportantDate, {"contact_id": dana.id, "label": "birthday", "day": 1, "month": 2}
    )
    c.apply(birthday)
    b.apply(Delete(Contact, dana.id))
    abc.sync(b)
    abc.sync(c)  # the rename and the birthday lost to B's delete
    abc.sync(b)
    _restore_entry(b, "edit_deleted", dana.id)  # not sent before A's delete reaches B
    abc.sync(a)
    a.apply(Delete(Client, cid))  # having seen the birthday lost
    abc.sync(a)
    abc.sync(b)  # A's delete takes B's restore at B
    abc.sync(c)  # A's delete, then B's restore, at C
    abc.sync(a)
    entries = _same_lists(abc)
    (lost,) = [e for e in entries if e[2] == birthday.id]
    dana_delete = b.sql("SELECT hlc FROM sync_outbox WHERE op = 'D' AND row_id = ?", (dana.id,))
    assert (lost[0], lost[7], lost[9]) == ("orphan", b.station_id, dana_delete[0][0])


def test_a_local_restore_keeps_the_restores_applied_to_its_row(abc: Bench) -> None:
    """A deletes the client while B renames it; B restores its rename, and A gets that
    restore. A then deletes the client and undoes it: the row keeps the restores applied to
    it (B's, and A's insert it existed by before), which a change made having seen B's
    restore is judged by (see the birthday tests above)."""
    a, b, _c = abc.stations
    cid = _shared_client(abc)
    b.apply(Update(Client, cid, {"name": "B's name"}))
    a.apply(Delete(Client, cid))
    abc.sync(a)
    abc.sync(b)
    _restore_entry(b, "edit_deleted", cid)
    abc.sync(b)
    abc.sync(a)
    (restore,) = b.sql("SELECT id FROM sync_outbox WHERE op = 'I' AND row_id = ?", (cid,))[-1:]
    delete = Delete(Client, cid)
    a.apply(delete)
    a.open().revert(delete)
    kept = a.sql("SELECT field FROM sync_version WHERE row_id = ? AND field LIKE '+%'", (cid,))
    assert (f"+{b.station_id}:{restore[0]}",) in kept
    assert (f"+{a.station_id}:1",) in kept


def test_a_lower_write_of_a_member_deleted_with_its_client_is_lost_to_the_higher_write(
    abc: Bench,
) -> None:
    """Fight property, example 188. C and then B make Sam the client's account manager;
    B then deletes the client and Sam. B's write is the higher: C's lost the field to it
    (reading NULL) at B, where C's write came to a deleted client and a deleted Sam, as at
    C, where B's write came first and Sam's delete nulled it."""
    a, b, c = abc.stations
    sam = Create(TeamMember, {"name": "Sam"})
    a.apply(sam)
    cid = _shared_client(abc)
    c.apply(Update(Client, cid, {"account_manager_id": sam.id}))
    b.apply(Update(Client, cid, {"account_manager_id": sam.id}))  # later: the higher
    b.apply(Delete(Client, cid))
    b.apply(Delete(TeamMember, sam.id))
    abc.sync(b)
    abc.sync(c)  # B's write and deletes reach C after its write
    abc.sync(b)  # C's write reaches B after B's deletes
    abc.sync(a)
    entries = _same_lists(abc)
    (lost,) = [e for e in entries if e[3] == "account_manager_id"]
    write = b.sql("SELECT hlc FROM sync_outbox WHERE op = 'U' AND row_id = ?", (cid,))
    assert (json.loads(lost[4]), lost[5], lost[6]) == (sam.id, "null", c.station_id)
    assert (lost[7], lost[9]) == (b.station_id, write[0][0])


def test_a_write_of_a_deleted_member_outwritten_by_a_restore_is_lost_to_the_restore(
    abc: Bench,
) -> None:
    """Fight property, example 457. A makes Sam the client's account manager; B, not having
    seen that, deletes Sam and the client, and restores the client (C's rename had lost to
    that delete), with no account manager. The restore is the higher write: A's lost the
    field to it at A and C, where Sam's delete had listed it first, as at B, where it came
    after the restore."""
    a, b, c = abc.stations
    sam = Create(TeamMember, {"name": "Sam"})
    a.apply(sam)
    cid = _shared_client(abc)
    c.apply(Update(Client, cid, {"name": "C's name"}))
    a.apply(Update(Client, cid, {"account_manager_id": sam.id}))
    b.apply(Delete(TeamMember, sam.id))
    b.apply(Delete(Client, cid))
    abc.sync(c)
    abc.sync(b)  # C's rename lost to B's delete
    _restore_entry(b, "edit_deleted", cid)  # not having seen A's write
    abc.sync(b)
    abc.sync(a)  # Sam's delete lists A's write, then B's restore outwrites it
    abc.sync(b)
    abc.sync(c)
    entries = _same_lists(abc)
    (lost,) = [e for e in entries if e[3] == "account_manager_id"]
    restore = b.sql("SELECT hlc FROM sync_outbox WHERE op = 'I' AND row_id = ?", (cid,))
    assert (json.loads(lost[4]), lost[5], lost[6]) == (sam.id, "null", a.station_id)
    assert (lost[7], lost[9]) == (b.station_id, restore[-1][0])


fight = st.tuples(
    st.sampled_from(
        ["rename", "manager", "delete", "delete", "restore", "restore", "sync", "child"]
    ),
    st.integers(0, AUTHORS - 1),
    st.sampled_from([Client, Contact, TeamMember]),
    st.integers(0, 1),
)


def _fight(bench: Bench, station: Station, step: tuple, i: int, ids: dict) -> None:
    """One user action: rename, point the client at a member, delete, restore a listed
    entry, add a contact or a birthday under what is there, or sync."""
    kind, _who, entity, pick = step
    if kind == "sync":
        bench.sync(station)
        return
    store = station.open()
    if kind == "restore":
        entries = [c for c in list_conflicts(store) if c.kind != "future"]
        if entries:
            with contextlib.suppress(RestoreError):
                restore_conflict(store, entries[(i + pick) % len(entries)].id)
        return
    with contextlib.suppress(NotFoundError):  # deleted here already
        if kind == "delete":
            station.apply(Delete(entity, ids[entity]))
        elif kind == "manager":
            member = ids[TeamMember] if pick else ids["other member"]
            if station.sql("SELECT 1 FROM team_member WHERE id = ?", (member,)):  # offered
                station.apply(Update(Client, ids[Client], {"account_manager_id": member}))
        elif kind == "child" and entity is Client:
            if station.sql("SELECT 1 FROM client WHERE id = ?", (ids[Client],)):
                station.apply(Create(Contact, {"client_id": ids[Client], "name": f"new {i}"}))
        elif kind == "child":
            if station.sql("SELECT 1 FROM contact WHERE id = ?", (ids[Contact],)):
                date = {"contact_id": ids[Contact], "label": f"day {i}", "day": 1, "month": 2}
                station.apply(Create(ImportantDate, date))
        else:
            field = "label" if entity is ImportantDate else "name"
            station.apply(Update(entity, ids[entity], {field: f"{station.name} {i}"}))


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    st.lists(fight, min_size=4, max_size=16),
    st.tuples(st.lists(st.integers(0, 20), max_size=24), st.lists(st.integers(1, 3))),
    st.permutations(range(AUTHORS + 1)),
)
def test_references_and_parents_deleted_twice_list_alike_in_any_order(
    steps: list[tuple], order: tuple[list[int], list[int]], ranks: list[int]
) -> None:
    """Three stations fight over a client (its account manager among two members), its
    contact and the contact's birthdays, deleting, restoring and deleting again; a fourth
    station gets their files in an order hypothesis picks. Every station ends with the same
    data and the same list, members' deletes included.

    Station ids break ties and order each pull, so hypothesis picks how they rank too: a
    failing case then replays, and shrinks, exactly as it was found."""
    with tempfile.TemporaryDirectory() as tmp:
        bench = Bench(Path(tmp), AUTHORS + 1)
        try:
            for station, rank in zip(bench.stations, ranks, strict=True):
                station.close()
                station.sql("UPDATE sync_ctl SET station_id = ?", (f"{rank:x}" * 16,))
            authors = bench.stations[:AUTHORS]
            first = authors[0]
            ops = [
                Create(TeamMember, {"name": "Sam"}),
                Create(TeamMember, {"name": "Kim"}),
                Create(Client, {"name": "Acme"}),
            ]
            for op in ops:
                first.apply(op)
            contact = Create(Contact, {"client_id": ops[2].id, "name": "Dana"})
            first.apply(contact)
            ids = {TeamMember: ops[0].id, "other member": ops[1].id, Client: ops[2].id}
            ids[Contact] = contact.id
            for s in authors:
                bench.sync(s)
            for i, step in enumerate(steps):
                _fight(bench, authors[step[1]], step, i, ids)
            for s in authors:
                s.close()
                bench.sync(s)
            observer = bench.stations[AUTHORS]
            observer.close()
            _trickle(bench, observer, order[0], order[1] or [1])
            bench.settle(2)
            dumps = [dump(s.path) for s in bench.stations]
            lists = [listed(s.path) for s in bench.stations]
            for s, d, entries in zip(bench.stations, dumps, lists, strict=True):
                assert d == dumps[0], f"{s.name}'s data differs from s0's"
                assert entries == lists[0], (
                    f"{s.name}'s conflict list differs from s0's:\n"
                    f"  only on s0: {sorted(map(str, lists[0] - entries))}\n"
                    f"  only on {s.name}: {sorted(map(str, entries - lists[0]))}"
                )
            assert lost_edits([s.path for s in bench.stations]) == []
        finally:
            bench.close()


def test_a_restore_made_before_its_parents_second_delete_keeps_the_restored_row(
    abc: Bench,
) -> None:
    """Soak seed 145. B deletes the client (and with it the contact) while A edits both; A
    restores the client. B, having seen that, deletes the client again and restores the
    contact (and with it the client). A, not having seen B's second delete, restores the
    contact too, later. At A the second delete takes A's restore with the client, and B's
    restore (made having seen that delete) brings the contact back with A's values; at B,
    A's restore comes last, to a contact restored already. It must not take the contact
    with the delete it never saw: both stations keep the contact, with A's values, and list
    alike (A's restore as that delete's orphan, never B's, which saw it)."""
    a, b, _c = abc.stations
    client = Create(Client, {"name": "Acme"})
    a.apply(client)
    contact = Create(Contact, {"client_id": client.id, "name": "Dana"})
    a.apply(contact)
    abc.settle(1)
    a.apply(Update(Client, client.id, {"name": "A's name"}))
    a.apply(Update(Contact, contact.id, {"name": "A's Dana"}))
    b.apply(Delete(Client, client.id))
    abc.sync(b)
    abc.sync(a)  # A's edits lost to B's delete
    _restore_entry(a, "edit_deleted", client.id)
    abc.sync(a)
    abc.sync(b)  # B gets A's edits and A's restore of the client
    b.apply(Delete(Client, client.id))
    _restore_entry(b, "edit_deleted", contact.id)  # the client comes back with it
    _restore_entry(a, "edit_deleted", contact.id)  # A has not seen B's second delete
    abc.sync(b)
    abc.sync(a)
    abc.sync(b)  # A's restore of the contact comes last at B
    entries = _same_lists(abc)
    for station in abc.stations:
        assert station.sql("SELECT name FROM contact WHERE id = ?", (contact.id,)) == [
            ("A's Dana",)
        ], station.name
    assert not [e for e in entries if e[0] == "orphan" and e[6] == e[7]]  # none lost to its own


def test_a_restore_arriving_between_its_parents_delete_and_the_rows_restore_keeps_its_values(
    abc: Bench,
) -> None:
    """Seed 145 as C sees it: B's second delete of the client reaches C on its own, then A's
    restore of the contact (made before A saw that delete), then B's restore of the client
    and the contact (made having seen it). A's restore is that delete's orphan, and its
    values merge into the deleted contact, which B's restore brings back with them, as at
    A and B."""
    a, b, c = abc.stations
    client = Create(Client, {"name": "Acme"})
    a.apply(client)
    contact = Create(Contact, {"client_id": client.id, "name": "Dana"})
    a.apply(contact)
    abc.settle(1)
    a.apply(Update(Client, client.id, {"name": "A's name"}))
    a.apply(Update(Contact, contact.id, {"name": "A's Dana"}))
    b.apply(Delete(Client, client.id))
    abc.sync(b)
    abc.sync(a)
    _restore_entry(a, "edit_deleted", client.id)
    abc.sync(a)
    abc.sync(b)
    abc.sync(c)
    b.apply(Delete(Client, client.id))
    abc.sync(b)
    abc.sync(c)  # B's second delete reaches C on its own
    _restore_entry(b, "edit_deleted", contact.id)
    _restore_entry(a, "edit_deleted", contact.id)  # A has not seen B's second delete
    abc.sync(a)
    abc.sync(b)
    abc.sync(c)  # A's restore of the contact, then B's
    entries = _same_lists(abc)
    for station in abc.stations:
        assert station.sql("SELECT name FROM contact WHERE id = ?", (contact.id,)) == [
            ("A's Dana",)
        ], station.name
    assert not [e for e in entries if e[0] == "orphan" and e[6] == e[7]]


def test_a_row_lost_with_a_parent_deleted_twice_concurrently_names_the_higher_delete(
    abc: Bench,
) -> None:
    """Soak seed 58. C and then B delete the client, neither seeing the other's delete; each
    restores A's rename that its delete took, C not having seen B's delete (its restore
    outranks it unseen), B having seen C's. A added a contact meanwhile, seeing none of it.
    The contact went with the client: it is listed as lost to the higher of the deletes
    it never saw, B's, at A (where B's delete took it, C's restore set that delete aside,
    and B's restore answered it) as at B (where it came after both restores) and at C
    (where B's delete came after C's restore, set aside)."""
    a, b, c = abc.stations
    cid = _shared_client(abc)
    a.apply(Update(Client, cid, {"name": "A's name"}))
    abc.sync(a)
    contact = Create(Contact, {"client_id": cid, "name": "Dana"})
    a.apply(contact)  # not sent before the deletes and restores reach A
    c.apply(Delete(Client, cid))
    b.apply(Delete(Client, cid))
    abc.sync(c)  # C's delete goes out; A's rename lost to it
    abc.sync(b)  # B's too; A's rename lost to it, C's delete set aside
    _restore_entry(c, "edit_deleted", cid)  # having seen its own delete, not B's
    _restore_entry(b, "edit_deleted", cid)  # having seen both deletes, not C's restore
    abc.sync(c)
    abc.sync(b)
    abc.sync(a)  # B's delete takes the contact at A, C's restore sets it aside, B's answers it
    entries = _same_lists(abc)
    (orphan,) = [e for e in entries if e[0] == "orphan"]
    higher = b.sql("SELECT hlc FROM sync_outbox WHERE op = 'D' AND row_id = ?", (cid,))
    assert (orphan[2], orphan[7], orphan[9]) == (contact.id, b.station_id, higher[0][0])


def test_a_stations_own_delete_set_aside_and_answered_takes_back_the_row_it_took(
    abc: Bench,
) -> None:
    """Seed 58 with B's delete answered by A: C and then B delete the client, each unseen by
    the other, and C restores A's rename (not having seen B's delete). A gets only B's
    delete, which takes A's new contact, and restores the rename. At B, C's restore sets
    B's own delete aside before the contact comes (lost to C's delete, the one counting
    then), and A's restore answers B's delete afterwards: the contact is lost to B's, the
    higher, there too, as at A and C."""
    a, b, c = abc.stations
    cid = _shared_client(abc)
    a.apply(Update(Client, cid, {"name": "A's name"}))
    abc.sync(a)
    contact = Create(Contact, {"client_id": cid, "name": "Dana"})
    a.apply(contact)
    c.apply(Delete(Client, cid))
    b.apply(Delete(Client, cid))
    abc.sync(c)  # C's delete goes out; A's rename lost to it
    abc.sync(b)  # B's too; C's set aside at B
    _restore_entry(c, "edit_deleted", cid)  # having seen its own delete, not B's
    abc.sync(c)
    a.close()
    with not_arrived(*sorted(_folder(abc, c).glob("*.jsonl"))):
        abc.sync(a)  # A's contact goes out; B's delete takes it and A's rename at A
        _restore_entry(a, "edit_deleted", cid)  # having seen B's delete, not C's
        abc.sync(a)
    b.close()
    with not_arrived(*sorted(_folder(abc, a).glob("*.jsonl"))[-2:]):
        abc.sync(b)  # C's restore sets B's delete aside at B
    abc.sync(b)  # the contact (lost to C's delete), then A's restore answering B's
    entries = _same_lists(abc)
    (orphan,) = [e for e in entries if e[0] == "orphan"]
    higher = b.sql("SELECT hlc FROM sync_outbox WHERE op = 'D' AND row_id = ?", (cid,))
    assert (orphan[2], orphan[7], orphan[9]) == (contact.id, b.station_id, higher[0][0])


def test_a_reference_to_a_member_deleted_twice_concurrently_names_the_higher_delete(
    abc: Bench,
) -> None:
    """Seed 58 with a reference: C and then B delete Sam, neither seeing the other's
    delete; each restores A's rename of Sam, C not having seen B's delete, B having seen
    C's. A made Sam the client's account manager meanwhile, seeing none of it. The
    reference reads NULL, lost to the higher delete it never saw, B's, at A (where B's
    delete nulled it, C's restore set that delete aside, and B's restore answered it) as
    at B and C."""
    a, b, c = abc.stations
    sam = Create(TeamMember, {"name": "Sam"})
    a.apply(sam)
    cid = _shared_client(abc)
    a.apply(Update(TeamMember, sam.id, {"name": "A's Sam"}))
    abc.sync(a)
    a.apply(Update(Client, cid, {"account_manager_id": sam.id}))  # not sent yet
    c.apply(Delete(TeamMember, sam.id))
    b.apply(Delete(TeamMember, sam.id))
    abc.sync(c)
    abc.sync(b)
    _restore_entry(c, "edit_deleted", sam.id)  # having seen its own delete, not B's
    _restore_entry(b, "edit_deleted", sam.id)  # having seen both deletes, not C's restore
    abc.sync(c)
    abc.sync(b)
    abc.sync(a)
    entries = _same_lists(abc)
    (reference,) = [e for e in entries if e[3] == "account_manager_id"]
    higher = b.sql("SELECT hlc FROM sync_outbox WHERE op = 'D' AND row_id = ?", (sam.id,))
    assert (json.loads(reference[4]), reference[5]) == (sam.id, "null")
    assert (reference[7], reference[9]) == (b.station_id, higher[0][0])
    assert a.sql("SELECT account_manager_id FROM client") == [(None,)]


def test_an_edit_of_a_row_its_parents_deletes_never_saw_names_the_higher_delete(
    abc: Bench,
) -> None:
    """Soak seeds 27 and 199. A adds a contact and sends it; B and then C delete the client,
    neither having seen the contact; A renames the contact, having seen neither delete. The
    contact went with the client: the rename is listed as lost to the higher delete, C's,
    at B (where the contact came after B's own delete and went with it, and C's delete
    came before the rename) as at A and C."""
    a, b, c = abc.stations
    cid = _shared_client(abc)
    contact = Create(Contact, {"client_id": cid, "name": "Dana"})
    a.apply(contact)
    abc.sync(a)  # the contact goes out
    b.apply(Delete(Client, cid))
    c.apply(Delete(Client, cid))  # later: it outranks B's
    a.apply(Update(Contact, contact.id, {"name": "A's Dana"}))  # not sent yet
    abc.sync(b)  # B's delete goes out; the contact comes after it: it goes with the client
    abc.sync(c)
    abc.sync(b)  # C's delete overtakes B's at B
    abc.sync(a)
    abc.sync(b)  # A's rename comes last at B
    entries = _same_lists(abc)
    (edit,) = [e for e in entries if e[0] == "edit_deleted"]
    higher = c.sql("SELECT hlc FROM sync_outbox WHERE op = 'D' AND row_id = ?", (cid,))
    assert (edit[2], edit[7], edit[9]) == (contact.id, c.station_id, higher[0][0])


def test_an_edit_of_a_restore_lost_with_its_parent_names_the_parents_delete(
    abc: Bench,
) -> None:
    """Soak seed 27. A deletes the client (and Dana with it), not sending it yet. B deletes
    Dana later, lists C's rename of her, restores it (not having seen A's deletes) and sets
    her title. The restore went with the client, by A's delete: B's title is listed as lost
    to that delete at B, where A's deletes came after the edit, as at A and C, where they
    came first (not to B's delete of Dana, which the restore and the edit had seen)."""
    a, b, c = abc.stations
    cid = _shared_client(abc)
    dana = Create(Contact, {"client_id": cid, "name": "Dana"})
    a.apply(dana)
    abc.settle(1)
    a.apply(Delete(Client, cid))  # not sent yet
    c.apply(Update(Contact, dana.id, {"name": "C's Dana"}))
    abc.sync(c)
    b.apply(Delete(Contact, dana.id))  # later than A's deletes: it outranks them
    abc.sync(b)  # C's rename lost to B's delete
    _restore_entry(b, "edit_deleted", dana.id)
    b.apply(Update(Contact, dana.id, {"title": "B's title"}))
    abc.sync(b)
    abc.sync(a)  # B's delete, restore and edit reach A after its deletes
    abc.sync(c)
    abc.sync(b)  # A's deletes reach B after the edit
    entries = _same_lists(abc)
    (edit,) = [e for e in entries if e[0] == "edit_deleted"]
    client_delete = a.sql("SELECT hlc FROM sync_outbox WHERE op = 'D' AND row_id = ?", (cid,))
    assert (edit[6], json.loads(edit[4]), edit[9]) == (
        b.station_id,
        {"title": "B's title"},
        client_delete[0][0],
    )
