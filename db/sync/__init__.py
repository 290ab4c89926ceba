"""Sync through a shared folder: many stations, no server, nothing lost.

Entry points: `sync(db_path, share)` (CLI, tests), `sync_store(store, share)` from a worker
thread then `refresh_store(store, result.changes)` on the UI thread (GUI), the conflict list
(`list_conflicts`, `restore_conflict`, `dismiss_conflict`), and `command.cli_sync` for the
command line. Design notes live in the module docstrings: `schema` (outbox triggers), `hlc`,
`merge` (rules), `folder` (share layout), `snapshots` (join, rebuild, compaction), `agency`
(one agency per share), `join` (a new station, safe against a kill), `local_settings` (the
shared folder and interval kept in the database).
"""

from db.sync.agency import AgencyMismatchError
from db.sync.conflicts import Conflict, dismiss_conflict, list_conflicts, restore_conflict
from db.sync.engine import SyncResult, refresh_store, sync, sync_store
from db.sync.errors import (
    RestoreError,
    ShareFormatError,
    ShareFullError,
    ShareIOError,
    ShareMissingError,
    ShareReadOnlyError,
    SyncBusyError,
    SyncError,
)
from db.sync.schema import install_triggers

__all__ = [
    "AgencyMismatchError",
    "Conflict",
    "RestoreError",
    "ShareFormatError",
    "ShareFullError",
    "ShareIOError",
    "ShareMissingError",
    "ShareReadOnlyError",
    "SyncBusyError",
    "SyncError",
    "SyncResult",
    "dismiss_conflict",
    "install_triggers",
    "list_conflicts",
    "refresh_store",
    "restore_conflict",
    "sync",
    "sync_store",
]
