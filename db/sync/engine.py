"""One sync: push this station's outbox, pull and apply everyone else's files, acknowledge,
and now and then compact. `sync()` is the entry point for the CLI and for tests;
`sync_store()` runs the same against a GUI `Store`'s database from a worker thread, and
`refresh_store()` then brings the GUI session up to date on the UI thread.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypedDict, Unpack

from sqlalchemy.orm.util import identity_key

from db import instance_lock, search
from db.audit.capture import PulledAuthors
from db.audit.retention import agency_days, compact_history
from db.changes import ChangeSet
from db.models import ENTITIES
from db.privacy import history as privacy_history
from db.privacy.erase import vacuum
from db.store import Store
from db.sync import agency, join, local_settings, quarantine, snapshots
from db.sync import hlc as clock
from db.sync.errors import (
    DatabaseOnShareError,
    ShareFormatError,
    ShareIOError,
    SyncBusyError,
    SyncError,
)
from db.sync.faults import crash_point
from db.sync.folder import FolderTransport, sha256
from db.sync.local import UNSENT, LocalStation, known_schemas, schema_head
from db.sync.merge import Deferred, Merger, Outcome, supersede_own, table_infos
from db.sync.transport import ChangeRef, FileInfo, Skipped, Transport
from db.sync.validate import PUSH_BYTES, parse_change_file
from db.sync.wire import FORMAT, SHARE_FORMAT, Change, Rejected, encode

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]
REBUILD_TRIES = 5
PUSH_CHUNK = 20_000  # changes per file: big pushes become several files, each verified
# Applying a file that passed validation can still break a rule of the database (a unique
# key, a foreign key) or of the merge; the file is quarantined, never the sync stopped.
APPLY_ERRORS = (sqlite3.IntegrityError, ValueError, TypeError, KeyError, OverflowError)


@dataclass(frozen=True)
class HeldBack:
    """Changes of one station that wait for an earlier file of another (not on the share
    yet, or still on its way through a cloud client): applied as soon as it arrives."""

    station: str
    name: str  # "Ana's station", or "station 3f0c…" before its first acknowledgement
    changes: int
    waits_for: str
    waits_for_name: str
    files: int = 1  # that station's files waiting here, the first one and those after it

    def describe(self) -> str:
        verb = "is" if self.changes == 1 else "are"
        return (
            f"{_count(self.changes, 'change')} from {self.name} {verb} waiting for an "
            f"earlier file from {self.waits_for_name} (not yet on the share)"
        )


@dataclass
class SyncResult:
    station_id: str = ""
    pushed: int = 0
    pushed_files: int = 0
    pulled: int = 0
    pulled_files: int = 0
    conflicts: int = 0
    flagged: int = 0  # stations newly flagged for a clock far ahead (each listed once)
    waiting: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    # Files quarantined for the first time by this sync (also in `skipped`): listed once.
    quarantined: list[Skipped] = field(default_factory=list)
    # Stations whose files wait behind a damaged or refused one: station id -> its name.
    waiting_on: dict[str, str] = field(default_factory=dict)
    # Files made after seeing changes that have not reached this station yet: they wait
    # for them (issue 10 §2), and the user is told whose and for whom.
    held: list[HeldBack] = field(default_factory=list)
    # Own files found damaged or missing on the share and published again.
    republished: int = 0
    joined: bool = False
    rebuilt: bool = False
    rekeyed: bool = False
    compacted: bool = False
    # Seconds spent retiring share history that held an erased person's data (issue 18).
    history_retired_s: float | None = None
    changes: ChangeSet = field(default_factory=ChangeSet)
    # Stations at the same point of sync whose row counts differ from ours (should be empty).
    mismatched: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"sent {_count(self.pushed, 'change')}", f"received {self.pulled}"]
        if self.conflicts:
            parts.append(f"{_count(self.conflicts, 'new conflict')} to review")
        unexplained = self.waiting - sum(h.files for h in self.held)
        if unexplained > 0:
            parts.append(f"{_count(unexplained, 'file')} waiting for earlier ones")
        for name in self.waiting_on.values():
            parts.append(f"waiting for a damaged file from {name}")
        parts.extend(h.describe() for h in self.held)
        if self.skipped:
            parts.append(f"{_count(len(self.skipped), 'file')} skipped")
        if self.republished:
            parts.append(f"{_count(self.republished, 'damaged file')} of ours sent again")
        if self.mismatched:
            parts.append(f"row counts differ from {', '.join(self.mismatched)}")
        if self.flagged:
            parts.append(f"{_count(self.flagged, 'station')} with a clock far ahead")
        for flag, text in (
            (self.joined, "joined the share"),
            (self.rebuilt, "rebuilt from snapshot"),
            (self.rekeyed, "copied or moved install detected: new station id"),
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
    place: str | None = None,
    plain_ok: bool = False,
) -> SyncResult:
    """One full push and pull between the database at `db_path` and the shared folder.

    A missing database becomes a new station that joins the share (snapshot plus newer
    changes). Share failures raise a `SyncError` and leave the outbox untouched. `compact`
    None compacts when the last snapshot is older than a day. `place` is what the database
    remembers as where it syncs (default: the share's path; the server transport passes its
    URL, and `share` then only names the server in messages). An encrypted share is read
    and written through the agency key (`encryption.secure`); `plain_ok` lets a station of
    an agency that encrypts sync in the clear once, to turn encryption on again.
    """
    from db.sync import encryption

    db_path = Path(db_path).expanduser().absolute()
    if place is None:
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
        share_transport = encryption.secure(share_transport, meta, share)
        result = SyncResult()
        if not db_path.exists():
            # A new station: built beside the target and renamed into place when whole, so
            # a kill at any moment leaves either nothing or a complete database (join.py).
            join.join_new(db_path, share_transport, share, meta, result, station_name, place=place)
            result.joined = True
        station = LocalStation(db_path)
        try:
            encryption.prepare_station(station, share_transport, share, plain_ok=plain_ok)
            # Before anything is written anywhere: one agency per share (agency.py).
            if agency.settle(station, share_transport, share).loads_data:
                snapshots.join(station, share_transport, meta, result)
                result.joined = True
            if station_name is not None:
                station.set_name(station_name)
            local_settings.remember_share(station.conn.execute, place or str(share))
            _sync_once(station, share_transport, result, report, compact, retention_ms)
        finally:
            station.close()
        if result.changes.added.get("PersonErasure"):
            _vacuum_after_erase(db_path)
        for ignored in getattr(share_transport, "ignored", []):
            if all(s.name != ignored.name for s in result.skipped):
                result.skipped.append(ignored)
        log.info(result.summary())
        return result


def _check_meta(transport: Transport) -> dict[str, Any]:
    meta = transport.read_meta()
    if not meta and getattr(transport, "bad_meta", None) is None:  # absent: a new share
        meta = {"format": SHARE_FORMAT, "generation": 0, "snapshots": []}
        transport.write_meta(meta)
    from db.sync.encrypted import SHARE_FORMAT_ENCRYPTED  # an encrypted share's meta

    if meta.get("format", SHARE_FORMAT) > SHARE_FORMAT_ENCRYPTED:
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
    if check_install(station):
        result.rekeyed = True
    result.station_id = station.identity().station_id
    report("push", 0, 1)
    push(station, transport, result)
    meta = transport.read_meta()
    verify_own_files(station, transport, result, meta)
    report("pull", 0, 1)
    if snapshots.needs_rebuild(station, transport, meta):
        for attempt in range(REBUILD_TRIES):
            try:
                snapshots.rebuild(station, transport, meta, result)
                break
            except ShareIOError as exc:
                # A damaged or half-copied snapshot: pull what there is, try again next time.
                result.skipped.append(Skipped("snapshot", f"not used: {exc}"))
                break
            except snapshots.EditRaced:
                if attempt == REBUILD_TRIES - 1:
                    raise SyncBusyError(
                        f"{station.path}: edits keep arriving; sync again in a moment"
                    ) from None
                push(station, transport, result)
    pull(station, transport, result, report)
    # History past the agency's retention goes (one DELETE, its own transaction).
    compact_history(station.conn.execute, station.now_ms(), agency_days(station.conn.execute))
    ack = write_ack(station, transport)
    if ack is not None:
        acks = transport.read_acks()
        result.mismatched = compare_counts(ack, acks)
        if result.mismatched:
            log.warning(
                "row counts differ from %s at the same point of sync", ", ".join(result.mismatched)
            )
        snapshots.purge_seen_by_all(station, {**acks, ack["station"]: ack}, retention_ms)
    share_now = station.now_ms() - station.share_offset()
    if compact or (compact is None and snapshots.compaction_due(meta, share_now)):
        try:
            result.compacted = snapshots.compact(station, transport, retention_ms)
        except SyncError as exc:
            # Compaction is housekeeping: the sync itself is done, so say why and move on.
            log.warning("compaction skipped: %s", exc)
            result.skipped.append(Skipped("compaction", f"not done this time: {exc}"))
    try:
        # An erased person's data leaves the share's history once everyone has caught up.
        result.history_retired_s = privacy_history.retire_if_due(station, transport)
        result.compacted = result.compacted or result.history_retired_s is not None
    except SyncError as exc:
        log.warning("retiring history after an erase skipped: %s", exc)
        result.skipped.append(Skipped("history", f"not retired this time: {exc}"))
    report("done", 1, 1)


def _vacuum_after_erase(db_path: Path) -> None:
    """An erase arrived: rewrite the file so its freed pages do not keep the person's text."""
    try:
        vacuum(db_path)
    except sqlite3.Error as exc:  # busy: the next erase or sync does it
        log.warning("vacuum after an erase postponed: %s", exc)


