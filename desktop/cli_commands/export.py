"""`agency-desk export FORMAT [--project NAME] -o FILE --db PATH`: write data for another
tool. FORMAT is `mspdi` (Microsoft Project XML, which every Gantt tool reads) or `gan`
(GanttProject) for a project, `csv-tasks` for its task list, `csv-clients` and
`csv-contacts` for the agency's clients and contacts, `csv-interactions` and `csv-follow-ups`
for its interactions and follow-ups, `vcard` for the contacts as vCards, and
`ics` for milestones, due dates, follow-ups and important dates (a project's, with --project;
one person's, with --member).

The file is written next to its final name and moved into place, so a failed export never
leaves half a file where a good one was.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.cli_commands.command import UsageError, open_database_or_refuse

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

NAME = "export"
HELP = "write a project (mspdi, gan, csv-tasks), clients or contacts (csv-*, vcard) or dates (ics)"
FORMATS = (
    "mspdi",
    "gan",
    "csv-clients",
    "csv-contacts",
    "csv-interactions",
    "csv-follow-ups",
    "csv-tasks",
    "vcard",
    "ics",
)
PROJECT_FORMATS = ("mspdi", "gan", "csv-tasks")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Export a project: 'mspdi' writes Microsoft Project XML (read by MS Project, "
        "ProjectLibre, GanttProject and most Gantt tools), 'gan' a GanttProject file. Tasks, "
        "hierarchy, links with lags, milestones, progress, notes, people, their assignments "
        "and leave, and the agency's calendar go with it. 'csv-tasks' writes a project's "
        "tasks with their hierarchy and links; 'csv-clients' and 'csv-contacts' every "
        "client or contact, with ids so that importing the edited file updates them; "
        "'vcard' the contacts with their birthdays; 'ics' the dates for a calendar program."
    )
    parser.add_argument("format", choices=FORMATS, metavar="FORMAT", help=", ".join(FORMATS))
    parser.add_argument("--project", metavar="NAME", help="the project's name (or part) or id")
    parser.add_argument(
        "--member", metavar="NAME", help="ics: only this team member's items (name or id)"
    )
    parser.add_argument(
        "--per-member",
        action="store_true",
        help="ics: one file per team member, written into the folder -o names (a shared "
        "folder, for calendar programs to subscribe to)",
    )
    parser.add_argument(
        "-o", "--output", type=Path, required=True, metavar="FILE", help="the file to write"
    )
    parser.add_argument(
        "--db", type=Path, required=True, metavar="PATH", help="the database to read"
    )


def run(args: argparse.Namespace) -> int:
    db_path: Path = args.db.expanduser()
    output: Path = args.output.expanduser()
    if not db_path.is_file():
        raise UsageError(f"{db_path}: no such database file")
    if args.per_member:
        return _per_member(db_path, output, args)
    if not output.parent.is_dir():
        raise UsageError(f"{output.parent}: no such folder")
    if output.is_dir():
        raise UsageError(f"{output}: is a folder; name the file to write")
    if args.project is None and args.format in PROJECT_FORMATS:
        raise UsageError(f"{NAME} {args.format}: --project NAME is needed")
    if args.member is not None and args.format != "ics":
        raise UsageError(f"{NAME} {args.format}: --member applies to ics only")
    if args.project is not None and args.format not in (*PROJECT_FORMATS, "ics"):
        raise UsageError(f"{NAME} {args.format}: --project does not apply; it writes them all")

    from db.io.exports import exported
    from db.reports.lookup import NoMatch, find_project
    from db.store import Store

    store = Store(open_database_or_refuse(db_path))
    try:
        session = store.session
        if args.format == "ics":
            data = _ics(session, args)
        elif args.format in PROJECT_FORMATS:
            try:
                project_id = find_project(session, args.project)
            except NoMatch as exc:
                raise UsageError(f"--project: {exc}") from exc
            data = exported(session, args.format, project_id)
        else:
            data = exported(session, args.format)
    finally:
        store.close()
    _write_whole(output, data)
    print(f"{output}: {args.format} written", file=sys.stderr)
    return 0


def _per_member(db_path: Path, folder: Path, args: argparse.Namespace) -> int:
    if args.format != "ics":
        raise UsageError(f"{NAME} {args.format}: --per-member applies to ics only")
    if args.project is not None or args.member is not None:
        raise UsageError(f"{NAME} ics --per-member: writes everyone's; no --project or --member")
    if not folder.is_dir():
        raise UsageError(f"{folder}: no such folder (--per-member writes into a folder)")
    from db.io.ics import write_member_calendars
    from db.store import Store

    store = Store(open_database_or_refuse(db_path))
    try:
        written = write_member_calendars(store.session, folder)
    except OSError as exc:
        raise UsageError(f"{folder}: cannot be written ({exc.strerror or exc})") from exc
    finally:
        store.close()
    print(f"{folder}: calendars up to date, {len(written)} rewritten", file=sys.stderr)
    return 0


def _ics(session: Session, args: argparse.Namespace) -> bytes:
    from db.io.ics import calendar_ics
    from db.reports.lookup import NoMatch, find_member, find_project

    project_id = member_id = None
    if args.project is not None:
        try:
            project_id = find_project(session, args.project)
        except NoMatch as exc:
            raise UsageError(f"--project: {exc}") from exc
    if args.member is not None:
        try:
            member_id = find_member(session, args.member)
        except NoMatch as exc:
            raise UsageError(f"--member: {exc}") from exc
    return calendar_ics(session, member_id=member_id, project_id=project_id)


def _write_whole(path: Path, data: bytes) -> None:
    try:
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(name, path)
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise UsageError(f"{path}: cannot be written ({exc.strerror or exc})") from exc
