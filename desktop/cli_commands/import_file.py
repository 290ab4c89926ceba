"""`agency-desk import FILE --db PATH [--dry-run] [--client NAME] [--keep-file-dates]`: bring
a project in from Microsoft Project XML, GanttProject or GNOME Planner.

The format comes from the file's content, not its name. The file is read and checked before
the database is even opened, so a bad file (exit code 2, one line naming the file, the place
and the fault) leaves the database untouched, or uncreated. The preview (what is added and
skipped) and the report of tasks whose dates differ from the file's are printed on stdout;
`--dry-run` stops there.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from desktop.cli_commands.command import UsageError, open_database_or_refuse

NAME = "import"
HELP = "import a project file (Microsoft Project XML, GanttProject .gan, Planner .planner)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Import a project from a Microsoft Project XML (MSPDI), GanttProject (.gan) or GNOME "
        "Planner (.planner) file, recognised by its content. The project keeps its name from "
        "the file and belongs to the file's company (or --client). People are matched to "
        "team members by name. A database that does not exist yet is created. Prints what "
        "is added and skipped, and every task whose dates here differ from the file's and "
        "why; the import is one step, whole or not at all."
    )
    parser.add_argument("file", type=Path, metavar="FILE", help="the file to import")
    parser.add_argument(
        "--db", type=Path, required=True, metavar="PATH", help="the database to import into"
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="show what the import would do and write nothing",
    )
    parser.add_argument(
        "--client",
        metavar="NAME",
        help="the client the project is for (default: the file's company); made if new",
    )
    parser.add_argument(
        "--keep-file-dates",
        action="store_true",
        help="pin every task whose dates would differ to the file's start, as its "
        "'start no earlier than' date",
    )


def run(args: argparse.Namespace) -> int:
    from db.io import ImportFileError, plan_project_import, read_path

    db_path: Path = args.db.expanduser()
    source: Path = args.file.expanduser()
    if db_path.exists() and not db_path.is_file():
        raise UsageError(f"{db_path}: not a database file")
    if not db_path.exists() and not db_path.parent.is_dir():
        raise UsageError(f"{db_path.parent}: no such folder for the new database")
    try:
        project = read_path(source)
    except ImportFileError as exc:
        raise UsageError(str(exc)) from exc

    from db.store import Store

    scratch = None
    if args.dry_run and not db_path.exists():
        # A dry run creates nothing: plan against an empty database of its own.
        scratch = tempfile.TemporaryDirectory(prefix="agency-desk-dry-run-")
        db_path = Path(scratch.name) / "empty.sqlite"
    store = Store(open_database_or_refuse(db_path, create=True))
    try:
        try:
            plan = plan_project_import(
                store.session,
                project,
                str(source),
                client=args.client,
                keep_file_dates=args.keep_file_dates,
            )
        except ImportFileError as exc:
            raise UsageError(str(exc)) from exc
        print(f"{source}: {project.format} project {plan.project_name!r} for {plan.client_name}")
        for line in plan.summary.lines():
            print(f"  {line}")
        print("Dates:")
        for line in plan.report_lines():
            print(f"  {line}")
        if args.dry_run:
            print(f"{source}: dry run, nothing written", file=sys.stderr)
            return 0
        from db.errors import AgencyDeskError

        try:
            store.apply(plan.operation)
        except AgencyDeskError as exc:
            raise UsageError(f"{source}: not imported: {exc}") from exc
    finally:
        store.close()
        if scratch is not None:
            scratch.cleanup()
    print(f"{source}: imported into {args.db.expanduser()}", file=sys.stderr)
    return 0
