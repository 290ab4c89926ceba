"""The task tree beside the chart: WBS number, name, start, finish, duration, progress and
people, read from the `GanttDocument`. Editing a cell runs an undoable plan edit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QDate, QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QFont

from db.models import Task
from db.operations import Operation, Update
from db.scheduling.operations import MoveTask, ResizeTask, SetProgress
from desktop.gantt.document import GanttDocument
from desktop.models.roles import ID_ROLE

COL_WBS, COL_NAME, COL_START, COL_FINISH, COL_DURATION, COL_PROGRESS, COL_PEOPLE = range(7)
HEADERS = ("WBS", "Name", "Start", "Finish", "Duration", "Progress", "People")
ROW_HEIGHT = 26

AnyIndex = QModelIndex | QPersistentModelIndex
RunEdit = Callable[[Operation], bool]
_ROOT = QModelIndex()  # the invisible root, as the default parent
Refuse = Callable[[str], None]


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class TaskTreeModel(QAbstractItemModel):
    """Rows are scheduler node numbers; an index's internal id is its node + 1 (0 would
    read as "no id")."""

    def __init__(self, document: GanttDocument, run: RunEdit, refuse: Refuse) -> None:
        super().__init__()
        self.document = document
        self._run = run
        self._refuse = refuse
        self._bold = QFont()
        self._bold.setBold(True)

    # -- structure ----------------------------------------------------------------------------

    def index(self, row: int, column: int, parent: AnyIndex = _ROOT) -> QModelIndex:
        if column < 0 or column >= len(HEADERS) or row < 0:
            return QModelIndex()
        node = parent.internalId() - 1 if parent.isValid() else -1
        kids = self.document.children_of(node)
        if row >= len(kids):
            return QModelIndex()
        return self.createIndex(row, column, id=kids[row] + 1)

    def parent(self, child: AnyIndex = _ROOT) -> QModelIndex:  # type: ignore[override]
        if not child.isValid():
            return QModelIndex()
        parent = self.document.parent_of(child.internalId() - 1)
        if parent < 0:
            return QModelIndex()
        return self.createIndex(self.document.row_in_parent(parent), 0, id=parent + 1)

    def rowCount(self, parent: AnyIndex = _ROOT) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        node = parent.internalId() - 1 if parent.isValid() else -1
        return len(self.document.children_of(node))

    def columnCount(self, _parent: AnyIndex = _ROOT) -> int:
        return len(HEADERS)

    def hasChildren(self, parent: AnyIndex = _ROOT) -> bool:
        return self.rowCount(parent) > 0

    def index_of(self, node: int, column: int = 0) -> QModelIndex:
        return self.createIndex(self.document.row_in_parent(node), column, id=node + 1)

    def node_of(self, index: AnyIndex) -> int:
        return index.internalId() - 1 if index.isValid() else -1

    # -- data ---------------------------------------------------------------------------------

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node = index.internalId() - 1
        s = self.document.scheduler
        col = index.column()
        if role == Qt.ItemDataRole.SizeHintRole:
            return QSize(-1, ROW_HEIGHT)
        task_id = s.ids[node]
        if role == ID_ROLE:
            return task_id
        summary = bool(s.children[node])
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if summary else None
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (COL_DURATION, COL_PROGRESS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return None
        edit = role == Qt.ItemDataRole.EditRole
        spec = s.specs[node]
        if col == COL_WBS:
            return self.document.wbs[node]
        if col == COL_NAME:
            return spec.name
        if col == COL_START:
            day = date.fromordinal(s.start_o[node])
            return qdate(day) if edit else day.strftime("%a %d %b %y")
        if col == COL_FINISH:
            day = date.fromordinal(s.finish_o[node])
            return qdate(day) if edit else day.strftime("%a %d %b %y")
        if col == COL_DURATION:
            days = s.duration(task_id)
            if edit:
                return None if summary or spec.milestone else days
            return "◆ milestone" if spec.milestone and not summary else f"{days} d"
        if col == COL_PROGRESS:
            return None if summary else spec.progress
        if col == COL_PEOPLE:
            return self.document.people.get(task_id, "")
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        node = index.internalId() - 1
        s = self.document.scheduler
        col = index.column()
        leaf = not s.children[node]
        milestone = s.specs[node].milestone
        editable = col == COL_NAME or (
            leaf
            and (
                col == COL_START
                or (col in (COL_FINISH, COL_DURATION, COL_PROGRESS) and not milestone)
            )
        )
        return base | Qt.ItemFlag.ItemIsEditable if editable else base

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        node = index.internalId() - 1
        s = self.document.scheduler
        task_id = s.ids[node]
        col = index.column()
        if col == COL_NAME:
            name = str(value).strip()
            if name == s.specs[node].name:
                return False
            return self._run(Update(Task, task_id, {"name": name}, label="Rename task"))
        if col == COL_START and isinstance(value, QDate):
            day = pydate(value)
            earliest, reason = s.earliest_start(task_id)
            if earliest is not None and s.calendar_of(task_id).next_working_day(day) < earliest:
                self._refuse(
                    f"'{s.specs[node].name}' cannot start before {earliest:%a %d %b %Y}: {reason}"
                )
                return False
            return self._run(MoveTask(task_id, day))
        if col == COL_FINISH and isinstance(value, QDate):
            cal = s.calendar_of(task_id)
            start = date.fromordinal(s.start_o[node])
            days = cal.working_days_between(start, pydate(value)) + 1
            if days < 1:
                self._refuse(f"Finish: '{s.specs[node].name}' cannot finish before it starts")
                return False
            return self._run(ResizeTask(task_id, days))
        if col == COL_DURATION:
            return self._run(ResizeTask(task_id, int(value)))
        if col == COL_PROGRESS:
            return self._run(SetProgress(task_id, int(value)))
        return False

    # -- refresh ------------------------------------------------------------------------------

    def reset(self) -> None:
        self.beginResetModel()
        self.endResetModel()

    def rows_changed(self, task_ids: set[str]) -> None:
        """Repaint the rows of these tasks: one dataChanged per run of adjacent siblings."""
        s = self.document.scheduler
        by_parent: dict[int, list[int]] = {}
        for task_id in task_ids:
            node = s.pos.get(task_id)
            if node is not None:
                by_parent.setdefault(s.parent[node], []).append(self.document.row_in_parent(node))
        last = len(HEADERS) - 1
        for parent, rows in by_parent.items():
            kids = self.document.children_of(parent)
            rows.sort()
            start = prev = rows[0]
            for row in [*rows[1:], None]:
                if row is not None and row == prev + 1:
                    prev = row
                    continue
                self.dataChanged.emit(
                    self.createIndex(start, 0, id=kids[start] + 1),
                    self.createIndex(prev, last, id=kids[prev] + 1),
                )
                if row is not None:
                    start = prev = row
