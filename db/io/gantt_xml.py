"""What GanttProject's `.gan` and GNOME Planner's `.planner` files share, read once: the
`<project>` root with its name and company, a calendar's `<default-week>` of day types, the
`<resources>` list and the `<allocations>` of people to tasks (a share of a working day in
percent). Both formats come from the same family of desktop Gantt tools and spell these alike.
"""

from __future__ import annotations

from collections.abc import Collection
from xml.etree.ElementTree import Element

from db.io.errors import ImportFileError
from db.io.project_file import FileAssignment, FileResource, ProjectFile
from db.io.source import Source
from db.io.xml_fields import Fields

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
HOURS_PER_DAY = 8.0


def project_root(source: Source, tool: str, format_name: str) -> tuple[Element, ProjectFile]:
    """The file's `<project>` element and the project it names; refused when the root is
    anything else."""
    root = source.xml()
    if root.tag != "project":
        raise ImportFileError(source.name, f"is not a {tool} file (its root is <{root.tag}>)")
    top = Fields(source.name, root, "project")
    project = ProjectFile(
        format=format_name, name=top.attr("name") or "", company=top.attr("company") or ""
    )
    return root, project


def week_day_types(source: Source, week: Element, where: str) -> dict[int, int]:
    """Weekday (0 = Monday) -> day type, for the days a `<default-week>` names."""
    fields = Fields(source.name, week, f"{where} / default-week")
    return {
        n: fields.attr_int(name) for n, name in enumerate(WEEKDAYS) if fields.attr(name) is not None
    }


def resource_fields(source: Source, element: Element) -> tuple[Fields, str, str]:
    """A `<resource>`'s fields, key and (required) name."""
    fields = Fields(source.name, element, f"resource id {element.get('id', '?')}")
    key = str(fields.attr_int("id"))
    name = fields.attr("name") or ""
    if not name:
        raise fields.fail("name", "is missing")
    return fields, key, name


def read_allocations(
    source: Source,
    root: Element,
    project: ProjectFile,
    people: dict[str, FileResource],
    *,
    share: str,
    not_people: Collection[str] = (),
) -> None:
    """Every `<allocation>` of a person to a task as an assignment of hours a day; `share`
    names the attribute holding the percent of a day, `not_people` resources (material ones)
    whose allocations are passed over."""
    tasks = {t.key for t in project.tasks}
    for element in root.findall("allocations/allocation"):
        fields = Fields(source.name, element, "allocations / allocation")
        task, resource = str(fields.attr_int("task-id")), str(fields.attr_int("resource-id"))
        if task not in tasks:
            raise fields.fail("task-id", f"{task} is no task of the file")
        if resource in not_people:
            continue
        if resource not in people:
            raise fields.fail("resource-id", f"{resource} is no resource of the file")
        percent = fields.attr_float(share, 100.0)
        if percent < 0:
            raise fields.fail(share, "must not be negative")
        project.assignments.append(
            FileAssignment(task, resource, round(HOURS_PER_DAY * percent / 100, 2))
        )
