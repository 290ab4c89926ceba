"""An erase through a real agency server (PostgreSQL): three stations, one offline with
pending edits to the person. After the erase and a sync round no row on the server (change
payloads, snapshots, meta, acks) and no station's database file holds her strings; the
client's interactions are still there."""

from __future__ import annotations

from pathlib import Path

import psycopg

from db.sync.engine import SyncResult
from db.sync.server.sync import sync_server
from tests.pg.conftest import AgencyServer
from tests.privacy.test_erase_sync import check_erased_everywhere, erase_on_three_stations
from tests.sync.harness import Station, new_station_db


def server_bytes(admin_url: str) -> bytes:
    """Everything the server holds for the agency, as bytes."""
    found = []
    with psycopg.connect(admin_url) as conn:
        for query in (
            "SELECT payload FROM agency_desk.changes",
            "SELECT data FROM agency_desk.snapshots",
            "SELECT convert_to(meta::text, 'UTF8') FROM agency_desk.meta",
            "SELECT convert_to(ack::text, 'UTF8') FROM agency_desk.acks",
            "SELECT convert_to(lease::text, 'UTF8') FROM agency_desk.lease",
        ):
            found += [bytes(r[0]) for r in conn.execute(query)]
    return b"".join(found)


def test_an_erase_leaves_nothing_on_the_server(tmp_path: Path, agency_server: AgencyServer) -> None:
    stations = [Station(n, tmp_path / f"{n}.sqlite") for n in ("a", "b", "c")]
    for st in stations:
        new_station_db(st.path)
    urls = {st.name: agency_server.station_url(st.name) for st in stations}

    def sync(st: Station) -> SyncResult:
        return sync_server(st.path, urls[st.name], station_name=st.name, compact=False)

    try:
        s = erase_on_three_stations(stations, sync, lambda: server_bytes(agency_server.admin_url))
        check_erased_everywhere(s, stations, server_bytes(agency_server.admin_url))
    finally:
        for st in stations:
            st.close()
