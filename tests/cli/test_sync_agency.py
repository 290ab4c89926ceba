"""One agency per shared folder (issue 9 §2): the first database to use a share records its
agency there; a database of another agency — two demo agencies pointed at one folder — is
refused with exit code 2 and a message naming both, with the share and both databases left as
they were; a new database joins with all the data; the shared folder is remembered in the
database itself; and databases from before agencies were recorded keep syncing with their own
share without being able to claim someone else's."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from db.database import open_database
from db.models import Client
from db.operations import Create, Operation, SetSetting
from db.settings import AGENCY_NAME
from db.store import Store
from db.sync import SyncError, sync
from db.sync import local_settings as settings
from db.sync.folder import FolderTransport
from desktop.cli import main
from tests.sync.harness import dump


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def database_with(path: Path, op: Operation) -> None:
    """A new database at `path` whose one edit is `op`."""
    store = Store(open_database(path, create=True))
    store.apply(op)
    store.close()


def share_state(share: Path) -> dict[str, bytes]:
    return {str(p.relative_to(share)): p.read_bytes() for p in share.rglob("*") if p.is_file()}


def db_state(path: Path) -> tuple[bytes, list[str]]:
    conn = sqlite3.connect(path)
    try:
        lines = list(conn.iterdump())
    finally:
        conn.close()
    return path.read_bytes(), lines


def agency_of(path: Path) -> str | None:
    conn = sqlite3.connect(path)
    try:
        return settings.agency_id(conn.execute)
    finally:
        conn.close()


def recorded(share: Path) -> dict:
    return json.loads((share / "AgencyDesk" / "agency.json").read_text())


def demo(capsys: pytest.CaptureFixture[str], path: Path, today: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    assert run_cli(capsys, "demo", "--db", str(path), "--today", today)[0] == 0
    return path


def synced_office(capsys: pytest.CaptureFixture[str], tmp_path: Path, share: Path) -> Path:
    """The demo agency at the office, synced once to the share."""
    office = demo(capsys, tmp_path / "office.sqlite", "2025-03-12")
    assert run_cli(capsys, "sync", "--db", str(office), "--share", str(share))[0] == 0
    return office


def test_a_second_demo_agency_is_refused_and_nothing_moves(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, share: Path
) -> None:
    first = demo(capsys, tmp_path / "first" / "agency.sqlite", "2025-03-12")
    second = demo(capsys, tmp_path / "second" / "agency.sqlite", "2026-01-20")
    code, out, err = run_cli(capsys, "sync", "--db", str(first), "--share", str(share))
    assert code == 0 and err == ""
    assert recorded(share)["agency_id"] == agency_of(first)
    assert recorded(share)["name"] == "Harbour & Pine Studio"

    share_before, first_before, second_before = (
        share_state(share),
        db_state(first),
        db_state(second),
    )
    code, out, err = run_cli(capsys, "sync", "--db", str(second), "--share", str(share))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    # Both agencies are named; they have the same name, so their ids tell them apart.
    assert err.count("“Harbour & Pine Studio”") == 2
    first_id, second_id = agency_of(first), agency_of(second)
    assert first_id and second_id and first_id != second_id
    assert first_id[:12] in err and second_id[:12] in err
    assert "nothing was sent or received" in err and "Join a Shared Agency" in err
    assert share_state(share) == share_before
    assert db_state(first) == first_before
    assert db_state(second) == second_before


def test_agencies_with_different_names_are_named_without_ids(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, share: Path
) -> None:
    ours = tmp_path / "ours.sqlite"
    database_with(ours, SetSetting(AGENCY_NAME, "Bright Ideas"))
    theirs = demo(capsys, tmp_path / "theirs.sqlite", "2025-03-12")
    assert run_cli(capsys, "sync", "--db", str(theirs), "--share", str(share))[0] == 0
    code, _, err = run_cli(capsys, "sync", "--db", str(ours), "--share", str(share))
    assert code == 2
    assert "“Harbour & Pine Studio”" in err and "“Bright Ideas”" in err
    assert "agency id" not in err


def test_a_new_database_joins_the_demo_agency_and_both_work_on(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, share: Path
) -> None:
    office = synced_office(capsys, tmp_path, share)
    laptop = tmp_path / "laptop.sqlite"
    code, out, _ = run_cli(
        capsys, "sync", "--db", str(laptop), "--share", str(share), "--station-name", "Laptop"
    )
    assert code == 0 and "joined the share" in out
    assert agency_of(laptop) == agency_of(office)
    assert dump(laptop) == dump(office)
    store = Store(open_database(laptop))
    store.apply(Create(Client, {"name": "Made on the laptop"}))
    store.close()
    for path in (laptop, office):
        assert run_cli(capsys, "sync", "--db", str(path), "--share", str(share))[0] == 0
    assert dump(laptop) == dump(office)


def test_the_shared_folder_is_remembered_in_the_database(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, share: Path
) -> None:
    db = tmp_path / "agency.sqlite"
    Store(open_database(db, create=True)).close()
    conn = sqlite3.connect(db)
    assert settings.read_settings(conn.execute) is None  # never configured
    conn.close()
    assert run_cli(capsys, "sync", "--db", str(db), "--share", str(share))[0] == 0
    conn = sqlite3.connect(db)
    try:
        stored = settings.read_settings(conn.execute)
        assert stored is not None and stored.share == str(share.absolute())
        # A choice made afterwards (sync off, say) is the database's and stays.
        settings.write_settings(conn.execute, None, 0, "Desk")
        conn.commit()
    finally:
        conn.close()
    assert run_cli(capsys, "sync", "--db", str(db), "--share", str(share))[0] == 0
    conn = sqlite3.connect(db)
    try:
        assert settings.read_settings(conn.execute) == settings.StationSettings(None, 0, "Desk")
    finally:
        conn.close()


def test_the_share_path_never_travels_in_a_snapshot(tmp_path: Path, share: Path) -> None:
    db = tmp_path / "agency.sqlite"
    Store(open_database(db, create=True)).close()
    sync(db, share, compact=True)
    (snapshot,) = (share / "AgencyDesk" / "snapshots").glob("*.sqlite")
    conn = sqlite3.connect(snapshot)
    try:
        assert conn.execute("SELECT count(*) FROM sync_settings").fetchone()[0] == 0
        # The agency is the agency's: a snapshot carries it.
        assert settings.agency_id(conn.execute) == agency_of(db)
    finally:
        conn.close()


def test_an_empty_database_takes_the_agency_of_the_share_it_is_pointed_at(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, share: Path
) -> None:
    office = synced_office(capsys, tmp_path, share)
    blank = tmp_path / "blank.sqlite"
    Store(open_database(blank, create=True)).close()
    code, out, _ = run_cli(capsys, "sync", "--db", str(blank), "--share", str(share))
    assert code == 0 and "joined the share" in out
    assert agency_of(blank) == agency_of(office)
    assert dump(blank) == dump(office)


def test_a_database_with_a_typed_setting_is_not_blank_and_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, share: Path
) -> None:
    synced_office(capsys, tmp_path, share)
    mine = tmp_path / "mine.sqlite"
    database_with(mine, SetSetting(AGENCY_NAME, "Solo Studio"))
    code, _, err = run_cli(capsys, "sync", "--db", str(mine), "--share", str(share))
    assert code == 2 and "“Solo Studio”" in err


# -- databases and shares from before agencies were recorded ----------------------------------


def make_legacy(path: Path, *, agency: str | None = None) -> None:
    """What migration 0004 leaves in a database that had synced: no agency id yet."""
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE sync_agency SET agency_id = ?", (agency,))
    conn.close()


def test_stations_of_an_old_share_keep_syncing_and_record_their_agency(
    tmp_path: Path, share: Path
) -> None:
    a, b = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    database_with(a, Create(Client, {"name": "Acme"}))
    sync(a, share, compact=False)
    sync(b, share, compact=False)  # joins
    # The share as an older version left it: no agency record; both databases upgraded.
    (share / "AgencyDesk" / "agency.json").unlink()
    make_legacy(a)
    make_legacy(b)
    sync(b, share, compact=False)
    assert agency_of(b) == recorded(share)["agency_id"]
    sync(a, share, compact=False)
    assert agency_of(a) == agency_of(b)
    # A database that never synced there cannot claim the old share's agency.
    stranger = tmp_path / "stranger.sqlite"
    database_with(stranger, Create(Client, {"name": "Not theirs"}))
    with pytest.raises(SyncError, match="belongs to the agency"):
        sync(stranger, share, compact=False)


def old_share(tmp_path: Path, share: Path, *, compact: bool) -> Path:
    """A station's database synced to a share that then lost its agency record, as older
    versions left shares; returns the station's database."""
    a = tmp_path / "a.sqlite"
    database_with(a, Create(Client, {"name": "Acme"}))
    sync(a, share, compact=compact)
    (share / "AgencyDesk" / "agency.json").unlink()
    return a


