"""Sealing in place what a share or server held in the clear before encryption was turned on
(issue 17), so client data does not stay readable there until compaction retires it.

The encryption record names what may still be read in the clear: per station, the highest
seq written before the switch (`plain`), and the snapshot of that moment (`plain_snapshot`).
`seal_plain_history` seals each of those files under the agency key at its own place
(station, seq; a snapshot at its generation), so the associated data binds it where it
was, and then empties both from the record: from then on every file in the clear is refused.
It runs right after the switch, from the station turning encryption on (its first sealed
sync), and again on the next sync of any station holding the key for as long as the record
still names something in the clear, so an interrupted run is finished by whoever syncs next.

Losing nothing, at every step:

- a change file is written sealed first and the file in the clear removed after (on the
  server one batch is replaced in one statement, `ServerTransport.replace_change`); a run
  killed in between leaves both, and the next run seals the same bytes again (sealing is
  deterministic: the same name) and removes the plain one;
- the sealed file holds exactly the bytes that were there, so a station that applied the
  plain one takes the sealed one for the same file (`EncryptedTransport.same_content`) and
  its author adopts it as its own (`engine.verify_own_files`);
- a file that does not read whole (a cloud client still copying it) is left for the next
  run, and the record keeps naming it until it is sealed;
- a file in the clear beyond the recorded bounds is never sealed here: anyone could have
  put it there. Encrypted stations refuse and list it; its author publishes it again,
  sealed, once it holds the key (`encryption.prepare_station`), and removes it.

The work runs under the compaction lease, like the switch itself; when another station
holds it, the next sync tries again.
"""

from __future__ import annotations

import logging
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from db.sync import snapshots
from db.sync.crypto import is_sealed
from db.sync.encrypted import META_FIELD, EncryptedTransport, open_record, record_of
from db.sync.errors import ShareIOError, SyncError
from db.sync.faults import crash_point
from db.sync.local import LocalStation
from db.sync.transport import ChangeRef, SnapshotRef, Transport

log = logging.getLogger(__name__)


def has_plain_history(transport: EncryptedTransport) -> bool:
    return bool(transport.state.plain) or transport.state.plain_snapshot is not None


def seal_plain_history(station: LocalStation, transport: EncryptedTransport) -> bool:
    """Seal what the record names as written in the clear, then empty those bounds (see the
    module docstring). True when nothing in the clear is left to seal; False when it must
    be tried again (the lease is held elsewhere, or a file did not read whole)."""
    if not has_plain_history(transport):
        return True
    inner = transport.inner
    meta = inner.read_meta()
    if getattr(inner, "bad_meta", None) is not None:
        return False
    if not snapshots._take_lease(station, inner, int(meta.get("generation", 0)) + 1):
        return False
    try:
        whole = _seal_changes(transport) & _seal_snapshot(transport)
        if whole:
            _forget_plain(transport)
        return whole
    finally:
        lease = inner.read_lease()
        if lease and lease.get("station") == station.identity().station_id:
            inner.write_lease(None)


def _seal_changes(transport: EncryptedTransport) -> bool:
    inner = transport.inner
    whole = True
    for author, upto in sorted(transport.state.plain.items()):
        refs, _ = inner.list_changes(author, 0)
        for ref in refs:
            if ref.seq > upto:
                break
            try:
                data = inner.read_change(ref)
            except ShareIOError as exc:
                log.info("%s/%012d not sealed this time: %s", author, ref.seq, exc)
                whole = False
                continue
            if is_sealed(data):
                continue
            _replace(inner, ref, transport.sealed_change(author, ref.seq, data))
    return whole


def _replace(inner: Transport, ref: ChangeRef, sealed: bytes) -> None:
    replace_change = getattr(inner, "replace_change", None)
    if replace_change is not None:  # the server: one statement
        replace_change(ref, sealed)
        return
    written = inner.write_change(ref.station, ref.seq, sealed)
    crash_point("reseal.after_write")
    if written.sha256 != ref.sha256:
        inner.delete_change(ref)


def _seal_snapshot(transport: EncryptedTransport) -> bool:
    """The snapshot of the moment of the switch, if it was in the clear: sealed at its own
    generation under a new name that meta then names, and the plain one deleted. Any other
    snapshot in the clear that meta does not name goes too: nothing may load it."""
    inner = transport.inner
    name = transport.state.plain_snapshot
    meta = inner.read_meta()
    with tempfile.TemporaryDirectory(prefix="agency-desk-reseal-") as tmp:
        local = Path(tmp) / "snapshot.sqlite"
        for ref in inner.list_snapshots():
            try:
                inner.fetch_snapshot(ref, local)
            except ShareIOError as exc:
                if ref.name == meta.get("snapshot"):
                    log.info("snapshot %s not sealed this time: %s", ref.name, exc)
                    return False
                continue  # not one meta names: it cannot be loaded anyway
            data = local.read_bytes()
            if is_sealed(data):
                continue
            if ref.name == meta.get("snapshot"):
                if ref.name != name:
                    continue  # in the clear but not the switch's: refused, never sealed
                sealed = Path(tmp) / "sealed.sqlite"
                sealed.write_bytes(transport.sealed_snapshot(ref.generation, data))
                published = inner.publish_snapshot(ref.generation, sealed)
                meta = _renamed(inner, ref, published)
                if meta.get("snapshot") == ref.name:
                    return False  # meta moved on meanwhile; the next run looks again
            inner.delete_snapshot(ref)
    return True


def _renamed(inner: Transport, old: SnapshotRef, new: SnapshotRef) -> dict[str, Any]:
    """meta naming the sealed copy wherever it named the plain snapshot."""
    current = inner.read_meta()
    if current.get("snapshot") != old.name:
        return current
    history = [
        {**entry, "name": new.name} if entry.get("name") == old.name else entry
        for entry in current.get("snapshots", [])
        if isinstance(entry, dict)
    ]
    updated = {**current, "snapshot": new.name, "snapshots": history}
    inner.write_meta(updated)
    return updated


def _forget_plain(transport: EncryptedTransport) -> None:
    """Empty the record's bounds of what was in the clear, unless the record changed
    meanwhile (a rotation under the lease of a station that took it after ours ran out)."""
    inner = transport.inner
    current = inner.read_meta()
    record = record_of(current)
    if record is None or record["key_id"] != transport.state.key.key_id:
        return
    state = replace(open_record(record, transport.state.key), plain={}, plain_snapshot=None)
    inner.write_meta({**current, META_FIELD: state.record()})
    transport.state = state


def finish_conversion(station: LocalStation, transport: EncryptedTransport) -> None:
    """`seal_plain_history` as a step of a sync: housekeeping, so a share failure is logged
    and the sync goes on (the next one tries again)."""
    if not has_plain_history(transport):
        return
    try:
        seal_plain_history(station, transport)
    except SyncError as exc:
        log.warning("sealing the files written before encryption was turned on: %s", exc)