# -- push ------------------------------------------------------------------------------------


def install_mark(path: Path) -> str:
    """Where this database lives: its path and its file (inode, or NTFS file index). A copy
    of the file (another computer's copy, a restored backup, a moved folder) has another
    mark. The host name is left out: a laptop's changes with the network it is on."""
    place = f"{path.resolve()}|{os.stat(path).st_ino}"
    return hashlib.sha256(place.encode()).hexdigest()[:32]


def check_install(station: LocalStation) -> bool:
    """A database that is a copy of another station's must not go on under that station's id:
    it takes a new one, and the original keeps its own (True when this one took a new id).

    This is decided by the database file itself, never by what lies in our folder on the
    share: anyone can put a file there, and no such file may change our id. A file there
    that we did not write is quarantined instead (`verify_own_files`)."""
    mark = install_mark(station.path)
    (stored,) = station.conn.execute("SELECT install_mark FROM sync_ctl WHERE id = 1").fetchone()
    if stored == mark:
        return False
    me = station.identity()
    rekeyed = stored is not None
    if rekeyed:
        # Nothing already sent is sent again: only what this copy does from now on goes
        # out under its new id; the original's later files are pulled as anyone's.
        new = station.rekey(me.seq + 1)
        log.warning(
            "station %s: this database is a copy (moved, restored or cloned); continuing "
            "as station %s",
            me.station_id,
            new,
        )
    station.conn.execute("UPDATE sync_ctl SET install_mark = ? WHERE id = 1", (mark,))
    return rekeyed


