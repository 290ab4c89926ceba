"""The task tree beside the chart: WBS number, name, start, finish, duration, progress and
people, read from the `GanttDocument`. Editing a cell runs an undoable plan edit."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from functools import lru_cache
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QByteArray,
    QDate,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont

from db.models import Task
from db.operations import Operation, Update
from db.scheduling.operations import MoveTask, ResizeTask, SetProgress
from db.scheduling.outline import MoveTasksTo
from db.scheduling.staffing import SetPeople
from desktop.gantt.document import GanttDocument
from desktop.gantt.geometry import ROW_HEIGHT as ROW_HEIGHT  # the tree's rows are the chart's
from desktop.models.roles import ID_ROLE

COL_WBS, COL_NAME, COL_START, COL_FINISH, COL_DURATION, COL_PROGRESS, COL_SLIP, COL_PEOPLE = range(
    8
)
HEADERS = ("WBS", "Name", "Start", "Finish", "Duration", "Progress", "Slip", "People")
_COLUMNS = len(HEADERS)

AnyIndex = QModelIndex | QPersistentModelIndex

_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_EDIT = int(Qt.ItemDataRole.EditRole.value)
_SIZE_HINT = int(Qt.ItemDataRole.SizeHintRole.value)
_FONT = int(Qt.ItemDataRole.FontRole.value)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole.value)
_ID = ID_ROLE
# (text, bold, alignment, colour or None) in one call: what the tree's painter needs for a cell.
CELL_ROLE = int(Qt.ItemDataRole.UserRole.value) + 40
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
_ANSWERED = frozenset({_DISPLAY, _EDIT, _SIZE_HINT, _FONT, _ALIGN, _ID, CELL_ROLE, _FOREGROUND})
_RIGHT_COLUMNS = (COL_DURATION, COL_PROGRESS, COL_SLIP)
_LATE = QColor("#d93025")
_ROW_SIZE = QSize(-1, ROW_HEIGHT)
_RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)
_LEFT = int((Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter).value)

_SELECTABLE = (
    Qt.ItemFlag.ItemIsEnabled
    | Qt.ItemFlag.ItemIsSelectable
    | Qt.ItemFlag.ItemIsDragEnabled
    | Qt.ItemFlag.ItemIsDropEnabled
)
_EDITABLE = _SELECTABLE | Qt.ItemFlag.ItemIsEditable


def _flags(editable: set[int]) -> tuple[Qt.ItemFlag, ...]:
    return tuple(_EDITABLE if col in editable else _SELECTABLE for col in range(len(HEADERS)))


def _leaf(flags: tuple[Qt.ItemFlag, ...]) -> tuple[Qt.ItemFlag, ...]:
    """A task without subtasks says so: laying the tree out then asks no `hasChildren` of
    it, which is a third of what a layout of 10,000 rows costs. (A subtask added under it
    resets the model, which asks again.)"""
    return tuple(f | Qt.ItemFlag.ItemNeverHasChildren for f in flags)


# A summary's dates follow its tasks and a milestone has no duration or progress of its own.
_SUMMARY_FLAGS = _flags({COL_NAME})
_MILESTONE_FLAGS = _leaf(_flags({COL_NAME, COL_START, COL_DURATION, COL_PEOPLE}))  # 1 d: a task
_TASK_FLAGS = _leaf(
    _flags({COL_NAME, COL_START, COL_FINISH, COL_DURATION, COL_PROGRESS, COL_PEOPLE})
)
_NO_FLAGS = Qt.ItemFlag.NoItemFlags
RunEdit = Callable[[Operation], bool]
TASK_IDS_MIME = "application/x-agency-desk-task-ids"  # dragged rows: task ids, one a line
_ROOT = QModelIndex()  # the invisible root, as the default parent
Refuse = Callable[[str], None]


@lru_cache(maxsize=4096)
def _label(ordinal: int) -> str:
    """A date as the tree shows it; strftime is slow enough to matter in a repaint."""
    return date.fromordinal(ordinal).strftime("%a %d %b %y")


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

    # `index` and `flags` run for every row each time the tree lays itself out (after a row
    # is inserted, say): they ask the index as little as they can. An invalid index has
    # internal id 0, which reads as node -1, the invisible root.

    def index(self, row: int, column: int, parent: AnyIndex = _ROOT) -> QModelIndex:
        kids = self.document.children_of(parent.internalId() - 1)
        if 0 <= row < len(kids) and 0 <= column < _COLUMNS:
            return self.createIndex(row, column, id=kids[row] + 1)
        return QModelIndex()

    # The override is ignored: QObject.parent() and the model's parent(index) share a name.
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
        if not parent.isValid():
            return bool(self.document.roots)
        return parent.column() == 0 and bool(self.document.children_of(parent.internalId() - 1))

    def begin_insert(self, parent: int, row: int) -> None:
        """The document is about to give `parent` (-1: the top level) a new row `row`."""
        self.beginInsertRows(QModelIndex() if parent < 0 else self.index_of(parent), row, row)

    def end_insert(self) -> None:
        self.endInsertRows()

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
        # Roles compared as plain ints and unknown roles dismissed first: a repaint asks
        # about eight roles per cell and this runs a few thousand times per frame.
        role = int(role)
        if role not in _ANSWERED or not index.isValid():
            return None
        node = index.internalId() - 1
        v = self.document.schedule
        col = index.column()
        if role == _SIZE_HINT:
            return _ROW_SIZE
        if role == _ID:
            return v.task_id(node)
        summary = v.is_summary(node)
        if role == _FONT:
            return self._bold if summary else None
        if role == _ALIGN:
            return _RIGHT if col in _RIGHT_COLUMNS else None
        if role == _FOREGROUND:
            if col == COL_SLIP and (self.document.slip(node) or 0) > 0:
                return _LATE
            return None
        if role == CELL_ROLE:
            text = self.data(index, _DISPLAY)
            align = _RIGHT if col in _RIGHT_COLUMNS else _LEFT
            late = col == COL_SLIP and (self.document.slip(node) or 0) > 0
            return (str(text) if text is not None else "", summary, align, _LATE if late else None)
        spec = v.spec(node)
        task_id = spec.id
        edit = role == _EDIT
        if col == COL_WBS:
            return self.document.wbs[node]
        if col == COL_NAME:
            return spec.name
        if col == COL_START:
            day = v.start_ordinal(node)
            return qdate(date.fromordinal(day)) if edit else _label(day)
        if col == COL_FINISH:
            day = v.finish_ordinal(node)
            return qdate(date.fromordinal(day)) if edit else _label(day)
        if col == COL_DURATION:
            days = v.duration(node)
            if edit:
                return None if summary else days
            if spec.milestone and not summary:
                return "◆ 0 d"
            return f"▣ {days} d" if task_id in self.document.deliverables else f"{days} d"
        if col == COL_PROGRESS:
            return None if summary or spec.milestone else spec.progress
        if col == COL_SLIP:
            slip = self.document.slip(node)
            if slip is None:
                return None if edit else ""
            return slip if edit else ("on plan" if slip == 0 else f"{slip:+d} d")
        if col == COL_PEOPLE:
            return self.document.people.get(task_id, "")
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        node = index.internalId() - 1
        if node < 0:
            return _NO_FLAGS
        v = self.document.schedule
        if v.is_summary(node):
            return _SUMMARY_FLAGS[index.column()]
        if v.spec(node).milestone:
            return _MILESTONE_FLAGS[index.column()]
        return _TASK_FLAGS[index.column()]

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        node = index.internalId() - 1
        v = self.document.schedule
        task_id = v.task_id(node)
        col = index.column()
        if col == COL_NAME:
            name = str(value).strip()
            if name == v.name(node):
                return False
            return self._run(Update(Task, task_id, {"name": name}, label="Rename task"))
        # An edit that changes nothing makes no undo step.
        if col == COL_START and isinstance(value, QDate):
            day = pydate(value)
            if day.toordinal() == v.start_ordinal(node):
                return False
            return self._run(MoveTask(task_id, day))  # refused, with the reason, by the rule
        if col == COL_FINISH and isinstance(value, QDate):
            cal = v.calendar(node)
            start = date.fromordinal(v.start_ordinal(node))
            days = cal.working_days_between(start, pydate(value)) + 1
            if days == v.duration(node):
                return False
            if days < 1:
                self._refuse(f"Finish: '{v.name(node)}' cannot finish before it starts")
                return False
            return self._run(ResizeTask(task_id, days))
        if col == COL_DURATION:
            if int(value) == v.duration(node):
                return False
            return self._run(ResizeTask(task_id, int(value)))
        if col == COL_PROGRESS:
            if int(value) == v.progress(node):
                return False
            return self._run(SetProgress(task_id, int(value)))
        if col == COL_PEOPLE:
            names = [n.strip() for n in str(value).split(",") if n.strip()]
            if ", ".join(names) == self.document.people.get(task_id, ""):
                return False
            return self._run(SetPeople(task_id, names))
        return False

    # -- dragging rows ------------------------------------------------------------------------

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [TASK_IDS_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        v = self.document.schedule
        nodes = sorted(
            {self.node_of(i) for i in indexes if i.isValid()},
            key=lambda n: self.document.row_of.get(n, 1 << 30),
        )
        data = QMimeData()
        data.setData(TASK_IDS_MIME, QByteArray("\n".join(v.task_id(n) for n in nodes).encode()))
        return data

    def canDropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: AnyIndex,
    ) -> bool:
        return data.hasFormat(TASK_IDS_MIME)

    def dropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: AnyIndex,
    ) -> bool:
        """A drop of dragged rows: on a row puts them under it (last); between rows puts them
        there. One undoable move; refused (with the reason) when a task would go under
        itself or a loop would close. Returns False either way so the view removes nothing:
        the plan reloads from the database."""
        if not data.hasFormat(TASK_IDS_MIME) or action != Qt.DropAction.MoveAction:
            return False
        ids = [i for i in bytes(data.data(TASK_IDS_MIME).data()).decode().split("\n") if i]
        v = self.document.schedule
        parent_node = self.node_of(parent)
        parent_id = v.task_id(parent_node) if parent_node >= 0 else None
        before_id = None
        kids = self.document.children_of(parent_node)
        if 0 <= row < len(kids):
            before_id = v.task_id(kids[row])
        if ids:
            self._run(MoveTasksTo(ids, parent_id, before_id))
        return False

    # -- refresh ------------------------------------------------------------------------------

    def rows_changed(
        self,
        task_ids: set[str],
        shown: range | None = None,
        columns: tuple[int, int] = (0, len(HEADERS) - 1),
    ) -> None:
        """Tell the view these tasks' rows changed, in `columns` (first, last): one
        dataChanged per run of adjacent siblings. With `shown` (the range of visible rows on
        screen), only rows in it are named: rows off screen are read fresh from the document
        when they scroll in, and naming a thousand of them costs a QTreeView more than a
        frame."""
        doc = self.document
        v = doc.schedule
        if shown is not None:
            visible = doc.rows[max(shown.start, 0) : shown.stop]
            nodes = [n for n in visible if v.task_id(n) in task_ids]
        else:
            nodes = [v.node(i) for i in task_ids if i in v]
        by_parent: dict[int, list[int]] = {}
        for node in nodes:
            by_parent.setdefault(v.parent(node), []).append(doc.row_in_parent(node))
        first_col, last_col = columns
        for parent, rows in by_parent.items():
            kids = doc.children_of(parent)
            rows.sort()
            start = prev = rows[0]
            for row in [*rows[1:], None]:
                if row is not None and row == prev + 1:
                    prev = row
                    continue
                self.dataChanged.emit(
                    self.createIndex(start, first_col, id=kids[start] + 1),
                    self.createIndex(prev, last_col, id=kids[prev] + 1),
                )
                if row is not None:
                    start = prev = row
