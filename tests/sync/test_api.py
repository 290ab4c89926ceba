"""The parts other code relies on: trigger coverage of every column, the GUI's sync_store /
refresh_store pair, progress reports, and the HLC rules."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from db.changes import ChangeSet
from db.database import open_database
from db.models import Client, Project, Task
from db.operations import Create, Update
from db.store import Store
from db.sync import hlc, refresh_store, sync, sync_store
from db.sync.schema import enqueue_existing_rows, install_triggers, missing_trigger_columns
from tests.sync.harness import Bench


def test_the_outbox_triggers_cover_every_column_of_every_synced_table(db_path: Path) -> None:
    """Fails when a migration changed a synced table without calling install_triggers."""
    engine = open_database(db_path, create=True)
    with engine.connect() as conn:
        assert missing_trigger_columns(conn) == {}
    engine.dispose()


def test_the_gui_session_sees_pulled_changes_and_views_are_told(tmp_path: Path) -> None:
    bench = Bench(tmp_path, 2)
    try:
        a, b = bench.stations
        op = Create(Client, {"name": "Acme"})
        a.apply(op)
        bench.sync(a)
        store: Store = b.open()
        bench.sync(b)
        refresh_store(store, bench.sync(b).changes)
        assert store.get(Client, op.id).name == "Acme"  # loaded into the UI session
        a.apply(Update(Client, op.id, {"name": "Acme Ltd"}))
        bench.sync(a)
        told: list[ChangeSet] = []
        store.subscribe(told.append)
        progress: list[tuple[str, int, int]] = []
        result = sync_store(store, bench.share, progress=lambda *p: progress.append(p))
        refresh_store(store, result.changes)
        assert told and told[0].changed == {"Client": {op.id}}
        assert store.get(Client, op.id).name == "Acme Ltd"
        assert progress[0][0] == "push" and progress[-1] == ("done", 1, 1)
    finally:
        bench.close()


def test_a_missing_database_becomes_a_new_station(tmp_path: Path) -> None:
    share = tmp_path / "share"
    share.mkdir()
    result = sync(tmp_path / "new.sqlite", share, station_name="Front desk")
    assert result.joined and result.station_id
    assert "sent 0 changes" in result.summary()


def test_hlc_ticks_forward_and_refuses_to_adopt_far_future_clocks() -> None:
    now = 1_790_000_000_000
    first = hlc.tick(0, now)
    assert hlc.tick(first, now - 3600_000) == first + 1  # wall clock went back: still forward
    future = (now + 2 * hlc.MAX_DRIFT_MS) << hlc.COUNTER_BITS
    assert hlc.is_far_future(future, now)
    assert hlc.receive(first, future, now) == first
    near = (now + 1000) << hlc.COUNTER_BITS
    assert hlc.receive(first, near, now) == near


def test_rows_from_before_sync_travel_too(tmp_path: Path) -> None:
    """A database that has rows from before the sync migration: the migration queues them
    (parents first, parent tasks before subtasks), as `enqueue_existing_rows` does here."""
    old = tmp_path / "old.sqlite"
    store = Store(open_database(old, create=True))
    with store.engine.begin() as conn:  # as it was before 0002: no triggers
        for (name,) in conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        ).fetchall():
            conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
    client = Create(Client, {"name": "Old client"})
    store.apply(client)
    project = Create(Project, {"client_id": client.id, "name": "P"})
    store.apply(project)
    day = {"project_id": project.id, "start_date": date(2026, 12, 1)}
    child = Create(Task, {**day, "name": "child"})
    parent = Create(Task, {**day, "name": "parent"})
    store.apply(child)
    store.apply(parent)
    store.apply(Update(Task, child.id, {"parent_id": parent.id}))  # parent inserted later
    with store.engine.begin() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM sync_outbox").scalar() == 0
        enqueue_existing_rows(conn)
        install_triggers(conn)
    store.close()
    share = tmp_path / "share"
    share.mkdir()
    assert sync(old, share, compact=False).pushed == 4
    result = sync(tmp_path / "other.sqlite", share, compact=False)
    assert result.pulled == 4 and result.waiting == 0
