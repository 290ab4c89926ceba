"""Stations syncing through a real PostgreSQL server, as users do: one edits, syncs, the
other syncs and sees it; a new database joins the agency; a second push of the same batch is
harmless; a station refuses a server schema newer than it knows."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from db.models import Client
from db.operations import Create, Update
from db.sync.server.errors import NotAServerError, ServerSchemaError
from db.sync.server.sync import sync_server
from tests.pg.conftest import AgencyServer
from tests.sync.harness import Station, dump, new_station_db


def _station(tmp_path: Path, name: str) -> Station:
    s = Station(name, tmp_path / f"{name}.sqlite")
    new_station_db(s.path)
    return s


def test_an_edit_on_one_station_reaches_the_other(
    tmp_path: Path, agency_server: AgencyServer
) -> None:
    a, b = _station(tmp_path, "a"), _station(tmp_path, "b")
    url_a, url_b = agency_server.station_url("a"), agency_server.station_url("b")
    a.apply(Create(Client, {"name": "Acme"}))
    a.close()
    first = sync_server(a.path, url_a, station_name="Ana")
    assert first.pushed == 1
    got = sync_server(b.path, url_b, station_name="Ben")
    assert got.pulled == 1
    assert [r[0] for r in b.sql("SELECT name FROM client")] == ["Acme"]
    (cid,) = b.sql("SELECT id FROM client")[0]
    b.apply(Update(Client, cid, {"name": "Acme Ltd"}))
    b.close()
    sync_server(b.path, url_b)
    sync_server(a.path, url_a)
    assert dump(a.path) == dump(b.path)
    assert [r[0] for r in a.sql("SELECT name FROM client")] == ["Acme Ltd"]
    again = sync_server(a.path, url_a)
    assert (again.pushed, again.pulled) == (0, 0)


def test_a_missing_database_joins_the_agency(tmp_path: Path, agency_server: AgencyServer) -> None:
    a = _station(tmp_path, "a")
    a.apply(Create(Client, {"name": "Acme"}))
    a.close()
    sync_server(a.path, agency_server.station_url("a"))
    new = tmp_path / "new.sqlite"
    result = sync_server(new, agency_server.station_url("n"), station_name="New desk")
    assert result.joined
    assert dump(new) == dump(a.path)


def test_the_server_refuses_a_second_batch_at_the_same_seq_and_keeps_the_first(
    agency_server: AgencyServer,
) -> None:
    from db.errors import AgencyDeskError
    from db.sync.server.transport import ServerTransport

    with ServerTransport(agency_server.station_url("a")) as t:
        first = t.write_change("0123456789abcdef", 1, b"one")
        assert t.write_change("0123456789abcdef", 1, b"one") == first  # idempotent
        with pytest.raises(AgencyDeskError, match="holds other changes"):
            t.write_change("0123456789abcdef", 1, b"two")
        assert t.read_change(first) == b"one"


def test_a_newer_server_schema_is_refused(tmp_path: Path, agency_server: AgencyServer) -> None:
    url = agency_server.station_url("a")
    with psycopg.connect(agency_server.admin_url, autocommit=True) as conn:
        conn.execute("UPDATE agency_desk.agency_schema SET version = version + 1")
    a = _station(tmp_path, "a")
    with pytest.raises(ServerSchemaError, match="newer than this Agency Desk knows"):
        sync_server(a.path, url)


def test_a_database_without_the_schema_is_not_a_server(tmp_path: Path, pg_database: str) -> None:
    with pytest.raises(NotAServerError, match="server init"):
        sync_server(tmp_path / "a.sqlite", pg_database)
