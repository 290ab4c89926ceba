"""A multi-station test bench: N station databases and one shared folder under a temp dir.

Stations edit through the real `Store` and operations (so the outbox triggers see exactly what
the app writes) and sync through the real `sync()`. `dump()` is a canonical view of every
synced table, and `lost_edits()` checks the promise of the feature: every edit ever made is
either the value that survived, superseded by an edit made after seeing it (by its causal
context: what its author had applied), or listed as a conflict on every station.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from db.database import make_engine, open_database
from db.models import ENTITIES
from db.operations import Operation
from db.store import Store
from db.sync.engine import SyncResult, sync
from db.sync.schema import TABLE_ENTITY, new_station_id
from db.sync.transport import Transport


@dataclass
class Station:
    name: str
    path: Path
    store: Store | None = None
    results: list[SyncResult] = field(default_factory=list)

    def open(self) -> Store:
        if self.store is None:
            # The database is migrated already (new_station_db); skip open_database's checks.
            self.store = Store(make_engine(self.path))
        return self.store

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None

    def apply(self, op: Operation) -> None:
        self.open().apply(op)

    def sql(self, query: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        conn = sqlite3.connect(self.path)
        try:
            with conn:
                return conn.execute(query, args).fetchall()
        finally:
            conn.close()

    @property
    def station_id(self) -> str:
        return self.sql("SELECT station_id FROM sync_ctl")[0][0]

    def set_clock_offset(self, ms: int) -> None:
        self.sql("UPDATE sync_ctl SET clock_offset_ms = ?", (ms,))


_TEMPLATE: list[Path] = []


def new_station_db(path: Path) -> None:
    """A migrated, empty database with its own station id; copying one template is much
    faster than running the migrations for every station of every hypothesis example."""
    if not _TEMPLATE:
        template = Path(tempfile.mkdtemp(prefix="agency-desk-template-")) / "template.sqlite"
        open_database(template, create=True).dispose()
        conn = sqlite3.connect(template)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
        _TEMPLATE.append(template)
    shutil.copyfile(_TEMPLATE[0], path)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE sync_ctl SET station_id = ?", (new_station_id(),))
    conn.close()


class Bench:
    def __init__(self, root: Path, n: int) -> None:
        self.root = root
        self.share = root / "share"
        self.share.mkdir(parents=True, exist_ok=True)
        self.stations = [Station(f"s{i}", root / f"s{i}.sqlite") for i in range(n)]
        for s in self.stations:
            new_station_db(s.path)
            s.open()

    def sync(self, station: Station, transport: Transport | None = None, **kw: Any) -> SyncResult:
        kw.setdefault("compact", False)  # tests compact when they say so
        result = sync(
            station.path, self.share, station_name=station.name, transport=transport, **kw
        )
        station.results.append(result)
        return result

    def settle(self, rounds: int = 3) -> None:
        """Sync every station a few times, until everyone has everyone's changes."""
        for _ in range(rounds):
            for s in self.stations:
                self.sync(s)

    def close(self) -> None:
        for s in self.stations:
            s.close()


@contextmanager
def bench(root: Path, n: int) -> Iterator[Bench]:
    b = Bench(root, n)
    try:
        yield b
    finally:
        b.close()


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    return conn


