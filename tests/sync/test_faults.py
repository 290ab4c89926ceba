"""Faults, one test each: damaged and odd files on the share, gaps, a share that is missing,
read-only, full or vanishes mid-write, two instances, a cloned disk, a long absence, and a
process killed (SIGKILL, a real subprocess) at every step of push, pull, apply, compaction
and joining (including a half-created file an older version left)."""

from __future__ import annotations

import errno
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from db.database import open_database
from db.errors import DatabaseInUseError
from db.models import Client
from db.operations import Create, Update
from db.sync import (
    ShareFullError,
    ShareMissingError,
    ShareReadOnlyError,
    SyncBusyError,
    sync,
)
from db.sync.command import main as cli_main
from db.sync.engine import _one_sync_at_a_time
from db.sync.faults import ENV
from db.sync.folder import FolderTransport, sha256
from tests.sync.harness import Bench, dump, lost_edits

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def two(tmp_path: Path):
    bench = Bench(tmp_path, 2)
    yield bench
    bench.close()


def _files(bench: Bench, station) -> list[Path]:
    folder = bench.share / "AgencyDesk" / "changes" / station.station_id
    return sorted(folder.glob("*.jsonl"))


def _names(station) -> list[str]:
    return [r[0] for r in station.sql("SELECT name FROM client ORDER BY name")]


def _unsent(station) -> int:
    return station.sql(
        "SELECT count(*) FROM sync_outbox WHERE id > (SELECT sent_id FROM sync_ctl)"
    )[0][0]


def _converged(bench: Bench) -> None:
    for s in bench.stations:
        s.close()
    bench.settle(2)
    first = dump(bench.stations[0].path)
    assert all(dump(s.path) == first for s in bench.stations[1:])
    assert lost_edits([s.path for s in bench.stations]) == []


# -- damaged and odd files --------------------------------------------------------------------


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
        pytest.param(lambda data: b"", id="zero-byte"),
        pytest.param(lambda data: data.replace(b"Acme", b"Acmf"), id="checksum-failing"),
    ],
)
def test_a_damaged_file_is_skipped_and_applied_once_whole(two: Bench, damage) -> None:
    a, b = two.stations
    a.apply(Create(Client, {"name": "Acme"}))
    two.sync(a)
    (path,) = _files(two, a)
    good = path.read_bytes()
    path.write_bytes(damage(good))
    result = two.sync(b)
    assert _names(b) == []
    assert any("checksum" in s.reason for s in result.skipped)
    path.write_bytes(good)  # the cloud client finished downloading
    two.sync(b)
    assert _names(b) == ["Acme"]


def test_garbage_with_a_valid_name_is_skipped_with_a_reason(two: Bench) -> None:
    a, b = two.stations
    folder = two.share / "AgencyDesk" / "changes" / a.station_id
    folder.mkdir(parents=True)
    junk = b"\x00\xffnot json at all"
    (folder / f"{1:012d}-{sha256(junk)}.jsonl").write_bytes(junk)
    result = two.sync(b)
    assert any("not a change file" in s.reason for s in result.skipped)


def test_a_file_from_a_newer_format_is_refused(two: Bench) -> None:
    a, b = two.stations
    folder = two.share / "AgencyDesk" / "changes" / a.station_id
    folder.mkdir(parents=True)
    data = json.dumps({"format": 99, "schema": "9999", "seq": 1, "station": a.station_id})
    data_b = (data + "\n").encode()
    (folder / f"{1:012d}-{sha256(data_b)}.jsonl").write_bytes(data_b)
    result = two.sync(b)
    assert any("newer format" in s.reason for s in result.skipped)


def test_conflicted_copies_and_temp_files_are_skipped(two: Bench) -> None:
    a, b = two.stations
    a.apply(Create(Client, {"name": "Acme"}))
    two.sync(a)
    (path,) = _files(two, a)
    shutil.copy(path, path.with_name(path.stem + " (Bob's conflicted copy 2026-11-27).jsonl"))
    shutil.copy(path, path.with_name("." + path.name + ".123.tmp"))
    result = two.sync(b)
    assert _names(b) == ["Acme"]
    reasons = {s.reason for s in result.skipped}
    assert "a cloud client's conflicted copy" in reasons
    assert any("temporary" in r for r in reasons)


