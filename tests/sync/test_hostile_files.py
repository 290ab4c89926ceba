"""One bad file must not stop the agency's sync: every file someone (or something) can put on
the share, one test each. Each sync finishes, the bad file is quarantined or ignored with its
reason, the local database is unchanged by it, and the sound files around it still apply."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from db.models import Client
from db.operations import Create, Update
from db.sync import folder as folder_module
from db.sync import sync
from db.sync.command import main as cli_main
from db.sync.engine import SyncResult
from db.sync.folder import sha256
from db.sync.local import schema_head
from db.sync.snapshots import LEASE_MS
from tests.sync.harness import Bench, Station, dump

STRANGER = "ab" * 8  # a station id nobody has: a folder someone made by hand


@pytest.fixture
def two(tmp_path: Path):
    bench = Bench(tmp_path, 2)
    yield bench
    bench.close()


def now_hlc() -> int:
    return int(time.time() * 1000) << 16


def client_row(row_id: str, name: str = "Intruder") -> dict[str, Any]:
    return {
        "name": name,
        "status": "lead",
        "account_manager_id": None,
        "client_since": None,
        "industry": "",
        "annual_budget_cents": 0,
        "currency": "EUR",
        "website": "",
        "tags": "[]",
        "yearly_gift_budget_cents": 0,
        "id": row_id,
        "created_at": "2026-01-01 00:00:00",
        "updated_at": "2026-01-01 00:00:00",
    }


def insert_line(row_id: str | None = None, name: str = "Intruder", **override: Any) -> str:
    row_id = row_id or str(uuid.uuid4())
    change: dict[str, Any] = {
        "t": "client",
        "id": row_id,
        "op": "I",
        "h": now_hlc(),
        "f": client_row(row_id, name),
        "b": {},
    }
    change.update(override)
    return json.dumps(change)


def change_file(station: str, seq: int, lines: list[str], **header: Any) -> bytes:
    head = {"count": len(lines), "format": 1, "schema": schema_head(), "seq": seq}
    head["station"] = station
    head.update(header)
    return ("\n".join([json.dumps(head), *lines]) + "\n").encode()


def drop(bench: Bench, station: str, seq: int, data: bytes) -> Path:
    """Put a file on the share under its proper name, as anyone with write access can."""
    folder = bench.share / "AgencyDesk" / "changes" / station
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{seq:012d}-{sha256(data)}.jsonl"
    path.write_bytes(data)
    return path


def own_files(bench: Bench, station: Station) -> list[Path]:
    folder = bench.share / "AgencyDesk" / "changes" / station.station_id
    return sorted(folder.glob("*.jsonl"))


def names(station: Station) -> list[str]:
    return [r[0] for r in station.sql("SELECT name FROM client ORDER BY name")]


def quarantined(station: Station) -> dict[str, str]:
    return dict(station.sql("SELECT name, reason FROM sync_quarantine WHERE resolved = 0"))


def reasons(result: SyncResult) -> str:
    return " | ".join(f"{s.name}: {s.reason}" for s in result.skipped)


# -- a sound hand-made file applies: the builders above make real change files ---------------


def test_a_sound_hand_made_file_applies(two: Bench) -> None:
    _a, b = two.stations
    drop(two, STRANGER, 1, change_file(STRANGER, 1, [insert_line(name="Welcome")]))
    result = two.sync(b)
    assert names(b) == ["Welcome"] and not result.skipped


# -- bad change lines: each is quarantined, the database is untouched ------------------------

ROW = "0f0f0f0f-0000-4000-8000-000000000001"
BAD_LINES = {
    "insert id differs from its row": (
        insert_line(ROW, f=client_row("0f0f0f0f-0000-4000-8000-000000000002")),
        "its row says id",
    ),
    "CHECK broken (status not one of the enum)": (
        insert_line(ROW, f={**client_row(ROW), "status": "bribed"}),
        "is not one of",
    ),
    "NOT NULL broken": (insert_line(ROW, f={**client_row(ROW), "name": None}), "NULL"),
    "NOT NULL column missing from an insert": (
        insert_line(ROW, f={k: v for k, v in client_row(ROW).items() if k != "created_at"}),
        "insert without created_at",
    ),
    "a list where a value should be": (
        insert_line(ROW, f={**client_row(ROW), "name": ["a", "b"]}),
        "is not text",
    ),
    "an object where a value should be": (
        insert_line(ROW, f={**client_row(ROW), "annual_budget_cents": {"x": 1}}),
        "is not a whole number",
    ),
    "f as a list": (insert_line(ROW, f=[1, 2]), "'f' is a list"),
    "b as a list": (insert_line(ROW, op="U", f={"name": "x"}, b=[1]), "'b' is a list"),
    "HLC 2**64": (insert_line(ROW, h=2**64), "out of range"),
    "HLC 2**63-1": (insert_line(ROW, h=2**63 - 1), "out of range"),
    "HLC as text": (insert_line(ROW, h="1"), "not a whole number"),
    "HLC as a float": (insert_line(ROW, h=float(now_hlc())), "not a whole number"),
    "a name longer than the app allows": (insert_line(ROW, name="x" * 201), "at most 200"),
    "a budget beyond any figure": (
        insert_line(ROW, f={**client_row(ROW), "annual_budget_cents": 2**62}),
        "out of range",
    ),
    "a date that is no date": (
        insert_line(ROW, f={**client_row(ROW), "client_since": "2026-02-30"}),
        "not a date",
    ),
    "tags that are not JSON": (
        insert_line(ROW, f={**client_row(ROW), "tags": "[unclosed"}),
        "not valid JSON",
    ),
    "unknown table": (insert_line(ROW, t="sqlite_master"), "unknown table"),
    "unknown op": (insert_line(ROW, op="X"), "unknown op"),
    "a change that is a list": ("[1, 2, 3]", "not an object"),
    "a change missing its clock": (
        json.dumps({"t": "client", "id": ROW, "op": "I", "f": client_row(ROW), "b": {}}),
        "no 'h'",
    ),
}


@pytest.mark.parametrize(("line", "reason"), BAD_LINES.values(), ids=BAD_LINES.keys())
def test_a_bad_change_is_quarantined_and_others_still_apply(
    two: Bench, line: str, reason: str
) -> None:
    a, b = two.stations
    a.apply(Create(Client, {"name": "Real work"}))
    two.sync(a)
    before = dump(b.path)
    drop(two, STRANGER, 1, change_file(STRANGER, 1, [insert_line(name="Good line"), line]))
    result = two.sync(b)
    assert names(b) == ["Real work"], "the other station's file applied; no line of the bad one"
    assert {k: v for k, v in dump(b.path).items() if k != "client"} == {
        k: v for k, v in before.items() if k != "client"
    }
    (entry,) = result.quarantined
    assert entry.name.startswith(f"{STRANGER}/000000000001-") and reason in entry.reason
    assert "change 2" in entry.reason, "the reason says which change is wrong"
    assert result.waiting_on == {STRANGER: f"station {STRANGER}"}
    assert f"waiting for a damaged file from station {STRANGER}" in result.summary()
    again = two.sync(b)
    assert again.quarantined == [], "listed once"
    assert list(quarantined(b).values()) == [entry.reason], "still on the panel's list"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        pytest.param(
            lambda line: line.replace('"h": 1', '"h": 1e400', 1), "out of range", id="1e400"
        ),
        pytest.param(lambda line: "[" * 100_000 + "]" * 100_000, "nested deeper", id="deep-100000"),
        pytest.param(lambda line: "[" * 500 + "]" * 500, "nested deeper", id="deep-500"),
        pytest.param(
            lambda line: line.replace('"name": "Intruder"', '"name": ' + "[" * 500 + "]" * 500),
            "nested deeper",
            id="deep-500-as-a-value",
        ),
        pytest.param(lambda line: line.replace('"h": 1', '"h": NaN, "x": 1', 1), "NaN", id="NaN"),
        pytest.param(
            lambda line: line.replace('"h": 1', '"h": ' + "9" * 5000, 1), "JSON", id="5000-digit"
        ),
    ],
)
def test_numbers_and_nesting_no_parser_should_take_are_quarantined(
    two: Bench, raw, reason: str
) -> None:
    _a, b = two.stations
    line = raw(insert_line(ROW))
    drop(two, STRANGER, 1, change_file(STRANGER, 1, [line]))
    result = two.sync(b)
    assert names(b) == []
    (entry,) = result.quarantined
    assert reason in entry.reason, entry.reason


def test_a_header_that_lies_about_its_station_or_seq_is_quarantined(two: Bench) -> None:
    a, b = two.stations
    drop(two, STRANGER, 1, change_file(a.station_id, 1, [insert_line()]))
    drop(two, "cd" * 8, 1, change_file("cd" * 8, 7, [insert_line()]))
    result = two.sync(b)
    assert names(b) == []
    assert len(result.quarantined) == 2
    assert all("does not match its name" in q.reason for q in result.quarantined)


def test_a_value_of_200_mb_is_refused_without_reading_it(
    two: Bench, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cap is 64 MB; the same rule at 1 MB keeps the test small."""
    _a, b = two.stations
    monkeypatch.setattr(folder_module, "CHANGE_FILE_CAP", 1024 * 1024)
    big = change_file(STRANGER, 1, [insert_line(name="x" * (2 * 1024 * 1024))])
    drop(two, STRANGER, 1, big)
    result = two.sync(b)
    assert names(b) == []
    assert "more than a file of ours can be" in result.quarantined[0].reason