def dump(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every synced table's rows, ordered by id: equal dumps mean identical data."""
    conn = sqlite3.connect(path)
    try:
        return {
            tbl: conn.execute(f'SELECT * FROM "{tbl}" ORDER BY id').fetchall()
            for tbl in sorted(TABLE_ENTITY)
        }
    finally:
        conn.close()


def conflicts(path: Path) -> list[dict[str, Any]]:
    conn = _connect(path)
    try:
        return [dict(r) for r in conn.execute("SELECT * FROM sync_conflict ORDER BY id")]
    finally:
        conn.close()


def listed(path: Path) -> set[tuple[Any, ...]]:
    """The open conflict list as a user reads it (without local ids and detection times);
    a clock flag is this station's own measurement, so it is left out."""
    keep = ("kind", "entity", "row_id", "field", "losing_value", "winning_value")
    keep += ("losing_station", "winning_station", "losing_hlc", "winning_hlc", "row_data")
    return {
        tuple(c[k] for k in keep)
        for c in conflicts(path)
        if c["kind"] != "future" and not c["resolved"]
    }


@dataclass(frozen=True)
class Edit:
    station: str
    tbl: str
    row_id: str
    op: str
    hlc: int
    fields: dict[str, Any]
    n: int  # the change's counter (its outbox id): (station, n) is its dot
    ctx: dict[str, int]  # what its author had applied when making it

    def saw(self, other: Edit) -> bool:
        if other.station == self.station:
            return other.n < self.n
        return self.ctx.get(other.station, 0) >= other.n


def edits(path: Path) -> list[Edit]:
    conn = sqlite3.connect(path)
    try:
        sid = conn.execute("SELECT station_id FROM sync_ctl").fetchone()[0]
        return [
            Edit(sid, t, r, o, h, json.loads(d), i, json.loads(v or "{}"))
            for t, r, o, h, d, i, v in conn.execute(
                "SELECT o.tbl, o.row_id, o.op, o.hlc, o.data, o.id, x.vector FROM sync_outbox "
                "AS o LEFT JOIN sync_ctx AS x ON x.id = o.ctx ORDER BY o.id"
            )
        ]
    finally:
        conn.close()


QUIET = {"created_at", "updated_at"}


def lost_edits(paths: list[Path]) -> list[str]:
    """Every field edit must be accounted for on every station: its value survived, an edit
    made having seen it (its base) replaced it, or it is listed as a conflict there; an edit
    of a row that is gone must have been seen by the delete or be listed with the row (or
    with an ancestor that went with it). Returns a line per edit that is not."""
    all_edits = []
    known: set[tuple[Any, ...]] = set()
    for e in (e for p in paths for e in edits(p)):
        # A copied install's outbox repeats the original's history: one author each.
        key = (e.tbl, e.row_id, e.op, e.hlc, e.n, json.dumps(e.fields, sort_keys=True))
        if key not in known:
            known.add(key)
            all_edits.append(e)
    by_field: dict[tuple[str, str, str], list[Edit]] = {}
    deletes: dict[tuple[str, str], list[Edit]] = {}
    for e in all_edits:
        if e.op == "D":
            deletes.setdefault((e.tbl, e.row_id), []).append(e)
            continue
        for f in e.fields:
            if f != "id" and f not in QUIET:
                by_field.setdefault((e.tbl, e.row_id, f), []).append(e)
    problems = []
    for path in paths:
        conn = _connect(path)
        try:
            problems += _lost_on(path.name, conn, by_field, deletes)
        finally:
            conn.close()
    return problems


def _lost_on(
    name: str,
    conn: sqlite3.Connection,
    by_field: dict[tuple[str, str, str], list[Edit]],
    deletes: dict[tuple[str, str], list[Edit]],
) -> list[str]:
    problems = []
    listed = [dict(r) for r in conn.execute("SELECT * FROM sync_conflict")]
    listed_rows = {(c["entity"], c["row_id"]) for c in listed if c["row_data"]}
    listed_fields = {(c["entity"], c["row_id"], c["field"], c["losing_value"]) for c in listed}
    for (tbl, row_id, f), group in by_field.items():
        entity = TABLE_ENTITY[tbl]
        found = conn.execute(f'SELECT * FROM "{tbl}" WHERE id = ?', (row_id,)).fetchone()
        for e in group:
            value = e.fields[f]
            if any(o is not e and o.saw(e) for o in group):
                continue  # replaced by an edit made having seen it
            if any(
                o.saw(same)
                for same in group
                if same is not e and same.fields[f] == value
                for o in group
            ):
                # The same value, written concurrently (two restores of one row), was
                # replaced by an edit made having seen it: one field keeps one version.
                continue
            if found is None:
                gone = deletes.get((tbl, row_id), [])
                if any(d.saw(e) for d in gone):
                    continue  # the delete saw this edit
                if (entity, row_id, f, json.dumps(value, sort_keys=True)) in listed_fields:
                    continue  # it had lost to a concurrent edit, and is listed as such
                if _listed_with_ancestor(conn, tbl, row_id, listed_rows):
                    continue
                problems.append(f"{name}: {entity} {row_id[:8]} deleted, edit of {f} lost")
                continue
            if found[f] == value:
                continue
            if (entity, row_id, f, json.dumps(value, sort_keys=True)) in listed_fields:
                continue
            problems.append(f"{name}: {entity} {row_id[:8]}.{f}={value!r} lost (now {found[f]!r})")
    return problems


def _listed_with_ancestor(
    conn: sqlite3.Connection, tbl: str, row_id: str, listed_rows: set[tuple[str, str]]
) -> bool:
    """The row, or an ancestor it went with, is in the conflict list with its data."""
    for _ in range(10):
        if (TABLE_ENTITY[tbl], row_id) in listed_rows:
            return True
        tomb = conn.execute(
            "SELECT data FROM sync_tomb WHERE tbl = ? AND row_id = ?", (tbl, row_id)
        ).fetchone()
        if tomb is None:
            return False
        data = json.loads(tomb[0])
        parent = next(((t, data[c]) for c, t in PARENT_COLUMNS.get(tbl, ()) if data.get(c)), None)
        if parent is None:
            return False
        tbl, row_id = parent
    return False


PARENT_COLUMNS = {
    cls.__table__.name: [  # type: ignore[attr-defined]
        (fk.parent.name, fk.column.table.name)
        for fk in cls.__table__.foreign_keys  # type: ignore[attr-defined]
        if fk.ondelete == "CASCADE"
    ]
    for cls in ENTITIES.values()
}
