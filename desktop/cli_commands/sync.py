"""`agency-desk sync --db PATH [--share DIR | --server URL] [--station-name NAME]`: one full
push and pull between a station's database and the shared folder or the agency server, then
one line of summary.

A database path that does not exist yet becomes a new station that joins the share with all
its data. The shared folder is remembered in the database (the app syncs there too), so later
runs may leave `--share` out. A database of another agency than the share's, a share that is
missing, read-only, full or from a newer Agency Desk, and a database that cannot be used, end
in one line on stderr and exit code 2 with nothing changed. So does a server that is
unreachable, refuses the login or has a newer schema, the line saying which. A server's
password comes from the OS keychain (`agency-desk server login URL`), else libpq's own
sources (PGPASSWORD, ~/.pgpass); the database remembers the URL without it.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop.cli_commands.command import UsageError


def is_server_url(text: str) -> bool:
    """A remembered place that is a server URL rather than a folder (kept light: no psycopg
    import for `--help`)."""
    return text.strip().lower().startswith(("postgresql://", "postgres://"))


NAME = "sync"
HELP = "send this station's changes to the shared folder or server and bring in everyone else's"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Sync a station's database through a shared folder or an agency server (--server, "
        "PostgreSQL): send its changes, bring in every "
        "other station's, merge field by field (conflicts are kept for review in the app), and "
        "print one line of summary. A database file that does not exist yet becomes a new "
        "station that joins the share with all its data. A share belongs to the agency that "
        "first used it: a database of another agency is refused (exit code 2) and nothing moves."
    )
    parser.add_argument(
        "--db", type=Path, required=True, metavar="PATH", help="this station's database file"
    )
    place = parser.add_mutually_exclusive_group()
    place.add_argument(
        "--share",
        type=Path,
        metavar="DIR",
        help="the shared folder every station syncs through (a network drive or synced "
        "folder); default: the one this database syncs with",
    )
    place.add_argument(
        "--server",
        metavar="URL",
        help="the agency server (PostgreSQL) every station syncs through, "
        "postgresql://LOGIN@HOST[:PORT]/DATABASE[?sslmode=verify-full]",
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


def _remembered_place(db_path: Path) -> str:
    """The shared folder or server URL the database keeps (db.sync.local_settings), for a
    run without --share or --server; read-only, and a refusal names what is missing."""
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
            f"{NAME}: --share DIR is needed (or --server URL): {db_path} does not sync with "
            "a shared folder or server yet"
        )
    return stored.share


def run(args: argparse.Namespace) -> int:
    db_path: Path = args.db.expanduser()
    _check_db_path(db_path)
    name = args.station_name.strip() if args.station_name is not None else None
    if name == "":
        raise UsageError("--station-name: must not be empty")
    server: str | None = args.server
    share: Path | None = args.share.expanduser() if args.share is not None else None
    if server is None and share is None:
        remembered = _remembered_place(db_path)
        if is_server_url(remembered):
            server = remembered
        else:
            share = Path(remembered)

    from db.errors import DatabaseOpenError
    from db.sync import SyncError, sync

    try:
        if server is not None:
            from db.sync.server.sync import sync_server

            try:
                result = sync_server(db_path, server, station_name=name)
            except ValueError as exc:  # not a URL at all
                raise UsageError(f"--server: {exc}") from exc
        else:
            assert share is not None
            result = sync(db_path, share, station_name=name)
    except (SyncError, DatabaseOpenError) as exc:
        # Both are the user's to fix (the share, or the file named); nothing was changed.
        raise UsageError(f"{NAME}: {exc}") from exc
    print(result.summary())
    if server is None and share is not None:
        from db.sync.server.move import moved_notice

        notice = moved_notice(share, db_path)
        if notice is not None:  # a station left on the folder is told, every time
            print(notice)
    return 0