# -- odd things where folders and files should be -------------------------------------------


def test_a_plain_file_named_like_a_station_folder_is_passed_over(two: Bench) -> None:
    a, b = two.stations
    a.apply(Create(Client, {"name": "Real work"}))
    two.sync(a)
    (two.share / "AgencyDesk" / "changes" / STRANGER).write_text("not a folder")
    result = two.sync(b)
    assert names(b) == ["Real work"]
    assert f"changes/{STRANGER}" in reasons(result)


def test_a_folder_named_like_an_ack_is_ignored_with_a_reason(two: Bench) -> None:
    a, b = two.stations
    a.apply(Create(Client, {"name": "Real work"}))
    (two.share / "AgencyDesk" / "acks" / f"{STRANGER}.json").mkdir(parents=True)
    two.sync(a)
    result = two.sync(b, compact=True)
    assert names(b) == ["Real work"] and result.compacted
    assert f"acks/{STRANGER}.json: a folder, not a file" in reasons(result)


def test_meta_json_as_a_folder_is_ignored_and_sync_goes_on(two: Bench) -> None:
    a, b = two.stations
    (two.share / "AgencyDesk" / "meta.json").mkdir(parents=True)
    a.apply(Create(Client, {"name": "Real work"}))
    two.sync(a, compact=True)
    result = two.sync(b, compact=True)
    assert names(b) == ["Real work"]
    assert "meta.json: a folder, not a file" in reasons(result)
    assert not result.compacted, "compaction waits until meta.json is sound again"


