"""The `agency-desk` command line: opens the GUI, or runs one of the subcommands listed in
`desktop.cli_commands`.

Every failure reaches the user as one line on stderr: bad input (exit code 2, nothing
written) or an unexpected error (exit code 1; set AGENCY_DESK_DEBUG=1 for the traceback).
Qt and SQLAlchemy are imported only by the code that needs them, so `--help` and `demo`
start quickly.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from pathlib import Path
from typing import NoReturn

from desktop.cli_commands.command import USAGE_EXIT, UsageError

PROG = "agency-desk"
UNEXPECTED_EXIT = 1


class _OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one line ending in where to find help, not the whole
    usage block, and it raises instead of exiting so `main` stays callable from tests."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message} (see '{self.prog} --help')")


def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed_version

    try:
        return installed_version("agency-desk")
    except PackageNotFoundError:
        return "unknown"


class _VersionAction(argparse.Action):
    """`--version`, looked up only when asked for: reading the package metadata loads
    `importlib.metadata` (email parsing, zip files), which every start of the app would
    otherwise pay for (issue 19)."""

    def __init__(
        self, option_strings: list[str], dest: str = argparse.SUPPRESS, **_: object
    ) -> None:
        super().__init__(option_strings, dest, nargs=0, help="show the program's version and exit")

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> NoReturn:
        print(f"{parser.prog} {version()}")  # on stdout, as argparse's own version action
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    from desktop.cli_commands import COMMANDS

    parser = _OneLineParser(
        prog=PROG,
        description=(
            "Agency Desk: client relationships and project timelines for small agencies. "
            "Without a command, opens the app."
        ),
    )
    _add_app_options(parser)
    subcommands = parser.add_subparsers(dest="command", title="commands", metavar="COMMAND")
    for command in COMMANDS:
        sub = subcommands.add_parser(command.NAME, help=command.HELP, description=command.HELP)
        command.add_arguments(sub)
        sub.set_defaults(run=command.run)
    return parser


def _app_start(argv: list[str]) -> argparse.Namespace | None:
    """The options of a plain start of the app (no command, no help), read without building
    the commands' parsers (see `desktop.cli_commands`); None when `argv` names a command,
    asks for help or has a mistake, for the full parser to take it as ever."""
    if any(arg in ("-h", "--help") for arg in argv):
        return None
    parser = _OneLineParser(prog=PROG, add_help=False)
    _add_app_options(parser)
    try:
        args, rest = parser.parse_known_args(argv)
    except UsageError:
        return None
    if rest:
        return None
    args.command = None
    return args


def _add_app_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        type=Path,
        metavar="PATH",
        help="the database to open (default: agency.sqlite in your user data folder)",
    )
    parser.add_argument(
        "--project",
        dest="open_project",
        metavar="NAME",
        help="open the app on this project's Gantt chart (its name, part of it, or its id)",
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="open the database, show each view once, check it, print a summary and exit",
    )
    parser.add_argument("--version", action=_VersionAction)


def _run_gui(args: argparse.Namespace) -> int:
    db_path: Path | None = args.db.expanduser() if args.db is not None else None
    if args.self_test:
        if db_path is None:
            raise UsageError(f"{PROG}: --self-test needs --db PATH, an existing database")
        if not db_path.exists():
            raise UsageError(f"{db_path}: no such database file (--self-test does not create one)")

    from desktop import collector_pause

    # Until the window has painted (see `desktop.collector_pause`); the imports below are
    # most of what start-up allocates.
    collector_pause.pause()
    try:
        from db.errors import DatabaseOpenError
        from desktop.app import run_gui

        try:
            return run_gui(db_path, self_test=args.self_test, project=args.open_project)
        except DatabaseOpenError as exc:
            raise UsageError(str(exc)) from exc
    finally:
        collector_pause.resume()


def _identify(command: str) -> None:
    """Name this process in the database's lock, for anyone it keeps out (the app names
    itself in `run_gui`)."""
    from db import instance_lock

    instance_lock.identify(f"'{PROG} {command}'", app=False)


def _say(message: str) -> None:
    print(" ".join(message.splitlines()), file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Run `agency-desk` with `argv` (default: the process's arguments); return the exit code."""
    try:
        argv = sys.argv[1:] if argv is None else argv
        args = _app_start(argv) or build_parser().parse_args(argv)
        if args.command is None:
            return _run_gui(args)
        if args.self_test:
            raise UsageError(f"{PROG}: --self-test checks the app; it does not go with a command")
        if args.open_project is not None:
            raise UsageError(
                f"{PROG}: --project before a command opens the app; give it after the command"
            )
        _identify(args.command)
        code: int = args.run(args)
        return code
    except UsageError as exc:
        _say(str(exc))
        return USAGE_EXIT
    except SystemExit as exc:  # --help and --version end through argparse's exit
        return exc.code if isinstance(exc.code, int) else 0
    except KeyboardInterrupt:
        _say(f"{PROG}: interrupted")
        return 130
    except Exception as exc:
        if os.environ.get("AGENCY_DESK_DEBUG"):
            traceback.print_exc()
        _say(f"{PROG}: unexpected error: {type(exc).__name__}: {exc}")
        return UNEXPECTED_EXIT
