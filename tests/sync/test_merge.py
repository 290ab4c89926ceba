"""Merge rules, one scenario each: what two stations do to the same rows, and what every
station ends up with and lists as a conflict."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from db.models import Client, Contact, ImportantDate, TeamMember
from db.operations import Create, Delete, SetSetting, Update
from db.sync import hlc
from db.sync.conflicts import list_conflicts, restore_conflict
from tests.sync.harness import Bench, conflicts, dump, lost_edits

DAY_MS = 24 * 3600 * 1000


@pytest.fixture
def two(tmp_path: Path):
    bench = Bench(tmp_path, 2)
    yield bench
    bench.close()


def _shared_client(bench: Bench, **values: object) -> str:
    a, b = bench.stations
    op = Create(Client, {"name": "Acme", **values})
    a.apply(op)
    bench.sync(a)
    bench.sync(b)
    return op.id


def _client(station, id_: str) -> dict:
    cols = [r[1] for r in station.sql("PRAGMA table_info(client)")]
    row = station.sql("SELECT * FROM client WHERE id = ?", (id_,))
    return dict(zip(cols, row[0], strict=True)) if row else {}


def _converged(bench: Bench) -> None:
    bench.settle(2)
    first = dump(bench.stations[0].path)
    for s in bench.stations[1:]:
        assert dump(s.path) == first
    assert lost_edits([s.path for s in bench.stations]) == []


def test_different_fields_both_survive(two: Bench) -> None:
    a, b = two.stations
    cid = _shared_client(two)
    a.apply(Update(Client, cid, {"name": "Acme Ltd"}))
    b.apply(Update(Client, cid, {"industry": "Retail"}))
    _converged(two)
    assert _client(a, cid)["name"] == "Acme Ltd" and _client(a, cid)["industry"] == "Retail"
    assert conflicts(a.path) == [] and conflicts(b.path) == []


def test_same_field_has_one_winner_and_the_loser_is_listed_and_restorable(two: Bench) -> None:
    a, b = two.stations
    cid = _shared_client(two)
    a.apply(Update(Client, cid, {"name": "From A"}))
    b.apply(Update(Client, cid, {"name": "From B"}))  # later HLC: wins
    _converged(two)
    assert _client(a, cid)["name"] == "From B"
    for s in (a, b):
        (c,) = conflicts(s.path)
        assert (c["kind"], c["field"], json.loads(c["losing_value"])) == ("field", "name", "From A")
    store = a.open()
    (conflict,) = list_conflicts(store)
    changes = restore_conflict(store, conflict.id)
    assert changes.ids("Client") == {cid}
    assert store.get(Client, cid).name == "From A"
    _converged(two)
    assert _client(b, cid)["name"] == "From A"
    assert list_conflicts(store) == []


def test_an_edit_made_after_seeing_another_is_not_a_conflict(two: Bench) -> None:
    a, b = two.stations
    cid = _shared_client(two)
    a.apply(Update(Client, cid, {"name": "v2"}))
    two.sync(a)
    two.sync(b)
    b.apply(Update(Client, cid, {"name": "v3"}))
    _converged(two)
    assert _client(a, cid)["name"] == "v3"
    assert conflicts(a.path) == [] and conflicts(b.path) == []


def test_edit_versus_delete_delete_wins_and_the_edit_is_listed(two: Bench) -> None:
    a, b = two.stations
    cid = _shared_client(two)
    a.apply(Delete(Client, cid))
    b.apply(Update(Client, cid, {"website": "https://acme.example"}))
    _converged(two)
    assert _client(a, cid) == {} and _client(b, cid) == {}
    for s in (a, b):
        kinds = {c["kind"] for c in conflicts(s.path)}
        assert kinds & {"delete", "edit_deleted"}, s.name
    # Restoring brings the row back everywhere, with the edit.
    store = b.open()
    conflict = next(c for c in list_conflicts(store) if c.row_data)
    restore_conflict(store, conflict.id)
    _converged(two)
    assert _client(a, cid)["website"] == "https://acme.example"


def test_child_added_while_parent_deleted_elsewhere(two: Bench) -> None:
    a, b = two.stations
    cid = _shared_client(two)
    a.apply(Delete(Client, cid))
    contact = Create(Contact, {"client_id": cid, "name": "Dana"})
    b.apply(contact)
    b.apply(
        Create(ImportantDate, {"contact_id": contact.id, "label": "birthday", "day": 2, "month": 3})
    )
    _converged(two)  # no foreign-key failure on either side
    for s in (a, b):
        assert s.sql("SELECT count(*) FROM contact")[0][0] == 0
        listed = {c["row_id"] for c in conflicts(s.path) if c["row_data"]}
        assert contact.id in listed, s.name
    store = a.open()
    child = next(c for c in list_conflicts(store) if c.row_id == contact.id)
    restore_conflict(store, child.id)  # brings its parent back from the tombstone too
    _converged(two)
    assert b.sql("SELECT name FROM contact") == [("Dana",)]
    assert b.sql("SELECT name FROM client") == [("Acme",)]


def test_reference_to_a_member_deleted_elsewhere_becomes_empty(two: Bench) -> None:
    a, b = two.stations
    member = Create(TeamMember, {"name": "Sam"})
    a.apply(member)
    cid = _shared_client(two)
    a.apply(Delete(TeamMember, member.id))
    b.apply(Update(Client, cid, {"account_manager_id": member.id}))
    _converged(two)
    assert _client(a, cid)["account_manager_id"] is None


def test_two_stations_setting_the_same_new_setting(two: Bench) -> None:
    a, b = two.stations
    a.apply(SetSetting("agency_name", "Alpha"))
    b.apply(SetSetting("agency_name", "Beta"))
    _converged(two)
    (value,) = a.sql("SELECT value FROM agency_setting WHERE key = 'agency_name'")
    assert json.loads(value[0]) == "Beta"
    assert any(c["kind"] == "unique" for c in conflicts(a.path))


def test_a_clock_a_day_behind_still_orders_an_edit_after_what_it_saw(two: Bench) -> None:
    a, b = two.stations
    b.set_clock_offset(-DAY_MS)
    cid = _shared_client(two)
    a.apply(Update(Client, cid, {"name": "A's edit"}))
    two.sync(a)
    two.sync(b)
    b.apply(Update(Client, cid, {"name": "B saw it, then edited"}))
    _converged(two)
    assert _client(a, cid)["name"] == "B saw it, then edited"
    assert conflicts(a.path) == []


def test_a_clock_a_day_ahead_and_jumping_back(two: Bench) -> None:
    a, b = two.stations
    a.set_clock_offset(DAY_MS - 60_000)
    cid = _shared_client(two)
    a.apply(Update(Client, cid, {"name": "ahead"}))
    a.set_clock_offset(0)  # the clock jumps back mid-session
    a.apply(Update(Client, cid, {"name": "after the jump"}))
    _converged(two)
    assert _client(b, cid)["name"] == "after the jump"
    hlcs = [h for (h,) in a.sql("SELECT hlc FROM sync_outbox ORDER BY id")]
    assert hlcs == sorted(hlcs), "the station's own clock never runs backwards"


def test_a_change_stamped_in_2099_is_flagged_and_does_not_win_forever(two: Bench) -> None:
    a, b = two.stations
    cid = _shared_client(two)
    a.set_clock_offset((4_070_908_800 - 1_790_000_000) * 1000)  # 2099
    a.apply(Update(Client, cid, {"name": "from 2099"}))
    a.set_clock_offset(0)
    two.sync(a)
    result = two.sync(b)
    assert result.flagged == 1
    assert any(c["kind"] == "future" for c in conflicts(b.path))
    assert _client(b, cid)["name"] == "from 2099"
    b_clock = b.sql("SELECT hlc FROM sync_ctl")[0][0]
    assert not hlc.is_far_future(b_clock, hlc.wall_ms()), "b's clock was not dragged to 2099"
    b.apply(Update(Client, cid, {"name": "fixed today"}))
    _converged(two)
    assert _client(a, cid)["name"] == "fixed today"


def test_raw_sql_and_bulk_writes_are_recorded_too(two: Bench) -> None:
    a, b = two.stations
    cid = _shared_client(two)
    a.sql("UPDATE client SET industry = 'Bulk' WHERE id = ?", (cid,))
    _converged(two)
    assert _client(b, cid)["industry"] == "Bulk"


def test_a_delete_arriving_before_the_insert_it_saw_is_not_a_conflict(tmp_path: Path) -> None:
    bench = Bench(tmp_path, 3)
    try:
        a, b, c = bench.stations
        op = Create(Client, {"name": "short-lived"})
        a.apply(op)
        bench.sync(a)
        bench.sync(b)
        b.apply(Delete(Client, op.id))
        bench.sync(b)
        a_files = bench.share / "AgencyDesk" / "changes" / a.station_id
        held = a_files.rename(tmp_path / "held")  # c sees b's delete before a's insert
        bench.sync(c)
        held.rename(a_files)
        bench.sync(c)
        assert c.sql("SELECT count(*) FROM client") == [(0,)]
        assert conflicts(c.path) == []
    finally:
        bench.close()


def test_sharing_a_follow_up_with_the_client_travels(two: Bench) -> None:
    """The share flag is a field like any other: a follow-up one station shares is shared on
    every station, and a new one arrives internal."""
    from datetime import date

    from db.models import FollowUp

    a, b = two.stations
    cid = _shared_client(two)
    follow = Create(
        FollowUp, {"client_id": cid, "title": "Send deck", "due_date": date(2026, 3, 2)}
    )
    a.apply(follow)
    _converged(two)
    shared = "SELECT share_with_client FROM follow_up WHERE id = ?"
    assert b.sql(shared, (follow.id,)) == [(0,)]
    b.apply(Update(FollowUp, follow.id, {"share_with_client": True}))
    _converged(two)
    assert a.sql(shared, (follow.id,)) == [(1,)]
