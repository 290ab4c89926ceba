"""The conflict list is a function of the changes applied, not of the order they arrive in.

Three stations edit, delete and restore one client and its contact while syncing now and
then; two more stations that never edit then receive the very same change files, one
file at a time, in orders hypothesis picks (a cloud client downloading the share's files in
any order). Every station ends with the same data *and* the same conflict list (issue 10
§1-2).
"""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.errors import NotFoundError
from db.models import Client, Contact
from db.operations import Create, Delete, Update
from db.sync import RestoreError, list_conflicts, restore_conflict
from db.sync.folder import FolderTransport
from db.sync.transport import ChangeRef, Skipped
from tests.sync.harness import Bench, Station, dump, listed, lost_edits

AUTHORS = 3


class Trickle(FolderTransport):
    """The share as a station sees it while its files are still arriving: only the first
    `shown[station]` files of each station are there."""

    def __init__(self, share: Path, shown: dict[str, int]) -> None:
        super().__init__(share)
        self.shown = shown

    def list_changes(self, station: str, after: int) -> tuple[list[ChangeRef], list[Skipped]]:
        refs, skipped = super().list_changes(station, after)
        return [r for r in refs if r.seq <= self.shown.get(station, 0)], skipped


edit = st.tuples(
    st.sampled_from(["rename", "rename", "industry", "delete", "restore", "sync", "contact"]),
    st.integers(0, AUTHORS - 1),
    st.sampled_from([Client, Contact]),
)


def _edit(bench: Bench, station: Station, kind: str, entity: type, i: int, ids: dict) -> None:
    if kind == "sync":
        bench.sync(station)
        return
    store = station.open()
    if kind == "restore":
        entries = [c for c in list_conflicts(store) if c.kind != "future"]
        if entries:
            with contextlib.suppress(RestoreError):
                restore_conflict(store, entries[i % len(entries)].id)
        return
    row_id = ids[entity]
    with contextlib.suppress(NotFoundError):  # deleted here already
        if kind == "delete":
            station.apply(Delete(entity, row_id))
        elif kind == "contact":
            if station.sql("SELECT 1 FROM client WHERE id = ?", (ids[Client],)):
                station.apply(Create(Contact, {"client_id": ids[Client], "name": f"new {i}"}))
        elif kind == "industry" and entity is Client:
            station.apply(Update(Client, row_id, {"industry": f"industry {i}"}))
        else:
            station.apply(Update(entity, row_id, {"name": f"{station.name} {i}"}))


def _files(bench: Bench) -> dict[str, int]:
    """How many change files each author has on the share."""
    root = bench.share / "AgencyDesk" / "changes"
    return {d.name: len(list(d.glob("*.jsonl"))) for d in root.iterdir() if d.is_dir()}


def _trickle(bench: Bench, observer: Station, order: list[int], chunks: list[int]) -> None:
    """Let `observer` receive the authors' files in `order` (author indexes, one file each
    time an index comes up), a few files per sync as `chunks` says, then all of them."""
    ids = [s.station_id for s in bench.stations[:AUTHORS]]
    total = _files(bench)
    shown: dict[str, int] = {}
    pending = [ids[i % AUTHORS] for i in order]
    for size in chunks:
        for sid in pending[:size]:
            shown[sid] = min(shown.get(sid, 0) + 1, total.get(sid, 0))
        pending = pending[size:]
        bench.sync(observer, transport=Trickle(bench.share, dict(shown)))
    for sid, count in total.items():
        shown[sid] = count
    bench.sync(observer, transport=Trickle(bench.share, shown))


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    st.lists(edit, min_size=4, max_size=14),
    st.lists(st.tuples(st.lists(st.integers(0, 20), max_size=24), st.lists(st.integers(1, 3))))
    .filter(lambda orders: len(orders) >= 2)
    .map(lambda orders: orders[:2]),
)
def test_any_arrival_order_gives_the_same_conflict_list(
    steps: list[tuple[str, int, type]], orders: list[tuple[list[int], list[int]]]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        bench = Bench(Path(tmp), AUTHORS + len(orders))
        try:
            authors = bench.stations[:AUTHORS]
            client = Create(Client, {"name": "Acme"})
            authors[0].apply(client)
            contact = Create(Contact, {"client_id": client.id, "name": "Dana"})
            authors[0].apply(contact)
            ids = {Client: client.id, Contact: contact.id}
            for s in authors:
                bench.sync(s)
            for i, (kind, who, entity) in enumerate(steps):
                _edit(bench, authors[who], kind, entity, i, ids)
            for s in authors:
                s.close()
                bench.sync(s)  # every edit is on the share before the observers start
            for observer, (order, chunks) in zip(bench.stations[AUTHORS:], orders, strict=True):
                observer.close()
                _trickle(bench, observer, order, chunks or [1])
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
