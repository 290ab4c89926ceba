""" "Had seen" is causal, restores converge: the reproductions R1-R5 of issue 10 on three
stations, exactly as reported, plus a re-sent stale delete, clocks, and old-format files.

Stations A, B and C have ids that sort in that order, so a pull applies their files in that
order, as in the report. A file that "has not arrived yet" at a station is moved aside while
that station syncs (a cloud client still downloading it)."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from db.models import Client, Contact
from db.operations import Create, Delete, Update
from db.sync import hlc, list_conflicts, restore_conflict
from db.sync.folder import sha256
from tests.sync.harness import Bench, Station, conflicts, dump, lost_edits

IDS = {"A": "a" * 16, "B": "b" * 16, "C": "c" * 16}
DAY_MS = 24 * 3600 * 1000


@pytest.fixture
def abc(tmp_path: Path) -> Iterator[Bench]:
    bench = Bench(tmp_path, 3)
    for station, (name, sid) in zip(bench.stations, IDS.items(), strict=True):
        station.close()
        station.sql("UPDATE sync_ctl SET station_id = ?", (sid,))
        station.name = name
    yield bench
    bench.close()


def _folder(bench: Bench, station: Station) -> Path:
    return bench.share / "AgencyDesk" / "changes" / station.station_id


def _newest(bench: Bench, station: Station) -> Path:
    return sorted(_folder(bench, station).glob("*.jsonl"))[-1]


@contextmanager
def not_arrived(*files: Path) -> Iterator[None]:
    """These files are not on the share yet (for the syncs inside the block)."""
    aside = [f.rename(f.with_name(f.name + ".later")) for f in files]
    try:
        yield
    finally:
        for moved, original in zip(aside, files, strict=True):
            moved.rename(original)


def _shared_client(bench: Bench, name: str = "Acme") -> str:
    a = bench.stations[0]
    op = Create(Client, {"name": name})
    a.apply(op)
    bench.settle(1)
    return op.id


def _client(station: Station, id_: str) -> dict | None:
    cols = [r[1] for r in station.sql("PRAGMA table_info(client)")]
    row = station.sql("SELECT * FROM client WHERE id = ?", (id_,))
    return dict(zip(cols, row[0], strict=True)) if row else None


def _converged(bench: Bench) -> None:
    for s in bench.stations:
        s.close()
    bench.settle(2)
    first = dump(bench.stations[0].path)
    for s in bench.stations[1:]:
        assert dump(s.path) == first, f"{s.name} differs from {bench.stations[0].name}"
    assert lost_edits([s.path for s in bench.stations]) == []
    assert all(not s.results[-1].waiting for s in bench.stations)


def _listed(station: Station, row_id: str, value: object) -> bool:
    """The value is on the station's conflict list (as a field's or in a whole row)."""
    for c in conflicts(station.path):
        if c["row_id"] != row_id:
            continue
        if c["losing_value"] is not None and value in (
            json.loads(c["losing_value"]),
            (json.loads(c["losing_value"]) or {}).get("name")
            if isinstance(json.loads(c["losing_value"]), dict)
            else None,
        ):
            return True
        if c["row_data"] and json.loads(c["row_data"]).get("name") == value:
            return True
    return False


def _restore_row(station: Station, row_id: str) -> None:
    store = station.open()
    conflict = next(c for c in list_conflicts(store) if c.row_id == row_id and c.row_data)
    restore_conflict(store, conflict.id)


def test_r1_a_restore_dominates_the_delete_on_a_station_that_got_the_restore_first(
    abc: Bench,
) -> None:
    """A deletes a client. B's concurrent rename is listed as a conflict, and B restores it.
    C applies B's files before A's delete: the client must not end up gone on C only."""
    a, b, c = abc.stations
    cid = _shared_client(abc)
    a.apply(Delete(Client, cid))
    b.apply(Update(Client, cid, {"name": "Renamed by B"}))
    abc.sync(a)
    abc.sync(b)
    assert _client(b, cid) is None and _listed(b, cid, "Renamed by B")
    _restore_row(b, cid)
    abc.sync(b)
    with not_arrived(_newest(abc, a)):
        result = abc.sync(c)  # B's rename applies; B's restore waits for A's delete
    assert result.waiting == 1
    abc.sync(c)
    assert _client(c, cid)["name"] == "Renamed by B"
    _converged(abc)
    assert all(_client(s, cid)["name"] == "Renamed by B" for s in abc.stations)


def test_r2_a_contact_added_under_the_restored_client_survives_everywhere(abc: Bench) -> None:
    a, b, c = abc.stations
    cid = _shared_client(abc)
    a.apply(Delete(Client, cid))
    b.apply(Update(Client, cid, {"name": "Renamed by B"}))
    abc.sync(a)
    abc.sync(b)
    _restore_row(b, cid)
    contact = Create(Contact, {"client_id": cid, "name": "Dana"})
    b.apply(contact)
    abc.sync(b)
    with not_arrived(_newest(abc, a)):
        abc.sync(c)
    _converged(abc)
    for s in abc.stations:
        assert s.sql("SELECT name FROM contact WHERE id = ?", (contact.id,)) == [("Dana",)]
        assert _client(s, cid) is not None


def test_r3_an_edit_the_deleting_station_never_saw_is_listed_everywhere(abc: Bench) -> None:
    """B renames a client and doesn't sync. 50 ms later A changes the client's status and then
    deletes it. A's delete is based on A's own later edit, yet it never saw B's rename."""
    a, b, _c = abc.stations
    cid = _shared_client(abc)
    b.apply(Update(Client, cid, {"name": "Renamed by B"}))
    time.sleep(0.05)
    a.apply(Update(Client, cid, {"status": "paused"}))
    a.apply(Delete(Client, cid))
    _converged(abc)
    for s in abc.stations:
        assert _client(s, cid) is None
        assert _listed(s, cid, "Renamed by B"), f"{s.name} does not list B's rename"


