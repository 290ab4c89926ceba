"""The multi-station test bench of tests/sync/harness.py, syncing through a real server: one
login per station, a fresh agency database per bench."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from db.sync.engine import SyncResult, sync
from db.sync.server.connect import describe
from db.sync.server.sync import server_label
from db.sync.server.transport import ServerTransport
from db.sync.transport import ChangeRef, Skipped, Transport
from tests.sync.harness import Bench, Station


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
