"""The multi-station test bench of tests/sync/harness.py, syncing through a real server: one
login per station, a fresh agency database per bench (`fresh_bench`, and
`run_scenario_through_server` for tests/sync's convergence scenarios), dropped after."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hypothesis import HealthCheck, settings

from db.sync.engine import SyncResult, sync
from db.sync.server.connect import describe
from db.sync.server.sync import server_label
from db.sync.server.transport import ServerTransport
from db.sync.transport import ChangeRef, Skipped, Transport
from tests.sync import test_convergence as convergence
from tests.sync.harness import Bench, Station

if TYPE_CHECKING:
    from tests.pg.conftest import AgencyTemplate


class ServerBench(Bench):
    def __init__(self, root: Path, n: int, urls: list[str]) -> None:
        super().__init__(root, n)
        assert len(urls) >= n, "one login per station"
        self.urls = {s.name: url for s, url in zip(self.stations, urls, strict=False)}

    def sync(self, station: Station, transport: Transport | None = None, **kw: Any) -> SyncResult:
        kw.setdefault("compact", False)
        url = self.urls[station.name]
        own = ServerTransport(url) if transport is None else None
        try:
            result = sync(
                station.path,
                server_label(url),
                station_name=station.name,
                transport=transport or own,
                place=describe(url),
                **kw,
            )
        finally:
            if own is not None:
                own.close()
            if isinstance(transport, ServerTransport):
                transport.close()
        station.results.append(result)
        return result


class LateServer(ServerTransport):
    """The server as a station sees it when one station's newest batch is still in flight
    (committed a moment after this pull read): the same scenario as a late cloud file."""

    def __init__(self, url: str, late_station: str) -> None:
        super().__init__(url)
        self.late_station = late_station

    def list_changes(self, station: str, after: int) -> tuple[list[ChangeRef], list[Skipped]]:
        refs, skipped = super().list_changes(station, after)
        if station == self.late_station and refs:
            refs = refs[:-1]
        return refs, skipped


def late_server(bench: Bench, station: Station, late_station: str) -> Transport:
    assert isinstance(bench, ServerBench)
    return LateServer(bench.urls[station.name], late_station)


def server_examples(n: int) -> settings:
    """Hypothesis settings for `n` scenarios through a server: each is slow and large by
    hypothesis's measure, and shares the session's cluster (a function-scoped fixture)."""
    return settings(
        max_examples=n,
        deadline=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.function_scoped_fixture,
        ],
    )


def fresh_bench(
    template: AgencyTemplate, make: Callable[[list[str]], ServerBench]
) -> Iterator[ServerBench]:
    """A bench `make`s from a fresh agency database's station URLs; then closed and the
    database dropped (the cluster started again first, should a test have stopped it)."""
    name, urls = template.fresh()
    bench = make(urls)
    try:
        yield bench
    finally:
        bench.close()
        if not template.cluster.running():
            template.cluster.start()
        template.cluster.drop_database(name)


def run_scenario_through_server(
    template: AgencyTemplate,
    n: int,
    steps: list[tuple[Any, ...]],
    make_bench: Callable[[Path, int, list[str]], ServerBench] = ServerBench,
) -> None:
    """One of tests/sync's convergence scenarios on `n` stations of a fresh agency database,
    dropped after."""
    name, urls = template.fresh()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            convergence.run_scenario(
                Path(tmp),
                n,
                steps,
                make_bench=lambda root, k: make_bench(root, k, urls),
                late=late_server,
            )
    finally:
        template.cluster.drop_database(name)