def test_a_gap_waits_and_out_of_order_arrival_applies_in_order(two: Bench) -> None:
    a, b = two.stations
    op = Create(Client, {"name": "v1"})
    a.apply(op)
    two.sync(a)
    a.apply(Update(Client, op.id, {"name": "v2"}))
    two.sync(a)
    first, _second = _files(two, a)
    hidden = first.with_name("held-back")
    first.rename(hidden)  # the first file has not arrived yet; the second has
    result = two.sync(b)
    assert _names(b) == [] and result.waiting == 1
    hidden.rename(first)
    two.sync(b)
    assert _names(b) == ["v2"]


# -- the share fails ----------------------------------------------------------------------------


class FaultyFolder(FolderTransport):
    def __init__(self, share: Path, fail: str, code: int) -> None:
        super().__init__(share)
        self.fail, self.code = fail, code

    def _write_bytes(self, path: Path, data: bytes) -> None:
        if self.fail == "write" and path.suffix == ".tmp" and "changes" in str(path):
            raise OSError(self.code, os.strerror(self.code), str(path))
        super()._write_bytes(path, data)

    def _replace(self, src: Path, dst: Path) -> None:
        if self.fail == "rename":
            src.unlink()  # the share went away under us
            raise OSError(self.code, os.strerror(self.code), str(dst))
        super()._replace(src, dst)


@pytest.mark.parametrize(
    ("fail", "code", "error"),
    [
        ("write", errno.EROFS, ShareReadOnlyError),
        ("write", errno.EACCES, ShareReadOnlyError),
        ("write", errno.ENOSPC, ShareFullError),
        ("rename", errno.ENOENT, ShareMissingError),
    ],
    ids=["read-only", "permission-denied", "full", "vanishing-mid-write"],
)
def test_share_failures_leave_the_outbox_untouched(two: Bench, fail, code, error) -> None:
    a, b = two.stations
    a.apply(Create(Client, {"name": "Acme"}))
    before = _unsent(a)
    with pytest.raises(error) as caught:
        two.sync(a, transport=FaultyFolder(two.share, fail, code))
    assert "\n" not in str(caught.value) and str(two.share) in str(caught.value)
    assert _unsent(a) == before
    assert not list((two.share / "AgencyDesk").rglob("*.tmp"))
    two.sync(a)  # the share is back
    two.sync(b)
    assert _names(b) == ["Acme"]


