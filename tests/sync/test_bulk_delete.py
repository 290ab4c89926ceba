"""Deleting a project's whole tree set-based (`DeleteTree`) leaves the bookkeeping the ORM path
(`DeleteRows`, the triggers firing per row) leaves: an outbox row, a tombstone and an audit
entry for every row, the same data everywhere; and its undo restores exactly as that one's.
Another station follows both."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import Any

from db.database import make_engine
from db.models import (
    Assignment,
    Baseline,
    BaselineTask,
    ChangeRequest,
    ChangeRequestTask,
    Client,
    CostEntry,
    Dependency,
    FollowUp,
    Project,
    Task,
    TeamMember,
)
from db.operations import Create, DeleteRows, Operation, composite
from db.store import Store
from db.sync.hlc import COUNTER_BITS, wall_ms
from db.tree_delete import DeleteTree
from tests.sync.harness import Bench, dump, new_station_db


def _plan(store: Store) -> dict[str, str]:
    """A client with two projects; the first has a task tree (three levels), links, an
    assignment, a baseline, costs (one on a task), a change request and a follow-up; the
    second has a cost entry booked on one of the first's tasks (cleared when it goes)."""
    client = Create(Client, {"name": "Acme"})
    member = Create(TeamMember, {"name": "Robin"})
    site = Create(Project, {"name": "Site", "client_id": client.id})
    other = Create(Project, {"name": "Other", "client_id": client.id})
    day = date(2026, 3, 2)

    def task(name: str, parent: str | None = None, n: int = 0) -> Create:
        return Create(
            Task,
            {
                "project_id": site.id,
                "parent_id": parent,
                "name": name,
                "start_date": day,
                "duration_days": 2,
                "sort_order": n,
            },
        )

    phase = task("Phase")
    design = task("Design", phase.id, 0)
    build = task("Build", phase.id, 1)
    detail = task("Detail", design.id, 0)
    launch = task("Launch", None, 1)
    tasks = [phase, design, build, detail, launch]
    links = [
        Create(Dependency, {"predecessor_id": detail.id, "successor_id": build.id}),
        Create(Dependency, {"predecessor_id": build.id, "successor_id": launch.id}),
    ]
    baseline = Create(
        Baseline, {"project_id": site.id, "name": "Plan A", "saved_at": datetime(2026, 3, 1)}
    )
    change = Create(
        ChangeRequest, {"project_id": site.id, "raised_on": day, "description": "More pages"}
    )
    steps: list[Operation] = [
        client,
        member,
        site,
        other,
        *tasks,
        *links,
        Create(Assignment, {"task_id": build.id, "member_id": member.id}),
        baseline,
        *(
            Create(
                BaselineTask,
                {
                    "baseline_id": baseline.id,
                    "task_id": t.id,
                    "start_date": day,
                    "finish_date": day,
                },
            )
            for t in (design, build)
        ),
        Create(CostEntry, {"project_id": site.id, "spent_on": day, "amount_cents": 500}),
        Create(
            CostEntry,
            {"project_id": site.id, "spent_on": day, "amount_cents": 700, "task_id": build.id},
        ),
        change,
        Create(ChangeRequestTask, {"change_request_id": change.id, "task_id": launch.id}),
        Create(FollowUp, {"title": "Call back", "due_date": day, "project_id": site.id}),
    ]
    stray = Create(
        CostEntry,
        {"project_id": other.id, "spent_on": day, "amount_cents": 900, "task_id": design.id},
    )
    store.apply(composite([*steps, stray]))
    return {"client": client.id, "site": site.id, "other": other.id, "stray": stray.id}


def _station(path: Path) -> dict[str, str]:
    new_station_db(path)
    store = Store(make_engine(path))
    ids = _plan(store)
    store.close()
    conn = sqlite3.connect(path)
    with conn:  # the clock far ahead: both paths tick from the same value, one per row
        conn.execute("UPDATE sync_ctl SET hlc = ?", ((wall_ms() + 86_400_000) << COUNTER_BITS,))
    conn.close()
    return ids


