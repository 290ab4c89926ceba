"""Snapshots: joining a share, rebuilding after a long absence, and compaction.

A snapshot is this database as the compacting station holds it (agency data plus the version
and tombstone tables and the applied vector), without anything station-local (identity,
outbox, conflicts). Joining or rebuilding loads one into the local database in one
transaction, keeping the station's identity and outbox; the changes newer than the snapshot
then arrive by the ordinary pull, so sync time grows with the changes, not the database.

Compaction runs under a lease (one station at a time; a lease expires so a dead compactor
does not block the share forever; correctness never depends on it: a second compactor only
wastes work, because publishing is fenced by the generation in meta.json). Change files go
only when every *active* station has applied them and a snapshot covering them is itself
older than the retention period. Ages are measured by the share's clock (the times the share
gave the ack, snapshot and lease files), never by the clocks stations write into their
files, so one station a month ahead cannot make everyone look inactive: a station is
inactive when its ack file was last written longer than the retention period ago *and* it
has not applied everything the compacting station has. Each compaction records in
meta.json which stations it left out and why, and which seqs it removed (`purged`). A
station offline for longer falls out of the active set; when it returns and finds a file it
needs purged it rebuilds from the latest snapshot, after first pushing its own outbox (a
file that merely has not arrived yet is waited for, not taken for a purged one).
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from db import search
from db.privacy import erased
from db.sync.errors import ShareFormatError, ShareIOError
from db.sync.faults import crash_point
from db.sync.hlc import COUNTER_BITS
from db.sync.local import UNSENT, LocalStation, known_schemas, schema_head
from db.sync.merge import table_infos
from db.sync.schema import TABLE_ENTITY
from db.sync.transport import ChangeRef, Skipped, Transport

if TYPE_CHECKING:
    from db.sync.engine import SyncResult

DAY_MS = 24 * 3600 * 1000
RETENTION_MS = 30 * DAY_MS
COMPACT_EVERY_MS = DAY_MS
LEASE_MS = 10 * 60 * 1000
# A lease claiming to run out later than a lease can (plus this much for clocks that
# differ) was not taken by Agency Desk: it counts as expired, so it cannot stop compaction.
LEASE_SLACK_MS = 60 * 1000
KEEP_SNAPSHOTS = 2
SHARED_SYNC_TABLES = ("sync_version", "sync_tomb", "sync_applied", "sync_delete_ctx")
# `sync_settings` holds a path on the compacting computer: never published (local_settings.py).
LOCAL_SYNC_TABLES = (
    "sync_outbox",
    "sync_conflict",
    "sync_pushed",
    "sync_settings",
    "sync_file",
    "sync_quarantine",
    "sync_ctx",
    # The station's own history of changes (db.audit): each station keeps its own, and it
    # holds old values a snapshot has no business carrying.
    "audit_entry",
)


class EditRaced(Exception):
    """A local edit arrived between push and rebuild; push again, then rebuild."""


# -- joining and rebuilding --------------------------------------------------------------------


def snapshot_problem(transport: Transport, meta: dict[str, Any]) -> str | None:
    """Why the snapshot meta.json names cannot be trusted, or None. Its vector says which
    files it covers; it may not claim more of a station than that station ever published:
    what the share holds of it (its files) or its own ack says it sent."""
    vector: dict[str, int] = meta.get("vector", {})
    acks = transport.read_acks() if vector else {}
    for other, covered in vector.items():
        refs, _ = transport.list_changes(other, 0)
        holds = max(
            [r.seq for r in refs] + [int(acks.get(other, {}).get("applied", {}).get(other, 0))]
        )
        if covered > holds:
            return (
                f"its snapshot claims station {other}'s changes up to {covered}, "
                f"but the share holds them only up to {holds}"
            )
    return None


def _snapshot_usable(transport: Transport, meta: dict[str, Any]) -> bool:
    problem = snapshot_problem(transport, meta)
    if problem is not None and hasattr(transport, "note_ignored"):
        transport.note_ignored("meta.json snapshot", f"not used: {problem}")
    return problem is None


def needs_rebuild(station: LocalStation, transport: Transport, meta: dict[str, Any]) -> bool:
    """True when a file we still need was compacted away (we were gone too long) and the
    latest snapshot is consistent with the share. Compaction records what it purged; a file
    that is merely missing (not arrived yet) is waited for, though a snapshot that claims
    more than the share holds is still reported."""
    applied = station.applied()
    vector: dict[str, int] = meta.get("vector", {})
    missing = False
    for other, covered in vector.items():
        have = applied.get(other, 0)
        if have >= covered:
            continue
        refs, _ = transport.list_changes(other, have)
        if not refs or refs[0].seq != have + 1:
            missing = True
            break
    purged = meta.get("purged")
    if isinstance(purged, dict):
        gone = any(
            isinstance(seq, int) and applied.get(other, 0) < seq for other, seq in purged.items()
        )
        if not gone:
            if missing:
                _snapshot_usable(transport, meta)  # not needed, but say if it is bogus
            return False
        return _snapshot_usable(transport, meta)
    # A share compacted before `purged` was recorded: a missing next file means purged.
    return missing and _snapshot_usable(transport, meta)


def join(
    station: LocalStation, transport: Transport, meta: dict[str, Any], result: SyncResult
) -> None:
    if meta.get("snapshot") and _snapshot_usable(transport, meta):
        try:
            rebuild(station, transport, meta, result)
        except ShareIOError as exc:
            # Damaged or half-copied: join from the change files; the next sync sees what
            # they lack and tries the snapshot again.
            result.skipped.append(Skipped("snapshot", f"not used: {exc}"))
        result.rebuilt = False


def rebuild(
    station: LocalStation, transport: Transport, meta: dict[str, Any], result: SyncResult
) -> None:
    name = meta.get("snapshot")
    refs = [r for r in transport.list_snapshots() if r.name == name]
    if not refs:
        raise ShareIOError(f"snapshot {name} named in meta.json is missing from the share")
    with tempfile.TemporaryDirectory(prefix="agency-desk-snap-") as tmp:
        local = Path(tmp) / "snapshot.sqlite"
        transport.fetch_snapshot(refs[0], local)
        _check_snapshot(local, meta.get("vector", {}))
        before = station.table_ids(sorted(TABLE_ENTITY))
        _load(station, local)
    after = station.table_ids(sorted(TABLE_ENTITY))
    for tbl, ids in after.items():
        entity = TABLE_ENTITY[tbl]
        result.changes.add("added", entity, ids - before[tbl])
        result.changes.add("changed", entity, ids & before[tbl])
        result.changes.add("removed", entity, before[tbl] - ids)
    result.changes.merge(type(result.changes)())
    result.rebuilt = True


def _check_snapshot(path: Path, vector: dict[str, int]) -> None:
    conn = sqlite3.connect(path)
    try:
        ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
        rev = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        applied = dict(conn.execute("SELECT station, seq FROM sync_applied").fetchall())
    except sqlite3.DatabaseError as exc:
        raise ShareIOError(f"snapshot is damaged ({exc})") from exc
    finally:
        conn.close()
    if ok != "ok":
        raise ShareIOError(f"snapshot failed its integrity check ({ok})")
    if rev not in known_schemas():
        raise ShareFormatError(
            f"snapshot was written by a newer Agency Desk (schema {rev}); update to sync"
        )
    beyond = sorted(s for s, seq in applied.items() if seq > int(vector.get(s, 0)))
    if beyond:
        raise ShareIOError(
            f"snapshot claims more of station {beyond[0]} than meta.json says it covers"
        )


def _load(station: LocalStation, snapshot: Path) -> None:
    """Replace agency data and shared sync tables by the snapshot's, in one transaction."""
    conn = station.conn
    assert conn is not None
    conn.execute("ATTACH DATABASE ? AS snap", (str(snapshot),))
    try:
        station.begin()
        try:
            if station.unpushed_count():
                # An edit landed after our push; replacing the data now would drop it here
                # while it travels to everyone else. Push it first (the caller retries).
                raise EditRaced("local edits arrived during the rebuild")
            conn.execute("PRAGMA defer_foreign_keys = ON")
            conn.execute("UPDATE sync_ctl SET applying = 1 WHERE id = 1")
            infos = table_infos(conn)
            from db.models import Base

            order = [t.name for t in Base.metadata.sorted_tables if t.name in infos]
            for tbl in reversed(order):
                conn.execute(f'DELETE FROM main."{tbl}"')
            for tbl in order:
                theirs = {r[1] for r in conn.execute(f'PRAGMA snap.table_info("{tbl}")')}
                cols = ", ".join(f'"{c}"' for c in infos[tbl].columns if c in theirs)
                conn.execute(f'INSERT INTO main."{tbl}" ({cols}) SELECT {cols} FROM snap."{tbl}"')
            for tbl in SHARED_SYNC_TABLES:
                # By name: a snapshot from before causal tracking lacks the counters (0).
                theirs = {r[1] for r in conn.execute(f'PRAGMA snap.table_info("{tbl}")')}
                ours = [r[1] for r in conn.execute(f'PRAGMA main.table_info("{tbl}")')]
                cols = ", ".join(f'"{c}"' for c in ours if c in theirs)
                conn.execute(f"DELETE FROM main.{tbl}")
                if cols:  # a snapshot from before 0017 has no delete contexts
                    conn.execute(f"INSERT INTO main.{tbl} ({cols}) SELECT {cols} FROM snap.{tbl}")
            erased.carry_over(conn, "snap")  # an erased row's late edits are dropped here too
            snap_hlc = conn.execute("SELECT hlc FROM snap.sync_ctl").fetchone()[0]
            me = station.identity()
            # Our own files stay ours: re-applying those newer than the snapshot is harmless.
            conn.execute(
                "UPDATE sync_ctl SET applying = 0, hlc = max(hlc, ?), acked = '{}', "
                "ctx = ctx + 1 WHERE id = 1",
                (snap_hlc,),
            )
            del me
            search.rebuild(conn)  # the data was replaced: index all of it again
            crash_point("rebuild.before_commit")
            station.commit()
        except BaseException:
            station.rollback()
            raise
    finally:
        conn.execute("DETACH DATABASE snap")