def test_an_old_share_without_a_record_refuses_a_database_that_never_synced_there(
    tmp_path: Path, share: Path
) -> None:
    old_share(tmp_path, share, compact=False)
    other = tmp_path / "other.sqlite"
    database_with(other, Create(Client, {"name": "Other"}))
    before = share_state(share)
    with pytest.raises(SyncError, match="older Agency Desk") as caught:
        sync(other, share, compact=False)
    assert "Join a Shared Agency" in str(caught.value)
    assert share_state(share) == before
    assert not (share / "AgencyDesk" / "agency.json").exists()


def test_an_empty_database_joins_an_old_share_in_place_and_records_its_agency(
    tmp_path: Path, share: Path
) -> None:
    a = old_share(tmp_path, share, compact=True)  # as an older version left it
    make_legacy(a)
    blank = tmp_path / "blank.sqlite"
    Store(open_database(blank, create=True)).close()
    assert sync(blank, share, compact=False).joined
    assert dump(blank) == dump(a)
    assert recorded(share)["agency_id"] == agency_of(blank)
    sync(a, share, compact=False)  # the old station recognises itself and takes the record
    assert agency_of(a) == agency_of(blank)


def test_a_damaged_agency_record_stops_sync_and_is_not_overwritten(
    tmp_path: Path, share: Path
) -> None:
    a = tmp_path / "a.sqlite"
    sync(a, share, compact=False)
    record = share / "AgencyDesk" / "agency.json"
    record.write_bytes(b'{"agency_id": "3f2')  # half downloaded
    with pytest.raises(SyncError, match=r"agency\.json"):
        sync(a, share, compact=False)
    assert record.read_bytes() == b'{"agency_id": "3f2'
    record.write_text(json.dumps({"agency_id": "not hex", "name": "x"}))
    with pytest.raises(SyncError, match="not valid"):
        sync(a, share, compact=False)