def test_cli_exit_codes_and_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "new.sqlite"
    assert cli_main(["--db", str(db), "--share", str(tmp_path / "nowhere")]) == 2
    assert "nowhere" in capsys.readouterr().err
    share = tmp_path / "share"
    share.mkdir()
    assert cli_main(["--db", str(db), "--share", str(share), "--station-name", "Desk"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("sync: ") and out.count("\n") == 1


def test_a_new_station_joins_with_all_the_data(two: Bench, tmp_path: Path) -> None:
    a, _b = two.stations
    for i in range(3):
        a.apply(Create(Client, {"name": f"c{i}"}))
    two.sync(a, compact=True)
    a.apply(Create(Client, {"name": "after the snapshot"}))
    two.sync(a)
    fresh = tmp_path / "fresh.sqlite"
    result = sync(fresh, two.share, station_name="New desk")
    assert result.joined
    assert dump(fresh) == dump(a.path)


def test_two_instances_on_one_station_do_not_sync_at_once(two: Bench) -> None:
    a, _ = two.stations
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(a.path)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        with pytest.raises(DatabaseInUseError, match="is open in 'agency-desk sync'"):
            two.sync(a)
    finally:
        holder.kill()
        holder.wait()
    two.sync(a)  # and once the other instance is gone, syncing works


def test_one_instance_does_not_start_a_second_sync_while_one_runs(two: Bench) -> None:
    a, _ = two.stations
    with _one_sync_at_a_time(a.path), pytest.raises(SyncBusyError):
        two.sync(a)


# Another Agency Desk process syncing station `argv[1]`: it holds the database until killed.
HOLD_LOCK = """
import sys, time
from db import instance_lock
instance_lock.identify("'agency-desk sync'", app=False)
instance_lock.acquire(sys.argv[1])
print("holding", flush=True)
time.sleep(60)
"""


def test_a_cloned_disk_is_detected_and_both_copies_converge(tmp_path: Path) -> None:
    bench = Bench(tmp_path, 3)
    try:
        a, b, clone = bench.stations
        a.apply(Create(Client, {"name": "before cloning"}))
        bench.sync(a)
        a.close()
        clone.close()
        shutil.copy(a.path, clone.path)  # the disk image is copied to a new laptop
        assert clone.station_id == a.station_id
        a.apply(Create(Client, {"name": "on the original"}))
        clone.apply(Create(Client, {"name": "on the clone"}))
        bench.sync(a)
        result = bench.sync(clone)
        assert result.rekeyed and clone.station_id != a.station_id
        _converged(bench)
        assert _names(b) == ["before cloning", "on the clone", "on the original"]
    finally:
        bench.close()


def test_a_station_offline_longer_than_retention_rebuilds(tmp_path: Path) -> None:
    bench = Bench(tmp_path, 3)
    retention = 60_000
    try:
        a, b, away = bench.stations
        op = Create(Client, {"name": "shared"})
        a.apply(op)
        bench.settle(1)
        away.apply(Update(Client, op.id, {"industry": "edited while away"}))
        for i in range(3):
            a.apply(Create(Client, {"name": f"new {i}"}))
            bench.sync(a)
        bench.sync(a, compact=True, retention_ms=retention)
        # Ten retention periods later by the share's clock (the times it gave the files)
        # the snapshot is old enough and the away station's ack is stale.
        meta_path = bench.share / "AgencyDesk" / "meta.json"
        meta = json.loads(meta_path.read_text())
        for entry in meta["snapshots"]:
            entry["share_ms"] -= 10 * retention
        meta_path.write_text(json.dumps(meta))
        ack = bench.share / "AgencyDesk" / "acks" / f"{away.station_id}.json"
        stale = time.time() - 10 * retention / 1000
        os.utime(ack, (stale, stale))
        bench.sync(b)
        bench.sync(a, compact=True, retention_ms=retention)
        assert len(_files(bench, a)) < 4, "compaction removed change files nobody needs"
        meta = json.loads(meta_path.read_text())
        assert away.station_id in meta["snapshots"][-1]["inactive"]
        result = bench.sync(away)
        assert result.rebuilt
        _converged(bench)
        assert "new 2" in _names(away)
        assert a.sql("SELECT industry FROM client WHERE id = ?", (op.id,)) == [
            ("edited while away",)
        ]
    finally:
        bench.close()


# -- SIGKILL at every step -------------------------------------------------------------------

SCRIPT = """
import sys
import time
from pathlib import Path
from db.sync import sync
sync(Path(sys.argv[1]), Path(sys.argv[2]), compact=sys.argv[3] == "1")
"""

CRASH_POINTS = [
    ("push.before_write", "a"),
    ("share.after_tmp_write", "a"),
    ("share.after_rename", "a"),
    ("push.after_write", "a"),
    ("push.before_mark_commit", "a"),
    ("apply.before_commit", "b"),
    ("apply.after_commit", "b"),
    ("compact.after_lease", "compact"),
    ("compact.before_publish", "compact"),
    ("compact.after_publish", "compact"),
    ("compact.after_meta", "compact"),
]


def _killed_sync(db: Path, share: Path, point: str, compact: bool) -> None:
    env = {**os.environ, ENV: point, "PYTHONPATH": str(REPO)}
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(db), str(share), "1" if compact else "0"],
        env=env,
        capture_output=True,
        timeout=60,
    )
    assert proc.returncode == -9, proc.stderr.decode()[-2000:]


@pytest.mark.parametrize(("point", "who"), CRASH_POINTS, ids=[p for p, _ in CRASH_POINTS])
def test_sigkill_at_every_step_loses_nothing(two: Bench, point: str, who: str) -> None:
    a, b = two.stations
    op = Create(Client, {"name": "first"})
    a.apply(op)
    two.settle(1)
    a.apply(Update(Client, op.id, {"name": "second"}))
    a.apply(Create(Client, {"name": "third"}))
    b.apply(Update(Client, op.id, {"industry": "from b"}))
    for s in two.stations:
        s.close()
    if who == "b":
        two.sync(a)
    _killed_sync((b if who == "b" else a).path, two.share, point, compact=who == "compact")
    _converged(two)
    assert _names(b) == ["second", "third"]
    assert b.sql("SELECT industry FROM client WHERE id = ?", (op.id,)) == [("from b",)]
    seqs = [p.name[:12] for p in _files(two, a)]
    assert len(seqs) == len(set(seqs)), "a re-sent file kept its seq and its bytes"