# -- purging what every station has seen -----------------------------------------------------


def stable_vector(station: LocalStation, acks: dict[str, dict[str, Any]]) -> dict[str, int]:
    """station -> the change counter up to which every station has seen that station's
    changes with none of its own concurrent edits still unsent, so nothing that has not
    seen them can arrive any more. Empty unless every station known here has acknowledged
    in the new format with nothing unsent, and we hold everything each had sent by then."""
    mine = station.seen()
    stations = set(mine) | set(acks)
    seen_by: list[dict[str, int]] = []
    for sid in stations:
        ack = acks.get(sid)
        if not isinstance(ack, dict):
            return {}
        seen = ack.get("seen")
        if not isinstance(seen, dict) or ack.get("unsent") != 0:
            return {}
        if mine.get(sid, 0) < _int(seen.get(sid)):
            return {}  # it had sent changes we have not applied yet
        seen_by.append(seen)
    return {sid: min(_int(s.get(sid)) for s in seen_by) for sid in stations}


def purge_seen_by_all(
    station: LocalStation, acks: dict[str, dict[str, Any]], retention_ms: int
) -> int:
    """Drop per-row versions and tombstones that every station has seen and that are older
    than the retention period: any change still to come was made having seen them, so it
    supersedes them anyway. The age matters for a station nobody knows of yet (a new
    install that worked offline before its first sync): like a station gone longer than
    retention, its old edits meet a share that has moved on. A row's versions go together
    (a field falls back to its row's insert). While a whole row waits on the conflict list
    no tombstone goes: restoring it may bring back its deleted parents. Versions from before
    causal tracking (counter 0) are kept. Returns how many went."""
    stable = stable_vector(station, acks)
    if not stable:
        return 0
    before = (station.now_ms() - station.share_offset() - retention_ms) << COUNTER_BITS
    conn = station.conn
    station.begin()
    try:
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS purge_stable (station TEXT PRIMARY KEY, n)")
        conn.execute("DELETE FROM temp.purge_stable")
        conn.executemany("INSERT INTO temp.purge_stable VALUES (?, ?)", stable.items())

        def unstable(ref: str) -> str:
            return (
                f"{ref}.n = 0 OR {ref}.hlc >= {before} OR {ref}.n > coalesce((SELECT n FROM "
                f"temp.purge_stable AS p WHERE p.station = {ref}.station), 0)"
            )

        gone = conn.execute(
            "DELETE FROM sync_version WHERE NOT EXISTS (SELECT 1 FROM sync_version AS v "
            "WHERE v.tbl = sync_version.tbl AND v.row_id = sync_version.row_id AND "
            f"({unstable('v')}))"
        ).rowcount
        if not conn.execute(
            "SELECT 1 FROM sync_conflict WHERE resolved = 0 AND row_data IS NOT NULL"
        ).fetchone():
            gone += conn.execute(
                f"DELETE FROM sync_tomb WHERE NOT ({unstable('sync_tomb')})"
            ).rowcount
        # A delete's context counts while a restore may still answer it (merge.py).
        conn.execute(
            "DELETE FROM sync_delete_ctx WHERE (station, n) NOT IN (SELECT station, n FROM "
            "sync_tomb UNION ALL SELECT station, n FROM sync_version WHERE field LIKE '~%')"
        )
        station.commit()
    except BaseException:
        station.rollback()
        raise
    return gone


