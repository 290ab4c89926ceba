"""`agency-desk demo --db PATH [--scale N] [--if-missing]`: write the demo agency to a new file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop.cli_commands.command import (
    UsageError,
    iso_date,
    open_database_or_refuse,
    positive_int,
)

NAME = "demo"
HELP = "write a realistic demo agency into a new database file"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Write a realistic demo agency (team, clients, contacts, interactions, projects with "
        "task plans) into a new database file. The same scale and date always give the same data."
    )
    parser.add_argument(
        "--db", type=Path, required=True, metavar="PATH", help="the new database file to write"
    )
    parser.add_argument(
        "--scale",
        type=positive_int,
        default=1,
        metavar="N",
        help="multiply the agency N times (1: 25 clients, 12 projects, 250 tasks); default 1",
    )
    parser.add_argument(
        "--if-missing",
        action="store_true",
        help="when PATH already holds an Agency Desk database, keep it and succeed",
    )
    parser.add_argument(
        "--today",
        type=iso_date,
        metavar="YYYY-MM-DD",
        help="the date the demo is laid out around (default: today)",
    )


def run(args: argparse.Namespace) -> int:
    path: Path = args.db.expanduser()
    if path.exists() or path.is_symlink():
        if not args.if_missing:
            raise UsageError(f"{path}: already exists; choose a new file for the demo")
        # Only an existing database passes: anything else at that path is a mistake. One that
        # another Agency Desk has open passed that check when it was opened; it is left alone
        # without being opened here (see db.instance_lock).
        from db.errors import DatabaseInUseError

        try:
            open_database_or_refuse(path).dispose()
        except UsageError as exc:
            if not isinstance(exc.__cause__, DatabaseInUseError):
                raise
            print(
                f"{path}: already exists and is open in Agency Desk, kept as it is", file=sys.stderr
            )
            return 0
        print(f"{path}: already exists, kept as it is", file=sys.stderr)
        return 0
    if not path.parent.is_dir():
        raise UsageError(f"{path.parent}: no such folder")

    from db.demo import write_demo
    from db.errors import DatabaseOpenError

    try:
        write_demo(path, args.scale, today=args.today)
    except DatabaseOpenError as exc:
        raise UsageError(str(exc)) from exc
    print(f"{path}: demo agency written (scale {args.scale})", file=sys.stderr)
    return 0
