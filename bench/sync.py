"""Sync benchmarks: push of 10,000 local changes, pull and apply of 10,000 remote changes with
the GUI session refreshed, and a no-op sync against an agency that 20 stations write to —
each also with encryption on (`.enc`).

The scenarios are written once over a `Transport` — how the stations of a run reach each
other and how one station syncs — and declared here for the shared folder; `bench.sync_pg`
declares the same scenarios for an agency server (names ending `.pg`). Each run builds its
stations in a fresh temp folder from one migrated template database (station ids made
unique), so runs never share state; each metric reports the median of a few runs.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path

from bench.registry import metric
from db.changes import ChangeSet
from db.database import make_engine, open_database
from db.store import Store
from db.sync import SyncResult, refresh_store, sync
from db.sync.schema import new_station_id

CHANGES = 10_000
RUNS = 3
PASSPHRASE = "benchmark agency passphrase"
_TEMPLATE: list[Path] = []


@dataclass(frozen=True)
class Transport:
    """How the stations of one run reach each other: a shared folder or an agency server."""

    suffix: str
    """Ends each metric's name: "" for the shared folder, ".pg" for the server."""
    places: Callable[[Path, int], list[str]]
    """A fresh, empty agency for `n` stations under a run's temp folder: where each syncs."""
    sync_station: Callable[[Path, str, str | None], SyncResult]
    """One sync of the station database with its place (and a station name, when given)."""
    encrypt: Callable[[Path, str], None]
    """Encryption turned on for the agency by the station at a database (not timed)."""


def _station(path: Path) -> Path:
    if not _TEMPLATE:
        template = Path(tempfile.mkdtemp(prefix="agency-desk-bench-")) / "template.sqlite"
        open_database(template, create=True).dispose()
        _TEMPLATE.append(template)
    shutil.copyfile(_TEMPLATE[0], path)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE sync_ctl SET station_id = ?", (new_station_id(),))
    conn.close()
    return path


def _local_edits(path: Path, n: int) -> None:
    """n new clients written in one transaction; the outbox triggers record each."""
    conn = sqlite3.connect(path)
    with conn:
        conn.executemany(
            "INSERT INTO client (id, name, status, industry, annual_budget_cents, currency, "
            "website, tags, yearly_gift_budget_cents, created_at, updated_at) "
            "VALUES (?, ?, 'active', 'Retail', 100000, 'EUR', '', '[]', 0, "
            "'2026-01-01 00:00:00', '2026-01-01 00:00:00')",
            [(str(uuid.uuid4()), f"Client {i}") for i in range(n)],
        )
    conn.close()


def _median(run: Callable[[Path], float]) -> float:
    times = []
    for _ in range(RUNS):
        with tempfile.TemporaryDirectory(prefix="agency-desk-sync-bench-") as tmp:
            times.append(run(Path(tmp)))
    return statistics.median(times)


@contextmanager
def private_keystore(root: Path) -> Iterator[None]:
    """Agency keys in a file of this run (the machine may have no keychain)."""
    from db.sync import keystore

    before = os.environ.get(keystore.FILE_VARIABLE)
    os.environ[keystore.FILE_VARIABLE] = str(root / "keys.json")
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(keystore.FILE_VARIABLE, None)
        else:
            os.environ[keystore.FILE_VARIABLE] = before


def _keys(root: Path, encrypted: bool) -> AbstractContextManager[None]:
    # One keychain for every station of the run: the second computer holds the key already.
    return private_keystore(root) if encrypted else nullcontext()


# -- the scenarios, one set for every transport ------------------------------------------------


def push_run(transport: Transport, *, encrypted: bool) -> Callable[[Path], float]:
    """10,000 local changes pushed by one station."""

    def run(root: Path) -> float:
        (place,) = transport.places(root, 1)
        db = _station(root / "a.sqlite")
        with _keys(root, encrypted):
            if encrypted:
                transport.encrypt(db, place)
            _local_edits(db, CHANGES)
            start = time.perf_counter()
            result = transport.sync_station(db, place, None)
            elapsed = time.perf_counter() - start
        assert result.pushed == CHANGES, result.summary()
        return elapsed

    return run


def pull_run(transport: Transport, *, encrypted: bool) -> Callable[[Path], float]:
    """10,000 changes of another station pulled, applied and shown in an open GUI session."""

    def run(root: Path) -> float:
        place_a, place_b = transport.places(root, 2)
        a, b = _station(root / "a.sqlite"), _station(root / "b.sqlite")
        with _keys(root, encrypted):
            if encrypted:
                transport.encrypt(a, place_a)
            _local_edits(a, CHANGES)
            transport.sync_station(a, place_a, None)
            store = Store(make_engine(b))  # an open GUI session whose views must refresh
            seen: list[ChangeSet] = []
            store.subscribe(seen.append)
            try:
                start = time.perf_counter()
                result = transport.sync_station(b, place_b, None)
                refresh_store(store, result.changes)
                elapsed = time.perf_counter() - start
            finally:
                store.close()
        # Encrypted, the agency's key record comes along with the clients.
        pulled_enough = result.pulled >= CHANGES if encrypted else result.pulled == CHANGES
        assert pulled_enough and len(seen[0].ids("Client")) == CHANGES, result.summary()
        return elapsed

    return run


def noop_run(transport: Transport) -> Callable[[Path], float]:
    """A sync with nothing new, by one of 20 stations that have all written."""

    def run(root: Path) -> float:
        places = transport.places(root, 20)
        stations = [_station(root / f"s{i}.sqlite") for i in range(20)]
        for i, (db, place) in enumerate(zip(stations, places, strict=True)):
            _local_edits(db, 5)
            transport.sync_station(db, place, f"desk {i}")
        me, place = stations[0], places[0]
        transport.sync_station(me, place, None)  # now everything is here and acknowledged
        start = time.perf_counter()
        result = transport.sync_station(me, place, None)
        elapsed = time.perf_counter() - start
        assert result.pushed == 0 and result.pulled == 0, result.summary()
        return elapsed

    return run


def declare_scenarios(transport: Transport) -> None:
    """Register the scenarios' metrics for `transport` (names are contracts: never rename)."""
    s = transport.suffix
    metrics: list[tuple[str, float, Callable[[Path], float]]] = [
        (f"sync.push.10k{s}", 2.0, push_run(transport, encrypted=False)),
        (f"sync.pull.10k{s}", 3.0, pull_run(transport, encrypted=False)),
        (f"sync.noop.20stations{s}", 0.2, noop_run(transport)),
        (f"sync.push.10k{s}.enc", 2.4, push_run(transport, encrypted=True)),
        (f"sync.pull.10k{s}.enc", 3.6, pull_run(transport, encrypted=True)),
    ]
    for name, target, run in metrics:
        metric(name, target=target, unit="s")(_measure(run))


def _measure(run: Callable[[Path], float]) -> Callable[[], float]:
    return lambda: _median(run)


# -- the shared folder ------------------------------------------------------------------------


def _folder_places(root: Path, n: int) -> list[str]:
    share = root / "share"
    share.mkdir()
    return [str(share)] * n


def _folder_sync(db: Path, place: str, station_name: str | None) -> SyncResult:
    return sync(db, Path(place), station_name=station_name, compact=False)


def _folder_encrypt(db: Path, place: str) -> None:
    from db.sync.encryption import enable_encryption
    from db.sync.folder import FolderTransport

    share = Path(place)
    enable_encryption(db, FolderTransport(share), share, PASSPHRASE)


FOLDER = Transport("", _folder_places, _folder_sync, _folder_encrypt)
declare_scenarios(FOLDER)
