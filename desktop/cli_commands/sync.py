"""`agency-desk sync --db PATH --share DIR [--station-name NAME]`: one full push and pull
between a station's database and the shared folder, then one line of summary.

A database path that does not exist yet becomes a new station that joins the share with all
its data. A share that is missing, read-only, full or from a newer Agency Desk, and a database
that cannot be used, end in one line on stderr and exit code 2 with nothing changed.
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
        "station that joins the share with all its data."
    )
    parser.add_argument(
        "--db", type=Path, required=True, metavar="PATH", help="this station's database file"
    )
    parser.add_argument(
        "--share",
        type=Path,
        required=True,
        metavar="DIR",
        help="the shared folder every station syncs through (a network drive or synced folder)",
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


def run(args: argparse.Namespace) -> int:
    db_path: Path = args.db.expanduser()
    share: Path = args.share.expanduser()
    _check_db_path(db_path)
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