def test_later_runs_may_leave_the_share_out(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, share: Path
) -> None:
    db = tmp_path / "laptop.sqlite"
    code, _, err = run_cli(capsys, "sync", "--db", str(db))
    assert code == 2 and "--share DIR is needed" in err and not db.exists()
    assert run_cli(capsys, "sync", "--db", str(db), "--share", str(share))[0] == 0
    code, out, _ = run_cli(capsys, "sync", "--db", str(db))
    assert code == 0 and out.startswith("sync: ")


class LateListing(FolderTransport):
    """A share whose first look at agency.json misses a record another station has just
    written (two stations using an empty share at the same moment)."""

    def __init__(self, share: Path, other: dict) -> None:
        super().__init__(share)
        self.other = other
        self.looked = False

    def read_agency(self) -> dict | None:
        if not self.looked:
            self.looked = True
            FolderTransport(self.share).claim_agency(self.other)  # the other one wins
            return None
        return super().read_agency()


def test_two_agencies_using_an_empty_share_at_once_one_wins_the_other_is_refused(
    tmp_path: Path, share: Path
) -> None:
    mine = tmp_path / "mine.sqlite"
    database_with(mine, Create(Client, {"name": "Mine"}))
    theirs = {"format": 1, "agency_id": "a" * 32, "name": "Quick Studio"}
    FolderTransport(share).check()
    with pytest.raises(SyncError, match="Quick Studio"):
        sync(mine, share, transport=LateListing(share, theirs), compact=False)
    assert recorded(share) == theirs
    assert not list((share / "AgencyDesk" / "changes").iterdir())  # nothing was pushed
    assert agency_of(mine) != theirs["agency_id"]


def _at_0003(path: Path, *, synced: bool) -> None:
    from alembic import command

    from db.database import alembic_config, make_engine

    engine = make_engine(path)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0003")
        if synced:
            conn.exec_driver_sql("UPDATE sync_ctl SET seq = 3")
    engine.dispose()


def test_the_upgrade_gives_a_never_synced_database_its_own_agency_and_a_synced_one_none(
    tmp_path: Path,
) -> None:
    never, synced = tmp_path / "never.sqlite", tmp_path / "synced.sqlite"
    _at_0003(never, synced=False)
    _at_0003(synced, synced=True)
    for path in (never, synced):
        open_database(path).dispose()  # upgrades (after a backup) to the current schema
    assert len(agency_of(never) or "") == 32
    assert agency_of(synced) is None  # taken from its share on the next sync
    conn = sqlite3.connect(never)
    try:
        assert settings.read_settings(conn.execute) is None  # never configured
    finally:
        conn.close()
