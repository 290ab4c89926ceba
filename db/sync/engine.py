"""One sync: push this station's outbox, pull and apply everyone else's files, acknowledge,
and now and then compact. `sync()` is the entry point for the CLI and for tests;
`sync_store()` runs the same against a GUI `Store`'s database from a worker thread, and
`refresh_store()` then brings the GUI session up to date on the UI thread.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm.util import identity_key

from db import instance_lock
from db.changes import ChangeSet
from db.models import ENTITIES
from db.store import Store
from db.sync import agency, join, local_settings, snapshots
from db.sync.errors import DatabaseOnShareError, ShareFormatError, ShareIOError, SyncBusyError
from db.sync.faults import crash_point
from db.sync.folder import FolderTransport
from db.sync.local import UNSENT, LocalStation, known_schemas, schema_head
from db.sync.merge import Deferred, Merger, table_infos
from db.sync.transport import ChangeRef, Skipped, Transport
from db.sync.wire import FORMAT, Rejected, decode, encode

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]
REBUILD_TRIES = 5
PUSH_CHUNK = 20_000  # changes per file: big pushes become several files, each verified


@dataclass
class SyncResult:
    station_id: str = ""
    pushed: int = 0
    pushed_files: int = 0
    pulled: int = 0
    pulled_files: int = 0
    conflicts: int = 0
    flagged: int = 0
    waiting: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    joined: bool = False
    rebuilt: bool = False
    rekeyed: bool = False
    compacted: bool = False
    changes: ChangeSet = field(default_factory=ChangeSet)
    # Stations at the same point of sync whose row counts differ from ours (should be empty).
    mismatched: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"sent {_count(self.pushed, 'change')}", f"received {self.pulled}"]
        if self.conflicts:
            parts.append(f"{_count(self.conflicts, 'new conflict')} to review")
        if self.waiting:
            parts.append(f"{_count(self.waiting, 'file')} waiting for earlier ones")
        if self.skipped:
            parts.append(f"{_count(len(self.skipped), 'file')} skipped")
        if self.mismatched:
            parts.append(f"row counts differ from {', '.join(self.mismatched)}")
        if self.flagged:
            parts.append(f"{_count(self.flagged, 'change')} stamped far in the future")
        for flag, text in (
            (self.joined, "joined the share"),
            (self.rebuilt, "rebuilt from snapshot"),
            (self.rekeyed, "copied install detected: new station id"),
            (self.compacted, "compacted"),
        ):
            if flag:
                parts.append(text)
        return "sync: " + ", ".join(parts)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


# One sync at a time per database inside this process (the app's timer and its Sync button);
# other processes are kept out by the database's instance lock, which sync holds throughout.
_syncing_guard = threading.Lock()
_syncing: set[str] = set()


@contextmanager
def _one_sync_at_a_time(db_path: Path) -> Iterator[None]:
    key = str(instance_lock.resolved(db_path))
    with _syncing_guard:
        if key in _syncing:
            raise SyncBusyError(f"{db_path}: this database is being synced right now")
        _syncing.add(key)
    try:
        yield
    finally:
        with _syncing_guard:
            _syncing.discard(key)


def sync(
    db_path: Path,
    share: Path,
    *,
    station_name: str | None = None,
    progress: Progress | None = None,
    transport: Transport | None = None,
    compact: bool | None = None,
    retention_ms: int = snapshots.RETENTION_MS,
) -> SyncResult:
    """One full push and pull between the database at `db_path` and the shared folder.

    A missing database becomes a new station that joins the share (snapshot plus newer
    changes). Share failures raise a `SyncError` and leave the outbox untouched. `compact`
    None compacts when the last snapshot is older than a day.
    """
    db_path = Path(db_path).expanduser().absolute()
    share = Path(share).expanduser().absolute()
    if transport is None and db_path.resolve().is_relative_to(share.resolve()):
        # Every station would open one live SQLite file over the network: the very thing
        # this design exists to avoid.
        raise DatabaseOnShareError(
            f"{db_path}: the station's database must not live inside the shared folder "
            f"{share}; keep it on this computer"
        )
    share_transport = transport or FolderTransport(share)
    report = progress or (lambda _stage, _done, _total: None)
    with _one_sync_at_a_time(db_path), instance_lock.held(db_path):
        share_transport.check()
        meta = _check_meta(share_transport)
        result = SyncResult()
        if not db_path.exists():
            # A new station: built beside the target and renamed into place when whole, so
            # a kill at any moment leaves either nothing or a complete database (join.py).
            join.join_new(db_path, share_transport, share, meta, result, station_name)
            result.joined = True
        station = LocalStation(db_path)
        try:
            # Before anything is written anywhere: one agency per share (agency.py).
            if agency.settle(station, share_transport, share).loads_data:
                snapshots.join(station, share_transport, meta, result)
                result.joined = True
            if station_name is not None:
                station.set_name(station_name)
            local_settings.remember_share(station.conn.execute, str(share))
            _sync_once(station, share_transport, result, report, compact, retention_ms)
        finally:
            station.close()
        log.info(result.summary())
        return result


def _check_meta(transport: Transport) -> dict:
    meta = transport.read_meta()
    if not meta:
        meta = {"format": FORMAT, "generation": 0, "snapshots": []}
        transport.write_meta(meta)
    if meta.get("format", FORMAT) > FORMAT:
        raise ShareFormatError(
            f"shared folder was written by a newer Agency Desk (format {meta['format']}); "
            "update Agency Desk to sync"
        )
    return meta


def _sync_once(
    station: LocalStation,
    transport: Transport,
    result: SyncResult,
    report: Progress,
    compact: bool | None,
    retention_ms: int,
) -> None:
    me = station.identity()
    result.station_id = me.station_id
    if _detect_clone(station, transport):
        result.rekeyed = True
        result.station_id = station.identity().station_id
    report("push", 0, 1)
    push(station, transport, result)
    report("pull", 0, 1)
    meta = transport.read_meta()
    if snapshots.needs_rebuild(station, transport, meta):
        for attempt in range(REBUILD_TRIES):
            try:
                snapshots.rebuild(station, transport, meta, result)
                break
            except snapshots.EditRaced:
                if attempt == REBUILD_TRIES - 1:
                    raise SyncBusyError(
                        f"{station.path}: edits keep arriving; sync again in a moment"
                    ) from None
                push(station, transport, result)
    pull(station, transport, result, report)
    ack = write_ack(station, transport)
    if ack is not None:
        result.mismatched = compare_counts(ack, transport.read_acks())
        if result.mismatched:
            log.warning(
                "row counts differ from %s at the same point of sync", ", ".join(result.mismatched)
            )
    if compact or (compact is None and snapshots.compaction_due(meta, station.now_ms())):
        result.compacted = snapshots.compact(station, transport, retention_ms)
    report("done", 1, 1)


# -- push ------------------------------------------------------------------------------------


def _detect_clone(station: LocalStation, transport: Transport) -> bool:
    """Files under our id that we never wrote mean another install shares our id."""
    me = station.identity()
    refs, _ = transport.list_changes(me.station_id, 0)
    ours = dict(
        station.conn.execute(
            "SELECT seq, hash FROM sync_pushed WHERE station = ?", (me.station_id,)
        ).fetchall()
    )
    foreign = [
        r.seq
        for r in refs
        if ours.get(r.seq) != r.sha256 and not (r.seq == me.pushing_seq and r.seq not in ours)
    ]
    if not foreign:
        return False
    first = min(foreign)
    new = station.rekey(first)
    log.warning(
        "station %s: files under our id that we did not write (a copied install?); "
        "continuing as station %s",
        me.station_id,
        new,
    )
    return True


def push(station: LocalStation, transport: Transport, result: SyncResult) -> None:
    while True:
        me = station.identity()
        if me.pushing_seq is None:
            row = station.conn.execute(
                f"SELECT id FROM sync_outbox WHERE {UNSENT} ORDER BY id LIMIT 1 OFFSET ?",
                (PUSH_CHUNK - 1,),
            ).fetchone()
            upto = row[0] if row else None
            if upto is None:
                upto = station.conn.execute(
                    f"SELECT max(id) FROM sync_outbox WHERE {UNSENT}"
                ).fetchone()[0]
            if upto is None:
                return
            seq = me.seq + 1
            station.conn.execute(
                "UPDATE sync_ctl SET pushing_seq = ?, pushing_upto = ? WHERE id = 1", (seq, upto)
            )
        else:
            seq, upto = me.pushing_seq, me.pushing_upto
        rows = station.fetch_outbox(upto or 0)
        data = encode(me.station_id, seq, schema_head(), rows)
        crash_point("push.before_write")
        ref = transport.write_change(me.station_id, seq, data)
        crash_point("push.after_write")
        station.begin()
        try:
            station.conn.execute(
                f"UPDATE sync_outbox SET pushed_seq = ? WHERE {UNSENT} AND id <= ?",
                (seq, upto),
            )
            station.conn.execute("UPDATE sync_ctl SET sent_id = ? WHERE id = 1", (upto,))
            station.conn.execute(
                "UPDATE sync_ctl SET seq = ?, pushing_seq = NULL, pushing_upto = NULL WHERE id = 1",
                (seq,),
            )
            station.conn.execute(
                "INSERT OR REPLACE INTO sync_pushed (station, seq, hash) VALUES (?, ?, ?)",
                (me.station_id, seq, ref.sha256),
            )
            station.set_applied(me.station_id, seq)
            crash_point("push.before_mark_commit")
            station.commit()
        except BaseException:
            station.rollback()
            raise
        result.pushed += len(rows)
        result.pushed_files += 1


# -- pull ------------------------------------------------------------------------------------


def pull(station: LocalStation, transport: Transport, result: SyncResult, report: Progress) -> None:
    applied = station.applied()
    queues: dict[str, list[ChangeRef]] = {}
    for other in transport.list_stations():
        refs, skipped = transport.list_changes(other, applied.get(other, 0))
        result.skipped.extend(skipped)
        if refs:
            queues[other] = refs
    total = sum(len(q) for q in queues.values())
    if not total:
        return
    schemas = set(known_schemas())
    done = 0
    progressed = True
    blocked: set[str] = set()
    while progressed:
        progressed = False
        for other in sorted(queues):
            queue = queues[other]
            while queue:
                ref = queue[0]
                have = applied.get(other, 0)
                if ref.seq <= have:  # a second file with one seq (twin installs): done
                    queue.pop(0)
                    continue
                if ref.seq != have + 1:
                    break  # a gap: the missing file has not arrived yet
                try:
                    data = transport.read_change(ref)
                    header, changes = decode(data, schemas)
                    if header.get("station") != other or header.get("seq") != ref.seq:
                        raise Rejected("header does not match its name")
                except (Rejected, ShareIOError) as exc:
                    _skip(result, ref, str(exc), queue)
                    continue
                try:
                    outcome = _apply_file(station, other, ref.seq, changes)
                except Deferred as exc:
                    log.info("%s/%012d waits: %s", other, ref.seq, exc)
                    blocked.add(other)
                    break
                blocked.discard(other)
                applied[other] = ref.seq
                queue.pop(0)
                progressed = True
                done += 1
                report("pull", done, total)
                result.pulled += outcome.applied
                result.pulled_files += 1
                result.conflicts += outcome.conflicts
                result.flagged += outcome.flagged
                result.changes.merge(outcome.changes)
    result.waiting = sum(len(q) for q in queues.values())


def _skip(result: SyncResult, ref: ChangeRef, reason: str, queue: list[ChangeRef]) -> None:
    name = f"{ref.station}/{ref.seq:012d}-{ref.sha256[:12]}…"
    log.warning("skipped %s: %s", name, reason)
    result.skipped.append(Skipped(name, reason))
    queue.remove(ref)


def _apply_file(station: LocalStation, other: str, seq: int, changes: list) -> object:
    """Apply one file and record its seq in one local transaction."""
    infos = table_infos(station.conn)
    merger = Merger(station.conn, infos, station.now_ms())
    station.begin()
    try:
        station.conn.execute("UPDATE sync_ctl SET applying = 1 WHERE id = 1")
        for change in changes:
            merger.apply(other, change)
        crash_point("apply.before_commit")
        station.set_applied(other, seq)
        station.observe(merger.out.max_hlc)
        station.conn.execute("UPDATE sync_ctl SET applying = 0 WHERE id = 1")
        station.commit()
    except BaseException:
        station.rollback()
        raise
    crash_point("apply.after_commit")
    return merger.out


def write_ack(station: LocalStation, transport: Transport) -> dict | None:
    """Tell compaction how far we got, with our row counts; skipped (None) when nothing
    moved, so a no-op sync writes nothing."""
    me = station.identity()
    vector = station.applied()
    if vector == me.acked:
        return None
    ack = {
        "station": me.station_id,
        "name": me.station_name,
        "applied": vector,
        "wall_ms": station.now_ms(),
        "format": FORMAT,
        "unsent": station.unpushed_count(),
        "counts": station.row_counts(),
    }
    transport.write_ack(me.station_id, ack)
    station.conn.execute("UPDATE sync_ctl SET acked = ? WHERE id = 1", (_dumps(vector),))
    return ack


def compare_counts(mine: dict, acks: dict[str, dict]) -> list[str]:
    """Stations that applied exactly what we applied, with nothing unsent on either side,
    must hold the same number of rows per table (Anki's post-sync check). Returns the names
    of those that do not; the caller logs them (a rebuild from a snapshot repairs it)."""
    if mine.get("unsent"):
        return []
    differ = []
    for other, ack in acks.items():
        if other == mine["station"] or ack.get("unsent") or "counts" not in ack:
            continue
        if ack.get("applied") == mine["applied"] and ack["counts"] != mine["counts"]:
            differ.append(ack.get("name") or other)
    return differ


def _dumps(value: object) -> str:
    return json.dumps(value, sort_keys=True)


# -- the GUI's variant -------------------------------------------------------------------------


def sync_store(store: Store, share: Path, **kwargs: object) -> SyncResult:
    """`sync()` on the database behind `store`, through its own connection: safe to run in a
    worker thread while the UI keeps its session. Call `refresh_store` on the UI thread with
    the result afterwards."""
    path = store.engine.url.database
    assert path, "sync needs a file database"
    return sync(Path(path), share, **kwargs)  # type: ignore[arg-type]


def refresh_store(store: Store, changes: ChangeSet) -> None:
    """Make the UI session see what a sync changed, then tell the views (UI thread only)."""
    session = store.session
    for entity_name in changes.entities():
        cls = ENTITIES[entity_name]
        for id_ in changes.ids(entity_name):
            obj = session.identity_map.get(identity_key(cls, id_))
            if obj is None:
                continue
            if id_ in changes.removed.get(entity_name, set()):
                session.expunge(obj)
            else:
                session.expire(obj)
    # End the session's read transaction (it holds a WAL snapshot) so the next query sees
    # the new data; nothing is pending between operations, so this commits nothing.
    session.commit()
    store.notify(changes)
