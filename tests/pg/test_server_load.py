"""Load: many simulated stations edit, push and pull at once against a local server for a
bounded time, on loopback only. Reports changes per second and the worst lag (an edit made
on one station until another station has applied it), and asserts that nothing was lost:
after the run every station holds every edit.

The full run (50 stations, 60 seconds) is marked slow; the default run does the same with a
few stations for a few seconds, so the harness itself stays tested."""

from __future__ import annotations

import random
import sqlite3
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from db.sync.errors import SyncError
from db.sync.server.sync import sync_server
from tests.pg.conftest import AgencyServer
from tests.sync.harness import new_station_db

SETTLE_S = 240  # the longest the final catch-up may take before the test fails


@dataclass
class LoadStation:
    path: Path
    url: str
    made: int = 0
    pushed: int = 0
    pulled: int = 0
    syncs: int = 0
    failures: int = 0
    worst_lag_s: float = 0.0
    lags: list[float] = field(default_factory=list)


def _edit(station: LoadStation, n: int, t0: float) -> None:
    """n new clients, each named with the moment it was made (for the lag)."""
    conn = sqlite3.connect(station.path, timeout=30)
    now = time.monotonic() - t0
    with conn:
        conn.executemany(
            "INSERT INTO client (id, name, status, industry, annual_budget_cents, currency, "
            "website, tags, yearly_gift_budget_cents, created_at, updated_at) VALUES (?, ?, "
            "'active', '', 0, 'EUR', '', '[]', 0, '2026-01-01 00:00:00', "
            "'2026-01-01 00:00:00')",
            [(str(uuid.uuid4()), f"load {now:.6f} {uuid.uuid4().hex[:8]}") for _ in range(n)],
        )
    conn.close()
    station.made += n


def _sync(station: LoadStation, t0: float) -> None:
    try:
        result = sync_server(station.path, station.url, compact=False)
    except SyncError:
        station.failures += 1  # a busy server: the next round sends and takes it
        return
    station.syncs += 1
    station.pushed += result.pushed
    station.pulled += result.pulled
    ids = list(result.changes.ids("Client"))
    if not ids:
        return
    now = time.monotonic() - t0
    conn = sqlite3.connect(station.path, timeout=30)
    try:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for (name,) in conn.execute(f"SELECT name FROM client WHERE id IN ({marks})", chunk):
                made = float(name.split()[1])
                station.worst_lag_s = max(station.worst_lag_s, now - made)
                station.lags.append(now - made)
    finally:
        conn.close()


def _run_station(station: LoadStation, t0: float, until: float, seed: int) -> None:
    rng = random.Random(seed)
    while time.monotonic() < until:
        _edit(station, rng.randint(1, 5), t0)
        _sync(station, t0)
        time.sleep(rng.uniform(0.0, 0.2))  # people edit now and then, not in lockstep


def run_load(
    tmp_path: Path, server: AgencyServer, stations: int, seconds: float
) -> dict[str, float]:
    fleet = []
    for i in range(stations):
        path = tmp_path / f"s{i}.sqlite"
        new_station_db(path)
        fleet.append(LoadStation(path, server.station_url(f"s{i}")))
    for s in fleet:  # everyone known to the agency before the clock starts
        sync_server(s.path, s.url, compact=False)
    cpu0 = server.cluster.cpu_seconds()
    t0 = time.monotonic()
    until = t0 + seconds
    threads = [
        threading.Thread(target=_run_station, args=(s, t0, until, i), daemon=True)
        for i, s in enumerate(fleet)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 120)
    assert not any(t.is_alive() for t in threads), "a station did not stop in time"
    elapsed = time.monotonic() - t0
    server_cpu = server.cluster.cpu_seconds() - cpu0
    made = sum(s.made for s in fleet)
    # Settle: every station syncs until it holds every edit (bounded).
    deadline = time.monotonic() + SETTLE_S
    missing = made
    while time.monotonic() < deadline:
        for s in fleet:
            _sync(s, t0)
        counts = []
        for s in fleet:
            conn = sqlite3.connect(s.path)
            counts.append(conn.execute("SELECT count(*) FROM client").fetchone()[0])
            conn.close()
        missing = made - min(counts)
        if missing == 0 and max(counts) == made:
            break
    lags = sorted(lag for s in fleet for lag in s.lags if lag <= elapsed)
    return {
        "stations": stations,
        "seconds": elapsed,
        "changes_made": made,
        "changes_per_s": made / elapsed,
        "applied_per_s": sum(s.pulled for s in fleet) / elapsed,
        "syncs_per_s": sum(s.syncs for s in fleet) / elapsed,
        "worst_lag_s": max((s.worst_lag_s for s in fleet), default=0.0),
        "median_lag_s": lags[len(lags) // 2] if lags else 0.0,
        "p95_lag_s": lags[int(len(lags) * 0.95)] if lags else 0.0,
        "failed_syncs": sum(s.failures for s in fleet),
        "server_cpu_s": server_cpu,
        "server_cpu_per_sync_ms": 1000 * server_cpu / max(1, sum(s.syncs for s in fleet)),
        "lost": missing,
    }


def _report(figures: dict[str, float]) -> str:
    return (
        f"load: {figures['stations']:.0f} stations for {figures['seconds']:.1f} s: "
        f"{figures['changes_made']:.0f} changes made ({figures['changes_per_s']:.1f}/s), "
        f"{figures['applied_per_s']:.0f} changes applied/s across stations, "
        f"{figures['syncs_per_s']:.1f} syncs/s, lag median {figures['median_lag_s']:.2f} s, "
        f"p95 {figures['p95_lag_s']:.2f} s, worst {figures['worst_lag_s']:.2f} s, "
        f"{figures['failed_syncs']:.0f} syncs refused by a busy server and retried, "
        f"server CPU {figures['server_cpu_s']:.1f} s "
        f"({figures['server_cpu_per_sync_ms']:.1f} ms per sync), "
        f"lost {figures['lost']:.0f}"
    )


@pytest.mark.parametrize(
    ("stations", "seconds"),
    [
        pytest.param(4, 3, id="4-stations-3s"),
        pytest.param(50, 60, id="50-stations-60s", marks=pytest.mark.slow),
    ],
)
def test_many_stations_at_once_lose_nothing(
    tmp_path: Path,
    agency_server: AgencyServer,
    stations: int,
    seconds: float,
    capsys: pytest.CaptureFixture[str],
) -> None:
    figures = run_load(tmp_path, agency_server, stations, seconds)
    with capsys.disabled():
        print("\n" + _report(figures))
    assert figures["lost"] == 0, _report(figures)
    assert figures["changes_made"] > 0
