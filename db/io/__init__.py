"""Import and export: other tools' files in, Agency Desk's data out. Nothing here knows Qt.

Reading a file never writes: `read_project_file` detects the format from the content and
returns what the file holds, `plan_project_import` turns that into a previewable plan whose
`operation` the store (or the workspace's undo stack) applies whole or not at all. Every
failure a user can cause is an `ImportFileError` naming the file, the place and the fault.
"""

from __future__ import annotations

from pathlib import Path

from db.io.csv_table import CsvTable, read_table
from db.io.detect import Format, detect
from db.io.errors import ExportError, ImportFileError
from db.io.project_file import ProjectFile
from db.io.project_plan import DateDifference, ProjectImport, plan_project_import
from db.io.source import Source


def read_project_file(source: Source) -> ProjectFile:
    """What a project file holds, in whichever project format its content shows (a CSV
    task list included)."""
    found = read_import(source)
    if isinstance(found, CsvTable):
        raise ImportFileError(
            source.name, "holds clients or contacts (CSV or vCard), not a project's tasks"
        )
    return found


def read_import(source: Source) -> ProjectFile | CsvTable:
    """A project (any project format, or a CSV of tasks) or a CSV table of records."""
    from db.io.gan_read import read_gan
    from db.io.mspdi_read import read_mspdi
    from db.io.planner_read import read_planner
    from db.io.tasks_csv import looks_like_tasks, read_tasks_csv

    kind = detect(source)
    if kind is Format.VCARD:
        from db.io.vcard import read_vcards

        return read_vcards(source)
    if kind is Format.CSV:
        table = read_table(source)
        return read_tasks_csv(table) if looks_like_tasks(table.header) else table
    readers = {Format.MSPDI: read_mspdi, Format.GAN: read_gan, Format.PLANNER: read_planner}
    return readers[kind](source)


def read_path(path: Path) -> ProjectFile:
    return read_project_file(Source.read(path))


__all__ = [
    "CsvTable",
    "DateDifference",
    "ExportError",
    "Format",
    "ImportFileError",
    "ProjectFile",
    "ProjectImport",
    "Source",
    "detect",
    "plan_project_import",
    "read_import",
    "read_path",
    "read_project_file",
]