def test_a_clock_a_month_ahead_does_not_make_everyone_inactive(tmp_path: Path) -> None:
    """The compacting station's clock is a month ahead: by its clock every other ack is a
    month old. By the share's clock C synced a moment ago, so the change file C still needs
    stays, and nobody has to rebuild."""
    bench = Bench(tmp_path, 3)
    week = 7 * 24 * 3600 * 1000
    try:
        a, b, c = bench.stations
        b.apply(Create(Client, {"name": "b1"}))
        bench.settle(1)
        b.apply(Create(Client, {"name": "b2"}))
        bench.sync(b)
        bench.sync(a)  # C has not seen b2 yet
        bench.sync(b, compact=True, retention_ms=week)
        meta_path = bench.share / "AgencyDesk" / "meta.json"
        meta = json.loads(meta_path.read_text())
        for entry in meta["snapshots"]:  # that snapshot is eight days old
            entry["share_ms"] -= 8 * 24 * 3600 * 1000
            entry["wall_ms"] -= 8 * 24 * 3600 * 1000
        meta_path.write_text(json.dumps(meta))
        a.set_clock_offset(31 * 24 * 3600 * 1000)
        bench.sync(a, compact=True, retention_ms=week)
        meta = json.loads(meta_path.read_text())
        assert not meta["snapshots"][-1]["inactive"]
        assert meta["purged"] == {b.station_id: 1}
        assert [p.name[:12] for p in _files(bench, b)] == [f"{2:012d}"]
        _converged(bench)
        assert not any(r.rebuilt for s in bench.stations for r in s.results)
        assert _names(c) == ["b1", "b2"]
    finally:
        bench.close()


def test_one_compactor_at_a_time_and_a_dead_ones_lease_expires(two: Bench) -> None:
    a, b = two.stations
    a.apply(Create(Client, {"name": "Acme"}))
    two.sync(a)
    lease = two.share / "AgencyDesk" / "lease.json"
    now = int(time.time() * 1000)
    lease.write_text(json.dumps({"station": "f" * 16, "expires_ms": now + 60_000}))
    assert not two.sync(b, compact=True).compacted  # someone else is compacting
    lease.write_text(json.dumps({"station": "f" * 16, "expires_ms": now - 1}))
    assert two.sync(b, compact=True).compacted  # that one died; its lease ran out
    assert not lease.exists()
    meta = json.loads((two.share / "AgencyDesk" / "meta.json").read_text())
    assert meta["generation"] == 1 and meta["vector"][a.station_id] == 1


def test_row_counts_are_compared_after_sync(two: Bench) -> None:
    a, b = two.stations
    a.apply(Create(Client, {"name": "Acme"}))
    a.apply(Create(Client, {"name": "Bolt"}))
    _converged(two)
    assert all(not r.mismatched for s in two.stations for r in s.results)
    # Damage b behind sync's back (no outbox record), then move on.
    b.sql("UPDATE sync_ctl SET applying = 1")
    b.sql("DELETE FROM client WHERE name = 'Bolt'")
    b.sql("UPDATE sync_ctl SET applying = 0")
    a.apply(Create(Client, {"name": "Core"}))
    two.sync(a)
    result = two.sync(b)  # b now applied exactly what a had when it acknowledged
    assert result.mismatched == ["s0"]
    assert "row counts differ from s0" in result.summary()


# -- SIGKILL while joining (issue 9 §6) -----------------------------------------------------

JOIN_CRASH_POINTS = [
    "join.after_create",
    "join.before_snapshot",
    "rebuild.before_commit",
    "join.after_snapshot",
    "join.before_rename",
    "join.after_rename",
    "apply.before_commit",
    "apply.after_commit",
]


def _integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def _agency_with_a_snapshot_and_newer_changes(bench: Bench) -> None:
    a, _b = bench.stations
    for i in range(3):
        a.apply(Create(Client, {"name": f"in the snapshot {i}"}))
    bench.sync(a, compact=True)
    a.apply(Create(Client, {"name": "after the snapshot"}))
    bench.sync(a)
    a.close()


