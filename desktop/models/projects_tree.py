"""The project tree: projects at the top, each project's task tree (parent/children) below,
with start, finish, duration, progress and (for projects) the due date.

Every start, finish and duration is the scheduling engine's, read through the store's schedule
service (`db.scheduling.schedules`): the list shows the dates the Gantt, the client page and
printing show, dependencies and leave included. A project spans its tasks; one without tasks
shows its own start date and no finish.

Projects are read up front (one row each); a project's tasks are read the first time the view
asks for them (expanding it), all in one query. A `ChangeSet` refreshes only the projects it
touches: a renamed client repaints the rows of its projects, a task edit re-reads that one
project's subtree, and a change the schedule service says moved a project's dates (a link,
an assignment, someone's leave) repaints that project.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QDate, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from db.changes import ChangeSet
from db.labels import quoted
from db.models import Project, ProjectStatus, Task, TaskKind
from db.operations import Operation, Update
from db.project_list import project_list_rows, project_task_rows, task_counts
from db.scheduling.calendar import AgencyDays
from db.scheduling.operations import MoveTask, ResizeTask, SetProgress
from db.scheduling.schedules import Schedules
from desktop.models.roles import ENTITY_ROLE, ID_ROLE, SORT_ROLE, STATUS_ROLE
from desktop.workspace import Workspace

COL_NAME, COL_CLIENT, COL_START, COL_FINISH, COL_DURATION, COL_PROGRESS, COL_STATUS, COL_DUE = (
    range(8)
)
HEADERS = ("Name", "Client", "Start", "Finish", "Duration", "Progress", "Status", "Due")
# A project's start and finish are its tasks' span; only a project without tasks has a start
# of its own to edit. Its due date is the promise the schedule is measured against.
PROJECT_EDITABLE = {COL_NAME, COL_CLIENT, COL_START, COL_STATUS, COL_DUE}
PLANNED_PROJECT_EDITABLE = {COL_NAME, COL_CLIENT, COL_STATUS, COL_DUE}
TASK_EDITABLE = {COL_NAME, COL_START, COL_DURATION, COL_PROGRESS}
SUMMARY_EDITABLE = {COL_NAME, COL_PROGRESS}

AnyIndex = QModelIndex | QPersistentModelIndex
_DATING_BATCH = 64  # projects scheduled together when the first of them is shown
_DATE_COLUMNS = frozenset({COL_START, COL_FINISH, COL_DURATION})  # read from the schedule


@dataclass(slots=True)
class ProjectRow:
    name: str
    client_id: str
    client: str
    status: ProjectStatus
    start: date | None
    finish: date | None
    due: date | None
    duration: int | None  # working days from start to finish; None without tasks
    task_count: int
    own_start: date | None = None  # the project's stored start, shown when it has no tasks
    dated: bool = False  # start, finish and duration read from the schedule yet
    progress: int = 0  # % of the work done, by working days of its tasks (not summaries)


@dataclass(slots=True)
class TaskRow:
    name: str
    start: date  # scheduled, not the stored "no earlier than"
    duration: int
    finish: date
    progress: int
    kind: TaskKind
    parent_id: str | None


@dataclass(eq=False, slots=True)
class Node:
    entity: str  # "Project" or "Task"
    id: str
    parent: Node | None
    row: ProjectRow | TaskRow
    children: list[Node] | None = None  # None: a project whose tasks are not read yet
    project: Node | None = field(default=None)

    def child_list(self) -> list[Node]:
        return self.children if self.children is not None else []


def _qdate(value: date | None) -> QDate | None:
    return QDate(value.year, value.month, value.day) if value else None


def _pydate(value: Any) -> date | None:
    if isinstance(value, QDate):
        return date(value.year(), value.month(), value.day()) if value.isValid() else None
    if isinstance(value, date):
        return value
    return None


def _fmt(value: date | None) -> str:
    return value.strftime("%d %b %Y") if value else "—"


class ProjectsTreeModel(QAbstractItemModel):
    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self._projects: list[Node] = []
        self._by_project: dict[str, Node] = {}
        self._tasks: dict[str, Node] = {}
        self._stamps: dict[str, tuple[int, int]] = {}  # the schedule each project shows
        self._bold = QFont()
        self._bold.setBold(True)
        self.reload()
        workspace.changed.connect(self.apply_changes)

    # -- reading -----------------------------------------------------------------------------

    @property
    def schedules(self) -> Schedules:
        return self.workspace.store.schedules

    def reload(self) -> None:
        self.beginResetModel()
        self._agency: AgencyDays = self.schedules.agency
        self._stamps.clear()
        rows = self._read_projects(None)
        self._projects = [Node("Project", pid, None, row) for pid, row in rows]
        for node in self._projects:
            node.project = node
        self._by_project = {n.id: n for n in self._projects}
        self._tasks.clear()
        self.endResetModel()

    def _read_projects(self, ids: set[str] | None) -> list[tuple[str, ProjectRow]]:
        rows = [
            (
                r.id,
                ProjectRow(
                    name=r.name,
                    client_id=r.client_id,
                    client=r.client,
                    status=r.status,
                    start=r.start,
                    finish=None,
                    due=r.due,
                    duration=None,
                    task_count=r.task_count,
                    own_start=r.start,
                    progress=r.progress,
                ),
            )
            for r in project_list_rows(self.workspace.session, ids)
        ]
        if ids is not None:  # a refresh of a few rows: date them now
            self._date([row for _pid, row in rows], [pid for pid, _row in rows])
        return rows

    def _date(self, rows: list[ProjectRow], ids: list[str]) -> None:
        """Fill in the schedule's start, finish and duration of these projects (one batch)."""
        schedules = self.schedules
        spans = schedules.spans(pid for pid, row in zip(ids, rows, strict=True) if row.task_count)
        for pid, row in zip(ids, rows, strict=True):
            span = spans.get(pid)
            self._stamps[pid] = schedules.stamp(pid)
            row.start = span[0] if span else row.own_start
            row.finish = span[1] if span else None
            row.duration = schedules.working_days(*span) if span else None
            row.dated = True

    def _dated(self, node: Node) -> ProjectRow | TaskRow:
        """The node's row with its dates. Projects are scheduled when first shown, in batches
        of the rows that follow, so opening a list of hundreds of projects schedules about a
        screenful of them rather than all."""
        row = node.row
        if isinstance(row, ProjectRow) and not row.dated:
            first = self._projects.index(node)
            batch = [
                n
                for n in self._projects[first : first + _DATING_BATCH]
                if isinstance(n.row, ProjectRow) and not n.row.dated
            ]
            self._date(
                [n.row for n in batch if isinstance(n.row, ProjectRow)], [n.id for n in batch]
            )
        return row

    def _load_tasks(self, project: Node) -> None:
        rows = project_task_rows(self.workspace.session, project.id)
        if project.id not in self.schedules:
            # The sorting proxy reads every project's tasks: schedule them in batches.
            first = self._projects.index(project) if project in self._projects else 0
            batch = self._projects[first : first + _DATING_BATCH]
            self.schedules.schedulers(
                [project.id]
                + [n.id for n in batch if isinstance(n.row, ProjectRow) and n.row.task_count]
            )
        plan = self.schedules.view(project.id)
        self._stamps[project.id] = self.schedules.stamp(project.id)
        nodes: dict[str, Node] = {}
        for r in rows:
            nodes[r.id] = Node(
                "Task",
                r.id,
                None,
                TaskRow(
                    name=r.name,
                    start=plan.start(r.id),
                    duration=plan.duration(plan.node(r.id)),
                    finish=plan.finish(r.id),
                    progress=r.progress,
                    kind=r.kind,
                    parent_id=r.parent_id,
                ),
                children=[],
                project=project,
            )
        project.children = []
        for r in rows:
            node = nodes[r.id]
            parent = nodes.get(r.parent_id) if r.parent_id else None
            node.parent = parent or project
            node.parent.child_list().append(node)
        for r in rows:
            self._tasks[r.id] = nodes[r.id]

    def _children(self, node: Node | None) -> list[Node]:
        if node is None:
            return self._projects
        if node.children is None:
            self._load_tasks(node)
        return node.child_list()

    def node(self, index: AnyIndex) -> Node | None:
        return index.internalPointer() if index.isValid() else None

    def index_of(self, node: Node, column: int = 0) -> QModelIndex:
        siblings = self._projects if node.parent is None else node.parent.child_list()
        try:
            row = siblings.index(node)
        except ValueError:
            return QModelIndex()
        return self.createIndex(row, column, node)

    def project_index(self, project_id: str) -> QModelIndex:
        node = self._by_project.get(project_id)
        return self.index_of(node) if node else QModelIndex()

    # -- Qt model API ------------------------------------------------------------------------

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column < 0 or column >= len(HEADERS) or row < 0:
            return QModelIndex()
        if parent.isValid() and parent.column() != 0:
            return QModelIndex()
        children = self._children(self.node(parent))
        if row >= len(children):
            return QModelIndex()
        return self.createIndex(row, column, children[row])

    # The override is ignored: QObject.parent() and the model's parent(index) share a name.
    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        node = self.node(index)
        if node is None or node.parent is None:
            return QModelIndex()
        return self.index_of(node.parent)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._children(self.node(parent)))

    def hasChildren(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        node = self.node(parent)
        if node is None:
            return bool(self._projects)
        if parent.column() != 0:
            return False
        if node.children is None:  # answer without reading the tasks
            return isinstance(node.row, ProjectRow) and node.row.task_count > 0
        return bool(node.children)

    # A sorting proxy answers hasChildren by reading and sorting all of a row's children,
    # unless the source says more can be fetched. Without this the list behind a plan opened
    # at start-up read and sorted every task of its project before the first paint (issue 19).
    # rowCount still reads the tasks itself when asked first.
    def canFetchMore(self, parent: AnyIndex) -> bool:
        node = self.node(parent)
        return (
            node is not None
            and node.children is None
            and parent.column() == 0
            and isinstance(node.row, ProjectRow)
            and node.row.task_count > 0
        )

    def fetchMore(self, parent: AnyIndex) -> None:
        if self.canFetchMore(parent):
            self._children(self.node(parent))

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(HEADERS):
            return HEADERS[section]
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        node = self.node(index)
        if node is None:
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if node.entity == "Project":
            planned = isinstance(node.row, ProjectRow) and node.row.task_count > 0
            editable = PLANNED_PROJECT_EDITABLE if planned else PROJECT_EDITABLE
        elif node.children:
            editable = SUMMARY_EDITABLE  # its dates are its children's span
        else:
            editable = TASK_EDITABLE
        if index.column() in editable:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        node = self.node(index)
        if node is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(node, col)
        if role == Qt.ItemDataRole.EditRole:
            return self._edit_value(node, col)
        if role == SORT_ROLE:
            return self._sort_key(node, col)
        if role == ID_ROLE:
            return node.id
        if role == ENTITY_ROLE:
            return node.entity
        if role == STATUS_ROLE and isinstance(node.row, ProjectRow) and col == COL_STATUS:
            return node.row.status.value
        if role == Qt.ItemDataRole.TextAlignmentRole and col == COL_DURATION:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and node.entity == "Project" and col == COL_NAME:
            return self._bold
        return None

    def _display(self, node: Node, col: int) -> str:
        row = self._dated(node) if col in _DATE_COLUMNS else node.row
        if isinstance(row, ProjectRow):
            if col == COL_NAME:
                return row.name
            if col == COL_CLIENT:
                return row.client
            if col == COL_START:
                return _fmt(row.start)
            if col == COL_FINISH:
                return _fmt(row.finish)
            if col == COL_DURATION:
                return "" if row.duration is None else f"{row.duration} d"
            if col == COL_PROGRESS:
                return f"{row.progress} %"
            if col == COL_STATUS:
                return row.status.value.replace("_", " ").capitalize()
            if col == COL_DUE:
                return _fmt(row.due)
            return ""
        if col == COL_NAME:
            return row.name
        if col == COL_START:
            return _fmt(row.start)
        if col == COL_FINISH:
            return _fmt(row.finish)
        if col == COL_DURATION:
            return "◆ milestone" if row.kind == TaskKind.MILESTONE else f"{row.duration} d"
        if col == COL_PROGRESS:
            return f"{row.progress} %"
        return ""

    def _edit_value(self, node: Node, col: int) -> Any:
        row = self._dated(node) if col in _DATE_COLUMNS else node.row
        if col == COL_NAME:
            return row.name
        if isinstance(row, ProjectRow):
            if col == COL_CLIENT:
                return row.client_id
            if col == COL_START:
                return _qdate(row.start) or QDate.currentDate()
            if col == COL_DUE:
                return _qdate(row.due) or QDate.currentDate()
            if col == COL_PROGRESS:
                return row.progress
            if col == COL_STATUS:
                return row.status.value
            return None
        if col == COL_START:
            return _qdate(row.start)
        if col == COL_DURATION:
            return row.duration
        if col == COL_PROGRESS:
            return row.progress
        return None

    def _sort_key(self, node: Node, col: int) -> Any:
        row = self._dated(node) if col in _DATE_COLUMNS else node.row
        if col in (COL_START, COL_FINISH, COL_DUE):
            if col == COL_DUE:
                value = row.due if isinstance(row, ProjectRow) else None
            else:
                value = row.start if col == COL_START else row.finish
            return (value or date.max).isoformat()
        if col == COL_DURATION and isinstance(row, TaskRow):
            return row.duration
        if col == COL_PROGRESS:
            return row.progress
        return self._display(node, col).casefold()

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        node = self.node(index)
        if node is None or role != Qt.ItemDataRole.EditRole:
            return False
        op = self._edit(node, index.column(), value)
        return op is not None and self.workspace.run(op)

    def _edit(self, node: Node, col: int, value: Any) -> Operation | None:
        row = self._dated(node) if col in _DATE_COLUMNS else node.row
        if col == COL_NAME:
            name = str(value).strip()
            if name == row.name:
                return None
            what = "project" if node.entity == "Project" else "task"
            entity = Project if node.entity == "Project" else Task
            return Update(entity, node.id, {"name": name}, label=f"Rename {what} to “{name}”")
        if isinstance(row, ProjectRow):
            if col == COL_CLIENT and value and value != row.client_id:
                return Update(
                    Project, node.id, {"client_id": str(value)}, label=f"Move {quoted(row.name)}"
                )
            when = _pydate(value)
            if col == COL_START and when and when != row.start:
                return Update(
                    Project, node.id, {"start_date": when}, label=f"Set start of {quoted(row.name)}"
                )
            if col == COL_DUE and when and when != row.due:
                return Update(
                    Project,
                    node.id,
                    {"due_date": when},
                    label=f"Set due date of {quoted(row.name)}",
                )
            if col == COL_STATUS and value and value != row.status.value:
                status = ProjectStatus(str(value))
                label = f"Mark {row.name} {status.value.replace('_', ' ')}"
                return Update(Project, node.id, {"status": status}, label=label)
            return None
        # Tasks through the plan's operations: the same rules (and refusals) as in the Gantt.
        if col == COL_START:
            when = _pydate(value)
            if when and when != row.start:
                return MoveTask(node.id, when, label=f"Move {quoted(row.name)}")
            return None
        if col in (COL_DURATION, COL_PROGRESS):
            try:
                number = int(value)
            except (TypeError, ValueError):
                field = "duration" if col == COL_DURATION else "progress"
                self.workspace.failed.emit(f"Task {field}: {value!r} is not a whole number")
                return None
            if col == COL_DURATION and number != row.duration:
                return ResizeTask(node.id, number)
            if col == COL_PROGRESS and number != row.progress:
                return SetProgress(node.id, number, label=f"Set progress of {quoted(row.name)}")
        return None

    # -- refreshing from a ChangeSet -----------------------------------------------------------

    def apply_changes(self, changes: ChangeSet) -> None:
        calendar_changed = changes.touches("AgencySetting", "Closure")
        if calendar_changed and self.schedules.agency != self._agency:
            # The calendar moved every finish date: the one case for a reset.
            self.reload()
            return
        schedules = self.schedules
        projects = {pid for pid, seen in self._stamps.items() if schedules.stamp(pid) != seen}
        if changes.touches("Project"):
            self._remove_projects(changes.removed.get("Project", set()))
            self._add_projects(changes.added.get("Project", set()))
            projects |= changes.changed.get("Project", set())
        if changes.touches("Client"):
            clients = changes.changed.get("Client", set())
            projects |= {
                n.id
                for n in self._projects
                if isinstance(n.row, ProjectRow) and n.row.client_id in clients
            }
        if changes.touches("Task"):
            projects |= self._projects_of_tasks(changes)
        self._refresh_projects(projects & set(self._by_project))

    def _projects_of_tasks(self, changes: ChangeSet) -> set[str]:
        """The projects the changed tasks belong to, read from the change set's scope."""
        found = changes.projects("Task")
        if found is not None:
            return found
        # Some task has no scope: one removed outside the session (a snapshot rebuild). The
        # projects whose count of tasks changed are the ones such tasks left.
        found = {
            scope.project
            for id_ in changes.ids("Task")
            if (scope := changes.scope.get(("Task", id_))) is not None and scope.project
        }
        counts = task_counts(self.workspace.session)
        return found | {
            n.id
            for n in self._projects
            if isinstance(n.row, ProjectRow) and n.row.task_count != counts.get(n.id, 0)
        }

    def _refresh_projects(self, ids: set[str]) -> None:
        if not ids:
            return
        fresh = dict(self._read_projects(ids))
        last = len(HEADERS) - 1
        for pid in ids:
            node = self._by_project[pid]
            if pid not in fresh:
                continue
            node.row = fresh[pid]
            index = self.index_of(node)
            self.dataChanged.emit(index, index.siblingAtColumn(last))
            if node.children is not None:
                self._refresh_tasks(node, index)

    def _refresh_tasks(self, project: Node, index: QModelIndex) -> None:
        old = {n.id: n for n in self._walk(project)}
        old_shape = [(n.id, n.parent.id if n.parent else None) for n in self._walk(project)]
        for id_ in old:
            self._tasks.pop(id_, None)
        kept = project.children
        self._load_tasks(project)
        new_shape = [(n.id, n.parent.id if n.parent else None) for n in self._walk(project)]
        if new_shape == old_shape:
            # Same tree: keep the old nodes (persistent indexes point at them), update rows.
            project.children = kept
            for node in self._walk(project):
                node.row = self._tasks[node.id].row
                self._tasks[node.id] = node
            last = len(HEADERS) - 1
            for node in self._walk(project):
                first = self.index_of(node)
                self.dataChanged.emit(first, first.siblingAtColumn(last))
            return
        # The shape changed: swap this one project's subtree, leaving the rest alone.
        fresh = project.children
        project.children = kept
        if kept:
            self.beginRemoveRows(index, 0, len(kept) - 1)
            project.children = []
            self.endRemoveRows()
        project.children = []
        if fresh:
            self.beginInsertRows(index, 0, len(fresh) - 1)
            project.children = fresh
            self.endInsertRows()

    def _walk(self, node: Node) -> list[Node]:
        found: list[Node] = []
        for child in node.child_list():
            found.append(child)
            found.extend(self._walk(child))
        return found

    def _add_projects(self, ids: set[str]) -> None:
        fresh = [(pid, row) for pid, row in self._read_projects(ids) if pid not in self._by_project]
        if not fresh:
            return
        first = len(self._projects)
        self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
        for pid, row in fresh:
            node = Node("Project", pid, None, row)
            node.project = node
            self._projects.append(node)
            self._by_project[pid] = node
        self.endInsertRows()

    def _remove_projects(self, ids: set[str]) -> None:
        for pid in ids:
            node = self._by_project.get(pid)
            if node is None:
                continue
            row = self._projects.index(node)
            self.beginRemoveRows(QModelIndex(), row, row)
            self._projects.pop(row)
            del self._by_project[pid]
            self._stamps.pop(pid, None)
            for task in self._walk(node):
                self._tasks.pop(task.id, None)
            self.endRemoveRows()
