"""What a subcommand of `agency-desk` is, and the one way it reports bad input.

A subcommand is a module with `NAME`, `HELP`, `add_arguments(parser)` and `run(args) -> int`,
listed in `desktop.cli_commands.COMMANDS`. It raises `UsageError` for anything the user got
wrong; the command line prints its message as one line on stderr and exits with code 2.
Modules import their heavy dependencies inside `run`, so `agency-desk --help` stays fast.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

USAGE_EXIT = 2


class UsageError(Exception):
    """Bad input from the user: a wrong argument, a file that cannot be used. The message is
    shown as it is, so it names the argument or file and what is wrong."""


class Command(Protocol):
    NAME: str
    HELP: str

    def add_arguments(self, parser: argparse.ArgumentParser) -> None: ...

    def run(self, args: argparse.Namespace) -> int: ...


def open_database_or_refuse(path: Path, *, create: bool = False) -> Engine:
    """Open (and if needed upgrade) the database at `path` for a command; any refusal becomes
    a UsageError naming the file, which is left untouched."""
    from db.database import open_database
    from db.errors import DatabaseOpenError

    try:
        return open_database(path, create=create)
    except DatabaseOpenError as exc:
        raise UsageError(str(exc)) from exc


def positive_int(text: str) -> int:
    """An argparse type for counts that must be 1 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def iso_date(text: str) -> date:
    """An argparse type for a calendar date written YYYY-MM-DD."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2025-03-31") from None
