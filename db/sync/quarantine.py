"""The quarantine: change files on the share that failed validation (damaged, hostile, or
from a station this one cannot follow), each kept once with its reason in `sync_quarantine`.

A file is recorded the first time it fails and listed on the command line then; the Sync
panel lists every open entry. An entry closes when its file is applied after all (its author
published it again, whole) or is gone from the share.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from db.store import Store
from db.sync.transport import ChangeRef


@dataclass(frozen=True)
class Quarantined:
    name: str  # <station>/<seq:012>-<sha256>.jsonl
    station: str
    seq: int
    reason: str


def file_name(ref: ChangeRef) -> str:
    return f"{ref.station}/{ref.seq:012d}-{ref.sha256}.jsonl"


def record(conn: sqlite3.Connection, ref: ChangeRef, reason: str, now_ms: int) -> bool:
    """Quarantine the file; True when it is news (not open already), so it is listed once."""
    name = file_name(ref)
    found = conn.execute("SELECT resolved FROM sync_quarantine WHERE name = ?", (name,)).fetchone()
    if found is not None and not found[0]:
        return False
    conn.execute(
        "INSERT OR REPLACE INTO sync_quarantine (name, station, seq, reason, seen_ms, resolved) "
        "VALUES (?, ?, ?, ?, ?, 0)",
        (name, ref.station, ref.seq, reason[:2000], now_ms),
    )
    return True


def resolve(conn: sqlite3.Connection, names: list[str]) -> None:
    conn.executemany(
        "UPDATE sync_quarantine SET resolved = 1 WHERE name = ? AND resolved = 0",
        [(n,) for n in names],
    )


def open_names(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sync_quarantine WHERE resolved = 0")}


def list_quarantined(store: Store) -> list[Quarantined]:
    """Open entries, oldest first, for the Sync panel."""
    rows = (
        store.session.connection()
        .exec_driver_sql(
            "SELECT name, station, seq, reason FROM sync_quarantine WHERE resolved = 0 "
            "ORDER BY seen_ms, name"
        )
        .fetchall()
    )
    store.session.commit()  # end the read: the session must not keep an old snapshot
    return [Quarantined(*r) for r in rows]