def test_r4_a_rename_overwritten_by_someone_who_never_saw_it_is_listed(abc: Bench) -> None:
    """B renames. A renames too and syncs. C pulls A's rename, then renames it itself. At B,
    C's file comes before A's: B's value must not vanish without a conflict anywhere."""
    a, b, c = abc.stations
    cid = _shared_client(abc)
    b.apply(Update(Client, cid, {"name": "B's name"}))
    a.apply(Update(Client, cid, {"name": "A's name"}))
    abc.sync(a)
    abc.sync(c)
    c.apply(Update(Client, cid, {"name": "C's name"}))
    abc.sync(c)
    with not_arrived(_newest(abc, a)):
        result = abc.sync(b)  # C's rename waits for A's, which C had seen
    assert result.waiting == 1
    _converged(abc)
    final = _client(a, cid)["name"]
    assert final in ("B's name", "C's name")  # the concurrent ones; A's was seen by C
    for s in abc.stations:
        assert final == "B's name" or _listed(s, cid, "B's name"), s.name
        assert not _listed(s, cid, "A's name"), "C had seen A's rename: not a conflict"


def test_r5_an_edit_made_after_a_restore_waits_for_the_restore(abc: Bench) -> None:
    """An edit made after a restore arrives before the restore: it waits, it is not taken
    for an edit of a deleted row."""
    a, b, c = abc.stations
    cid = _shared_client(abc)
    b.apply(Update(Client, cid, {"industry": "B's industry"}))
    a.apply(Delete(Client, cid))
    abc.sync(b)
    abc.sync(a)
    abc.sync(b)
    _restore_row(b, cid)
    abc.sync(b)
    abc.sync(c)
    c.apply(Update(Client, cid, {"website": "https://after-the-restore.example"}))
    abc.sync(c)
    with not_arrived(_newest(abc, b)):
        result = abc.sync(a)
    assert result.waiting == 1 and _client(a, cid) is None
    _converged(abc)
    for s in abc.stations:
        row = _client(s, cid)
        assert row["website"] == "https://after-the-restore.example", s.name
        assert row["industry"] == "B's industry"


