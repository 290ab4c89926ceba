"""A station's live database stays on its own disk: SQLite's locks and WAL do not hold on
network file systems, so opening one there is refused, and sync never lets the database sit
inside the share."""

from __future__ import annotations

from pathlib import Path

import pytest

from db import local_disk
from db.database import open_database
from db.errors import NetworkDriveError
from db.sync.engine import sync
from db.sync.errors import DatabaseOnShareError

MOUNTS = """\
22 27 0:21 / /proc rw,relatime - proc proc rw
27 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw
40 27 0:50 / /mnt/nas rw,relatime - nfs4 nas:/export rw
41 40 8:2 / /mnt/nas/local-cache rw,relatime - ext4 /dev/sdb1 rw
42 27 0:51 / /media/team\\040drive rw,relatime - cifs //server/team rw
"""


def test_the_longest_mount_point_names_the_file_system() -> None:
    assert local_disk._linux_fstype(Path("/home/ann/agency.sqlite"), MOUNTS) == "ext4"
    assert local_disk._linux_fstype(Path("/mnt/nas/agency.sqlite"), MOUNTS) == "nfs4"
    assert local_disk._linux_fstype(Path("/mnt/nas/local-cache/a.sqlite"), MOUNTS) == "ext4"
    assert local_disk._linux_fstype(Path("/media/team drive/a.sqlite"), MOUNTS) == "cifs"
    assert local_disk._linux_fstype(Path("/mnt/nasty/a.sqlite"), MOUNTS) == "ext4"


def test_this_machines_temp_folder_is_local(tmp_path: Path) -> None:
    assert local_disk.network_filesystem(tmp_path / "agency.sqlite") is None


def test_a_database_on_a_network_drive_is_refused_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("db.database.network_filesystem", lambda _path: "nfs4")
    with pytest.raises(NetworkDriveError, match=r"network drive \(nfs4\).*share through Sync"):
        open_database(tmp_path / "agency.sqlite", create=True)
    assert list(tmp_path.iterdir()) == []


def test_sync_refuses_a_database_inside_the_share(tmp_path: Path) -> None:
    share = tmp_path / "share"
    share.mkdir()
    with pytest.raises(DatabaseOnShareError, match="must not live inside the shared folder"):
        sync(share / "AgencyDesk" / "station.sqlite", share)
    assert not (share / "AgencyDesk" / "station.sqlite").exists()
