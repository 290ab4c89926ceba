"""Moving an agency from a shared folder onto an agency server, one station at a time, losing
nothing.

Each station switches by itself (`agency-desk server move --db PATH --share DIR --server URL`,
or the app's Preferences):

1. one last sync with the share: the station holds everything the share holds, and its own
   outbox is sent there;
2. the share gets `AgencyDesk/moved.json` (the server's URL without a password, when, by whom):
   every station still syncing with the folder is told from then on that the agency moved
   and how to follow; the folder keeps working for it meanwhile, so nobody is stopped;
3. a sync with the server that also publishes a snapshot there (compaction): the first station
   to switch records the agency on the server, and each switching station's own batches that
   the server lacks are published again from its outbox (the engine's check of its own files);
   the snapshot then holds everything this station has, including what it pulled from the
   share of stations that have not switched yet;
4. the database remembers the server instead of the folder.

An encrypted share moves to an encrypted server: before step 3 sends anything, the first
station to switch gives the server the share's encryption record (the same agency key,
wrapped by the same passphrase: `encryption.carry_encryption`), so every payload and snapshot
on the server is sealed and every station that unlocked the share reads it as it is. A plain
share moves to a plain server.

What a station sent to the folder after others switched reaches the server when it switches:
its batches are in its own outbox, and step 3 publishes them. Stations that switched see the
ones that have not (`not_switched`), and those see the marker: nobody is left behind unseen.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from db.sync.encryption import carry_encryption
from db.sync.engine import SyncResult, sync
from db.sync.errors import ShareIOError
from db.sync.folder import ROOT_NAME, FolderTransport, NotAFileError, read_regular
from db.sync.server import secrets
from db.sync.server.connect import describe
from db.sync.server.sync import sync_server
from db.sync.server.transport import ServerTransport
from db.sync.validate import SMALL_FILE_CAP, load_json
from db.sync.wire import Rejected

MARKER = "moved.json"
MARKER_FORMAT = 1


@dataclass
class MoveReport:
    folder: SyncResult
    server: SyncResult
    marked: bool  # this station wrote the share's marker (the first to switch)
    not_switched: list[str] = field(default_factory=list)  # station ids
    republished: int = 0  # this station's batches from the folder's time, sent to the server
    encrypted: bool = False  # this station gave the server the share's encryption


def marker_path(share: Path) -> Path:
    return Path(share) / ROOT_NAME / MARKER


def read_marker(share: Path) -> dict[str, Any] | None:
    """The share's record that the agency moved to a server, None when it has not (or the
    record is unreadable: then it is as if it had not, and the folder simply keeps working)."""
    try:
        data = read_regular(marker_path(share), SMALL_FILE_CAP)
    except (OSError, NotAFileError):
        return None
    try:
        record = load_json(data, depth=4)
    except Rejected:
        return None
    if not isinstance(record, dict) or not isinstance(record.get("server"), str):
        return None
    server = "".join(c for c in record["server"] if c.isprintable())[:500]
    return {**record, "server": server}


def moved_notice(share: Path, db_path: Path | None = None) -> str | None:
    """One line for a station still syncing with the folder, None when the agency has not
    moved."""
    record = read_marker(share)
    if record is None:
        return None
    return (
        f"this agency moved to the agency server {record['server']}; switch this station "
        f"with: agency-desk server move --db {db_path or 'DATABASE'} --share {share} --server "
        f"{record['server']} (with this station's login)"
    )


def _write_marker(share: Path, url: str, by: str) -> bool:
    target = marker_path(share)
    if target.exists():
        return False
    record = {
        "format": MARKER_FORMAT,
        "server": describe(url),
        "moved_ms": int(time.time() * 1000),
        "by": by[:200],
    }
    tmp = target.with_name(f".{MARKER}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(json.dumps(record, sort_keys=True, indent=1).encode())
        os.replace(tmp, target)
    except OSError as exc:
        raise ShareIOError(f"{target}: could not be written ({exc.strerror or exc})") from None
    finally:
        tmp.unlink(missing_ok=True)
    return True


def _switch_place(db_path: Path, url: str) -> None:
    conn = sqlite3.connect(db_path)
    try:
        with conn:
            conn.execute(
                "INSERT INTO sync_settings (id, share) VALUES (1, ?) "
                "ON CONFLICT (id) DO UPDATE SET share = excluded.share",
                (describe(url),),
            )
    finally:
        conn.close()


def not_switched(url: str, password: str | None, vector: dict[str, int]) -> list[str]:
    """Stations whose changes the server's latest snapshot holds but which have never
    written to the server themselves: still on the folder."""
    with ServerTransport(url, password) as transport:
        registered = set(transport.list_stations())
    return sorted(s for s, seq in vector.items() if seq > 0 and s not in registered)


def move(
    db_path: Path,
    share: Path,
    url: str,
    *,
    password: str | None = None,
    station_name: str | None = None,
) -> MoveReport:
    """Switch the station at `db_path` from `share` to the server at `url` (see the module's
    steps). Any failure raises a one-line `SyncError`; what was done is safe to do again."""
    db_path = Path(db_path)
    if password is None:
        password = secrets.stored_password(url)
    folder = sync(db_path, share, station_name=station_name)
    # An encrypted share moves to an encrypted server (the same key, its wrapped record
    # carried over) before anything is sent there.
    with ServerTransport(url, password) as transport:
        encrypted = carry_encryption(db_path, FolderTransport(share), transport)
    conn = sqlite3.connect(db_path)
    try:
        row = conn.execute("SELECT station_name, station_id FROM sync_ctl WHERE id = 1").fetchone()
    finally:
        conn.close()
    marked = _write_marker(Path(share), url, str(row[0] or row[1]))
    server = sync_server(db_path, url, password=password, compact=True)
    # Batches the engine found missing on the server and sent again: on a move that is the
    # expected way this station's folder-era batches reach it, not damage.
    republished, server.republished = server.republished, 0
    _switch_place(db_path, url)
    with ServerTransport(url, password) as transport:
        meta = transport.read_meta()
    vector = meta.get("vector") if isinstance(meta.get("vector"), dict) else {}
    switched = not_switched(url, password, dict(vector or {}))
    return MoveReport(folder, server, marked, switched, republished, encrypted)
