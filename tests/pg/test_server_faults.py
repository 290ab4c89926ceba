"""Faults between a station and its server, each ending with nothing lost and every station
converged: the server restarted in the middle of a push (before and after the insert
committed), the connection killed by pg_terminate_backend in the middle of a pull, the server
unreachable for a while and then back, and a station SIGKILLed at each step of a sync."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from bench.pg_cluster import Cluster
from db.models import Client
from db.operations import Create, Update
from db.sync.faults import ENV
from db.sync.server.errors import ServerUnreachableError
from db.sync.server.transport import ServerTransport
from db.sync.transport import ChangeRef
from desktop.cli import main
from tests.pg.conftest import AgencyTemplate
from tests.pg.server_bench import ServerBench, fresh_bench
from tests.sync.harness import Station, dump, lost_edits

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def two(tmp_path: Path, agency_template: AgencyTemplate) -> Iterator[ServerBench]:
    yield from fresh_bench(agency_template, lambda urls: ServerBench(tmp_path, 2, urls))


def _names(station: Station) -> list[str]:
    return [r[0] for r in station.sql("SELECT name FROM client ORDER BY name")]


def _converged(bench: ServerBench) -> None:
    for s in bench.stations:
        s.close()
    bench.settle(2)
    first, *others = (dump(s.path) for s in bench.stations)
    assert all(d == first for d in others)
    assert lost_edits([s.path for s in bench.stations]) == []
    for s in bench.stations:
        assert s.sql(f"SELECT count(*) FROM sync_outbox WHERE {_UNSENT}") == [(0,)]


_UNSENT = "id > (SELECT sent_id FROM sync_ctl) AND pushed_seq IS NULL"


def _edits(bench: ServerBench) -> None:
    a, b = bench.stations
    op = Create(Client, {"name": "first"})
    a.apply(op)
    bench.settle(1)
    a.apply(Update(Client, op.id, {"name": "second"}))
    a.apply(Create(Client, {"name": "third"}))
    b.apply(Update(Client, op.id, {"industry": "from b"}))
    for s in bench.stations:
        s.close()


class RestartMidPush(ServerTransport):
    def __init__(self, url: str, cluster: Cluster, after_insert: bool) -> None:
        super().__init__(url)
        self.cluster = cluster
        self.after_insert = after_insert

    def write_change(self, station: str, seq: int, data: bytes) -> ChangeRef:
        if not self.after_insert:
            self.cluster.restart()
            return super().write_change(station, seq, data)
        ref = super().write_change(station, seq, data)
        self.cluster.restart()  # committed, but the station never hears it did
        self._q("SELECT 1")
        return ref


@pytest.mark.parametrize("after_insert", [False, True], ids=["before-insert", "after-insert"])
def test_the_server_restarted_in_the_middle_of_a_push(
    two: ServerBench, pg_cluster: Cluster, after_insert: bool
) -> None:
    _edits(two)
    a, b = two.stations
    faulty = RestartMidPush(two.urls[a.name], pg_cluster, after_insert)
    with pytest.raises(ServerUnreachableError, match="connection lost"):
        two.sync(a, transport=faulty)
    assert a.sql(f"SELECT count(*) FROM sync_outbox WHERE {_UNSENT}") == [(2,)]
    if after_insert:  # the batch is on the server: others may apply it before a knows
        two.sync(b)
        assert _names(b) == ["second", "third"]
    _converged(two)
    assert _names(b) == ["second", "third"]
    with psycopg.connect(two.urls[a.name]) as conn:
        seqs = conn.execute(
            "SELECT seq FROM agency_desk.changes WHERE station = %s", (a.station_id,)
        ).fetchall()
    assert len(seqs) == len(set(seqs)) == 2


class KillMidPull(ServerTransport):
    """Fetches one batch per round trip, and has its own connection terminated by the
    server (pg_terminate_backend) before the second."""

    def __init__(self, url: str, admin_url: str) -> None:
        super().__init__(url)
        self.admin_url = admin_url
        self.fetch_rows = 1
        self.reads = 0

    def read_change(self, ref: ChangeRef) -> bytes:
        self.reads += 1
        if self.reads == 2:
            with psycopg.connect(self.admin_url, autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", (self.conn.info.backend_pid,))
        return super().read_change(ref)


def test_the_connection_killed_in_the_middle_of_a_pull(
    two: ServerBench, pg_cluster: Cluster
) -> None:
    a, b = two.stations
    for i in range(3):  # three batches from a
        a.apply(Create(Client, {"name": f"client {i}"}))
        a.close()
        two.sync(a)
    database = two.urls[a.name].rsplit("/", 1)[1]
    faulty = KillMidPull(two.urls[b.name], pg_cluster.url(database))
    with pytest.raises(ServerUnreachableError, match="connection lost"):
        two.sync(b, transport=faulty)
    # The batch applied before the kill stays applied; the rest comes with the next sync.
    assert b.sql("SELECT seq FROM sync_applied WHERE station = ?", (a.station_id,)) == [(1,)]
    _converged(two)
    assert _names(b) == ["client 0", "client 1", "client 2"]


def test_the_server_unreachable_for_a_while_then_back(
    two: ServerBench, pg_cluster: Cluster, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = two.stations
    a.apply(Create(Client, {"name": "before"}))
    a.close()
    two.settle(1)
    pg_cluster.stop()
    a.apply(Create(Client, {"name": "while down on a"}))
    b.apply(Create(Client, {"name": "while down on b"}))
    for s in two.stations:
        s.close()
        with pytest.raises(ServerUnreachableError, match="not reachable"):
            two.sync(s)
    assert main(["sync", "--db", str(a.path), "--server", two.urls[a.name]]) == 2
    assert "is not reachable" in capsys.readouterr().err
    a.apply(Create(Client, {"name": "still working locally"}))
    a.close()
    pg_cluster.start()
    _converged(two)
    assert _names(b) == ["before", "still working locally", "while down on a", "while down on b"]


SCRIPT = """
import sys
from pathlib import Path
from db.sync.server.sync import sync_server
sync_server(Path(sys.argv[1]), sys.argv[2], compact=sys.argv[3] == "1")
"""

# Each kill costs a fresh Python process; the default run takes the steps where a server
# differs from a folder (the insert committed, the mark not yet), the rest run with -m slow.
_slow = pytest.mark.slow
CRASH_POINTS = [
    pytest.param("push.before_write", "a", marks=_slow, id="push.before_write"),
    pytest.param("push.after_write", "a", id="push.after_write"),
    pytest.param("push.before_mark_commit", "a", id="push.before_mark_commit"),
    pytest.param("apply.before_commit", "b", id="apply.before_commit"),
    pytest.param("apply.after_commit", "b", marks=_slow, id="apply.after_commit"),
    pytest.param("compact.after_lease", "compact", marks=_slow, id="compact.after_lease"),
    pytest.param("compact.after_publish", "compact", marks=_slow, id="compact.after_publish"),
    pytest.param("compact.after_meta", "compact", id="compact.after_meta"),
]


@pytest.mark.parametrize(("point", "who"), CRASH_POINTS)
def test_sigkill_at_every_step_loses_nothing(two: ServerBench, point: str, who: str) -> None:
    _edits(two)
    a, b = two.stations
    if who == "b":
        two.sync(a)
    killed = b if who == "b" else a
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(killed.path), two.urls[killed.name],
         "1" if who == "compact" else "0"],
        env={**os.environ, ENV: point, "PYTHONPATH": str(REPO)},
        capture_output=True, timeout=120, check=False,
    )  # fmt: skip
    assert proc.returncode == -9, proc.stderr.decode()[-2000:]
    _converged(two)
    assert _names(b) == ["second", "third"]
