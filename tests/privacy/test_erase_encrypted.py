"""The three-station erase of test_erase_sync over an encrypted shared folder (issue 17): the
share's files are ciphertext anyway, so the test opens them with the agency key, as a
station does. After the erase and a sync round every file that held the person's data is
gone from the share, what remains opens to content without any of it, and every station
holds the same data."""

from __future__ import annotations

from pathlib import Path

import pytest

from db.sync.encrypted import EncryptedTransport
from db.sync.encryption import secure
from db.sync.folder import FolderTransport
from tests.privacy.people import BUSINESS
from tests.privacy.test_erase import strings_in
from tests.privacy.test_erase_sync import (
    check_erased_everywhere,
    erase_on_three_stations,
    everything_gone,
    share_bytes,
)
from tests.sync.encryption_helpers import cheap_key_derivation, encrypt_bench
from tests.sync.harness import bench


class OpenedShare:
    """Every change file and snapshot on the share, opened with the agency key; remembers
    which files held any of the person's strings."""

    def __init__(self, share: Path, scratch: Path) -> None:
        self.share = share
        self.scratch = scratch
        scratch.mkdir()
        self.held: set[Path] = set()  # files that held her data, by path on the share

    def files(self) -> dict[Path, bytes]:
        folder = FolderTransport(self.share)
        transport = secure(folder, folder.read_meta(), self.share)
        assert isinstance(transport, EncryptedTransport)
        opened: dict[Path, bytes] = {}
        root = self.share / "AgencyDesk"
        for station in transport.list_stations():
            refs, _skipped = transport.list_changes(station, 0)
            for ref in refs:
                name = f"{ref.seq:012d}-{ref.sha256}.jsonl"
                opened[root / "changes" / station / name] = transport.read_change(ref)
        for snap in transport.list_snapshots():
            dest = self.scratch / "snapshot.sqlite"
            transport.fetch_snapshot(snap, dest)
            opened[root / "snapshots" / snap.name] = dest.read_bytes()
            dest.unlink()
        assert all(path.is_file() for path in opened), "each one named as it lies on the share"
        return opened

    def __call__(self) -> bytes:
        opened = self.files()
        for path, data in opened.items():
            if strings_in(data, everything_gone()):
                self.held.add(path)
        return b"".join(opened.values())


def test_an_erase_retires_every_encrypted_file_that_held_the_person(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cheap_key_derivation(monkeypatch)
    with bench(tmp_path, 3) as b:
        encrypt_bench(b)
        opened = OpenedShare(b.share, tmp_path / "opened")
        s = erase_on_three_stations(b.stations, b.sync, opened)
        # The share itself is ciphertext: not even the client's history reads in the clear.
        assert strings_in(share_bytes(b.share), list(BUSINESS.values())) == []
        assert opened.held, "her data was on the share before the erase was retired"
        on_share = {p for p in b.share.rglob("*") if p.is_file()}
        assert not opened.held & on_share, "files that held her data are gone"
        check_erased_everywhere(s, b.stations, opened())
