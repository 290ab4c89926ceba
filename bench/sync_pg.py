"""Sync through an agency server (PostgreSQL): push and pull of 10,000 changes, a no-op sync
of one station among 20, and the latency of an edit on one online station showing on another.

The benchmark starts its own throwaway cluster (bench.pg_cluster: initdb in a temp folder,
loopback only, fsync on like a real server) on first use and removes it when the run ends;
each run gets a fresh agency database with its own station logins. Without PostgreSQL's
programs the metrics fail with that reason and the others still run.
"""

from __future__ import annotations

import atexit
import itertools
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.pg_cluster import Cluster, find_binaries, start_cluster
from bench.registry import metric
from bench.sync import CHANGES, PASSPHRASE, _local_edits, _station, private_keystore
from db.changes import ChangeSet
from db.database import make_engine
from db.store import Store
from db.sync import refresh_store

RUNS = 3
_cluster: list[Cluster] = []
_names = itertools.count(1)


def cluster() -> Cluster:
    if not _cluster:
        bin_dir = find_binaries()
        if bin_dir is None:
            raise RuntimeError("PostgreSQL's initdb/pg_ctl/postgres were not found")
        started = start_cluster(bin_dir, durable=True)
        atexit.register(started.remove)
        _cluster.append(started)
    return _cluster[0]


def agency(stations: int) -> list[str]:
    """A fresh agency database with the schema and one login per station: their URLs."""
    from db.sync.server.schema import add_station, init_server

    c = cluster()
    name = f"bench_{next(_names)}"
    admin = c.create_database(name)
    init_server(admin)
    urls = []
    for i in range(stations):
        login, password = f"{name}_s{i}", f"pw-{name}-{i}"
        add_station(admin, login, password)
        urls.append(c.url(name, user=login, password=password))
    return urls


def _median(run: Callable[[Path], float]) -> float:
    times = []
    for _ in range(RUNS):
        with tempfile.TemporaryDirectory(prefix="agency-desk-pg-bench-") as tmp:
            times.append(run(Path(tmp)))
    return statistics.median(times)


@metric("sync.push.10k.pg", target=2.0, unit="s")
def push_10k() -> float:
    from db.sync.server.sync import sync_server

    def run(root: Path) -> float:
        (url,) = agency(1)
        db = _station(root / "a.sqlite")
        _local_edits(db, CHANGES)
        start = time.perf_counter()
        result = sync_server(db, url, compact=False)
        elapsed = time.perf_counter() - start
        assert result.pushed == CHANGES, result.summary()
        return elapsed

    return _median(run)


@metric("sync.pull.10k.pg", target=3.0, unit="s")
def pull_10k() -> float:
    from db.sync.server.sync import sync_server

    def run(root: Path) -> float:
        url_a, url_b = agency(2)
        a, b = _station(root / "a.sqlite"), _station(root / "b.sqlite")
        _local_edits(a, CHANGES)
        sync_server(a, url_a, compact=False)
        store = Store(make_engine(b))  # an open GUI session whose views must refresh
        seen: list[ChangeSet] = []
        store.subscribe(seen.append)
        try:
            start = time.perf_counter()
            result = sync_server(b, url_b, compact=False)
            refresh_store(store, result.changes)
            elapsed = time.perf_counter() - start
        finally:
            store.close()
        assert result.pulled == CHANGES and len(seen[0].ids("Client")) == CHANGES
        return elapsed

    return _median(run)


@metric("sync.noop.20stations.pg", target=0.2, unit="s")
def noop_20_stations() -> float:
    from db.sync.server.sync import sync_server

    def run(root: Path) -> float:
        urls = agency(20)
        stations = [_station(root / f"s{i}.sqlite") for i in range(20)]
        for i, (db, url) in enumerate(zip(stations, urls, strict=True)):
            _local_edits(db, 5)
            sync_server(db, url, station_name=f"desk {i}", compact=False)
        me, url = stations[0], urls[0]
        sync_server(me, url, compact=False)  # now everything is here and acknowledged
        start = time.perf_counter()
        result = sync_server(me, url, compact=False)
        elapsed = time.perf_counter() - start
        assert result.pushed == 0 and result.pulled == 0, result.summary()
        return elapsed

    return _median(run)


@metric("sync.latency.pg", target=1.0, unit="s")
def latency() -> float:
    """An edit on A until B shows it, both online: A saves and syncs, the server rings B's
    doorbell, B syncs and refreshes its open session."""
    import sqlite3
    import uuid

    from db.sync.server.doorbell import Doorbell
    from db.sync.server.sync import sync_server

    def run(root: Path) -> float:
        url_a, url_b = agency(2)
        a, b = _station(root / "a.sqlite"), _station(root / "b.sqlite")
        sync_server(a, url_a, compact=False)
        sync_server(b, url_b, compact=False)
        store = Store(make_engine(b))
        try:
            with Doorbell(url_b) as bell:
                client_id = str(uuid.uuid4())
                start = time.perf_counter()
                conn = sqlite3.connect(a)
                with conn:
                    conn.execute(
                        "INSERT INTO client (id, name, status, industry, annual_budget_cents, "
                        "currency, website, tags, yearly_gift_budget_cents, created_at, "
                        "updated_at) VALUES (?, 'Edited on A', 'active', '', 0, 'EUR', '', "
                        "'[]', 0, '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
                        (client_id,),
                    )
                conn.close()
                sync_server(a, url_a, compact=False)
                assert bell.wait(5.0), "the doorbell did not ring"
                result = sync_server(b, url_b, compact=False)
                refresh_store(store, result.changes)
                elapsed = time.perf_counter() - start
            assert client_id in result.changes.ids("Client"), result.summary()
        finally:
            store.close()
        return elapsed

    return _median(run)


@metric("sync.push.10k.pg.enc", target=2.4, unit="s")
def push_10k_encrypted() -> float:
    from db.sync.server.sync import encrypt_server, sync_server

    def run(root: Path) -> float:
        (url,) = agency(1)
        db = _station(root / "a.sqlite")
        with private_keystore(root):
            encrypt_server(db, url, PASSPHRASE)
            _local_edits(db, CHANGES)
            start = time.perf_counter()
            result = sync_server(db, url, compact=False)
            elapsed = time.perf_counter() - start
        assert result.pushed == CHANGES, result.summary()
        return elapsed

    return _median(run)


@metric("sync.pull.10k.pg.enc", target=3.6, unit="s")
def pull_10k_encrypted() -> float:
    from db.sync.server.sync import encrypt_server, sync_server

    def run(root: Path) -> float:
        url_a, url_b = agency(2)
        a, b = _station(root / "a.sqlite"), _station(root / "b.sqlite")
        with private_keystore(root):
            encrypt_server(a, url_a, PASSPHRASE)
            _local_edits(a, CHANGES)
            sync_server(a, url_a, compact=False)
            store = Store(make_engine(b))
            seen: list[ChangeSet] = []
            store.subscribe(seen.append)
            try:
                start = time.perf_counter()
                result = sync_server(b, url_b, compact=False)
                refresh_store(store, result.changes)
                elapsed = time.perf_counter() - start
            finally:
                store.close()
        assert result.pulled >= CHANGES and len(seen[0].ids("Client")) == CHANGES
        return elapsed

    return _median(run)
