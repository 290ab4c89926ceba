"""`agency-desk export FORMAT [--project NAME] -o FILE --db PATH`: write a project for
another tool. FORMAT is `mspdi` (Microsoft Project XML, which every Gantt tool reads) or
`gan` (GanttProject).

The file is written next to its final name and moved into place, so a failed export never
leaves half a file where a good one was.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from desktop.cli_commands.command import UsageError, open_database_or_refuse

NAME = "export"
HELP = "write a project as Microsoft Project XML (mspdi) or GanttProject (gan)"
FORMATS = ("mspdi", "gan")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Export a project: 'mspdi' writes Microsoft Project XML (read by MS Project, "
        "ProjectLibre, GanttProject and most Gantt tools), 'gan' a GanttProject file. Tasks, "
        "hierarchy, links with lags, milestones, progress, notes, people, their assignments "
        "and leave, and the agency's calendar go with it."
    )
    parser.add_argument("format", choices=FORMATS, metavar="FORMAT", help=", ".join(FORMATS))
    parser.add_argument("--project", metavar="NAME", help="the project's name (or part) or id")
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
    if not output.parent.is_dir():
        raise UsageError(f"{output.parent}: no such folder")
    if output.is_dir():
        raise UsageError(f"{output}: is a folder; name the file to write")
    if args.project is None:
        raise UsageError(f"{NAME} {args.format}: --project NAME is needed")

    from db.io.gan_write import write_gan
    from db.io.mspdi_write import write_mspdi
    from db.reports.lookup import NoMatch, find_project
    from db.store import Store

    store = Store(open_database_or_refuse(db_path))
    try:
        try:
            project_id = find_project(store.session, args.project)
        except NoMatch as exc:
            raise UsageError(f"--project: {exc}") from exc
        writer = write_mspdi if args.format == "mspdi" else write_gan
        data = writer(store.session, project_id)
    finally:
        store.close()
    _write_whole(output, data)
    print(f"{output}: {args.format} written", file=sys.stderr)
    return 0


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