def push(station: LocalStation, transport: Transport, result: SyncResult) -> None:
    while True:
        me = station.identity()
        if me.pushing_seq is None:
            row = station.conn.execute(
                f"SELECT id FROM sync_outbox WHERE {UNSENT} ORDER BY id LIMIT 1 OFFSET ?",
                (PUSH_CHUNK - 1,),
            ).fetchone()
            upto = row[0] if row else None
            # A file also stays under PUSH_BYTES, so every receiver's size cap admits it;
            # summing first keeps the usual push from paying for the running total.
            size = "length(CAST(data AS BLOB)) + length(CAST(base AS BLOB)) + 200"
            total = station.conn.execute(
                f"SELECT sum({size}) FROM sync_outbox WHERE {UNSENT} AND id <= ?",
                (upto if upto is not None else 2**62,),
            ).fetchone()[0]
            if total is not None and total > PUSH_BYTES:
                by_size = station.conn.execute(
                    f"SELECT id FROM (SELECT id, sum({size}) OVER (ORDER BY id) AS total "
                    f"FROM sync_outbox WHERE {UNSENT}) WHERE total > ? ORDER BY id LIMIT 1",
                    (PUSH_BYTES,),
                ).fetchone()
                first = station.conn.execute(
                    f"SELECT min(id) FROM sync_outbox WHERE {UNSENT}"
                ).fetchone()[0]
                limit = max(first, by_size[0] - 1)
                upto = limit if upto is None else min(upto, limit)
            if upto is None:
                upto = station.conn.execute(
                    f"SELECT max(id) FROM sync_outbox WHERE {UNSENT}"
                ).fetchone()[0]
            if upto is None:
                return
            seq, wall = me.seq + 1, station.now_ms()
            station.conn.execute(
                "UPDATE sync_ctl SET pushing_seq = ?, pushing_upto = ?, pushing_wall = ? "
                "WHERE id = 1",
                (seq, upto, wall),
            )
        else:
            seq, upto, wall = me.pushing_seq, me.pushing_upto, me.pushing_wall or 0
        rows = station.fetch_outbox(upto or 0)
        contexts = station.contexts({r[7] for r in rows})
        authors = station.authors(rows)
        data = encode(me.station_id, seq, schema_head(), rows, contexts, wall, authors)
        crash_point("push.before_write")
        ref = transport.write_change(me.station_id, seq, data)
        offset = _share_offset(station, transport, ref)
        crash_point("push.after_write")
        station.begin()
        try:
            station.conn.execute(
                f"UPDATE sync_outbox SET pushed_seq = ? WHERE {UNSENT} AND id <= ?",
                (seq, upto),
            )
            station.conn.execute("UPDATE sync_ctl SET sent_id = ? WHERE id = 1", (upto,))
            station.conn.execute(
                "UPDATE sync_ctl SET seq = ?, pushing_seq = NULL, pushing_upto = NULL, "
                "pushing_wall = NULL WHERE id = 1",
                (seq,),
            )
            station.conn.execute(
                "INSERT OR REPLACE INTO sync_pushed (station, seq, hash, wall) VALUES (?, ?, ?, ?)",
                (me.station_id, seq, ref.sha256, wall),
            )
            station.conn.execute(
                "INSERT OR REPLACE INTO sync_file (station, seq, hash, size, mtime_ns) "
                "VALUES (?, ?, ?, ?, NULL)",
                (me.station_id, seq, ref.sha256, _stored_size(transport, data)),
            )
            station.set_applied(me.station_id, seq, max((r[6] for r in rows), default=0))
            supersede_own(station.conn, me.station_id, rows, contexts)
            if offset is not None:
                station.set_share_offset(offset)
            crash_point("push.before_mark_commit")
            station.commit()
        except BaseException:
            station.rollback()
            raise
        result.pushed += len(rows)
        result.pushed_files += 1