def test_a_delete_resent_under_a_new_id_does_not_undo_a_later_restore(abc: Bench) -> None:
    """A's install is copied after A deleted a client but before it synced. B restores the
    client after seeing the delete. The copy, taken for a twin, sends its outbox again
    under a new id: the old delete must not remove the restored client."""
    a, b, clone = abc.stations
    cid = _shared_client(abc)
    b.apply(Update(Client, cid, {"name": "Kept by B"}))
    a.apply(Delete(Client, cid))
    a.close()
    clone.close()
    shutil.copy(a.path, clone.path)
    abc.sync(b)
    abc.sync(a)
    abc.sync(b)
    _restore_row(b, cid)
    abc.sync(b)
    result = abc.sync(clone)
    assert result.rekeyed
    _converged(abc)
    for s in abc.stations:
        assert _client(s, cid)["name"] == "Kept by B", s.name


def test_a_pulled_delete_of_a_project_with_a_baseline_applies_whole(abc: Bench) -> None:
    """The cascade of a project delete (tasks, baseline rows that refer to both) applies
    on every station without SQLAlchemy complaining about rows already gone."""
    from datetime import date

    from db.models import BaselineTask, Project, Task
    from db.scheduling.baseline import SaveBaseline

    a, b, _c = abc.stations
    cid = _shared_client(abc)
    project = Create(Project, {"client_id": cid, "name": "Relaunch"})
    a.apply(project)
    for i in range(3):
        a.apply(
            Create(
                Task, {"project_id": project.id, "name": f"t{i}", "start_date": date(2026, 3, 2)}
            )
        )
    a.apply(SaveBaseline(project.id, "Signed off"))
    abc.settle(1)
    assert b.sql("SELECT count(*) FROM baseline_task") == [(3,)]
    b.apply(Delete(Project, project.id))
    _converged(abc)
    for s in abc.stations:
        for table in (Project, Task, BaselineTask):
            assert s.sql(f"SELECT count(*) FROM {table.__tablename__}") == [(0,)]
        assert conflicts(s.path) == []


# -- clocks -----------------------------------------------------------------------------------


def test_a_station_a_month_ahead_is_flagged_once_with_its_offset(abc: Bench) -> None:
    a, b, _c = abc.stations
    cid = _shared_client(abc)
    a.set_clock_offset(30 * DAY_MS)
    for i in range(5):
        a.apply(Update(Client, cid, {"name": f"edit {i}"}))
        abc.sync(a)
    flagged = sum(abc.sync(b).flagged for _ in range(2))
    futures = [c for c in conflicts(b.path) if c["kind"] == "future"]
    assert flagged == 1 and len(futures) == 1
    assert json.loads(futures[0]["losing_value"]) == "clock about 30 days ahead"
    assert futures[0]["winning_station"] == a.station_id


def test_a_clock_a_month_ahead_does_not_win_a_later_concurrent_edit(abc: Bench) -> None:
    """A's clock is a month ahead of the share's. Once A has pushed (and so measured the
    share's clock), its edits are stamped by the share's time: an edit made elsewhere a
    moment later, concurrently, wins (and A's value is listed, not lost)."""
    a, b, _c = abc.stations
    cid = _shared_client(abc)
    a.set_clock_offset(30 * DAY_MS)
    a.apply(Create(Client, {"name": "A's first edit, pushed: the share's clock is measured"}))
    abc.sync(a)
    assert a.sql("SELECT clock_excess_ms FROM sync_ctl")[0][0] > 29 * DAY_MS
    a.apply(Update(Client, cid, {"name": "A, a month ahead"}))
    time.sleep(0.02)
    b.apply(Update(Client, cid, {"name": "B, a moment later"}))
    _converged(abc)
    assert _client(a, cid)["name"] == "B, a moment later"
    assert _listed(a, cid, "A, a month ahead")
    stamp = a.sql("SELECT hlc FROM sync_outbox WHERE op = 'U'")[0][0]
    assert not hlc.is_far_future(stamp, hlc.wall_ms())


