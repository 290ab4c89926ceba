"""End-to-end encrypted sync through a real PostgreSQL agency server (issue 17): no row of the
server holds client text, a payload that does not authenticate is quarantined while the rest
applies, a rotation locks out the old key, and a server converted while other stations keep
editing loses nothing (a push in flight under the old state is refused by the server and sent
again, sealed). Each station is another computer with its own keychain."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from db.demo import populate
from db.models import Client
from db.operations import Create, Update
from db.sync.crypto import EncryptionRequired, MissingKey
from db.sync.engine import SyncResult, push
from db.sync.local import LocalStation
from db.sync.quarantine import list_quarantined
from db.sync.server.sync import encrypt_server, rotate_server_key, sync_server, unlock_server
from db.sync.server.transport import ServerTransport
from tests.pg.conftest import AgencyServer
from tests.sync.encryption_helpers import (
    NEW_PASSPHRASE,
    PASSPHRASE,
    Keychains,
    cheap_key_derivation,
    client_texts,
    leaks,
    server_rows,
)
from tests.sync.harness import Station, dump, lost_edits, new_station_db


@pytest.fixture(autouse=True)
def _cheap_key_derivation(monkeypatch: pytest.MonkeyPatch) -> None:
    cheap_key_derivation(monkeypatch)


class ServerStations:
    def __init__(self, root: Path, server: AgencyServer, names: list[str]) -> None:
        self.server = server
        self.keychains = Keychains(root / "keychains")
        self.stations = []
        for name in names:
            s = Station(name, root / f"{name}.sqlite")
            new_station_db(s.path)
            self.stations.append(s)

    def url(self, s: Station) -> str:
        return self.server.station_url(s.name)

    def sync(self, s: Station, **kw: object) -> SyncResult:
        s.close()
        with self.keychains.of(s.name):
            return sync_server(s.path, self.url(s), station_name=s.name, **kw)  # type: ignore[arg-type]

    def enable(self, s: Station) -> None:
        s.close()
        with self.keychains.of(s.name):
            encrypt_server(s.path, self.url(s), PASSPHRASE)

    def unlock(self, s: Station, passphrase: str = PASSPHRASE) -> None:
        with self.keychains.of(s.name):
            unlock_server(self.url(s), passphrase)

    def settle(self, rounds: int = 2) -> None:
        for _ in range(rounds):
            for s in self.stations:
                self.sync(s)

    def converged(self) -> None:
        self.settle()
        first = dump(self.stations[0].path)
        assert all(dump(s.path) == first for s in self.stations[1:])
        assert lost_edits([s.path for s in self.stations]) == []

    def close(self) -> None:
        for s in self.stations:
            s.close()


@pytest.fixture
def three(tmp_path: Path, agency_server: AgencyServer):  # type: ignore[no-untyped-def]
    stations = ServerStations(tmp_path, agency_server, ["a", "b", "c"])
    yield stations
    stations.close()


def _names(s: Station) -> list[str]:
    return [r[0] for r in s.sql("SELECT name FROM client ORDER BY name")]


def test_no_row_on_the_server_holds_client_text_after_the_demo_agency_syncs(
    three: ServerStations, tmp_path: Path
) -> None:
    a, b, _c = three.stations
    populate(a.open().session)
    three.enable(a)  # a full demo agency, never sent in the clear
    three.unlock(b)
    three.sync(b)
    three.sync(a, compact=True)
    assert dump(b.path) == dump(a.path)
    texts = client_texts(a.path)
    assert len(texts) > 100
    rows = server_rows(three.server.admin_url)
    assert any(k.startswith("snapshots/") for k in rows)
    assert leaks(rows, texts) == []


def test_a_payload_that_fails_authentication_is_quarantined_and_the_rest_applies(
    three: ServerStations,
) -> None:
    a, b, c = three.stations
    three.enable(a)
    for s in (b, c):
        three.unlock(s)
    a.apply(Create(Client, {"name": "Acme"}))
    three.sync(a)
    a.apply(Create(Client, {"name": "Globex"}))
    three.sync(a)
    c.apply(Create(Client, {"name": "Initech"}))
    three.sync(c)
    # Someone with the server's admin rights flips a byte of A's last batch and fixes its hash.
    with psycopg.connect(three.server.admin_url, autocommit=True) as conn:
        conn.execute(
            "UPDATE agency_desk.changes SET payload = overlay(payload PLACING "
            "decode(lpad(to_hex(get_byte(payload, 40) # 1), 2, '0'), 'hex') FROM 41 FOR 1) "
            "WHERE server_seq = (SELECT max(server_seq) FROM agency_desk.changes "
            "WHERE station = %s)",
            (a.station_id,),
        )
        conn.execute("UPDATE agency_desk.changes SET hash = encode(sha256(payload), 'hex')")
    result = three.sync(b)
    assert _names(b) == ["Acme", "Initech"]
    assert [e.reason[:19] for e in result.quarantined] == ["tampered or corrupt"]
    assert list_quarantined(b.open())[0].reason.startswith("tampered or corrupt")


def test_rotation_through_the_server(three: ServerStations) -> None:
    a, b, c = three.stations
    three.enable(a)
    for s in (b, c):
        three.unlock(s)
    a.apply(Create(Client, {"name": "Before"}))
    three.settle()
    with three.keychains.of(a.name):
        rotate_server_key(a.path, three.url(a), NEW_PASSPHRASE)
    a.apply(Create(Client, {"name": "After"}))
    three.sync(a)
    three.unlock(c, NEW_PASSPHRASE)
    three.sync(c)
    assert _names(c) == ["After", "Before"]
    with pytest.raises(MissingKey, match="was changed"):
        three.sync(b)
    assert _names(b) == ["Before"]
    three.unlock(b, NEW_PASSPHRASE)
    three.converged()


def test_converting_while_others_keep_editing_loses_nothing(three: ServerStations) -> None:
    a, b, c = three.stations
    for i, s in enumerate(three.stations):
        s.apply(Create(Client, {"name": f"Plain {i}"}))
    three.settle()
    b.apply(Create(Client, {"name": "B while converting"}))
    c.apply(Create(Client, {"name": "C offline"}))
    three.enable(a)
    with pytest.raises(EncryptionRequired):
        three.sync(c)
    # B's push began before the switch (it read meta in the clear): the server refuses it.
    b.close()
    station = LocalStation(b.path)
    try:
        with (
            ServerTransport(three.url(b)) as plain,
            pytest.raises(EncryptionRequired, match="changed during this sync"),
        ):
            push(station, plain, SyncResult())
    finally:
        station.close()
    assert b.sql("SELECT count(*) FROM sync_outbox WHERE pushed_seq IS NULL")[0][0] > 0
    three.unlock(b)
    three.unlock(c)
    for s in (b, c, a):
        s.apply(Update(Client, _id(s, "Plain 0"), {"industry": f"edited on {s.name}"}))
        three.sync(s)
    three.converged()
    assert {"B while converting", "C offline"} <= set(_names(a))
    assert all(not list_quarantined(s.open()) for s in three.stations)


def _id(s: Station, name: str) -> str:
    return str(s.sql("SELECT id FROM client WHERE name = ?", (name,))[0][0])


def test_converting_seals_every_plain_batch_and_snapshot_on_the_server_at_once(
    three: ServerStations,
) -> None:
    a, b, c = three.stations
    for s in three.stations:
        s.apply(Create(Client, {"name": f"Client of {s.name}, private"}))
    three.settle()
    three.sync(a, compact=True)  # a snapshot in the clear too
    for s in three.stations:
        s.apply(Create(Client, {"name": f"Second client of {s.name}"}))
    three.settle()
    texts = client_texts(a.path)
    assert leaks(server_rows(three.server.admin_url), texts) != []  # readable before
    b.apply(Create(Client, {"name": "B's edit waiting to be sent"}))
    three.enable(a)
    # No row is readable any more, before B or C have even unlocked the server.
    assert leaks(server_rows(three.server.admin_url), texts) == []
    with psycopg.connect(three.server.admin_url) as conn:
        plain = conn.execute(
            "SELECT count(*) FROM agency_desk.changes WHERE substring(payload FROM 1 FOR 4) "
            "<> 'ADE1'::bytea"
        ).fetchone()
        plain_snapshots = conn.execute(
            "SELECT count(*) FROM agency_desk.snapshots WHERE substring(data FROM 1 FOR 4) "
            "<> 'ADE1'::bytea"
        ).fetchone()
    assert plain == (0,) and plain_snapshots == (0,)
    three.unlock(b)
    three.unlock(c)
    results = [three.sync(s) for s in (b, c, a)]
    assert all(r.quarantined == [] and r.republished == 0 for r in results)
    three.converged()
    assert "B's edit waiting to be sent" in _names(c)
    assert leaks(server_rows(three.server.admin_url), client_texts(a.path)) == []
    assert all(not list_quarantined(s.open()) for s in three.stations)


def test_no_station_can_replace_a_batch_but_by_sealing_one_in_the_clear(
    three: ServerStations,
) -> None:
    """`reseal_change` lets a station rewrite another station's batch only to seal it: not on
    a plain server, not with bytes that are not sealed under the agency key meta names, and
    never a batch that is sealed already."""
    a, b, _c = three.stations
    b.apply(Create(Client, {"name": "Plain client of B"}))
    three.sync(b)
    (seq, digest), *_ = b.sql("SELECT seq, hash FROM sync_pushed")

    def reseal(payload: bytes) -> None:
        with psycopg.connect(three.url(a), autocommit=True) as conn:
            conn.execute(
                "SELECT agency_desk.reseal_change(%s, %s, %s, gen_random_uuid(), %s)",
                (b.station_id, seq, digest, payload),
            )

    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        reseal(b"ADE1" + b"0" * 16 + b"forged")  # a plain server: nothing may be replaced
    three.sync(a)
    three.enable(a)
    with psycopg.connect(three.server.admin_url) as conn:
        (key_id,) = conn.execute(
            "SELECT meta->'encryption'->>'key_id' FROM agency_desk.meta"
        ).fetchone()  # type: ignore[misc]
        ((stored, payload),) = conn.execute(
            "SELECT hash, payload FROM agency_desk.changes WHERE station = %s",
            (b.station_id,),
        ).fetchall()
    assert bytes(payload).startswith(b"ADE1" + key_id.encode())  # sealed at the switch
    for forged in (b"not sealed at all", b"ADE1" + b"f" * 16 + b"another key's bytes"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            reseal(forged)
    # Sealed bytes under the right key id cannot replace a batch that is sealed already.
    digest = stored
    reseal(b"ADE1" + key_id.encode() + b"forged")
    with psycopg.connect(three.server.admin_url) as conn:
        after = conn.execute(
            "SELECT payload FROM agency_desk.changes WHERE station = %s", (b.station_id,)
        ).fetchone()
    assert after is not None and bytes(after[0]) == bytes(payload)