def test_meta_json_nested_deep_or_with_a_list_vector_is_ignored(two: Bench) -> None:
    a, b = two.stations
    meta = two.share / "AgencyDesk" / "meta.json"
    a.apply(Create(Client, {"name": "Real work"}))
    two.sync(a)
    meta.write_text("[" * 100_000 + "]" * 100_000)
    assert "nested deeper" in reasons(two.sync(b))
    meta.write_text(json.dumps({"format": 1, "generation": 1, "vector": [1, 2]}))
    result = two.sync(b)
    assert "'vector'" in reasons(result) and names(b) == ["Real work"]


def test_an_ack_whose_wall_ms_is_text_is_ignored_and_compaction_still_runs(two: Bench) -> None:
    a, b = two.stations
    a.apply(Create(Client, {"name": "Real work"}))
    two.sync(a)
    two.sync(b)
    ack = two.share / "AgencyDesk" / "acks" / f"{a.station_id}.json"
    bad = json.loads(ack.read_text())
    bad["wall_ms"] = "yesterday"
    ack.write_text(json.dumps(bad))
    result = two.sync(b, compact=True, retention_ms=0)
    assert result.compacted
    assert f"acks/{a.station_id}.json: ack 'wall_ms'" in reasons(result)


def _sync_in_thread(bench: Bench, station: Station, timeout: float = 60) -> SyncResult:
    """A sync that hangs fails the test instead of hanging it."""
    out: list[Any] = []
    worker = threading.Thread(target=lambda: out.append(bench.sync(station)), daemon=True)
    worker.start()
    worker.join(timeout)
    assert not worker.is_alive(), "sync hung"
    assert out, "sync raised"
    return out[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_named_like_a_change_file_does_not_hang_sync(two: Bench) -> None:
    a, b = two.stations
    a.apply(Create(Client, {"name": "Real work"}))
    two.sync(a)
    folder = two.share / "AgencyDesk" / "changes" / STRANGER
    folder.mkdir()
    os.mkfifo(folder / f"{1:012d}-{'0' * 64}.jsonl")
    result = _sync_in_thread(two, b)
    assert names(b) == ["Real work"]
    assert "a FIFO or device, not a file" in result.quarantined[0].reason


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_a_symlink_to_dev_zero_is_not_followed(two: Bench) -> None:
    a, b = two.stations
    a.apply(Create(Client, {"name": "Real work"}))
    two.sync(a)
    folder = two.share / "AgencyDesk" / "changes" / STRANGER
    folder.mkdir()
    (folder / f"{1:012d}-{'0' * 64}.jsonl").symlink_to("/dev/zero")
    (two.share / "AgencyDesk" / "changes" / ("ef" * 8)).symlink_to("/dev")
    (two.share / "AgencyDesk" / "lease.json").symlink_to("/dev/zero")
    result = _sync_in_thread(two, b)
    assert names(b) == ["Real work"]
    assert "symbolic link" in result.quarantined[0].reason
    assert "lease.json" in reasons(result) or not result.compacted


def test_a_lease_with_a_far_future_expiry_does_not_stop_compaction(two: Bench) -> None:
    a, b = two.stations
    a.apply(Create(Client, {"name": "Acme"}))
    two.sync(a)
    lease = two.share / "AgencyDesk" / "lease.json"
    now = int(time.time() * 1000)
    lease.write_text(json.dumps({"station": "f" * 16, "expires_ms": now + LEASE_MS - 5_000}))
    assert not two.sync(b, compact=True).compacted, "a normal lease is respected"
    lease.write_text(json.dumps({"station": "f" * 16, "expires_ms": now + 400 * 86_400_000}))
    assert two.sync(b, compact=True).compacted, "one claiming 400 days counts as expired"
    lease.write_text(json.dumps({"station": "f" * 16, "expires_ms": "forever"}))
    result = two.sync(b, compact=True)
    assert result.compacted and "lease.json: lease 'expires_ms'" in reasons(result)


# -- damaged for good: the author sends it again -------------------------------------------


@pytest.mark.parametrize(
    ("damage", "listed"),
    [
        pytest.param(lambda p: p.write_bytes(p.read_bytes()[:20]), True, id="truncated"),
        pytest.param(
            lambda p: p.write_bytes(p.read_bytes().replace(b"v2", b"v3")), True, id="bit-rot"
        ),
        pytest.param(lambda p: p.unlink(), False, id="deleted"),
        pytest.param(lambda p: (p.unlink(), p.mkdir()), True, id="replaced-by-a-folder"),
    ],
)
def test_a_file_damaged_for_good_is_sent_again_by_its_author(
    two: Bench, damage, listed: bool
) -> None:
    a, b = two.stations
    op = Create(Client, {"name": "v1"})
    a.apply(op)
    two.sync(a)
    a.apply(Update(Client, op.id, {"name": "v2"}))
    two.sync(a)
    a.apply(Update(Client, op.id, {"industry": "later edit"}))
    two.sync(a)
    two.sync(b)
    _first, second, _third = own_files(two, a)
    good = second.read_bytes()
    fresh = Bench(two.root / "fresh", 1).stations[0]  # a station that has applied nothing
    time.sleep(0.01)  # a new mtime even on coarse clocks
    damage(second)
    waiting = sync(fresh.path, two.share, compact=False)
    assert names(fresh) == ["v1"], "nothing after the damaged file applies out of order"
    if listed:
        assert len(waiting.quarantined) == 1, "the damaged file is listed"
        assert waiting.waiting_on == {a.station_id: "s0's station"}
        assert "waiting for a damaged file from s0's station" in waiting.summary()
    else:
        assert waiting.waiting == 1, "a missing file is a gap: the next one waits"
    result = two.sync(a)
    assert result.republished == 1 and second.read_bytes() == good
    assert "1 damaged file of ours sent again" in result.summary()
    sync(fresh.path, two.share, compact=False)
    assert fresh.sql("SELECT name, industry FROM client") == [("v2", "later edit")]
    assert quarantined(fresh) == {}, "the entry closes once the file applied"
    assert two.sync(a).republished == 0


def test_checking_our_own_files_reads_only_what_changed(
    two: Bench, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, _b = two.stations
    for i in range(5):
        a.apply(Create(Client, {"name": f"c{i}"}))
        two.sync(a)
    reads: list[str] = []
    original = folder_module.FolderTransport.read_change
    monkeypatch.setattr(
        folder_module.FolderTransport,
        "read_change",
        lambda self, ref: reads.append(ref.sha256) or original(self, ref),
    )
    two.sync(a)
    assert len(reads) == 1, "sizes and times match: only the one checked in turn is read"


def test_damage_that_keeps_size_and_time_is_found_by_the_check_in_turn(two: Bench) -> None:
    a, b = two.stations
    a.apply(Create(Client, {"name": "abc"}))
    two.sync(a)
    (path,) = own_files(two, a)
    good = path.read_bytes()
    stamp = path.stat()
    path.write_bytes(good.replace(b"abc", b"abd"))
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert two.sync(a).republished == 1 and path.read_bytes() == good
    two.sync(b)
    assert names(b) == ["abc"]


# -- twins and strangers in our folder ----------------------------------------------------


def test_a_twin_file_at_an_applied_seq_is_reported_and_never_replaces_the_real_one(
    two: Bench,
) -> None:
    a, b = two.stations
    op = Create(Client, {"name": "Real name"})
    a.apply(op)
    two.sync(a)
    two.sync(b)
    twin = change_file(
        a.station_id,
        1,
        [insert_line(op.id, name="Forged name", h=now_hlc() + (10**6 << 16))],
    )
    drop(two, a.station_id, 1, twin)
    result = two.sync(b)
    assert names(b) == ["Real name"]
    (entry,) = result.quarantined
    assert "a second file at seq 1" in entry.reason
    fresh = Bench(two.root / "fresh", 1).stations[0]
    first = sync(fresh.path, two.share, compact=False)
    # A station that meets both at once applies one and reports the other at once.
    assert names(fresh) in (["Real name"], ["Forged name"])
    (other,) = first.quarantined
    assert "a second file at seq 1" in other.reason


def test_a_station_id_never_changes_because_of_a_file_someone_put_in_its_folder(
    two: Bench,
) -> None:
    a, b = two.stations
    a.apply(Create(Client, {"name": "Real work"}))
    two.sync(a)
    me = a.station_id
    # Junk at our next seq and at a later one: neither is ours.
    drop(two, me, 2, change_file(me, 2, [insert_line(name="Forged", h=2**64)]))
    drop(two, me, 9, b"junk")
    a.apply(Create(Client, {"name": "More real work"}))
    result = two.sync(a)
    assert a.station_id == me and not result.rekeyed
    assert [q.reason for q in result.quarantined] == [
        "in this station's folder but not written by it; left alone"
    ] * 2
    assert two.sync(a).quarantined == [], "listed once"
    received = two.sync(b)
    assert names(b) == ["More real work", "Real work"]
    assert len(received.quarantined) == 1  # the junk at seq 2; seq 9 is beyond a gap


def test_a_sound_looking_file_at_our_next_seq_is_reported_wherever_it_meets_ours(
    two: Bench,
) -> None:
    """Without signatures nobody can tell a well-made forgery from the real file by looking;
    whichever a station met first stays, and the other is reported there, never applied
    over it. The author's id does not change."""
    a, b = two.stations
    a.apply(Create(Client, {"name": "Real work"}))
    two.sync(a)
    me = a.station_id
    drop(two, me, 2, change_file(me, 2, [insert_line(name="Forged")]))
    a.apply(Create(Client, {"name": "More real work"}))
    assert not two.sync(a).rekeyed and a.station_id == me
    received = two.sync(b)
    assert "a second file at seq 2" in received.quarantined[0].reason
    assert "Real work" in names(b)


def test_a_copied_database_takes_a_new_id_and_the_original_keeps_its_own(
    tmp_path: Path,
) -> None:
    bench = Bench(tmp_path, 2)
    try:
        a, copy = bench.stations
        a.apply(Create(Client, {"name": "before copying"}))
        bench.sync(a)
        a.close()
        copy.close()
        copy.path.write_bytes(a.path.read_bytes())
        me = a.station_id
        assert not bench.sync(a).rekeyed and a.station_id == me
        result = bench.sync(copy)
        assert result.rekeyed and copy.station_id != me
        assert not bench.sync(copy).rekeyed, "once"
    finally:
        bench.close()


# -- snapshots must agree with the share --------------------------------------------------


def test_a_snapshot_claiming_more_than_the_share_holds_is_not_used(
    two: Bench, tmp_path: Path
) -> None:
    a, b = two.stations
    a.apply(Create(Client, {"name": "Acme"}))
    two.sync(a, compact=True)
    two.sync(b)
    meta_path = two.share / "AgencyDesk" / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta["vector"][a.station_id] = 500  # a has published 1 file
    meta_path.write_text(json.dumps(meta))
    result = two.sync(b)  # b has 1 of a's 500: it would rebuild from the snapshot
    assert names(b) == ["Acme"] and not result.rebuilt
    assert "claims station" in reasons(result)
    joined = sync(tmp_path / "new.sqlite", two.share)
    assert not joined.rebuilt and "claims station" in reasons(joined)
    conn = sqlite3.connect(tmp_path / "new.sqlite")
    assert conn.execute("SELECT name FROM client").fetchall() == [("Acme",)]
    conn.close()


# -- the command line ---------------------------------------------------------------------


def test_the_command_line_lists_a_quarantined_file_once_and_exits_0(
    two: Bench, capsys: pytest.CaptureFixture[str]
) -> None:
    _a, b = two.stations
    b.close()
    drop(two, STRANGER, 1, change_file(STRANGER, 1, [insert_line(h=2**64)]))
    argv = ["--db", str(b.path), "--share", str(two.share)]
    assert cli_main(argv) == 0
    out = capsys.readouterr().out
    assert f"waiting for a damaged file from station {STRANGER}" in out
    assert f"quarantined {STRANGER}/000000000001-" in out and "out of range" in out
    assert cli_main(argv) == 0
    assert "quarantined" not in capsys.readouterr().out


def test_a_big_push_is_split_so_every_file_stays_under_the_readers_cap(
    two: Bench, monkeypatch: pytest.MonkeyPatch
) -> None:
    from db.sync import engine

    a, b = two.stations
    monkeypatch.setattr(engine, "PUSH_BYTES", 3000)
    for i in range(8):
        a.apply(Create(Client, {"name": f"Client {i}", "website": "x" * 450}))
    result = two.sync(a)
    assert result.pushed == 8 and result.pushed_files >= 3
    assert all(p.stat().st_size <= 3000 + 1500 for p in own_files(two, a))
    two.sync(b)
    assert len(names(b)) == 8


def test_a_sound_twin_that_must_wait_does_not_hold_up_the_real_file(two: Bench) -> None:
    """A well-made file at a real station's seq that edits a row nobody has (so it would
    wait for ever) is tried first, waits, and the real file at that seq applies instead."""
    a, b = two.stations
    a.apply(Create(Client, {"name": "Real work"}))
    two.sync(a)
    real = own_files(two, a)[0].name.split("-")[1]
    while True:
        ghost = str(uuid.uuid4())
        line = json.dumps(
            {"t": "client", "id": ghost, "op": "U", "h": now_hlc(), "f": {"name": "x"}, "b": {}}
        )
        forged = change_file(a.station_id, 1, [line])
        if sha256(forged) < real:  # listed, and so tried, before the real one
            break
    drop(two, a.station_id, 1, forged)
    result = two.sync(b)
    assert names(b) == ["Real work"]
    assert "a second file at seq 1" in result.quarantined[0].reason


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda p: p.write_bytes(b"garbage"), id="garbage"),
        pytest.param(lambda p: (p.unlink(), p.symlink_to("/dev/zero")), id="symlink-to-dev-zero"),
    ],
)
def test_a_spoilt_snapshot_is_not_used_and_a_new_station_still_joins(
    two: Bench, tmp_path: Path, spoil
) -> None:
    a, _b = two.stations
    a.apply(Create(Client, {"name": "Acme"}))
    two.sync(a, compact=True)
    (snapshot,) = (two.share / "AgencyDesk" / "snapshots").glob("*.sqlite")
    spoil(snapshot)
    joined = sync(tmp_path / "new.sqlite", two.share)
    assert "snapshot: not used" in reasons(joined)
    conn = sqlite3.connect(tmp_path / "new.sqlite")
    assert conn.execute("SELECT name FROM client").fetchall() == [("Acme",)]
    conn.close()