# -- compaction -------------------------------------------------------------------------------

# The snapshot drops the outbox, which holds the contexts of our own deletes: a station
# rebuilt from it keeps those a restore may still answer (tombstones, deletes set aside),
# as it keeps other stations' (`sync_delete_ctx`, see merge.py).
_KEEP_OWN_DELETE_CONTEXTS = (
    "INSERT OR IGNORE INTO sync_delete_ctx (station, n, vector) SELECT c.station_id, o.id, "
    "x.vector FROM sync_ctl AS c JOIN sync_outbox AS o ON o.op = 'D' JOIN sync_ctx AS x ON "
    "x.id = o.ctx WHERE EXISTS (SELECT 1 FROM sync_tomb AS t WHERE t.tbl = o.tbl AND "
    "t.row_id = o.row_id AND t.station = c.station_id AND t.n = o.id) OR EXISTS (SELECT 1 "
    "FROM sync_version AS v WHERE v.tbl = o.tbl AND v.row_id = o.row_id AND "
    "v.field = '~' || c.station_id || ':' || o.id)"
)


def compaction_due(meta: dict[str, Any], share_now_ms: int) -> bool:
    """`share_now_ms`: our clock corrected by its measured offset from the share's."""
    history = meta.get("snapshots", [])
    last = max((_share_ms(s) for s in history), default=0)
    return share_now_ms - last >= COMPACT_EVERY_MS


