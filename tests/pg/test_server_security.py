"""Least privilege, enforced by the server itself: a station's login reads everything, adds
changes only under its own station ids, and can never update or delete a change; compaction's
deletes go through functions that keep whatever no published snapshot holds. Passwords live
in the keychain, never in the database."""

from __future__ import annotations

import io
from pathlib import Path

import psycopg
import pytest
from psycopg import errors

from db.sync.server.sync import sync_server
from db.sync.server.transport import ServerTransport
from desktop.cli import main
from tests.pg.conftest import AgencyServer, MemoryKeychain

ANA, BEN = "a" * 16, "b" * 16


@pytest.fixture
def two_stations(agency_server: AgencyServer) -> tuple[str, str]:
    """Ana's and Ben's logins, each having pushed one batch under its own station id."""
    ana, ben = agency_server.station_url("ana"), agency_server.station_url("ben")
    with ServerTransport(ana) as t:
        t.write_change(ANA, 1, b"ana's first")
    with ServerTransport(ben) as t:
        t.write_change(BEN, 1, b"ben's first")
        t.write_ack(BEN, {"station": BEN})
    return ana, ben


def _refused(url: str, statement: str, args: tuple[object, ...] = ()) -> str:
    with psycopg.connect(url, autocommit=True) as conn, pytest.raises(psycopg.Error) as caught:
        conn.execute(statement.encode(), args)
    assert isinstance(caught.value, errors.InsufficientPrivilege), caught.value
    return str(caught.value)


def test_a_station_cannot_update_or_delete_any_change(two_stations: tuple[str, str]) -> None:
    ana, _ben = two_stations
    _refused(ana, "UPDATE agency_desk.changes SET payload = 'x' WHERE station = %s", (BEN,))
    _refused(ana, "UPDATE agency_desk.changes SET payload = 'x' WHERE station = %s", (ANA,))
    _refused(ana, "DELETE FROM agency_desk.changes WHERE station = %s", (BEN,))
    _refused(ana, "DELETE FROM agency_desk.changes WHERE station = %s", (ANA,))
    _refused(ana, "TRUNCATE agency_desk.changes")
    with psycopg.connect(ana) as conn:
        assert conn.execute("SELECT count(*) FROM agency_desk.changes").fetchone() == (2,)


def test_a_station_cannot_insert_changes_as_another(two_stations: tuple[str, str]) -> None:
    ana, _ben = two_stations
    message = _refused(
        ana,
        "INSERT INTO agency_desk.changes (station, seq, change_id, hash, payload) "
        "VALUES (%s, 2, gen_random_uuid(), repeat('0', 64), 'forged')",
        (BEN,),
    )
    assert "row-level security" in message
    # Nor register itself for another station's id, or a new id under another login.
    _refused(
        ana,
        "INSERT INTO agency_desk.stations (station, role_name) VALUES ('cccccccccccccccc', %s)",
        (_login(two_stations[1]),),
    )
    with ServerTransport(ana) as t, pytest.raises(Exception, match="belongs to another login"):
        t.write_change(BEN, 2, b"forged through the transport")


def test_a_station_cannot_change_another_stations_ack(two_stations: tuple[str, str]) -> None:
    ana, ben = two_stations
    with psycopg.connect(ana, autocommit=True) as conn:
        touched = conn.execute(
            "UPDATE agency_desk.acks SET ack = '{}' WHERE station = %s", (BEN,)
        ).rowcount
        assert touched == 0  # row-level security hides it from the update
    _refused(
        ana,
        "INSERT INTO agency_desk.acks (station, ack) VALUES ('cccccccccccccccc', '{}')",
    )
    with psycopg.connect(ben) as conn:
        assert conn.execute("SELECT ack->>'station' FROM agency_desk.acks").fetchone() == (BEN,)


def test_compaction_deletes_only_what_a_published_snapshot_holds(
    two_stations: tuple[str, str],
) -> None:
    ana, _ben = two_stations
    message = _refused(ana, "SELECT agency_desk.purge_change(%s, 1)", (BEN,))
    assert "not held by a published snapshot" in message
    with ServerTransport(ana) as t:
        t.write_meta({"snapshot": "00000001-x.sqlite", "purged": {BEN: 1}})
        # The meta names a snapshot that is not there: still refused.
        _refused(ana, "SELECT agency_desk.purge_change(%s, 1)", (BEN,))
        snap = t.publish_snapshot(1, _file(b"a snapshot"))
        t.write_meta({"snapshot": snap.name, "purged": {BEN: 1}})
        _refused(ana, "SELECT agency_desk.drop_snapshot(%s)", (snap.name,))
    with psycopg.connect(ana, autocommit=True) as conn:
        conn.execute("SELECT agency_desk.purge_change(%s, 1)", (BEN,))
        assert conn.execute("SELECT station FROM agency_desk.changes").fetchall() == [(ANA,)]


def test_a_station_cannot_change_the_schema_or_the_roles(two_stations: tuple[str, str]) -> None:
    ana, _ben = two_stations
    _refused(ana, "ALTER TABLE agency_desk.changes DISABLE ROW LEVEL SECURITY")
    _refused(ana, "CREATE TABLE agency_desk.mine (x int)")
    _refused(ana, "UPDATE agency_desk.agency_schema SET version = 1")
    _refused(ana, "DELETE FROM agency_desk.stations")


def _login(url: str) -> str:
    return url.split("//", 1)[1].split(":", 1)[0]


def _file(data: bytes) -> Path:
    import tempfile

    path = Path(tempfile.mkdtemp()) / "snapshot.sqlite"
    path.write_bytes(data)
    return path


def test_the_password_lives_in_the_keychain_and_nowhere_else(
    tmp_path: Path,
    agency_server: AgencyServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    keychain: MemoryKeychain,
) -> None:
    url = agency_server.station_url("ana")
    password = agency_server.logins[_login(url)]
    bare = url.replace(f":{password}@", "@")
    if True:
        monkeypatch.setattr("sys.stdin", io.StringIO("wrong\n"))
        assert main(["server", "login", bare, "--password-stdin"]) == 2
        assert "refused the login" in capsys.readouterr().err
        assert keychain.items == {}  # a refused password is not kept
        monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
        assert main(["server", "login", bare, "--password-stdin"]) == 0
        assert list(keychain.items.values()) == [password]
        db = tmp_path / "a.sqlite"
        result = sync_server(db, bare)  # the password comes from the keychain
        assert result.joined
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert password.encode() not in path.read_bytes(), path