# -- format ------------------------------------------------------------------------------------


def _v1_file(station_id: str, seq: int, lines: list[dict]) -> bytes:
    header = {"count": len(lines), "format": 1, "schema": "0003", "seq": seq, "station": station_id}
    text = [json.dumps(header, sort_keys=True)] + [json.dumps(line) for line in lines]
    return ("\n".join(text) + "\n").encode()


def test_files_of_the_previous_format_are_still_applied(abc: Bench) -> None:
    """A station still on the previous release writes format 1 (no counters, no context;
    per-field base HLCs): it is read and judged by its bases."""
    a, b, _c = abc.stations
    cid = _shared_client(abc)
    old = "d" * 16
    folder = abc.share / "AgencyDesk" / "changes" / old
    folder.mkdir()
    now = hlc.wall_ms() << hlc.COUNTER_BITS
    new_id = "0f0f0f0f-0000-4000-8000-000000000001"
    insert = {
        "t": "client",
        "id": new_id,
        "op": "I",
        "h": now,
        "f": {
            "id": new_id,
            "name": "From the old release",
            "status": "active",
            "industry": "",
            "annual_budget_cents": 0,
            "currency": "EUR",
            "website": "",
            "tags": "[]",
            "yearly_gift_budget_cents": 0,
            "created_at": "2026-11-01 00:00:00",
            "updated_at": "2026-11-01 00:00:00",
        },
        "b": {},
    }
    seen_version = b.sql("SELECT max(hlc) FROM sync_version WHERE row_id = ?", (cid,))[0][0]
    update = {
        "t": "client",
        "id": cid,
        "op": "U",
        "h": now + 1,
        "f": {"name": "Old renamed"},
        "b": {"name": seen_version},
    }
    for seq, lines in ((1, [insert]), (2, [update])):
        data = _v1_file(old, seq, lines)
        (folder / f"{seq:012d}-{sha256(data)}.jsonl").write_bytes(data)
    result = abc.sync(b)
    assert result.pulled == 2 and not result.skipped, result.summary()
    assert b.sql("SELECT name FROM client ORDER BY name") == [
        ("From the old release",),
        ("Old renamed",),
    ]
    assert conflicts(b.path) == []  # the old rename had seen the version it replaced
    for s in abc.stations:
        s.close()
    abc.settle(2)
    assert dump(a.path) == dump(b.path)


def test_format_2_carries_the_context_and_counters_compactly(abc: Bench) -> None:
    a, b, _c = abc.stations
    cid = _shared_client(abc)
    b.apply(Update(Client, cid, {"name": "B"}))
    abc.sync(b)
    header, *lines = _newest(abc, b).read_text().splitlines()
    meta = json.loads(header)
    assert meta["format"] == 2 and meta["ctx"] == [{a.station_id: meta["ctx"][0][a.station_id]}]
    assert len(meta["n"]) == 2 and "wall" in meta
    assert all('"b"' not in line and '"n"' not in line for line in lines)


# -- purging ----------------------------------------------------------------------------------