def _share_ms(entry: dict[str, Any]) -> int:
    value = entry.get("share_ms", entry.get("wall_ms", 0))
    return value if isinstance(value, int) else 0


def lease_held(lease: dict[str, Any], now_ms: int) -> bool:
    """Whether another station's lease still stands: not run out, and not claiming longer
    than a lease lasts (such a lease is counted as expired)."""
    expires = int(lease.get("expires_ms", 0))
    return now_ms < expires <= now_ms + LEASE_MS + LEASE_SLACK_MS


def _take_lease(station: LocalStation, transport: Transport, generation: int) -> bool:
    me = station.identity().station_id
    now = station.now_ms()
    lease = transport.read_lease()
    if lease and lease.get("station") != me and lease_held(lease, now):
        return False
    transport.write_lease({"station": me, "expires_ms": now + LEASE_MS, "generation": generation})
    held = transport.read_lease()
    return bool(held and held.get("station") == me)


def compact(station: LocalStation, transport: Transport, retention_ms: int) -> bool:
    """Publish a snapshot and delete change files that nobody needs any more. False when
    another station holds the lease, our outbox is not empty, or another compactor won."""
    meta = transport.read_meta()
    if getattr(transport, "bad_meta", None) is not None:
        return False  # meta.json is unsound: writing over it could lose the share's history
    generation = int(meta.get("generation", 0))
    if station.unpushed_count() or not _take_lease(station, transport, generation + 1):
        return False
    crash_point("compact.after_lease")
    me = station.identity().station_id
    try:
        with tempfile.TemporaryDirectory(prefix="agency-desk-compact-") as tmp:
            copy, final = Path(tmp) / "copy.sqlite", Path(tmp) / "snapshot.sqlite"
            source = sqlite3.connect(station.path)
            try:
                dest = sqlite3.connect(copy)
                source.backup(dest)
                dest.close()
            finally:
                source.close()
            conn = sqlite3.connect(copy, isolation_level=None)
            try:
                unpushed = f"SELECT count(*) FROM sync_outbox WHERE {UNSENT}"
                if conn.execute(unpushed).fetchone()[0]:
                    return False  # an edit slipped in after the push; next time
                vector = dict(conn.execute("SELECT station, seq FROM sync_applied").fetchall())
                conn.execute(_KEEP_OWN_DELETE_CONTEXTS)
                for tbl in LOCAL_SYNC_TABLES:
                    conn.execute(f"DELETE FROM {tbl}")
                conn.execute(
                    "UPDATE sync_ctl SET station_id = '', station_name = '', seq = 0, "
                    "acked = '{}', pushing_seq = NULL, pushing_upto = NULL, install_mark = NULL"
                )
                conn.execute("VACUUM INTO ?", (str(final),))
            finally:
                conn.close()
            check = sqlite3.connect(final)
            try:
                ok = check.execute("PRAGMA integrity_check").fetchone()[0]
            finally:
                check.close()
            if ok != "ok":
                raise ShareIOError(f"compaction: snapshot failed its integrity check ({ok})")
            crash_point("compact.before_publish")
            ref = transport.publish_snapshot(generation + 1, final)
        crash_point("compact.after_publish")
        current = transport.read_meta()
        if int(current.get("generation", 0)) != generation:
            transport.delete_snapshot(ref)
            return False  # another compactor published first: ours was wasted work
        now = station.now_ms()
        published = _written(transport, "snapshot_written_ms", ref.name)
        share_now = max(published or 0, _share_now(transport, station))
        entry = {
            "generation": generation + 1,
            "name": ref.name,
            "vector": vector,
            "wall_ms": now,
            "share_ms": published or share_now,
        }
        history = [*current.get("snapshots", []), entry]
        doomed, inactive = _covered_changes(transport, history, vector, share_now, retention_ms)
        entry["inactive"] = inactive
        purged = dict(current.get("purged") or {})
        for other, refs in doomed.items():
            purged[other] = max([purged.get(other, 0)] + [r.seq for r in refs])
        transport.write_meta(
            {
                **current,
                "generation": generation + 1,
                "snapshot": ref.name,
                "vector": vector,
                "schema": schema_head(),
                "snapshots": history[-50:],
                "purged": purged,
            }
        )
        crash_point("compact.after_meta")
        _delete_old_snapshots(transport, ref.name)
        for refs in doomed.values():
            for change_ref in refs:
                transport.delete_change(change_ref)
        crash_point("compact.after_cleanup")
        return True
    finally:
        lease = transport.read_lease()
        if lease and lease.get("station") == me:
            transport.write_lease(None)


