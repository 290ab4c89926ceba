"""Reading a task list from CSV as a project file, hierarchy and links included, so it goes
through the same plan, preview and date report as any project import.

The hierarchy comes from a `parent_id` column, or else from an `outline` number ("2.1.3");
links from a `predecessors` column written "id FS+2; id SS" (as `csv_write` writes them);
a task's own "start no earlier than" from the column of that name.
The project is named after the file.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import PurePath

from db.io.csv_table import CsvTable
from db.io.errors import ImportFileError
from db.io.project_file import (
    Constraint,
    FileAssignment,
    FileLink,
    FileResource,
    FileTask,
    ProjectFile,
)
from db.io.records_csv import squash
from db.io.xml_fields import iso_day
from db.models import DependencyType

COLUMNS = {
    "id": ("id", "taskid", "uid"),
    "outline": ("outline", "wbs", "outlinenumber"),
    "parent_id": ("parentid", "parent"),
    "name": ("name", "task", "taskname", "title"),
    "kind": ("kind", "type"),
    "start": ("start", "startdate", "begin"),
    "finish": ("finish", "end", "enddate", "finishdate"),
    "start_no_earlier_than": ("startnoearlierthan", "snet", "constraintdate"),
    "duration_days": ("durationdays", "duration", "days"),
    "progress": ("progress", "complete", "percentcomplete"),
    "predecessors": ("predecessors", "dependson", "links"),
    "people": ("people", "assigned", "resources", "resourcenames"),
    "notes": ("notes", "note", "description"),
}
_LINK = re.compile(r"^\s*(\S+?)\s*(FS|SS|FF|SF)?\s*([+-]\d+)?\s*$", re.I)


def looks_like_tasks(header: list[str]) -> bool:
    names = {squash(h) for h in header}
    return bool(names & {"durationdays", "duration", "predecessors", "outline", "wbs", "parentid"})


def read_tasks_csv(table: CsvTable) -> ProjectFile:
    columns: dict[str, int] = {}
    for name_of_field, synonyms in COLUMNS.items():
        for n, head in enumerate(table.header):
            if squash(head) in synonyms and n not in columns.values():
                columns[name_of_field] = n
                break
    for needed in ("name", "start"):
        if needed not in columns:
            raise ImportFileError(table.name, f"has no {needed!r} column", "line 1")
    project = ProjectFile(format="CSV", name=PurePath(table.name).stem)

    def cell(row: list[str], name_of_field: str) -> str:
        column = columns.get(name_of_field)
        return row[column] if column is not None else ""

    by_outline: dict[str, str] = {}
    keys: set[str] = set()
    for n, row in enumerate(table.rows):
        line = f"line {table.line_of(n)}"
        key = cell(row, "id") or str(n + 1)
        if key in keys:
            raise ImportFileError(table.name, f"id {key!r} is used by another row too", line)
        keys.add(key)
        try:
            start = iso_day(cell(row, "start"))
        except ValueError:
            raise ImportFileError(
                table.name, f"start {cell(row, 'start')!r} is not a date like 2025-03-31", line
            ) from None
        milestone = cell(row, "kind").casefold() == "milestone"
        duration = _number(table, line, "duration_days", cell(row, "duration_days"))
        finish_text = cell(row, "finish")
        finish: date = start
        if finish_text:
            try:
                finish = iso_day(finish_text)
            except ValueError:
                raise ImportFileError(
                    table.name, f"finish {finish_text!r} is not a date", line
                ) from None
        if duration is None:
            duration = max((finish - start).days + 1, 1) if not milestone else 0
        milestone = milestone or duration == 0
        progress = _number(table, line, "progress", cell(row, "progress").rstrip("%")) or 0
        if not 0 <= progress <= 100:
            raise ImportFileError(table.name, f"progress {progress} is not 0 to 100", line)
        pinned = None
        if cell(row, "start_no_earlier_than"):
            try:
                pinned = iso_day(cell(row, "start_no_earlier_than"))
            except ValueError:
                raise ImportFileError(
                    table.name,
                    f"start_no_earlier_than {cell(row, 'start_no_earlier_than')!r} is not a date",
                    line,
                ) from None
        outline = cell(row, "outline")
        parent = cell(row, "parent_id") or None
        if parent is None and "." in outline:
            parent = by_outline.get(outline.rsplit(".", 1)[0])
        if outline:
            by_outline[outline] = key
        project.tasks.append(
            FileTask(
                key=key,
                name=cell(row, "name"),
                start=start,
                finish=max(finish, start),
                duration_days=0 if milestone else duration,
                parent_key=parent,
                milestone=milestone,
                progress=progress,
                notes=cell(row, "notes"),
                constraint=Constraint.START_NO_EARLIER if pinned else Constraint.ASAP,
                constraint_date=pinned,
            )
        )
        _people(table, line, key, cell(row, "people"), project)
        for part in filter(None, (p.strip() for p in cell(row, "predecessors").split(";"))):
            match = _LINK.match(part)
            if match is None:
                raise ImportFileError(
                    table.name, f"predecessor {part!r} is not written like '12 FS+2'", line
                )
            pred, kind, lag = match.groups()
            project.links.append(
                FileLink(pred, key, DependencyType((kind or "FS").upper()), int(lag or 0))
            )
    for task in project.tasks:
        if task.parent_key is not None and task.parent_key not in keys:
            raise ImportFileError(
                table.name, f"task {task.key} names parent {task.parent_key!r}, which is no row"
            )
    for link in project.links:
        if link.predecessor_key not in keys:
            raise ImportFileError(
                table.name,
                f"task {link.successor_key} names predecessor {link.predecessor_key!r}, "
                "which is no row",
            )
    _check_tree(table, project)
    return project


def _people(table: CsvTable, line: str, key: str, text: str, project: ProjectFile) -> None:
    """'Mia Lorenz: 8; Ada: 4' (hours a day, 8 when left out) as assignments."""
    known = {r.name.casefold(): r for r in project.resources}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        name, _, hours_text = part.rpartition(":") if ":" in part else (part, "", "")
        name = name.strip()
        hours = 8.0
        if hours_text.strip():
            try:
                hours = float(hours_text.strip().rstrip("h").replace(",", "."))
            except ValueError:
                raise ImportFileError(
                    table.name, f"people {part!r} is not written like 'Mia Lorenz: 8'", line
                ) from None
        if not 0 <= hours <= 24:
            raise ImportFileError(table.name, f"{hours:g} hours a day for {name}", line)
        resource = known.get(name.casefold())
        if resource is None:
            resource = FileResource(name, name)
            known[name.casefold()] = resource
            project.resources.append(resource)
        project.assignments.append(FileAssignment(key, resource.key, hours))


def _number(table: CsvTable, line: str, name: str, text: str) -> int | None:
    if not text:
        return None
    try:
        value = int(float(text.replace(",", ".")))
    except ValueError:
        raise ImportFileError(table.name, f"{name} {text!r} is not a number", line) from None
    if value < 0 or value > 100_000:
        raise ImportFileError(table.name, f"{name} {value} is out of range", line)
    return value


def _check_tree(table: CsvTable, project: ProjectFile) -> None:
    """Parents must come before their children and never loop (the outline is a tree)."""
    seen: set[str] = set()
    for task in project.tasks:
        if task.parent_key is not None and task.parent_key not in seen:
            raise ImportFileError(
                table.name, f"task {task.key} comes before its parent {task.parent_key}"
            )
        seen.add(task.key)
