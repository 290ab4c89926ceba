"""`agency-desk sync --db PATH --share DIR`: one push and pull, one line of summary.

The CLI calls `cli_sync(args)` with an argparse namespace holding `db`, `share` and
optionally `station_name`; exit code 0 when done, 2 when the share is missing, read-only,
full or from a newer version (or this database is being synced by another instance), and 2
when the database file cannot be used: bad input is exit code 2 across the command line.
A damaged or refused file on the share is not a failure: it is quarantined, printed once
under the summary with its reason, and the exit code stays 0.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from db.errors import DatabaseOpenError
from db.sync.engine import sync
from db.sync.errors import SyncError

EXIT_OK = 0
EXIT_DATABASE = 2
EXIT_SHARE = 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", required=True, type=Path, help="the local database file")
    parser.add_argument("--share", required=True, type=Path, help="the shared folder")
    parser.add_argument("--station-name", default=None, help="a name other stations see")


def cli_sync(args: argparse.Namespace) -> int:
    try:
        result = sync(args.db, args.share, station_name=getattr(args, "station_name", None))
    except SyncError as exc:
        print(f"agency-desk sync: {exc}", file=sys.stderr)
        return EXIT_SHARE
    except DatabaseOpenError as exc:
        print(f"agency-desk sync: {exc}", file=sys.stderr)
        return EXIT_DATABASE
    for skipped in result.skipped:
        logging.getLogger(__name__).info("skipped %s: %s", skipped.name, skipped.reason)
    print(result.summary())
    # Each refused file once, the sync it was first found in; later syncs only say what
    # waits for it.
    for entry in result.quarantined:
        print(f"  quarantined {entry.name}: {entry.reason}")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="agency-desk sync")
    add_arguments(parser)
    return cli_sync(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
