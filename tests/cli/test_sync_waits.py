"""`agency-desk sync` says when changes wait for an earlier file that is not on the share
yet (a change made after seeing another station's, whose file has not arrived here), whose
they are and what they wait for, and stops saying it once that file has arrived."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from db.database import open_database
from db.models import Client
from db.operations import Create, Update
from db.store import Store
from db.sync import sync


def _edit(path: Path, op: Create | Update) -> None:
    store = Store(open_database(path))
    try:
        store.apply(op)
    finally:
        store.close()


def _cli_sync(db: Path, share: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "desktop", "sync", "--db", str(db), "--share", str(share)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_changes_waiting_for_an_earlier_file_are_named_until_it_arrives(tmp_path: Path) -> None:
    share = tmp_path / "share"
    share.mkdir()
    ana, ben, cleo = (tmp_path / f"{n}.sqlite" for n in ("ana", "ben", "cleo"))
    sync(ben, share, station_name="Ben")
    sync(ana, share, station_name="Ana")
    sync(cleo, share, station_name="Cleo")
    acme = Create(Client, {"name": "Acme Bakery"})
    _edit(ben, acme)
    sync(ben, share, station_name="Ben")
    ben_file = max(
        (share / "AgencyDesk" / "changes").glob("*/*.jsonl"), key=lambda p: p.stat().st_mtime_ns
    )
    sync(ana, share, station_name="Ana")  # Ana has Ben's client, and renames it
    _edit(ana, Update(Client, acme.id, {"name": "Acme Bakery Ltd"}))
    _edit(ana, Update(Client, acme.id, {"industry": "Food"}))
    sync(ana, share, station_name="Ana")

    later = tmp_path / ben_file.name
    ben_file.rename(later)  # Cleo's cloud client has not brought Ben's file down yet
    out = _cli_sync(cleo, share)
    assert (
        "2 changes from Ana's station are waiting for an earlier file from Ben's station "
        "(not yet on the share)" in out
    ), out
    assert out.count("\n") == 1

    later.rename(ben_file)
    out = _cli_sync(cleo, share)
    assert "waiting" not in out, out
    names = Store(open_database(cleo))
    try:
        assert [c.name for c in names.session.query(Client)] == ["Acme Bakery Ltd"]
    finally:
        names.close()
