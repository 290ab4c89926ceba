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

Encryption (issue 17): `--encrypt` turns end-to-end encryption on for the share or server
(converting it in place), `--rotate-key` gives it a new key and passphrase. A station that
meets an encrypted share without its key unlocks it once with the agency passphrase. The
passphrase comes from `--passphrase-file FILE`, else the `AGENCY_DESK_PASSPHRASE` environment
variable, else a prompt in a terminal (twice for a new one); without any of them, or with a
wrong one, the command says so in one line with exit code 2 and nothing changed.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.cli_commands.command import UsageError

if TYPE_CHECKING:
    from db.sync.transport import Transport

PASSPHRASE_VARIABLE = "AGENCY_DESK_PASSPHRASE"


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
    secret = parser.add_mutually_exclusive_group()
    secret.add_argument(
        "--encrypt",
        action="store_true",
        help="turn end-to-end encryption on for the share or server, converting it in place "
        "(asks for a new agency passphrase; every other station enters it once)",
    )
    secret.add_argument(
        "--rotate-key",
        action="store_true",
        help="give the encrypted share or server a new key and passphrase (someone left): "
        "stations holding only the old key can read nothing written after",
    )
    parser.add_argument(
        "--passphrase-file",
        type=Path,
        metavar="FILE",
        help="read the agency passphrase from FILE (its first line) instead of asking; "
        f"or set {PASSPHRASE_VARIABLE}",
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
        if args.encrypt or args.rotate_key:
            return _change_encryption(args, db_path, share, server)
        _unlock_if_needed(args, share, server)
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


# -- encryption ------------------------------------------------------------------------------


def _read_passphrase(args: argparse.Namespace, *, new: bool, why: str) -> str:
    """The passphrase from --passphrase-file, the environment, or a terminal prompt."""
    path: Path | None = args.passphrase_file
    if path is not None:
        try:
            text = path.expanduser().read_text(encoding="utf-8")
        except FileNotFoundError:
            raise UsageError(f"--passphrase-file: {path}: no such file") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"--passphrase-file: {path}: cannot be read ({exc})") from None
        lines = text.splitlines()
        if not lines or not lines[0]:
            raise UsageError(f"--passphrase-file: {path}: its first line is empty")
        return lines[0]
    found = os.environ.get(PASSPHRASE_VARIABLE)
    if found:
        return found
    if not sys.stdin.isatty():
        raise UsageError(
            f"{NAME}: {why}; give the agency passphrase with --passphrase-file FILE or "
            f"{PASSPHRASE_VARIABLE} (nothing was changed)"
        )
    if new:
        first = getpass.getpass("New agency passphrase: ")
        if getpass.getpass("The same passphrase again: ") != first:
            raise UsageError(f"{NAME}: the two passphrases differ; nothing was changed")
        return first
    return getpass.getpass("Agency passphrase: ")


def _open_transport(share: Path | None, server: str | None) -> tuple[Transport, Path, str | None]:
    """(transport, how messages name it, the place the database remembers)."""
    if server is not None:
        from db.sync.server import secrets
        from db.sync.server.connect import describe
        from db.sync.server.sync import server_label
        from db.sync.server.transport import ServerTransport

        try:
            label = server_label(server)
        except ValueError as exc:
            raise UsageError(f"--server: {exc}") from exc
        return ServerTransport(server, secrets.stored_password(server)), label, describe(server)
    from db.sync.folder import FolderTransport

    assert share is not None
    return FolderTransport(share), share, None


def _close(transport: Transport) -> None:
    close = getattr(transport, "close", None)
    if close is not None:
        close()


def _unlock_if_needed(args: argparse.Namespace, share: Path | None, server: str | None) -> None:
    """An encrypted share whose key this computer does not hold yet: ask for the passphrase
    once and keep the key in the keychain (a wrong one changes nothing)."""
    from db.sync.encryption import encryption_status, unlock

    transport, label, _place = _open_transport(share, server)
    try:
        status = encryption_status(transport)
        if status.enabled and not status.have_key:
            where = "agency server" if server is not None else "shared folder"
            why = f"the {where} {label} is encrypted and this computer does not hold its key"
            unlock(transport, None, _read_passphrase(args, new=False, why=why))
    finally:
        _close(transport)


def _change_encryption(
    args: argparse.Namespace, db_path: Path, share: Path | None, server: str | None
) -> int:
    from db.sync.encryption import enable_encryption, rotate_key

    where = "agency server" if server is not None else "shared folder"
    transport, label, place = _open_transport(share, server)
    try:
        if args.encrypt:
            passphrase = _read_passphrase(
                args, new=True, why=f"--encrypt needs a new passphrase for the {where}"
            )
            status = enable_encryption(db_path, transport, label, passphrase, place=place)
            print(
                f"sync: the {where} {label} is now encrypted (agency key {status.key_id}); "
                "every other station enters the agency passphrase once"
            )
        else:
            passphrase = _read_passphrase(
                args, new=True, why=f"--rotate-key needs a new passphrase for the {where}"
            )
            status = rotate_key(db_path, transport, label, passphrase, place=place)
            print(
                f"sync: the {where} {label} has a new agency key ({status.key_id}); every "
                "other station enters the new passphrase once, and the old one opens nothing "
                "written from now on"
            )
    finally:
        _close(transport)
    return 0