def _int(value: Any) -> int:
    return value if type(value) is int else 0


def _written(transport: Transport, method: str, *args: Any) -> int | None:
    found = getattr(transport, method, None)
    return found(*args) if found is not None else None


def _share_now(transport: Transport, station: LocalStation) -> int:
    """Now by the share's clock: when it stamped the lease we hold (else our clock,
    corrected by the offset measured at our last push)."""
    return _written(transport, "lease_written_ms") or station.now_ms() - station.share_offset()


def _delete_old_snapshots(transport: Transport, keep: str) -> None:
    refs = transport.list_snapshots()
    for ref in refs[:-KEEP_SNAPSHOTS]:
        if ref.name != keep:
            transport.delete_snapshot(ref)


def _covered_changes(
    transport: Transport,
    history: list[dict[str, Any]],
    mine: dict[str, int],
    share_now: int,
    retention_ms: int,
) -> tuple[dict[str, list[ChangeRef]], dict[str, str]]:
    """The change files nobody needs any more, and the stations left out of that judgement
    with the reason. A station counts as inactive only when its ack file is older than the
    retention period by the share's clock and it is behind `mine` (what the compacting
    station applied): a station that is up to date loses nothing by the deletion."""
    old_enough = [s for s in history if share_now - _share_ms(s) >= retention_ms]
    if not old_enough:
        return {}, {}
    covered_by_snapshot: dict[str, int] = old_enough[-1]["vector"]
    acks = transport.read_acks()
    listed = _written(transport, "ack_times")
    times: dict[str, int] = listed if isinstance(listed, dict) else {}
    active: list[dict[str, Any]] = []
    inactive: dict[str, str] = {}
    for sid, ack in acks.items():
        found = ack.get("applied")
        applied: dict[str, Any] = found if isinstance(found, dict) else {}
        written = times.get(sid)
        if written is None:  # a transport without file times: the ack's own clock
            wall = ack.get("wall_ms")
            written = wall if isinstance(wall, int) else 0
        age = share_now - written
        behind = any(_int(applied.get(o)) < seq for o, seq in mine.items())
        if age >= retention_ms and behind:
            days = age / DAY_MS
            inactive[sid] = f"ack last written {days:.1f} days ago by the share's clock, and behind"
        else:
            active.append(applied)
    if not active:
        return {}, inactive
    doomed: dict[str, list[ChangeRef]] = {}
    for other, covered in covered_by_snapshot.items():
        limit = min([covered] + [_int(a.get(other)) for a in active])
        refs, _ = transport.list_changes(other, 0)
        doomed[other] = [ChangeRef(r.seq, r.sha256, other) for r in refs if r.seq <= limit]
    return {k: v for k, v in doomed.items() if v}, inactive


def describe_meta(meta: dict[str, Any]) -> str:
    return json.dumps({k: meta.get(k) for k in ("format", "generation", "snapshot")})
