"""The bulk insert path writes exactly the bookkeeping the outbox triggers write, and what an
import adds that way reaches the other stations (and so does its undo)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import insert

from db.database import make_engine
from db.io import Source, read_import
from db.io.csv_table import CsvTable
from db.io.operation import _complete
from db.io.records_csv import RecordKind, plan_csv_import
from db.models import Client, Contact, ImportantDate
from db.operations import Create, Delete
from db.store import Store
from db.sync.bulk_outbox import insert_rows
from db.sync.hlc import COUNTER_BITS, wall_ms
from tests.sync.harness import Bench, dump, new_station_db

BOOKKEEPING = {
    "sync_outbox": "SELECT * FROM sync_outbox ORDER BY id",
    "sync_version": "SELECT * FROM sync_version ORDER BY tbl, row_id, field",
    "sync_tomb": "SELECT * FROM sync_tomb ORDER BY tbl, row_id",
    "sync_ctx": "SELECT * FROM sync_ctx ORDER BY id",
    "sync_ctl": "SELECT hlc, applying, ctx FROM sync_ctl",
}


def bookkeeping(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    conn = sqlite3.connect(path)
    try:
        return {name: conn.execute(sql).fetchall() for name, sql in BOOKKEEPING.items()}
    finally:
        conn.close()


def _history(path: Path) -> tuple[list[str], list[str]]:
    """A station that made two clients and a contact and deleted them again (their ids come
    back in the batch, as a redo after undo brings them), with a delete it has not answered
    yet recorded as `~`; its clock then set far ahead, so both paths stamp the same values."""
    new_station_db(path)
    store = Store(make_engine(path))
    clients = [Create(Client, {"name": f"Gone {n}"}) for n in range(2)]
    contact = Create(Contact, {"name": "Gone person", "client_id": clients[0].id})
    for op in [*clients, contact]:
        store.apply(op)
    store.apply(Delete(Contact, contact.id))
    for op in clients:
        store.apply(Delete(Client, op.id))
    store.close()
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(
            "INSERT INTO sync_version (tbl, row_id, field, hlc, station, base, n) "
            "VALUES ('client', ?, '~elsewhere:7', 5, 'elsewhere', 0, 7)",
            (clients[1].id,),
        )
        # A pull since: edits from now on are made under a new causal context.
        conn.execute("INSERT INTO sync_applied (station, seq, n) VALUES ('elsewhere', 3, 9)")
        conn.execute(
            "UPDATE sync_ctl SET ctx = ctx + 1, hlc = ?",
            ((wall_ms() + 365 * 86_400_000) << COUNTER_BITS,),
        )
    conn.close()
    return [op.id for op in clients], [contact.id]


def _batch(restored_clients: list[str], restored_contacts: list[str]) -> list[tuple[Any, list]]:
    clients = [
        _complete(Client, {"id": id_, "name": f"Back {id_[:4]}"}) for id_ in restored_clients
    ]
    clients += [_complete(Client, {"name": f"Client {n}", "id": f"c-{n:03d}"}) for n in range(40)]
    contacts = [
        _complete(Contact, {"id": id_, "name": "Back again", "client_id": restored_clients[0]})
        for id_ in restored_contacts
    ]
    contacts += [
        _complete(
            Contact,
            {
                "id": f"p-{n:03d}",
                "name": f"Person {n}",
                "client_id": f"c-{n % 40:03d}",
                "email": f"p{n}@example.com" if n % 3 else "",
            },
        )
        for n in range(120)
    ]
    dates = [
        _complete(
            ImportantDate,
            {
                "id": f"d-{n:03d}",
                "contact_id": f"p-{n:03d}",
                "label": "Birthday",
                "day": 1,
                "month": n % 12 + 1,
                "year": None if n % 2 else 1980,
            },
        )
        for n in range(0, 120, 5)
    ]
    return [(Client, clients), (Contact, contacts), (ImportantDate, dates)]


def _write(path: Path, batch: list[tuple[Any, list]], *, bulk: bool) -> None:
    engine = make_engine(path)
    with engine.begin() as conn:
        for entity, rows in batch:
            for at in range(0, len(rows), 50):  # chunks, as imports write them
                chunk = rows[at : at + 50]
                if bulk:
                    insert_rows(conn, entity.__table__, chunk)
                else:
                    conn.execute(insert(entity.__table__), chunk)
    engine.dispose()


def test_bulk_inserts_leave_the_same_outbox_versions_and_tombstones_as_the_triggers(
    tmp_path: Path,
) -> None:
    template = tmp_path / "template.sqlite"
    restored_clients, restored_contacts = _history(template)
    by_trigger, by_bulk = tmp_path / "trigger.sqlite", tmp_path / "bulk.sqlite"
    shutil.copyfile(template, by_trigger)
    shutil.copyfile(template, by_bulk)
    batch = _batch(restored_clients, restored_contacts)

    _write(by_trigger, batch, bulk=False)
    _write(by_bulk, batch, bulk=True)

    expected, found = bookkeeping(by_trigger), bookkeeping(by_bulk)
    assert (
        len(expected["sync_outbox"])
        == len(bookkeeping(template)["sync_outbox"]) + 2 + 40 + 1 + 120 + 24
    )
    for name in BOOKKEEPING:
        assert found[name] == expected[name], name
    assert dump(by_bulk) == dump(by_trigger)
    # The restores did what a restore does: the delete they answer is kept as `-<station>`.
    fields = {row[2] for row in found["sync_version"] if row[1] == restored_clients[1]}
    assert "-elsewhere" in fields and "*" in fields and not any(f.startswith("~") for f in fields)


def test_a_clock_held_back_by_the_share_holds_back_bulk_stamps_too(tmp_path: Path) -> None:
    """With the station's clock ahead of the share's, stamps follow the share's clock; the
    wall clock differs between the two runs, so here only the rest must match exactly."""
    template = tmp_path / "template.sqlite"
    restored_clients, restored_contacts = _history(template)
    conn = sqlite3.connect(template)
    with conn:
        conn.execute("UPDATE sync_ctl SET hlc = 0, clock_excess_ms = 3600000")
    conn.close()
    by_trigger, by_bulk = tmp_path / "trigger.sqlite", tmp_path / "bulk.sqlite"
    shutil.copyfile(template, by_trigger)
    shutil.copyfile(template, by_bulk)
    batch = _batch(restored_clients, restored_contacts)
    _write(by_trigger, batch, bulk=False)
    _write(by_bulk, batch, bulk=True)

    def without_clock(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        return [row[:4] + row[5:] for row in rows]

    expected, found = bookkeeping(by_trigger), bookkeeping(by_bulk)
    assert without_clock(found["sync_outbox"]) == without_clock(expected["sync_outbox"])
    restored = {*restored_clients, *restored_contacts}
    fresh = [
        row[4]
        for row in found["sync_outbox"][len(bookkeeping(template)["sync_outbox"]) :]
        if row[2] not in restored
    ]
    share_now = wall_ms() - 3_600_000
    # As the triggers stamp them: by the share's clock, not the station's.
    assert len(fresh) == 40 + 120 + 24
    assert all(
        (share_now - 60_000) << COUNTER_BITS < s < (share_now + 1) << COUNTER_BITS for s in fresh
    )


def test_an_import_written_in_bulk_reaches_another_station_and_so_does_its_undo(
    tmp_path: Path,
) -> None:
    csv = tmp_path / "contacts.csv"
    csv.write_text(
        "Name;Company;Email;Birthday\n"
        "Ada Lovelace;Analytical Ltd;ada@example.com;10.12.1985\n"
        "Charles Babbage;Analytical Ltd;charles@example.com;26.12.\n"
        "Grace Hopper;Navy Labs;grace@example.com;\n",
        encoding="cp1252",
    )
    bench = Bench(tmp_path / "agency", 2)
    try:
        a, b = bench.stations
        store = a.open()
        table = read_import(Source.read(csv))
        assert isinstance(table, CsvTable)
        plan = plan_csv_import(store.session, table, RecordKind.CONTACTS)
        store.apply(plan.operation)
        bench.settle(2)
        assert dump(b.path) == dump(a.path)
        assert len(dump(b.path)["contact"]) == 3 and len(dump(b.path)["important_date"]) == 2
        assert len(dump(b.path)["client"]) == 2

        store.revert(plan.operation)
        bench.settle(2)
        assert dump(b.path) == dump(a.path)
        assert not dump(b.path)["contact"] and not dump(b.path)["client"]

        store.apply(plan.operation)  # redo: the same ids come back, restored everywhere
        bench.settle(2)
        assert dump(b.path) == dump(a.path)
        assert len(dump(b.path)["contact"]) == 3
    finally:
        bench.close()


def test_while_sync_applies_a_bulk_insert_writes_no_outbox_rows(tmp_path: Path) -> None:
    applying = 1
    path = tmp_path / "s.sqlite"
    new_station_db(path)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE sync_ctl SET applying = ?", (applying,))
    conn.close()
    before = bookkeeping(path)["sync_outbox"]
    _write(path, [(Client, [_complete(Client, {"id": "x", "name": "Pulled"})])], bulk=True)
    assert bookkeeping(path)["sync_outbox"] == before
    assert bookkeeping(path)["sync_ctl"][0][1] == applying


_TEMPLATE: dict[str, tuple[Path, list[str], list[str]]] = {}


def _shared_history() -> tuple[Path, list[str], list[str]]:
    """One station with a past (built once for every example)."""
    if "path" not in _TEMPLATE:
        import tempfile

        path = Path(tempfile.mkdtemp(prefix="bulk-outbox-")) / "template.sqlite"
        clients, contacts = _history(path)
        _TEMPLATE["path"] = (path, clients, contacts)
    return _TEMPLATE["path"]


@settings(max_examples=12, deadline=None)
@given(
    restore=st.lists(st.booleans(), min_size=2, max_size=2),
    new_clients=st.integers(0, 30),
    chunk=st.integers(1, 40),
)
def test_bulk_and_trigger_paths_agree_for_any_batch(
    restore: list[bool], new_clients: int, chunk: int
) -> None:
    import tempfile

    template, restored_clients, _contacts = _shared_history()
    back = [id_ for id_, keep in zip(restored_clients, restore, strict=True) if keep]
    rows = [_complete(Client, {"id": id_, "name": "Back"}) for id_ in back]
    rows += [
        _complete(Client, {"id": f"n-{n:03d}", "name": f"New {n}"}) for n in range(new_clients)
    ]
    folder = Path(tempfile.mkdtemp(prefix="bulk-outbox-case-"))
    paths = {bulk: folder / f"{bulk}.sqlite" for bulk in (False, True)}
    for bulk, path in paths.items():
        shutil.copyfile(template, path)
        engine = make_engine(path)
        with engine.begin() as conn:
            for at in range(0, len(rows), chunk):
                part = rows[at : at + chunk]
                if bulk:
                    insert_rows(conn, Client.__table__, part)
                else:
                    conn.execute(insert(Client.__table__), part)
        engine.dispose()
    assert bookkeeping(paths[True]) == bookkeeping(paths[False])
    shutil.rmtree(folder)
