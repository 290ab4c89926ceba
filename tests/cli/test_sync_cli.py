"""`agency-desk sync`: two stations converge through a shared folder from the command line, a
new database joins the share with all its data, and a share or database that cannot be used
ends in one line on stderr and exit code 2 with nothing changed."""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from db.database import open_database
from db.models import Client
from db.operations import Create, Update
from db.store import Store
from desktop.cli import main


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def client_names(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return sorted(name for (name,) in conn.execute("SELECT name FROM client"))
    finally:
        conn.close()


def new_station(path: Path, *names: str) -> Store:
    store = Store(open_database(path, create=True))
    for name in names:
        store.apply(Create(Client, {"name": name}))
    return store


def test_two_stations_converge_through_the_command_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, share: Path
) -> None:
    a_path, b_path = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    new_station(a_path, "Acme Bakery").close()

    code, out, err = run_cli(capsys, "sync", "--db", str(a_path), "--share", str(share))
    assert (code, err) == (0, "")
    assert out.startswith("sync: sent 1 change,") and out.count("\n") == 1
    # The second station joins the agency (a new database), then works on its own.
    code, out, _ = run_cli(
        capsys, "sync", "--db", str(b_path), "--share", str(share), "--station-name", "Front desk"
    )
    assert code == 0 and "joined the share" in out
    assert client_names(b_path) == ["Acme Bakery"]
    b = Store(open_database(b_path))
    b.apply(Create(Client, {"name": "Blue Harbor Hotels"}))
    b.close()
    code, out, _ = run_cli(capsys, "sync", "--db", str(b_path), "--share", str(share))
    assert code == 0 and "sent 1 change," in out
    assert run_cli(capsys, "sync", "--db", str(a_path), "--share", str(share))[0] == 0

    assert client_names(a_path) == client_names(b_path) == ["Acme Bakery", "Blue Harbor Hotels"]

    # An edit on one station reaches the other on the next pair of syncs.
    a = Store(open_database(a_path))
    acme = a.session.query(Client).filter_by(name="Acme Bakery").one().id
    a.apply(Update(Client, acme, {"name": "Acme Bakery Ltd"}))
    a.close()
    run_cli(capsys, "sync", "--db", str(a_path), "--share", str(share))
    code, out, _ = run_cli(capsys, "sync", "--db", str(b_path), "--share", str(share))
    assert code == 0 and "received 1" in out
    assert client_names(b_path) == ["Acme Bakery Ltd", "Blue Harbor Hotels"]


def test_a_database_that_does_not_exist_yet_joins_the_share(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, share: Path
) -> None:
    first = tmp_path / "first.sqlite"
    new_station(first, "Acme Bakery", "Cedar & Sons").close()
    assert run_cli(capsys, "sync", "--db", str(first), "--share", str(share))[0] == 0

    laptop = tmp_path / "laptop.sqlite"
    code, out, err = run_cli(
        capsys, "sync", "--db", str(laptop), "--share", str(share), "--station-name", "Laptop"
    )
    assert (code, err) == (0, "")
    assert "joined the share" in out
    assert client_names(laptop) == ["Acme Bakery", "Cedar & Sons"]
    conn = sqlite3.connect(laptop)
    assert conn.execute("SELECT station_name FROM sync_ctl").fetchone() == ("Laptop",)
    conn.close()


def test_a_missing_share_is_exit_code_2_and_creates_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "new.sqlite"
    code, out, err = run_cli(capsys, "sync", "--db", str(db), "--share", str(tmp_path / "nas"))
    assert code == 2 and out == ""
    assert "shared folder" in err and "nas" in err and "not reachable" in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not db.exists()


@pytest.mark.skipif(
    sys.platform == "win32" or (hasattr(os, "geteuid") and os.geteuid() == 0),
    reason="needs POSIX permissions that bind (root ignores them)",
)
def test_a_read_only_share_is_exit_code_2_and_keeps_the_outbox(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, share: Path
) -> None:
    db = tmp_path / "a.sqlite"
    new_station(db, "Acme Bakery").close()
    share.chmod(0o555)
    try:
        code, out, err = run_cli(capsys, "sync", "--db", str(db), "--share", str(share))
    finally:
        share.chmod(0o755)
    assert code == 2 and out == ""
    assert "read-only" in err and err.count("\n") == 1
    # Nothing was marked sent: the next sync, with the share writable again, sends it.
    code, out, _ = run_cli(capsys, "sync", "--db", str(db), "--share", str(share))
    assert code == 0 and "sent 1 change," in out


@pytest.mark.parametrize(
    ("code", "words"),
    [(errno.ENOSPC, "is full"), (errno.EROFS, "read-only")],
    ids=["full", "read-only-mount"],
)
def test_a_full_or_read_only_share_simulated_is_exit_code_2(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    share: Path,
    monkeypatch: pytest.MonkeyPatch,
    code: int,
    words: str,
) -> None:
    from db.sync.folder import FolderTransport

    def refuse(self: FolderTransport, path: Path, data: bytes) -> None:
        raise OSError(code, os.strerror(code), str(path))

    db = tmp_path / "a.sqlite"
    new_station(db, "Acme Bakery").close()
    monkeypatch.setattr(FolderTransport, "_write_bytes", refuse)
    exit_code, out, err = run_cli(capsys, "sync", "--db", str(db), "--share", str(share))
    assert exit_code == 2 and out == ""
    assert words in err and err.count("\n") == 1
    monkeypatch.undo()
    exit_code, out, _ = run_cli(capsys, "sync", "--db", str(db), "--share", str(share))
    assert exit_code == 0 and "sent 1 change," in out  # the outbox kept what was not sent


def test_a_file_that_is_not_a_database_is_exit_code_2_and_left_alone(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, share: Path
) -> None:
    notes = tmp_path / "notes.sqlite"
    notes.write_bytes(b"shopping list\n" * 100)
    before = notes.read_bytes()
    code, out, err = run_cli(capsys, "sync", "--db", str(notes), "--share", str(share))
    assert code == 2 and out == ""
    assert "notes.sqlite" in err and err.count("\n") == 1
    assert notes.read_bytes() == before


def test_a_database_in_a_missing_folder_or_a_folder_as_database_is_exit_code_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, share: Path
) -> None:
    code, _, err = run_cli(
        capsys, "sync", "--db", str(tmp_path / "nope" / "a.sqlite"), "--share", str(share)
    )
    assert code == 2 and "no such folder" in err
    code, _, err = run_cli(capsys, "sync", "--db", str(tmp_path), "--share", str(share))
    assert code == 2 and "not a database file" in err


def test_the_installed_command_syncs_in_a_real_process(tmp_path: Path, share: Path) -> None:
    db = tmp_path / "a.sqlite"
    done = subprocess.run(
        [sys.executable, "-m", "desktop", "sync", "--db", str(db), "--share", str(share)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("sync: sent 0 changes") and "joined the share" in done.stdout
    missing = subprocess.run(
        [sys.executable, "-m", "desktop", "sync", "--db", str(db), "--share", str(tmp_path / "x")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1
