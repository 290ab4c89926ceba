"""`agency-desk import FILE --db PATH [--dry-run] [--client NAME] [--keep-file-dates]
[--as clients|contacts|interactions|follow-ups] [--key email|name|moment|title]
[--merge-duplicates]`: bring a project in from Microsoft Project XML, GanttProject, GNOME
Planner or a CSV task list, or clients, contacts, interactions and follow-ups from CSV.

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
from typing import TYPE_CHECKING

from desktop.cli_commands.command import UsageError, open_database_or_refuse

if TYPE_CHECKING:
    from db.io import CsvTable, ProjectFile
    from db.io.operation import ImportOperation
    from db.store import Store

NAME = "import"
HELP = (
    "import a project (MS Project XML, .gan, .planner, CSV tasks) or a CSV of clients, "
    "contacts, interactions or follow-ups"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Import a project from a Microsoft Project XML (MSPDI), GanttProject (.gan) or GNOME "
        "Planner (.planner) file, recognised by its content. The project keeps its name from "
        "the file and belongs to the file's company (or --client). People are matched to "
        "team members by name. A database that does not exist yet is created. Prints what "
        "is added and skipped, and every task whose dates here differ from the file's and "
        "why; the import is one step, whole or not at all. A CSV of clients or contacts "
        "(delimiter and encoding detected) updates the rows it matches, by id or --key, "
        "instead of adding copies; so does a CSV of interactions (calls, emails, meetings) "
        "or follow-ups, whose clients, contacts and owners are found by name or email."
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
        "--as",
        dest="kind",
        choices=("clients", "contacts", "interactions", "follow-ups"),
        help="what a CSV file of records holds (default: judged from its header)",
    )
    parser.add_argument(
        "--key",
        choices=("email", "name", "moment", "title"),
        help="how a CSV row without an id matches an existing one: a contact by email "
        "(default) or name; an interaction by client, time, kind and summary (moment); a "
        "follow-up by title, due date and client (title)",
    )
    parser.add_argument(
        "--merge-duplicates",
        action="store_true",
        help="update the existing contact a CSV row likely duplicates instead of adding it",
    )
    parser.add_argument(
        "--keep-file-dates",
        action="store_true",
        help="pin every task whose dates would differ to the file's start, as its "
        "'start no earlier than' date",
    )


def run(args: argparse.Namespace) -> int:
    from db.io import CsvTable, ImportFileError, Source, read_import

    db_path: Path = args.db.expanduser()
    source: Path = args.file.expanduser()
    if db_path.exists() and not db_path.is_file():
        raise UsageError(f"{db_path}: not a database file")
    if not db_path.exists() and not db_path.parent.is_dir():
        raise UsageError(f"{db_path.parent}: no such folder for the new database")
    try:
        found = read_import(Source.read(source))
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
            if isinstance(found, CsvTable):
                operation = _plan_records(store, found, args)
            else:
                operation = _plan_project(store, found, args, source)
        except ImportFileError as exc:
            raise UsageError(str(exc)) from exc
        if args.dry_run:
            print(f"{source}: dry run, nothing written", file=sys.stderr)
            return 0
        from db.errors import AgencyDeskError

        try:
            store.apply(operation)
        except AgencyDeskError as exc:
            raise UsageError(f"{source}: not imported: {exc}") from exc
    finally:
        store.close()
        if scratch is not None:
            scratch.cleanup()
    print(f"{source}: imported into {args.db.expanduser()}", file=sys.stderr)
    return 0


def _plan_project(
    store: Store, project: ProjectFile, args: argparse.Namespace, source: Path
) -> ImportOperation:
    from db.io import plan_project_import

    plan = plan_project_import(
        store.session,
        project,
        str(source),
        client=args.client,
        keep_file_dates=args.keep_file_dates,
    )
    print(f"{source}: {project.format} project {plan.project_name!r} for {plan.client_name}")
    for line in plan.summary.lines():
        print(f"  {line}")
    print("Dates:")
    for line in plan.report_lines():
        print(f"  {line}")
    return plan.operation


def _plan_records(store: Store, table: CsvTable, args: argparse.Namespace) -> ImportOperation:
    from db.io.records_csv import RecordKind, guess_kind, plan_csv_import

    kind = RecordKind(args.kind) if args.kind else guess_kind(table.header)
    plan = plan_csv_import(
        store.session, table, kind, key=args.key, merge_duplicates=args.merge_duplicates
    )
    mapped = ", ".join(f"{table.header[c]!r} -> {f}" for f, c in plan.mapping.items())
    print(f"{table.name}: {kind.value} ({mapped})")
    for line in plan.summary.lines():
        print(f"  {line}")
    if plan.duplicates:
        verb = "merged" if plan.merge_duplicates else "added (--merge-duplicates merges them)"
        print(f"Likely duplicates, {verb}:")
        for duplicate in plan.duplicates:
            print(f"  {duplicate.text()}")
    return plan.operation
