"""`agency-desk sync --db PATH [--share DIR] [--station-name NAME]`: one full push and pull
between a station's database and the shared folder, then one line of summary.

A database path that does not exist yet becomes a new station that joins the share with all
its data. The shared folder is remembered in the database (the app syncs there too), so later
runs may leave `--share` out. A database of another agency than the share's, a share that is
missing, read-only, full or from a newer Agency Desk, and a database that cannot be used, end
in one line on stderr and exit code 2 with nothing changed.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop.cli_commands.command import UsageError

NAME = "sync"
HELP = "send this station's changes to the shared folder and bring in everyone else's"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Sync a station's database through a shared folder: send its changes, bring in every "
        "other station's, merge field by field (conflicts are kept for review in the app), and "
        "print one line of summary. A database file that does not exist yet becomes a new "
        "station that joins the share with all its data. A share belongs to the agency that "
        "first used it: a database of another agency is refused (exit code 2) and nothing moves."
    )
    parser.add_argument(
        "--db", type=Path, required=True, metavar="PATH", help="this station's database file"
    )
    parser.add_argument(
        "--share",
        type=Path,
        metavar="DIR",
        help="the shared folder every station syncs through (a network drive or synced "
        "folder); default: the one this database syncs with",
    )
    parser.add_argument(
        "--station-name",
        metavar="NAME",
        help="how other stations see this one (default: keep the name it has)",
    )


def _check_db_path(path: Path) -> None:
    if path.exists() and not path.is_file():
        raise UsageError(f"{path}: not a database file")
    if not path.exists() and not path.parent.is_dir():
        raise UsageError(f"{path.parent}: no such folder for the new database")


def _remembered_share(db_path: Path) -> Path:
    """The shared folder the database keeps (db.sync.local_settings), for a run without
    --share; read-only, and a refusal names what is missing."""
    import sqlite3

    from db.sync import local_settings

    stored = None
    if db_path.is_file():
        try:
            conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
            try:
                stored = local_settings.read_settings(conn.execute)
            finally:
                conn.close()
        except sqlite3.Error:
            stored = None  # not a database, or one from before the setting: --share it is
    if stored is None or not stored.share:
        raise UsageError(
            f"{NAME}: --share DIR is needed: {db_path} does not sync with a shared folder yet"
        )
    return Path(stored.share)


def run(args: argparse.Namespace) -> int:
    db_path: Path = args.db.expanduser()
    _check_db_path(db_path)
    share: Path = args.share.expanduser() if args.share is not None else _remembered_share(db_path)
    name = args.station_name.strip() if args.station_name is not None else None
    if name == "":
        raise UsageError("--station-name: must not be empty")

    from db.errors import DatabaseOpenError
    from db.sync import SyncError, sync

    try:
        result = sync(db_path, share, station_name=name)
    except (SyncError, DatabaseOpenError) as exc:
        # Both are the user's to fix (the share, or the file named); nothing was changed.
        raise UsageError(f"{NAME}: {exc}") from exc
    print(result.summary())
    return 0