def _rows(path: Path, query: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(query).fetchall()
    finally:
        conn.close()


def _since(path: Path, outbox_id: int) -> dict[str, Any]:
    """What the bookkeeping holds after `outbox_id`, without what depends on the order the
    rows went in (which differs between the paths, by design: a row's clock and counter)."""
    outbox = _rows(
        path,
        f"SELECT id, tbl, row_id, op, hlc, data, base, ctx, author FROM sync_outbox "
        f"WHERE id > {outbox_id} ORDER BY id",
    )
    stamps = {(r[1], r[2], r[3]): (r[0], r[4]) for r in outbox}
    tombs = _rows(path, "SELECT tbl, row_id, hlc, station, base, data, n FROM sync_tomb")
    for tbl, row_id, hlc, _station, _base, _data, n in tombs:
        assert stamps.get((tbl, row_id, "D"), (n, hlc)) == (n, hlc) or n <= outbox_id
    return {
        "outbox": Counter((*r[1:4], _untimed(r[5]), *r[6:]) for r in outbox),
        "clocks": sorted(r[4] for r in outbox),
        "tombs": Counter(t[:2] + t[3:6] for t in tombs),
        "versions": Counter(
            _rows(path, "SELECT tbl, row_id, field, station, base FROM sync_version")
        ),
        "audit": Counter(
            _rows(
                path,
                "SELECT tbl, row_id, op, field, old, new, author, origin FROM audit_entry",
            )
        ),
        "clock": _rows(path, "SELECT hlc, applying FROM sync_ctl"),
    }


def _untimed(data: str) -> str:
    """A change's data without the time a cleared reference was cleared at."""
    values = json.loads(data)
    values.pop("updated_at", None)
    return json.dumps(values, sort_keys=True)


def _data(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every synced table's rows (`dump`), the times rows were last edited left out."""
    found = dump(path)
    for tbl, rows in found.items():
        names = [r[1] for r in _rows(path, f'PRAGMA table_info("{tbl}")')]
        if "updated_at" in names:
            at = names.index("updated_at")
            found[tbl] = [row[:at] + row[at + 1 :] for row in rows]
    return found


def _run(path: Path, op: DeleteRows | DeleteTree, *, undo: bool = False) -> None:
    store = Store(make_engine(path))
    store.apply(op)
    if undo:
        store.revert(op)
    store.close()


def test_deleting_a_project_set_based_leaves_what_the_row_by_row_delete_leaves(
    tmp_path: Path,
) -> None:
    template = tmp_path / "template.sqlite"
    ids = _station(template)
    old, new = tmp_path / "old.sqlite", tmp_path / "new.sqlite"
    shutil.copyfile(template, old)
    shutil.copyfile(template, new)
    start = _rows(template, "SELECT max(id) FROM sync_outbox")[0][0]

    _run(old, DeleteRows([(Project, ids["site"])]))
    _run(new, DeleteTree([(Project, ids["site"])]))

    expected, found = _since(old, start), _since(new, start)
    assert found == expected
    assert _data(new) == _data(old)
    # Every row of the tree went with its tombstone, and the stray cost entry was cleared.
    gone = found["outbox"]
    assert (
        sum(n for key, n in gone.items() if key[2] == "D") == 1 + 5 + 2 + 1 + 1 + 2 + 2 + 1 + 1 + 1
    )
    assert sum(n for key, n in gone.items() if key[2] == "U") == 1
    assert _rows(new, f"SELECT task_id FROM cost_entry WHERE id = '{ids['stray']}'") == [(None,)]
    assert len(set(found["clocks"])) == len(found["clocks"])  # each change its own stamp


def test_its_undo_restores_what_the_row_by_row_undo_restores(tmp_path: Path) -> None:
    template = tmp_path / "template.sqlite"
    ids = _station(template)
    old, new = tmp_path / "old.sqlite", tmp_path / "new.sqlite"
    shutil.copyfile(template, old)
    shutil.copyfile(template, new)
    start = _rows(template, "SELECT max(id) FROM sync_outbox")[0][0]

    _run(old, DeleteRows([(Project, ids["site"])]), undo=True)
    _run(new, DeleteTree([(Project, ids["site"])]), undo=True)

    assert _since(new, start) == _since(old, start)
    assert _data(new) == _data(template)
    assert _data(old) == _data(template)


def test_another_station_sees_the_project_go_and_come_back(tmp_path: Path) -> None:
    bench = Bench(tmp_path / "agency", 2)
    try:
        a, b = bench.stations
        ids = _plan(a.open())
        bench.settle(2)
        before = _data(b.path)
        assert len(before["task"]) == 5

        op = DeleteTree([(Project, ids["site"])], "Delete project")
        a.open().apply(op)
        bench.settle(2)
        assert dump(b.path) == dump(a.path)
        assert not dump(b.path)["task"] and not dump(b.path)["dependency"]
        (left,) = dump(b.path)["project"]
        assert ids["other"] in left

        a.open().revert(op)
        bench.settle(2)
        assert dump(b.path) == dump(a.path)
        assert _data(b.path) == before
    finally:
        bench.close()
