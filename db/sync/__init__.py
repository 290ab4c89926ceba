"""Sync through a shared folder: many stations, no server, nothing lost.

Entry points: `sync(db_path, share)` (CLI, tests), `sync_store(store, share)` from a worker
thread then `refresh_store(store, result.changes)` on the UI thread (GUI), the conflict list
(`list_conflicts`, `restore_conflict`, `dismiss_conflict`), and `command.cli_sync` for the
command line. Design notes live in the module docstrings: `schema` (outbox triggers), `hlc`,
`merge` (rules), `folder` (share layout), `snapshots` (join, rebuild, compaction), `agency`
(one agency per share), `join` (a new station, safe against a kill), `local_settings` (the
shared folder and interval kept in the database).

The names below are loaded on first use (PEP 562): the app imports `db.sync.local_settings` at
start-up to read the shared folder, and importing the package must not bring in the engine,
the snapshots and Alembic with it (see issue 19's start-up budget).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

_HOMES = {
    "AgencyMismatchError": "agency",
    "Conflict": "conflicts",
    "dismiss_conflict": "conflicts",
    "list_conflicts": "conflicts",
    "restore_conflict": "conflicts",
    "SyncResult": "engine",
    "refresh_store": "engine",
    "sync": "engine",
    "sync_store": "engine",
    "RestoreError": "errors",
    "ShareFormatError": "errors",
    "ShareFullError": "errors",
    "ShareIOError": "errors",
    "ShareMissingError": "errors",
    "ShareReadOnlyError": "errors",
    "SyncBusyError": "errors",
    "SyncError": "errors",
    "install_triggers": "schema",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:  # a submodule (`from db.sync import hlc`) is then imported as usual
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


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
