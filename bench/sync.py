"""Sync benchmarks: push of 10,000 local changes, pull and apply of 10,000 remote changes with
the GUI session refreshed, and a no-op sync against a share that 20 stations write to.

Each metric builds its stations in a fresh temp folder from one migrated template database
(station ids made unique), so runs never share state; each reports the median of a few runs.
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
from contextlib import contextmanager
from pathlib import Path

from bench.registry import metric
from db.changes import ChangeSet
from db.database import make_engine, open_database
from db.store import Store
from db.sync import refresh_store, sync
from db.sync.schema import new_station_id

CHANGES = 10_000
RUNS = 3
_TEMPLATE: list[Path] = []


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


def _share(root: Path) -> Path:
    share = root / "share"
    share.mkdir()
    return share


@metric("sync.push.10k", target=2.0, unit="s")
def push_10k() -> float:
    def run(root: Path) -> float:
        share, db = _share(root), _station(root / "a.sqlite")
        _local_edits(db, CHANGES)
        start = time.perf_counter()
        result = sync(db, share, compact=False)
        elapsed = time.perf_counter() - start
        assert result.pushed == CHANGES, result.summary()
        return elapsed

    return _median(run)


@metric("sync.pull.10k", target=3.0, unit="s")
def pull_10k() -> float:
    def run(root: Path) -> float:
        share = _share(root)
        a, b = _station(root / "a.sqlite"), _station(root / "b.sqlite")
        _local_edits(a, CHANGES)
        sync(a, share, compact=False)
        store = Store(make_engine(b))  # an open GUI session whose views must refresh
        seen: list[ChangeSet] = []
        store.subscribe(seen.append)
        try:
            start = time.perf_counter()
            result = sync(b, share, compact=False)
            refresh_store(store, result.changes)
            elapsed = time.perf_counter() - start
        finally:
            store.close()
        assert result.pulled == CHANGES and len(seen[0].ids("Client")) == CHANGES
        return elapsed

    return _median(run)


@metric("sync.noop.20stations", target=0.2, unit="s")
def noop_20_stations() -> float:
    def run(root: Path) -> float:
        share = _share(root)
        stations = [_station(root / f"s{i}.sqlite") for i in range(20)]
        for i, db in enumerate(stations):
            _local_edits(db, 5)
            sync(db, share, station_name=f"desk {i}", compact=False)
        me = stations[0]
        sync(me, share, compact=False)  # now everything is here and acknowledged
        start = time.perf_counter()
        result = sync(me, share, compact=False)
        elapsed = time.perf_counter() - start
        assert result.pushed == 0 and result.pulled == 0, result.summary()
        return elapsed

    return _median(run)


# -- encrypted sync (issue 17): the same runs through a share with encryption on ---------------

PASSPHRASE = "benchmark agency passphrase"


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


def _encrypted(share: Path, db: Path) -> None:
    """Encryption turned on for `share` by the station at `db` (not timed)."""
    from db.sync.encryption import enable_encryption
    from db.sync.folder import FolderTransport

    enable_encryption(db, FolderTransport(share), share, PASSPHRASE)


@metric("sync.push.10k.enc", target=2.4, unit="s")
def push_10k_encrypted() -> float:
    def run(root: Path) -> float:
        share, db = _share(root), _station(root / "a.sqlite")
        with private_keystore(root):
            _encrypted(share, db)
            _local_edits(db, CHANGES)
            start = time.perf_counter()
            result = sync(db, share, compact=False)
            elapsed = time.perf_counter() - start
        assert result.pushed == CHANGES, result.summary()
        return elapsed

    return _median(run)


@metric("sync.pull.10k.enc", target=3.6, unit="s")
def pull_10k_encrypted() -> float:
    def run(root: Path) -> float:
        share = _share(root)
        a, b = _station(root / "a.sqlite"), _station(root / "b.sqlite")
        with private_keystore(root):  # one keychain: b's computer holds the key already
            _encrypted(share, a)
            _local_edits(a, CHANGES)
            sync(a, share, compact=False)
            store = Store(make_engine(b))
            seen: list[ChangeSet] = []
            store.subscribe(seen.append)
            try:
                start = time.perf_counter()
                result = sync(b, share, compact=False)
                refresh_store(store, result.changes)
                elapsed = time.perf_counter() - start
            finally:
                store.close()
        assert result.pulled >= CHANGES and len(seen[0].ids("Client")) == CHANGES
        return elapsed

    return _median(run)