def _stored_size(transport: Transport, data: bytes) -> int:
    """The size the file has on the share: an encrypting transport adds its envelope."""
    return len(data) + int(getattr(transport, "envelope_bytes", 0))


def _share_offset(station: LocalStation, transport: Transport, ref: ChangeRef) -> int | None:
    """Our clock minus the share's, from the time the share gave the file we just wrote
    (None when the transport cannot tell)."""
    written_ms = getattr(transport, "written_ms", None)
    share_ms = written_ms(ref) if written_ms is not None else None
    return None if share_ms is None else station.now_ms() - share_ms


# -- own files on the share --------------------------------------------------------------


def verify_own_files(
    station: LocalStation, transport: Transport, result: SyncResult, meta: dict[str, Any]
) -> None:
    """Check this station's published files and publish again any that are damaged or
    missing: other stations wait for them. Cheap: names, sizes and times from one listing;
    a file is read only when its size or time changed since we wrote or last checked it,
    plus one file per sync in turn.
    A file in our folder that we did not write is quarantined, never adopted."""
    me = station.identity().station_id
    # Files at or below the snapshot's vector may be compacted away: not needed by anyone.
    bad_meta = getattr(transport, "bad_meta", None) is not None
    floor = int(meta.get("vector", {}).get(me, 0))
    pushed = dict(
        station.conn.execute(
            "SELECT seq, hash FROM sync_pushed WHERE station = ? AND seq > ?", (me, floor)
        ).fetchall()
    )
    listed = transport.inspect_changes(me)
    if not pushed and not listed:
        return
    known = {
        seq: (h, size, mtime)
        for seq, h, size, mtime in station.conn.execute(
            "SELECT seq, hash, size, mtime_ns FROM sync_file WHERE station = ? AND seq > ?",
            (me, floor),
        )
    }
    found: dict[tuple[int, str], FileInfo] = {(i.ref.seq, i.ref.sha256): i for i in listed}
    now = station.now_ms()
    # One file per sync is read in full whatever its size and time say, in turn, so even
    # damage that kept both (a restore from a bad copy) is found in time.
    spot = sorted(pushed)[(now // 1000) % len(pushed)] if pushed else None
    for seq, digest in sorted(pushed.items()):
        info = found.get((seq, digest))
        if info is None:
            info = _sealed_in_place(station, transport, me, seq, digest, listed)
            if info is not None:
                pushed[seq] = digest = info.ref.sha256
        problem = _own_file_problem(
            station, transport, me, seq, digest, info, known.get(seq), read_anyway=seq == spot
        )
        if problem is None or (info is None and bad_meta):
            continue  # sound; or missing while meta.json cannot say what was compacted
        _republish(station, transport, result, ChangeRef(seq, digest, me), problem)
    names = {quarantine.file_name(i.ref) for i in listed}
    gone = {n for n in quarantine.open_names(station.conn) if n.startswith(me)} - names
    if gone:
        quarantine.resolve(station.conn, sorted(gone))
    for info in listed:
        if pushed.get(info.ref.seq) == info.ref.sha256 or info.ref.seq <= floor:
            continue
        reason = "in this station's folder but not written by it; left alone"
        if quarantine.record(station.conn, info.ref, reason, now):
            _listed(result, info.ref, reason)


def _sealed_in_place(
    station: LocalStation,
    transport: Transport,
    me: str,
    seq: int,
    digest: str,
    listed: list[FileInfo],
) -> FileInfo | None:
    """Our file at `seq` sealed in place by the station that turned encryption on (reseal.py):
    the same changes under another name, which becomes ours (None when there is none)."""
    same_content = getattr(transport, "same_content", None)
    if same_content is None:
        return None
    for info in listed:
        if info.ref.seq == seq and info.ref.sha256 != digest and same_content(info.ref, digest):
            station.conn.execute(
                "UPDATE sync_pushed SET hash = ? WHERE station = ? AND seq = ?",
                (info.ref.sha256, me, seq),
            )
            station.conn.execute(
                "INSERT OR REPLACE INTO sync_file (station, seq, hash, size, mtime_ns) "
                "VALUES (?, ?, ?, NULL, NULL)",
                (me, seq, info.ref.sha256),
            )
            return info
    return None


def _own_file_problem(
    station: LocalStation,
    transport: Transport,
    me: str,
    seq: int,
    digest: str,
    info: FileInfo | None,
    known: tuple[str, int | None, int | None] | None,
    *,
    read_anyway: bool,
) -> str | None:
    if info is None:
        return "missing from the share"
    if not info.regular:
        return "not a regular file"
    current = False  # what we know of the file matches what lies there
    if known is not None and known[0] == digest and known[1] is not None:
        if info.size != known[1]:
            return f"{info.size:,} bytes instead of {known[1]:,}"
        if known[2] is None:  # just written and read back by push: take its time
            _remember(station, me, seq, digest, info)
            current = True
        current = current or info.mtime_ns == known[2]
        if current and not read_anyway:
            return None
    try:  # changed in place, never checked, or its turn: read it
        transport.read_change(info.ref)
    except ShareIOError as exc:
        return str(exc)
    if not current:
        _remember(station, me, seq, digest, info)
    return None


def _remember(station: LocalStation, me: str, seq: int, digest: str, info: FileInfo) -> None:
    station.conn.execute(
        "INSERT OR REPLACE INTO sync_file (station, seq, hash, size, mtime_ns) "
        "VALUES (?, ?, ?, ?, ?)",
        (me, seq, digest, info.size, info.mtime_ns),
    )


def _republish(
    station: LocalStation, transport: Transport, result: SyncResult, ref: ChangeRef, why: str
) -> None:
    """Write one of our files again from the outbox rows it was made of. Encoding is
    deterministic, so it normally comes back under the very same name."""
    rows = station.fetch_pushed(ref.seq)
    if not rows:
        log.warning("%s is %s and its changes are no longer here", ref, why)
        return
    contexts = station.contexts({r[7] for r in rows})
    wall = station.pushed_wall(ref.station, ref.seq)
    authors = station.authors(rows)
    data = b""
    for schema in [schema_head(), *sorted(known_schemas())]:
        data = encode(ref.station, ref.seq, schema, rows, contexts, wall, authors)
        if sha256(data) == ref.sha256:
            break
    else:  # made by an older release in another format: same changes, a new name
        data = encode(ref.station, ref.seq, schema_head(), rows, contexts, wall, authors)
    try:
        written = transport.write_change(ref.station, ref.seq, data)
        if written.sha256 != ref.sha256:
            transport.delete_change(ref)
    except SyncError as exc:
        log.warning("could not publish %s again: %s", ref, exc)
        return
    station.conn.execute(
        "INSERT OR REPLACE INTO sync_pushed (station, seq, hash, wall) VALUES (?, ?, ?, ?)",
        (ref.station, ref.seq, written.sha256, wall),
    )
    station.conn.execute(
        "INSERT OR REPLACE INTO sync_file (station, seq, hash, size, mtime_ns) "
        "VALUES (?, ?, ?, ?, NULL)",
        (ref.station, ref.seq, written.sha256, _stored_size(transport, data)),
    )
    log.warning("published %012d again: it was %s", ref.seq, why)
    result.republished += 1


# -- pull ------------------------------------------------------------------------------------


def _listed(result: SyncResult, ref: ChangeRef, reason: str) -> None:
    entry = Skipped(quarantine.file_name(ref), reason)
    log.warning("quarantined %s: %s", entry.name, reason)
    result.quarantined.append(entry)
    result.skipped.append(entry)


def pull(station: LocalStation, transport: Transport, result: SyncResult, report: Progress) -> None:
    """Apply every other station's files in seq order. A file that fails validation is
    quarantined with its reason and the rest of its station's stream waits for a sound file
    at that seq (its author publishes it again); other stations' files go on applying. A
    second file at a seq already applied is quarantined too, never applied over the first."""
    me = station.identity().station_id
    applied = station.applied()
    seen = station.seen()
    # A server lists everything after this station's cursor in one round trip (server/).
    pull_after = getattr(transport, "pull_after", None)
    if pull_after is not None:
        pull_after(me, applied)
    queues: dict[str, list[ChangeRef]] = {}
    present: set[str] = set()
    now = station.now_ms()
    for other in transport.list_stations():
        have = applied.get(other, 0)
        if other == me:
            # Our own files are applied again only after a rebuild from a snapshot older
            # than them, and only those we wrote; the folder is checked by verify_own_files.
            ours = dict(
                station.conn.execute(
                    "SELECT seq, hash FROM sync_pushed WHERE station = ? AND seq > ?", (me, have)
                ).fetchall()
            )
            if ours:
                refs, _ = transport.list_changes(me, have)
                queues[me] = [r for r in refs if ours.get(r.seq) == r.sha256]
            continue
        refs, skipped = transport.list_changes(other, 0)
        result.skipped.extend(skipped)
        present.update(quarantine.file_name(r) for r in refs)
        older = [r for r in refs if r.seq <= have]
        if older:
            _quarantine_twins(station, older, result, now, transport)
        newer = [r for r in refs if r.seq > have]
        if newer:
            queues[other] = newer
    # Entries whose file left the share are closed (our own folder's: verify_own_files).
    gone = {n for n in quarantine.open_names(station.conn) if not n.startswith(me)} - present
    if gone:
        quarantine.resolve(station.conn, sorted(gone))
    total = sum(len(q) for q in queues.values())
    if not total:
        return
    schemas = known_schemas()
    done = 0
    progressed = True
    stuck: set[str] = set()
    held: dict[str, tuple[str, int]] = {}  # station -> (the station it waits for, changes)
    while progressed:
        progressed = False
        for other in sorted(queues):
            queue = queues[other]
            while queue and other not in stuck:
                seq = applied.get(other, 0) + 1
                head = [r for r in queue if r.seq == seq]
                if not head:
                    break  # a gap: the missing file has not arrived yet
                applied_one = _apply_head(
                    station, transport, other, head, schemas, result, now, seen, held
                )
                if applied_one is None:
                    stuck.add(other)  # nothing sound at this seq: wait for its author
                    break
                if applied_one is False:
                    break  # waits for rows from another station's files (Deferred)
                ref, outcome = applied_one
                applied[other] = ref.seq
                twins = [r for r in head if r != ref]
                if twins:
                    _quarantine_twins(station, twins, result, now, transport)
                queue[:] = [r for r in queue if r.seq > ref.seq]
                progressed = True
                done += 1
                report("pull", done, total)
                result.pulled += outcome.applied
                result.pulled_files += 1
                result.conflicts += outcome.conflicts
                result.flagged += outcome.flagged
                result.changes.merge(outcome.changes)
    result.waiting = sum(len(q) for q in queues.values())
    if stuck or held:
        names = {sid: str(ack.get("name") or "") for sid, ack in transport.read_acks().items()}

        def label(sid: str) -> str:
            name = names.get(sid)
            return f"{name}'s station" if name else f"station {sid}"

        for other in sorted(stuck):
            result.waiting_on[other] = label(other)
        for other, (missing, count) in sorted(held.items()):
            if queues.get(other):
                result.held.append(
                    HeldBack(
                        other, label(other), count, missing, label(missing), len(queues[other])
                    )
                )


def _apply_head(
    station: LocalStation,
    transport: Transport,
    other: str,
    head: list[ChangeRef],
    schemas: frozenset[str],
    result: SyncResult,
    now: int,
    seen: dict[str, int],
    held: dict[str, tuple[str, int]],
) -> tuple[ChangeRef, Outcome] | Literal[False] | None:
    """Apply the first file at this seq that reads whole, passes validation and applies;
    each one before it that fails is quarantined with its reason. Returns (file, outcome),
    False when a sound file must wait for other stations' rows, None when no file here is
    sound (the stream waits for its author to publish it again). A sound file made after
    seeing changes not applied here yet waits for them too (False): judged now, it would be
    judged against less than its author knew; `held` then names, for its station, the
    station it waits for and how many changes wait (shown to the user). `seen` is kept up
    to date."""
    deferred = False
    for ref in head:
        try:
            data = transport.read_change(ref)
            header, changes = parse_change_file(
                data, station=ref.station, seq=ref.seq, schemas=schemas
            )
            missing = _missing_predecessors(other, changes, seen)
            if missing:
                log.info("%s/%012d waits for earlier changes from %s", other, ref.seq, missing)
                held[other] = (missing, len(changes))
                deferred = True
                continue
            held.pop(other, None)
            outcome = _apply_file(station, other, ref, header, changes)
            seen[other] = max([seen.get(other, 0)] + [c.n for c in changes])
            return ref, outcome
        except (Rejected, ShareIOError) as exc:
            # The entry names the file already; the transport's message may start with it.
            reason = str(exc).removeprefix(f"{ref.seq:012d}-{ref.sha256}.jsonl: ")
        except Deferred as exc:
            log.info("%s/%012d waits: %s", other, ref.seq, exc)
            deferred = True
            continue
        except APPLY_ERRORS as exc:
            if not isinstance(exc, sqlite3.IntegrityError):
                log.exception("%s/%012d could not be applied", other, ref.seq)
            reason = f"cannot be applied here ({type(exc).__name__}: {exc})"
        if quarantine.record(station.conn, ref, reason, now):
            _listed(result, ref, reason)
    return False if deferred else None


def _missing_predecessors(author: str, changes: list[Change], seen: dict[str, int]) -> str:
    """The first station whose changes these were made after seeing and we have not applied
    yet ('' when nothing is missing)."""
    checked: set[int] = set()
    for change in changes:
        if change.ctx is None or id(change.ctx) in checked:
            continue
        checked.add(id(change.ctx))
        for other, n in change.ctx.items():
            if other != author and seen.get(other, 0) < n:
                return other
    return ""


def _quarantine_twins(
    station: LocalStation,
    refs: list[ChangeRef],
    result: SyncResult,
    now: int,
    transport: Transport | None = None,
) -> None:
    """Files at seqs already applied whose hash is not the one applied: a second file at
    one seq (someone else's, or a copied install's). Reported, never applied."""
    low = min(r.seq for r in refs)
    applied = dict(
        station.conn.execute(
            "SELECT seq, hash FROM sync_file WHERE station = ? AND seq >= ?",
            (refs[0].station, low),
        ).fetchall()
    )
    for ref in refs:
        kept = applied.get(ref.seq)
        if kept is None or kept == ref.sha256:
            continue  # the file applied (or applied before this was recorded)
        same_content = getattr(transport, "same_content", None)
        if same_content is not None and same_content(ref, kept):
            # Its author sealed again what we applied in the clear or under an older key
            # (encrypted.py): the same changes, now under the name that stays.
            station.conn.execute(
                "UPDATE sync_file SET hash = ? WHERE station = ? AND seq = ?",
                (ref.sha256, ref.station, ref.seq),
            )
            # Listed as a second file by a sync in the clear that met it before this
            # station held the key: it is the same file.
            quarantine.resolve(station.conn, [quarantine.file_name(ref)])
            continue
        reason = f"a second file at seq {ref.seq}; the one applied first ({kept[:12]}…) stays"
        if quarantine.record(station.conn, ref, reason, now):
            _listed(result, ref, reason)


def _apply_file(
    station: LocalStation, other: str, ref: ChangeRef, header: dict[str, Any], changes: list[Change]
) -> Outcome:
    """Apply one file and record its seq and hash in one local transaction."""
    infos = table_infos(station.conn)
    now = station.now_ms()
    merger = Merger(station.conn, infos, now)
    authors = PulledAuthors(station.conn.execute)
    station.begin()
    try:
        station.conn.execute("UPDATE sync_ctl SET applying = 1 WHERE id = 1")
        authors.start()
        wall = header.get("wall")
        if changes and type(wall) is int and wall - now > clock.MAX_DRIFT_MS:
            merger.flag_clock(other, wall - now, changes[0])
        for change in changes:
            authors.before(change.author, change.hlc)  # the audit trail's who and when
            merger.apply(other, change)
        authors.stop()
        # The search index is local: kept current here, in the file's transaction.
        search.refresh(merger.conn, merger.out.changes)
        merger.erased.settle_index()  # an erased person's words leave the index as well
        crash_point("apply.before_commit")
        station.set_applied(other, ref.seq, max((c.n for c in changes), default=0))
        station.new_context()
        station.conn.execute(
            "INSERT OR REPLACE INTO sync_file (station, seq, hash) VALUES (?, ?, ?)",
            (other, ref.seq, ref.sha256),
        )
        quarantine.resolve(station.conn, [quarantine.file_name(ref)])
        station.observe(merger.out.max_hlc)
        station.conn.execute("UPDATE sync_ctl SET applying = 0 WHERE id = 1")
        station.commit()
    except BaseException:
        station.rollback()
        raise
    crash_point("apply.after_commit")
    return merger.out


def write_ack(station: LocalStation, transport: Transport) -> dict[str, Any] | None:
    """Tell compaction how far we got (files applied, and for purging what every station has
    seen, the change counters applied), with our row counts; skipped (None) when nothing
    moved, so a no-op sync writes nothing."""
    me = station.identity()
    vector = station.applied()
    unsent = station.unpushed_count()
    key = {"applied": vector, "settled": unsent == 0}
    if key == me.acked:
        return None
    ack = {
        "station": me.station_id,
        "name": me.station_name[:200],  # every reader checks the limit
        "applied": vector,
        "seen": station.seen(),
        "wall_ms": station.now_ms(),
        "format": FORMAT,
        "unsent": unsent,
        "counts": station.row_counts(),
    }
    transport.write_ack(me.station_id, ack)
    station.conn.execute("UPDATE sync_ctl SET acked = ? WHERE id = 1", (_dumps(key),))
    return ack


def compare_counts(mine: dict[str, Any], acks: dict[str, dict[str, Any]]) -> list[str]:
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


class SyncOptions(TypedDict, total=False):
    """`sync()`'s keyword options, so `sync_store` passes them on typed."""

    station_name: str | None
    progress: Progress | None
    transport: Transport | None
    compact: bool | None
    retention_ms: int


def sync_store(store: Store, share: Path, **options: Unpack[SyncOptions]) -> SyncResult:
    """`sync()` on the database behind `store`, through its own connection: safe to run in a
    worker thread while the UI keeps its session. Call `refresh_store` on the UI thread with
    the result afterwards."""
    path = store.engine.url.database
    assert path, "sync needs a file database"
    return sync(Path(path), share, **options)


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
