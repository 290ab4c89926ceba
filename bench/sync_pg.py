"""Sync through an agency server (PostgreSQL): bench.sync's scenarios (push and pull of 10,000
changes, a no-op sync of one station among 20, each also encrypted) over the server transport,
named with `.pg`, and the latency of an edit on one online station showing on another.

The benchmark starts its own throwaway cluster (bench.pg_cluster: initdb in a temp folder,
loopback only, fsync on like a real server) on first use and removes it when the run ends;
each run gets a fresh agency database with its own station logins. Without PostgreSQL's
programs the metrics fail with that reason and the others still run.
"""

from __future__ import annotations

import atexit
import itertools
import time
from pathlib import Path

from bench.pg_cluster import Cluster, find_binaries, start_cluster
from bench.registry import metric
from bench.sync import PASSPHRASE, Transport, _median, _station, declare_scenarios
from db.database import make_engine
from db.store import Store
from db.sync import SyncResult, refresh_store

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


def _server_places(_root: Path, n: int) -> list[str]:
    return agency(n)


def _server_sync(db: Path, url: str, station_name: str | None) -> SyncResult:
    from db.sync.server.sync import sync_server

    return sync_server(db, url, station_name=station_name, compact=False)


def _server_encrypt(db: Path, url: str) -> None:
    from db.sync.server.sync import encrypt_server

    encrypt_server(db, url, PASSPHRASE)


SERVER = Transport(".pg", _server_places, _server_sync, _server_encrypt)
declare_scenarios(SERVER)


@metric("sync.latency.pg", target=1.0, unit="s")
def latency() -> float:
    """An edit on A until B shows it, both online: A saves and syncs, the server rings B's
    doorbell, B syncs and refreshes its open session."""
    import sqlite3
    import uuid

    from db.sync.server.doorbell import Doorbell

    def run(root: Path) -> float:
        url_a, url_b = agency(2)
        a, b = _station(root / "a.sqlite"), _station(root / "b.sqlite")
        _server_sync(a, url_a, None)
        _server_sync(b, url_b, None)
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
                _server_sync(a, url_a, None)
                assert bell.wait(5.0), "the doorbell did not ring"
                result = _server_sync(b, url_b, None)
                refresh_store(store, result.changes)
                elapsed = time.perf_counter() - start
            assert client_id in result.changes.ids("Client"), result.summary()
        finally:
            store.close()
        return elapsed

    return _median(run)
