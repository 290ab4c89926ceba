"""Retiring sync history that holds an erased person's data (issue 18).

Change files on the share (or rows on the agency server) written before an erase may hold the
person's data: the insert that created them, an offline station's edits that arrived later
(and were dropped). They are needed only until every station has applied them. So once every
station that has acknowledged on the share has applied everything this station has, with
nothing unsent anywhere, the next sync of any station compacts at once, whatever the
retention period: a snapshot of the (erased) data is published and every change file it
covers is deleted, then every older snapshot. `meta.json` records the erasures so retired, so
this happens once per erase. It goes through the `Transport` protocol only, so it works the
same over a shared folder, the agency server, or an encrypting wrapper around either.

A station that never acknowledges again (a laptop thrown away) holds this up: the ordinary
compaction's retention rule is what eventually leaves it out.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from typing import Any

from db.sync import snapshots
from db.sync.local import LocalStation
from db.sync.transport import Transport

log = logging.getLogger(__name__)
META_KEY = "erasures_retired"
_KEEP_LISTED = 500


def erasure_ids(station: LocalStation) -> set[str]:
    try:
        return {r[0] for r in station.conn.execute("SELECT id FROM person_erasure")}
    except sqlite3.OperationalError:  # a database from before the erase existed
        return set()


def _everyone_caught_up(station: LocalStation, transport: Transport) -> bool:
    """Every station with an ack has applied all we have, nothing is unsent anywhere, and
    the share holds no file we have not applied."""
    if station.unpushed_count():
        return False
    mine = station.applied()
    acks = transport.read_acks()
    me = station.identity().station_id
    for other in transport.list_stations():
        if other not in acks and other != me:
            return False  # a station that wrote files but never acknowledged
        refs, _ = transport.list_changes(other, mine.get(other, 0))
        if refs:
            return False
    for ack in acks.values():
        found = ack.get("applied")
        applied: dict[str, Any] = found if isinstance(found, dict) else {}
        if ack.get("unsent"):
            return False
        if any(_int(applied.get(o)) < seq for o, seq in mine.items()):
            return False
    return True


def _int(value: Any) -> int:
    return value if type(value) is int else 0


def retire_if_due(station: LocalStation, transport: Transport) -> float | None:
    """Retire the share's history if an erase this station knows has not been retired yet
    and every station has caught up. Returns the seconds it took, None when not done."""
    ids = erasure_ids(station)
    if not ids:
        return None
    meta = transport.read_meta()
    if getattr(transport, "bad_meta", None) is not None:
        return None
    done = set(meta.get(META_KEY) or [])
    pending = ids - done
    if not pending or not _everyone_caught_up(station, transport):
        return None
    start = time.perf_counter()
    if not snapshots.compact(station, transport, retention_ms=0):
        return None
    current = transport.read_meta()
    keep = current.get("snapshot")
    for ref in transport.list_snapshots():
        if ref.name != keep:
            transport.delete_snapshot(ref)
    retired = sorted(done | pending)[-_KEEP_LISTED:]
    transport.write_meta({**current, META_KEY: retired})
    seconds = time.perf_counter() - start
    log.info("sync history holding erased data retired in %.2f s", seconds)
    return seconds
