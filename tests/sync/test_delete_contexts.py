"""The causal context of deletes that a restore may still answer (issue 10, soak seed 58):
kept for other stations' deletes of rows others hang under or refer to, carried to a station
that joins from a snapshot (the compactor's own deletes included, whose contexts are in its
outbox, which no snapshot carries), and purged with the tombstones once every station has
seen them.

Stations A, B and C sort in that order (tests/sync/test_causal.py)."""

from __future__ import annotations

import json
import time
from pathlib import Path

from db.models import Client, ClientNote, Contact
from db.operations import Create, Delete
from db.sync.engine import sync
from tests.sync.harness import Bench, Station
from tests.sync.test_causal import _shared_client, abc

__all__ = ["abc"]


def _contexts(path: Path | Station) -> dict[tuple[str, int], dict[str, int]]:
    station = path if isinstance(path, Station) else Station("fresh", path)
    rows = station.sql("SELECT station, n, vector FROM sync_delete_ctx")
    return {(s, n): json.loads(v) for s, n, v in rows}


def _delete_dot(station: Station, row_id: str) -> tuple[str, int, dict[str, int]]:
    """The station's delete of the row: its dot and the context it was made in."""
    ((n, vector),) = station.sql(
        "SELECT o.id, x.vector FROM sync_outbox AS o JOIN sync_ctx AS x ON x.id = o.ctx "
        "WHERE o.op = 'D' AND o.row_id = ?",
        (row_id,),
    )
    return station.station_id, n, json.loads(vector)


def test_a_pulled_delete_of_a_row_others_hang_under_keeps_its_context(abc: Bench) -> None:
    """B deletes a note (nothing hangs under it or refers to it), then the client
    (contacts hang under it), and with it the contact (birthdays do): A keeps the contexts
    of the client's and the contact's deletes, each under its dot, and nothing for the
    note's."""
    a, b, c = abc.stations
    cid = _shared_client(abc)
    contact = Create(Contact, {"client_id": cid, "name": "Dana"})
    c.apply(contact)
    note = Create(ClientNote, {"client_id": cid, "kind": "goal", "text": "Open a shop"})
    c.apply(note)
    abc.sync(c)
    abc.sync(b)
    b.apply(Delete(ClientNote, note.id))
    b.apply(Delete(Client, cid))
    abc.sync(b)
    abc.sync(a)
    client, with_it = _delete_dot(b, cid), _delete_dot(b, contact.id)
    assert client[2][c.station_id] > 0  # it had seen C's contact
    assert _contexts(a) == {client[:2]: client[2], with_it[:2]: with_it[2]}


def test_a_station_joining_from_a_snapshot_gets_the_contexts_of_deletes_still_kept(
    abc: Bench, tmp_path: Path
) -> None:
    """A deletes one client, B another; A compacts. A new station joins from the snapshot
    and knows both deletes' contexts: B's as A kept it, A's own from A's outbox."""
    a, b, _c = abc.stations
    mine, theirs = _shared_client(abc, "Mine"), _shared_client(abc, "Theirs")
    a.apply(Delete(Client, mine))
    b.apply(Delete(Client, theirs))
    abc.sync(b)
    abc.sync(a)
    abc.sync(a, compact=True)
    fresh = tmp_path / "fresh.sqlite"
    assert sync(fresh, abc.share, station_name="New desk", compact=False).joined
    own, other = _delete_dot(a, mine), _delete_dot(b, theirs)
    assert _contexts(fresh) == {own[:2]: own[2], other[:2]: other[2]}


def test_a_deletes_context_goes_with_its_tombstone(abc: Bench) -> None:
    """Once every station has seen B's delete, and the retention period is over, the
    tombstone goes, and its context with it."""
    a, b, _c = abc.stations
    cid = _shared_client(abc)
    b.apply(Delete(Client, cid))
    abc.settle(2)
    assert _contexts(a) and a.sql("SELECT count(*) FROM sync_tomb") == [(1,)]
    time.sleep(0.05)
    for i, station in enumerate(abc.stations):
        station.apply(Create(Client, {"name": f"news {i}"}))
    for _ in range(2):
        for station in abc.stations:
            abc.sync(station, retention_ms=10)
    assert a.sql("SELECT count(*) FROM sync_tomb") == [(0,)]
    assert _contexts(a) == {}