@pytest.mark.parametrize("point", JOIN_CRASH_POINTS)
def test_a_join_killed_at_any_step_finishes_on_the_next_run(
    two: Bench, tmp_path: Path, point: str
) -> None:
    _agency_with_a_snapshot_and_newer_changes(two)
    a = two.stations[0]
    fresh = tmp_path / "fresh.sqlite"
    _killed_sync(fresh, two.share, point, compact=False)
    result = sync(fresh, two.share, compact=False)
    assert _integrity(fresh) == "ok"
    assert dump(fresh) == dump(a.path)
    assert not list(tmp_path.glob("fresh.sqlite.joining*"))
    station_ids = {fresh_id for (fresh_id,) in _sql(fresh, "SELECT station_id FROM sync_ctl")}
    assert a.station_id not in station_ids
    if point not in ("join.after_rename", "apply.before_commit", "apply.after_commit"):
        assert result.joined  # the file was not there yet: the join started again


def test_a_first_use_killed_while_recording_the_agency_records_it_on_the_next_run(
    two: Bench,
) -> None:
    a, b = two.stations
    a.apply(Create(Client, {"name": "Acme"}))
    a.close()
    _killed_sync(a.path, two.share, "agency.before_claim", compact=False)
    assert not (two.share / "AgencyDesk" / "agency.json").exists()
    two.sync(a)
    two.sync(b)
    assert _names(b) == ["Acme"]


def _sql(path: Path, query: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(query).fetchall()
    finally:
        conn.close()


def _half_created_by_an_older_version(path: Path) -> None:
    """What a kill during an older version's join left: the schema begun (tables created one
    by one, each committed), no version recorded, no row anywhere."""
    from sqlalchemy import create_engine

    from db.models import Base

    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        tables = Base.metadata.sorted_tables
        Base.metadata.create_all(conn, tables=tables[: len(tables) // 2])
    engine.dispose()


def test_a_half_created_file_from_an_older_version_is_joined_again(
    two: Bench, tmp_path: Path
) -> None:
    _agency_with_a_snapshot_and_newer_changes(two)
    fresh = tmp_path / "fresh.sqlite"
    _half_created_by_an_older_version(fresh)
    assert _sql(fresh, "SELECT count(*) FROM agency_setting") == [(0,)]
    result = sync(fresh, two.share, compact=False)
    assert result.joined
    assert _integrity(fresh) == "ok"
    assert dump(fresh) == dump(two.stations[0].path)


def test_an_empty_file_left_by_a_kill_before_anything_was_written_is_joined_again(
    two: Bench, tmp_path: Path
) -> None:
    _agency_with_a_snapshot_and_newer_changes(two)
    fresh = tmp_path / "fresh.sqlite"
    fresh.write_bytes(b"")
    assert sync(fresh, two.share, compact=False).joined
    assert dump(fresh) == dump(two.stations[0].path)


def test_an_empty_database_killed_while_joining_in_place_finishes_on_the_next_run(
    two: Bench, tmp_path: Path
) -> None:
    _agency_with_a_snapshot_and_newer_changes(two)
    blank = tmp_path / "blank.sqlite"
    open_database(blank, create=True).dispose()
    _killed_sync(blank, two.share, "rebuild.before_commit", compact=False)
    sync(blank, two.share, compact=False)
    assert _integrity(blank) == "ok"
    assert dump(blank) == dump(two.stations[0].path)


def test_a_complete_but_empty_file_from_an_older_version_is_joined_in_place(
    two: Bench, tmp_path: Path
) -> None:
    _agency_with_a_snapshot_and_newer_changes(two)
    fresh = tmp_path / "fresh.sqlite"
    open_database(fresh, create=True).dispose()  # killed after the schema, before the data
    result = sync(fresh, two.share, compact=False)
    assert result.joined
    assert dump(fresh) == dump(two.stations[0].path)


def test_a_file_with_rows_is_never_taken_for_a_half_created_one(tmp_path: Path) -> None:
    from db.sync.join import discard_half_created

    odd = tmp_path / "odd.sqlite"
    _half_created_by_an_older_version(odd)
    _sql_write(odd, "INSERT INTO alembic_version VALUES ('0001')")
    assert not discard_half_created(odd) and odd.exists()
    foreign = tmp_path / "foreign.sqlite"
    _sql_write(foreign, "CREATE TABLE shopping (item TEXT)")
    assert not discard_half_created(foreign) and foreign.exists()
    notes = tmp_path / "notes.sqlite"
    notes.write_bytes(b"shopping list\n" * 100)
    assert not discard_half_created(notes) and notes.exists()


def _sql_write(path: Path, query: str) -> None:
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(query)
    conn.close()