def test_versions_and_tombstones_everyone_has_seen_are_purged(abc: Bench) -> None:
    """Once every station has acknowledged a row's versions and a delete's tombstone (with
    nothing of its own unsent) and they are older than retention, they go, everywhere; a
    later concurrent edit still has one winner and a listed loser."""
    a, b, c = abc.stations
    kept = _shared_client(abc, "Kept")
    gone = _shared_client(abc, "Gone")
    b.apply(Update(Client, kept, {"industry": "Retail"}))
    a.apply(Delete(Client, gone))
    abc.settle(2)

    def tombs(s: Station) -> int:
        return s.sql("SELECT count(*) FROM sync_tomb WHERE row_id = ?", (gone,))[0][0]

    def versions(s: Station) -> int:
        return s.sql("SELECT count(*) FROM sync_version WHERE row_id = ?", (kept,))[0][0]

    assert all(tombs(s) == 1 and versions(s) >= 2 for s in abc.stations)
    time.sleep(0.05)
    for i, station in enumerate(abc.stations):
        station.apply(Create(Client, {"name": f"news {i}"}))
    for _ in range(2):
        for station in abc.stations:
            abc.sync(station, retention_ms=10)
    assert [tombs(s) for s in abc.stations] == [0, 0, 0]
    assert [versions(s) for s in abc.stations] == [0, 0, 0]
    b.apply(Update(Client, kept, {"name": "B's"}))
    c.apply(Update(Client, kept, {"name": "C's"}))
    _converged(abc)
    loser = "B's" if _client(a, kept)["name"] == "C's" else "C's"
    assert all(_listed(s, kept, loser) for s in abc.stations)


def test_an_unreviewed_deleted_row_keeps_the_tombstones_it_may_need(abc: Bench) -> None:
    a, b, _c = abc.stations
    cid = _shared_client(abc)
    b.apply(Update(Client, cid, {"name": "B's"}))
    a.apply(Delete(Client, cid))
    abc.settle(2)
    time.sleep(0.05)
    for i, station in enumerate(abc.stations):
        station.apply(Create(Client, {"name": f"news {i}"}))
    for _ in range(2):
        for station in abc.stations:
            abc.sync(station, retention_ms=10)
    assert b.sql("SELECT count(*) FROM sync_tomb WHERE row_id = ?", (cid,)) == [(1,)]
    _restore_row(b, cid)
    _converged(abc)
    assert _client(a, cid)["name"] == "B's"


# -- upgrading ----------------------------------------------------------------------------------


def test_a_database_of_the_previous_release_upgrades_and_sends_its_unsent_edits(
    tmp_path: Path,
) -> None:
    """A station's database from the previous release (sync tables without counters or
    contexts) with an edit not yet sent: after the upgrade the edit travels in the new
    format, its own version carries its counter, and a second station gets it."""
    import importlib.util
    import sqlite3

    from alembic import command
    from sqlalchemy import create_engine

    from db.database import MIGRATIONS, alembic_config
    from db.sync import sync

    script = MIGRATIONS / "versions" / "0009_causal_sync.py"
    spec = importlib.util.spec_from_file_location("causal_migration", script)
    assert spec is not None and spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)

    old = tmp_path / "old.sqlite"
    engine = create_engine(f"sqlite:///{old}")
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0003")
    engine.dispose()
    raw = sqlite3.connect(old)
    with raw:
        raw.execute(
            "INSERT INTO client (id, name, status, industry, annual_budget_cents, currency, "
            "website, tags, yearly_gift_budget_cents, created_at, updated_at) VALUES "
            "('c1', 'Unsent', 'active', '', 0, 'EUR', '', '[]', 0, '2026-11-01', '2026-11-01')"
        )
        # Back to the previous release's layout: no trigger knows the new columns.
        for (name,) in raw.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"):
            raw.execute(f'DROP TRIGGER "{name}"')
        for table, columns in migration.NEW_COLUMNS.items():
            for column, _ddl in columns:
                raw.execute(f'ALTER TABLE "{table}" DROP COLUMN "{column}"')
        raw.execute("DROP TABLE sync_ctx")
    raw.close()
    share = tmp_path / "share"
    share.mkdir()
    result = sync(old, share)  # opening it upgrades it
    assert result.pushed == 1
    check = sqlite3.connect(old)
    n = check.execute("SELECT n FROM sync_version WHERE row_id = 'c1'").fetchone()[0]
    outbox_id = check.execute("SELECT id FROM sync_outbox WHERE row_id = 'c1'").fetchone()[0]
    check.close()
    assert n == outbox_id > 0
    fresh = tmp_path / "fresh.sqlite"
    sync(fresh, share)
    assert dump(fresh)["client"] == dump(old)["client"]


