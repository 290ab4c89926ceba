"""Moving an encrypted agency from its shared folder onto the server (issues 16 and 17): the
server gets the share's encryption (the same agency key, its wrapped record carried over)
before anything is sent there, so every payload and snapshot on it is sealed, the stations
that unlocked the share read it without being asked again, and a new station joins it with
the agency passphrase. Each station is another computer with its own keychain."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest

from db.models import Client
from db.operations import Create
from db.sync import sync
from db.sync.crypto import EncryptionRequired
from db.sync.encryption import enable_encryption, unlock
from db.sync.folder import FolderTransport
from db.sync.server.sync import sync_server, unlock_server
from desktop.cli import main
from tests.pg.conftest import AgencyTemplate, MemoryKeychain
from tests.sync.encryption_helpers import (
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


class Agency:
    """Stations a, b, c on a shared folder, and a fresh agency server to move to."""

    def __init__(self, root: Path, template: AgencyTemplate) -> None:
        self.template = template
        self.name, self.urls = template.fresh()
        self.admin_url = template.cluster.url(self.name)
        self.share = root / "share"
        self.share.mkdir()
        self.keychains = Keychains(root / "keychains")
        self.stations = [Station(n, root / f"{n}.sqlite") for n in ("a", "b", "c")]
        for s in self.stations:
            new_station_db(s.path)

    def url(self, s: Station) -> str:
        return self.urls[self.stations.index(s)]

    def folder_sync(self, s: Station) -> None:
        s.close()
        with self.keychains.of(s.name):
            sync(s.path, self.share, station_name=s.name)

    def server_sync(self, s: Station) -> None:
        s.close()
        with self.keychains.of(s.name):
            sync_server(s.path, self.url(s))

    def move(self, s: Station, capsys: pytest.CaptureFixture[str]) -> str:
        s.close()
        with self.keychains.of(s.name):
            place = ["--share", str(self.share), "--server", self.url(s)]
            code = main(["server", "move", "--db", str(s.path), *place])
        out = capsys.readouterr().out
        assert code == 0, out
        return out

    def encrypt_share(self, by: Station) -> None:
        by.close()
        with self.keychains.of(by.name):
            enable_encryption(by.path, FolderTransport(self.share), self.share, PASSPHRASE)

    def unlock_share(self, s: Station) -> None:
        with self.keychains.of(s.name):
            unlock(FolderTransport(self.share), None, PASSPHRASE)

    def server_meta(self) -> dict[str, object]:
        with psycopg.connect(self.admin_url) as conn:
            row = conn.execute("SELECT meta FROM agency_desk.meta").fetchone()
        assert row is not None
        return dict(row[0])

    def plain_on_server(self) -> tuple[int, int]:
        """(batches, snapshots) on the server that are not sealed."""
        with psycopg.connect(self.admin_url) as conn:
            counts = [
                conn.execute(
                    f"SELECT count(*) FROM agency_desk.{table} WHERE "
                    f"substring({column} FROM 1 FOR 4) <> 'ADE1'::bytea"
                ).fetchone()
                for table, column in (("changes", "payload"), ("snapshots", "data"))
            ]
        return int(counts[0][0]), int(counts[1][0])  # type: ignore[index]

    def close(self) -> None:
        for s in self.stations:
            s.close()
        self.template.cluster.drop_database(self.name)


@pytest.fixture
def agency(tmp_path: Path, agency_template: AgencyTemplate, keychain: MemoryKeychain):  # type: ignore[no-untyped-def]
    found = Agency(tmp_path, agency_template)
    yield found
    found.close()


def _names(s: Station) -> list[str]:
    return [r[0] for r in s.sql("SELECT name FROM client ORDER BY name")]


def test_an_encrypted_share_moves_to_a_server_encrypted_with_the_same_key(
    agency: Agency, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b, c = agency.stations
    for s in (a, b, c):
        s.apply(Create(Client, {"name": f"Private client of {s.name}, on the folder"}))
        agency.folder_sync(s)
    agency.encrypt_share(a)
    for s in (b, c):
        agency.unlock_share(s)
        agency.folder_sync(s)
    share_record = json.loads((agency.share / "AgencyDesk" / "meta.json").read_text())["encryption"]

    out = agency.move(a, capsys)
    assert "the agency server is encrypted with the agency's key" in out
    record = agency.server_meta()["encryption"]
    assert isinstance(record, dict)
    assert record["key_id"] == share_record["key_id"]
    assert record["wrapped"] == share_record["wrapped"]  # the same passphrase opens it
    assert agency.server_meta()["format"] == 2  # older releases are told to update

    # B works on the folder meanwhile, then follows; C follows without any edit.
    b.apply(Create(Client, {"name": "Private client of b, after a moved"}))
    agency.folder_sync(b)
    agency.move(b, capsys)
    agency.move(c, capsys)
    for _ in range(2):
        for s in (a, b, c):
            agency.server_sync(s)  # nobody is asked for the passphrase again
    assert dump(a.path) == dump(b.path) == dump(c.path)
    assert lost_edits([s.path for s in (a, b, c)]) == []
    assert "Private client of b, after a moved" in _names(a)

    texts = client_texts(a.path)
    assert len(texts) >= 4
    assert leaks(server_rows(agency.admin_url), texts) == []
    assert agency.plain_on_server() == (0, 0)

    # A new computer joins the server with the agency passphrase.
    new = tmp_path / "d.sqlite"
    with agency.keychains.of("d"):
        with pytest.raises(EncryptionRequired):
            sync_server(new, agency.urls[3])
        assert not new.exists()
        unlock_server(agency.urls[3], PASSPHRASE)
        assert sync_server(new, agency.urls[3]).joined
    assert dump(new) == dump(a.path)


def test_a_share_encrypted_after_a_plain_move_seals_the_server_when_it_follows(
    agency: Agency, capsys: pytest.CaptureFixture[str]
) -> None:
    """A moved while the share was plain; B then turned the share's encryption on and moved:
    the server gets the share's key, A's batches sent in the clear are sealed in place, and A
    is asked for the passphrase once, losing nothing."""
    a, b, _c = agency.stations
    for s in (a, b):
        s.apply(Create(Client, {"name": f"Private client of {s.name}, on the folder"}))
        agency.folder_sync(s)
    out = agency.move(a, capsys)
    assert "encrypted" not in out  # a plain share moves to a plain server
    a.apply(Create(Client, {"name": "Private client of a, on the plain server"}))
    agency.server_sync(a)
    assert agency.plain_on_server()[0] > 0

    agency.encrypt_share(b)
    agency.move(b, capsys)
    assert agency.plain_on_server() == (0, 0)
    assert leaks(server_rows(agency.admin_url), client_texts(a.path)) == []

    a.apply(Create(Client, {"name": "Private client of a, waiting for the key"}))
    with pytest.raises(EncryptionRequired, match="is encrypted"):
        agency.server_sync(a)
    with agency.keychains.of(a.name):
        unlock_server(agency.url(a), PASSPHRASE)
    for _ in range(2):
        for s in (a, b):
            agency.server_sync(s)
    assert dump(a.path) == dump(b.path)
    assert lost_edits([a.path, b.path]) == []
    assert "Private client of a, waiting for the key" in _names(b)
    assert leaks(server_rows(agency.admin_url), client_texts(a.path)) == []
    assert agency.plain_on_server() == (0, 0)
