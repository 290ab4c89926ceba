"""The audit trail (issue 18): every change a station makes is recorded with who made it and
when, the author travels with sync, and a record's history shows local edits, pulled
changes, resolved conflicts and restores alike; the client never sees private fields; old
history is compacted away after the agency's retention period."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from db.audit import capture
from db.audit.history import HistoryEntry, client_records, history
from db.audit.retention import DAY_MS, compact_history, compact_session, set_retention
from db.errors import ValidationError
from db.models import Client, Contact, TeamMember
from db.operations import Create, Delete, Update
from db.reports.client_summary import Audience
from db.store import Store
from db.sync import list_conflicts, restore_conflict
from db.sync.hlc import wall_ms
from db.sync.validate import parse_change_file
from db.sync.wire import encode
from tests.sync.harness import Bench, Station


@pytest.fixture
def two(tmp_path: Path) -> Iterator[Bench]:
    bench = Bench(tmp_path, 2)
    yield bench
    bench.close()


def _member(bench: Bench, name: str) -> str:
    """A team member made on the first station and synced to every station."""
    op = Create(TeamMember, {"name": name})
    bench.stations[0].apply(op)
    bench.settle(1)
    return op.id


def _as(station: Station, member_id: str) -> Store:
    store = station.open()
    store.set_member(member_id)
    return store


def _lines(
    store: Store, client_id: str, audience: Audience = Audience.INTERNAL
) -> list[tuple[str, ...]]:
    entries = history(store.session, client_records(store.session, client_id), audience)
    store.session.commit()
    return [(e.who, e.record, e.action, e.field, e.before, e.after, e.how) for e in entries]


def _acme_by_katja(bench: Bench) -> tuple[Store, str, Create]:
    """Katja, on the first station, adds the client Acme: her store there, her id, the add."""
    katja = _member(bench, "Katja")
    store = _as(bench.stations[0], katja)
    client = Create(Client, {"name": "Acme"})
    store.apply(client)
    return store, katja, client


def test_local_edits_are_recorded_with_who_and_what(two: Bench) -> None:
    store, _, client = _acme_by_katja(two)
    store.apply(Update(Client, client.id, {"name": "Acme Ltd", "industry": "Retail"}))
    lines = _lines(store, client.id)
    # The record is named as it is now; the rename is in the list.
    assert lines[-1] == ("Katja", "Client “Acme Ltd”", "Created", "", "", "", "This station")
    assert set(lines[:2]) == {
        ("Katja", "Client “Acme Ltd”", "Changed", "Name", "Acme", "Acme Ltd", "This station"),
        ("Katja", "Client “Acme Ltd”", "Changed", "Industry", "(empty)", "Retail", "This station"),
    }
    entry = history(store.session, [("client", client.id)])[0]
    assert abs(entry.at_ms - wall_ms()) < 60_000


def test_an_undo_is_recorded_too_and_an_undone_delete_as_a_restore(two: Bench) -> None:
    store, _, client = _acme_by_katja(two)
    delete = Delete(Client, client.id)
    store.apply(delete)
    store.revert(delete)
    actions = [line[2] for line in _lines(store, client.id)]
    assert actions == ["Restored", "Deleted", "Created"]


def test_a_member_change_is_recorded_from_the_next_edit_on(two: Bench) -> None:
    a = two.stations[0]
    katja, ben = _member(two, "Katja"), _member(two, "Ben")
    store = _as(a, katja)
    client = Create(Client, {"name": "Acme"})
    store.apply(client)
    store.set_member(ben)
    store.apply(Update(Client, client.id, {"name": "Acme Ltd"}))
    store.set_member(None)
    store.apply(Update(Client, client.id, {"name": "Acme Group"}))
    assert [line[0] for line in _lines(store, client.id)] == ["Unknown", "Ben", "Katja"]


def test_a_pulled_change_is_its_authors_with_the_values_it_replaced_here(two: Bench) -> None:
    a, b = two.stations
    katja, ben = _member(two, "Katja"), _member(two, "Ben")
    client = Create(Client, {"name": "Acme"})
    _as(a, katja).apply(client)
    two.settle(1)
    _as(b, ben).apply(Update(Client, client.id, {"website": "acme.example"}))
    two.sync(b)
    two.sync(a)
    lines = _lines(a.open(), client.id)
    assert lines[0] == (
        "Ben",
        "Client “Acme”",
        "Changed",
        "Website",
        "(empty)",
        "acme.example",
        "Sync",
    )
    assert lines[-1] == ("Katja", "Client “Acme”", "Created", "", "", "", "This station")
    # On Ben's station the same change is his own, and Katja's creation came by sync.
    theirs = _lines(b.open(), client.id)
    assert theirs[0][0] == "Ben" and theirs[0][-1] == "This station"
    assert theirs[-1] == ("Katja", "Client “Acme”", "Created", "", "", "", "Sync")


def test_a_rebuild_from_a_snapshot_records_nothing(two: Bench) -> None:
    """A rebuild reloads every row with the triggers quiet (`applying` = 1, no file being
    applied): nobody changed anything."""
    a = two.stations[0]
    katja = _member(two, "Katja")
    client = Create(Client, {"name": "Acme"})
    _as(a, katja).apply(client)
    a.close()
    before = a.sql("SELECT count(*) FROM audit_entry")[0][0]
    conn = sqlite3.connect(a.path)
    with conn:
        conn.execute("UPDATE sync_ctl SET applying = 1")
        conn.execute("CREATE TEMP TABLE kept AS SELECT * FROM client")
        conn.execute("DELETE FROM client")
        conn.execute("INSERT INTO client SELECT * FROM kept")
        conn.execute("UPDATE sync_ctl SET applying = 0")
    conn.close()
    assert a.sql("SELECT count(*) FROM audit_entry")[0][0] == before


def test_a_resolved_conflict_is_recorded_as_such(two: Bench) -> None:
    a, b = two.stations
    katja, ben = _member(two, "Katja"), _member(two, "Ben")
    client = Create(Client, {"name": "Acme"})
    _as(a, katja).apply(client)
    two.settle(1)
    _as(a, katja).apply(Update(Client, client.id, {"name": "Katja's name"}))
    _as(b, ben).apply(Update(Client, client.id, {"name": "Ben's name"}))
    two.settle(2)
    store = _as(a, katja)
    conflicts = [c for c in list_conflicts(store) if c.field == "name"]
    assert len(conflicts) == 1
    winner = store.get(Client, client.id)
    assert winner is not None
    current = winner.name
    restore_conflict(store, conflicts[0].id)
    restored = conflicts[0].losing_value
    top = _lines(store, client.id)[0]
    assert top == (
        "Katja",
        f"Client “{restored}”",
        "Changed",
        "Name",
        current,
        restored,
        "Conflict resolved",
    )
    # The next edit is an ordinary one again.
    store.apply(Update(Client, client.id, {"industry": "Retail"}))
    assert _lines(store, client.id)[0][-1] == "This station"
    # The other station gets the resolution by sync, as Katja's.
    two.settle(1)
    theirs = [line for line in _lines(b.open(), client.id) if line[3] == "Name"]
    assert theirs[0][0] == "Katja" and theirs[0][5] == restored and theirs[0][-1] == "Sync"


def test_a_restore_that_comes_by_sync_reads_as_a_restore(two: Bench) -> None:
    a, b = two.stations
    katja, ben = _member(two, "Katja"), _member(two, "Ben")
    client = Create(Client, {"name": "Acme"})
    _as(a, katja).apply(client)
    two.settle(1)
    delete = Delete(Client, client.id)
    store = _as(a, katja)
    store.apply(delete)
    two.settle(1)
    store.revert(delete)  # Ctrl+Z on Katja's station
    two.settle(1)
    _as(b, ben)
    lines = _lines(b.open(), client.id)
    assert [(who, action, how) for who, _r, action, _f, _b, _a, how in lines] == [
        ("Katja", "Restored", "Sync"),
        ("Katja", "Deleted", "Sync"),
        ("Katja", "Created", "Sync"),
    ]


def test_rapport_notes_history_stays_internal(two: Bench) -> None:
    store, _, client = _acme_by_katja(two)
    contact = Create(Contact, {"client_id": client.id, "name": "Dana"})
    store.apply(contact)
    store.apply(Update(Contact, contact.id, {"rapport_notes": "Loves sailing", "phone": "555"}))
    internal = _lines(store, client.id)
    assert any(line[3] == "Rapport notes" and line[5] == "Loves sailing" for line in internal)
    facing = _lines(store, client.id, Audience.CLIENT)
    assert any(line[3] == "Phone" for line in facing)
    assert not any("Rapport" in line[3] or "sailing" in line[5] for line in facing)


def test_an_erase_leaves_an_entry_without_the_data(two: Bench) -> None:
    store, katja, client = _acme_by_katja(two)
    contact = Create(Contact, {"client_id": client.id, "name": "Dana"})
    store.apply(contact)
    run = store.session.connection().exec_driver_sql
    capture.forget_rows(run, "contact", [contact.id])
    capture.record_event(
        run,
        "contact",
        contact.id,
        "E",
        "Personal data of a contact erased",
        at_ms=wall_ms(),
        author=katja,
    )
    store.session.commit()
    lines = _lines(store, client.id)
    erased = [line for line in lines if line[2] == "Personal data of a contact erased"]
    assert erased and erased[0][0] == "Katja"
    assert not any(line[1] == "Contact “Dana”" and line[2] == "Created" for line in lines)
    assert HistoryEntry.event(0, "Katja", "Contact", "Erased").action == "Erased"


def test_old_change_files_read_as_author_unknown(two: Bench) -> None:
    now = wall_ms() << 16
    rows = [("client", "c1", "U", now, '{"name": "A"}', "{}", 1, 0)]
    sid = "0123456789abcdef"
    plain = encode(sid, 1, "0013", rows, {0: {}}, 1000)
    assert b"authors" not in plain  # what the previous release wrote, byte for byte
    _header, changes = parse_change_file(plain, station=sid, seq=1, schemas={"0013"})
    assert changes[0].author is None
    two_rows = [*rows, ("client", "c1", "U", now + 1, '{"name": "B"}', "{}", 2, 0)]
    mixed = encode(sid, 1, "0014", two_rows, {0: {}}, 1000, ["m1", "m2"])
    _header, changes = parse_change_file(mixed, station=sid, seq=1, schemas={"0014"})
    assert [c.author for c in changes] == ["m1", "m2"]


def test_history_is_kept_for_the_agency_period_then_compacted(two: Bench) -> None:
    store, _, client = _acme_by_katja(two)
    store.apply(Update(Client, client.id, {"name": "Acme Ltd"}))
    now = wall_ms()
    run = store.session.connection().exec_driver_sql
    # The creation happened three years ago, the rename a year ago.
    run(
        "UPDATE audit_entry SET at = ? WHERE tbl = 'client' AND op = 'I'", (now - 3 * 365 * DAY_MS,)
    )
    run("UPDATE audit_entry SET at = ? WHERE tbl = 'client' AND op = 'U'", (now - 365 * DAY_MS,))
    store.session.commit()
    assert compact_session(store.session, now) >= 1  # two years by default
    assert [line[2] for line in _lines(store, client.id)] == ["Changed"]
    store.apply(set_retention(180))
    assert compact_session(store.session, now) == 1
    assert _lines(store, client.id) == []
    assert compact_history(store.session.connection().exec_driver_sql, now, 180) == 0


def test_a_retention_out_of_bounds_is_refused_with_the_field_named() -> None:
    with pytest.raises(ValidationError, match="Keep history for"):
        set_retention(3)
    with pytest.raises(ValidationError, match="Keep history for"):
        set_retention(1_000_000)


def test_a_sync_compacts_history_past_the_retention(two: Bench) -> None:
    a = two.stations[0]
    katja = _member(two, "Katja")
    client = Create(Client, {"name": "Acme"})
    _as(a, katja).apply(client)
    a.close()
    a.sql("UPDATE audit_entry SET at = ? WHERE tbl = 'client'", (wall_ms() - 800 * DAY_MS,))
    two.sync(a)
    assert a.sql("SELECT count(*) FROM audit_entry WHERE tbl = 'client'")[0][0] == 0
    assert a.sql("SELECT count(*) FROM audit_entry WHERE tbl = 'team_member'")[0][0] == 1


def test_a_snapshot_carries_no_stations_history(two: Bench) -> None:
    a = two.stations[0]
    katja = _member(two, "Katja")
    _as(a, katja).apply(Create(Contact, {"client_id": _client(a), "name": "Dana"}))
    a.close()
    two.sync(a, compact=True)
    snapshot = next((two.share / "AgencyDesk" / "snapshots").glob("*.sqlite"))
    conn = sqlite3.connect(snapshot)
    try:
        assert conn.execute("SELECT count(*) FROM audit_entry").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM contact").fetchone()[0] == 1
    finally:
        conn.close()


def _client(station: Station) -> str:
    op = Create(Client, {"name": "Acme"})
    station.apply(op)
    return op.id


def test_a_bulk_insert_is_recorded_like_row_by_row_inserts(two: Bench) -> None:
    """An import writes its rows with the triggers quiet (db.sync.bulk_outbox): each row
    still gets its entry, as the station's member's."""
    from db.sync.bulk_outbox import insert_rows

    a = two.stations[0]
    katja = _member(two, "Katja")
    store = _as(a, katja)
    store.write_member()
    client = Create(Client, {"name": "Acme"})
    store.apply(client)
    rows = [{"id": f"bulk-{i}", "client_id": client.id, "name": f"Person {i}"} for i in range(3)]
    from db.models.base import utcnow

    for row in rows:
        row |= {
            "title": "",
            "email": "",
            "phone": "",
            "rapport_notes": "",
            "created_at": utcnow(),
            "updated_at": utcnow(),
        }
    insert_rows(store.session.connection(), Contact.__table__, rows)
    store.session.commit()
    created = [line for line in _lines(store, client.id) if line[1].startswith("Contact")]
    assert sorted(line[1] for line in created) == [f"Contact “Person {i}”" for i in range(3)]
    assert {(line[0], line[2], line[-1]) for line in created} == {
        ("Katja", "Created", "This station")
    }