def test_a_clock_set_right_again_stops_stamping_ahead(abc: Bench) -> None:
    a, b, _c = abc.stations
    cid = _shared_client(abc)
    a.set_clock_offset(30 * DAY_MS)
    a.apply(Create(Client, {"name": "made a month ahead"}))
    abc.sync(a)
    a.set_clock_offset(0)  # someone fixed the clock
    a.apply(Create(Client, {"name": "made after the fix"}))
    abc.sync(a)  # measures again: within the slack now
    a.apply(Update(Client, cid, {"name": "A"}))
    time.sleep(0.02)
    b.apply(Update(Client, cid, {"name": "B, a moment later"}))
    _converged(abc)
    assert _client(a, cid)["name"] == "B, a moment later"


def test_an_edit_concurrent_with_a_delete_and_a_later_restore_converges(abc: Bench) -> None:
    """A deletes a client; C's edit is listed and C restores it. B, offline all along,
    edits the client after that restore was made. Wherever B's edit arrives (before the
    delete at B, after the restore at C), every station ends with the same value."""
    a, b, c = abc.stations
    cid = _shared_client(abc)
    a.apply(Delete(Client, cid))
    abc.sync(a)
    c.apply(Update(Client, cid, {"name": "C's"}))
    abc.sync(c)
    _restore_row(c, cid)
    abc.sync(c)
    time.sleep(0.02)
    b.apply(Update(Client, cid, {"name": "B's, edited last"}))
    _converged(abc)
    names = {_client(s, cid)["name"] for s in abc.stations}
    assert len(names) == 1


def test_a_reference_made_before_a_delete_the_restore_answered_converges(abc: Bench) -> None:
    """B deletes a team member and puts it back; C does the same with a client. A, having
    seen neither delete, makes the member a client's account manager and adds a contact
    under C's client. Wherever A's changes arrive (before a delete, or after its restore)
    the delete wins over them on every station, and the contact is listed everywhere."""
    from db.models import TeamMember

    a, b, c = abc.stations
    member = Create(TeamMember, {"name": "Sam"})
    a.apply(member)
    cid = _shared_client(abc)
    other = _shared_client(abc, "Other")
    a.apply(Update(Client, cid, {"account_manager_id": member.id}))
    contact = Create(Contact, {"client_id": other, "name": "Dana"})
    a.apply(contact)
    b.apply(Update(TeamMember, member.id, {"name": "Sam B"}))
    c.apply(Update(Client, other, {"industry": "C's"}))
    for deleter, entity, row in ((b, TeamMember, member.id), (c, Client, other)):
        deleter.close()
        abc.sync(deleter)
        deleter.apply(Delete(entity, row))
        abc.sync(deleter)
        deleter.apply(Create(entity, _row_of(deleter, entity, row)))  # restored as it was
        abc.sync(deleter)
    _converged(abc)
    assert {_client(s, cid)["account_manager_id"] for s in abc.stations} == {None}
    assert all(s.sql("SELECT count(*) FROM contact") == [(0,)] for s in abc.stations)
    assert all(_listed_row(s, contact.id) for s in abc.stations)


def _row_of(station: Station, entity: type, row_id: str) -> dict:
    table = entity.__tablename__
    data = station.sql("SELECT data FROM sync_tomb WHERE row_id = ?", (row_id,))
    values = json.loads(data[0][0])
    if table == "team_member":
        values["active"] = bool(values["active"])
    return {k: v for k, v in values.items() if k not in ("created_at", "updated_at")}


def _listed_row(station: Station, row_id: str) -> bool:
    return any(c["row_id"] == row_id and c["row_data"] for c in conflicts(station.path))
