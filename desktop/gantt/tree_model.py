"""The task tree beside the chart: WBS number, name, start, finish, duration, progress and
people, read from the `GanttDocument`. Editing a cell runs an undoable plan edit.

The model is flat: its rows are the document's visible rows (`GanttDocument.rows`), and the
outline (indentation, open and closed summaries) is drawn by the name column's delegate
(`cells.NameCellDelegate`) and worked by `task_table.TaskTable`. A QTreeView lays out every
row of a tree again after any insertion, a few Python calls per row (about 45 ms for 10,000
tasks); a table inserts a row in constant work, so adding or deleting a task stays within a
frame however long the plan."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from functools import lru_cache
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
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


# A summary's dates follow its tasks and a milestone has no duration or progress of its own.
_SUMMARY_FLAGS = _flags({COL_NAME})
_MILESTONE_FLAGS = _flags({COL_NAME, COL_START, COL_DURATION, COL_PEOPLE})  # 1 d: a task
_TASK_FLAGS = _flags({COL_NAME, COL_START, COL_FINISH, COL_DURATION, COL_PROGRESS, COL_PEOPLE})
# Where a row stands in the outline, for the name column's painter: a task, an open summary
# or a closed one.
LEAF, OPEN, CLOSED = range(3)
_ROOT_FLAGS = Qt.ItemFlag.ItemIsDropEnabled
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


class TaskTreeModel(QAbstractTableModel):
    """Rows are the document's visible rows; an index's internal id is its node + 1 (0 would
    read as "no id"), so a row's task survives rows coming and going above it."""

    def __init__(self, document: GanttDocument, run: RunEdit, refuse: Refuse) -> None:
        super().__init__()
        self.document = document
        self._run = run
        self._refuse = refuse
        self._bold = QFont()
        self._bold.setBold(True)
        document.about_to_reload = self.beginResetModel
        document.about_to_insert = self._begin_insert
        document.inserted = self.endInsertRows
        document.about_to_remove = self._begin_remove
        document.removed = self.endRemoveRows
        document.renumbered = self._renumbered

    # -- structure ----------------------------------------------------------------------------

    def index(self, row: int, column: int, parent: AnyIndex = _ROOT) -> QModelIndex:
        rows = self.document.rows
        if 0 <= row < len(rows) and 0 <= column < _COLUMNS and not parent.isValid():
            return self.createIndex(row, column, id=rows[row] + 1)
        return QModelIndex()

    def rowCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.document.rows)

    def columnCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def _begin_insert(self, first: int, last: int) -> None:
        self.beginInsertRows(_ROOT, first, last)

    def _begin_remove(self, first: int, last: int) -> None:
        self.beginRemoveRows(_ROOT, first, last)

    def _renumbered(self, new_of: list[int]) -> None:
        """Tasks left and the rest were numbered again (their rows already removed): the
        indexes the view keeps (selection, current row, an open editor) follow their tasks."""
        old = self.persistentIndexList()
        new = [
            self.createIndex(i.row(), i.column(), id=new_of[i.internalId() - 1] + 1)
            if i.isValid() and new_of[i.internalId() - 1] >= 0
            else QModelIndex()
            for i in old
        ]
        self.changePersistentIndexList(old, new)

    def index_of(self, node: int, column: int = 0) -> QModelIndex:
        """The index of a task's row; invalid when the task is under a closed summary (see
        `GanttDocument.reveal`)."""
        row = self.document.row_of.get(node)
        if row is None:
            return QModelIndex()
        return self.createIndex(row, column, id=node + 1)

    def node_of(self, index: AnyIndex) -> int:
        return index.internalId() - 1 if index.isValid() else -1

    def outline_of(self, index: AnyIndex) -> tuple[int, int]:
        """(depth, LEAF / OPEN / CLOSED) of a row: how far its name is indented and which
        branch mark it takes."""
        node = self.node_of(index)
        v = self.document.schedule
        if not v.is_summary(node):
            return v.depth(node), LEAF
        return v.depth(node), CLOSED if node in self.document.collapsed else OPEN

    def set_expanded(self, index: AnyIndex, expanded: bool) -> bool:
        """Open or close a summary's row; False when the row is no summary or already so."""
        node = self.node_of(index)
        if node < 0 or not self.document.schedule.is_summary(node):
            return False
        if (node not in self.document.collapsed) == expanded:
            return False
        self.document.set_collapsed(node, not expanded)
        return True

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
            return _ROOT_FLAGS  # rows dropped between rows
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
        """A drop of dragged rows: on a row (`parent`) puts them under it, last; between
        rows (`row`, the row it lands above) puts them before the task on that row, at its
        level; below the last row, at the end of the plan. One undoable move; refused (with
        the reason) when a task would go under itself or a loop would close. Returns False
        either way so the view removes nothing: the plan follows the database."""
        if not data.hasFormat(TASK_IDS_MIME) or action != Qt.DropAction.MoveAction:
            return False
        ids = [i for i in bytes(data.data(TASK_IDS_MIME).data()).decode().split("\n") if i]
        v = self.document.schedule
        rows = self.document.rows
        parent_id: str | None = None
        before_id: str | None = None
        if parent.isValid():
            parent_id = v.task_id(self.node_of(parent))
        elif 0 <= row < len(rows):
            before = rows[row]
            before_id = v.task_id(before)
            up = v.parent(before)
            parent_id = v.task_id(up) if up >= 0 else None
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
        dataChanged per run of adjacent rows. With `shown` (the range of visible rows on
        screen), only rows in it are named: rows off screen are read fresh from the document
        when they scroll in, and naming a thousand of them costs a view more than a frame."""
        doc = self.document
        v = doc.schedule
        if shown is not None:
            first = max(shown.start, 0)
            visible = doc.rows[first : shown.stop]
            found = [first + k for k, n in enumerate(visible) if v.task_id(n) in task_ids]
        else:
            found = sorted(
                doc.row_of[n] for n in (v.node(i) for i in task_ids if i in v) if n in doc.row_of
            )
        first_col, last_col = columns
        runs: list[tuple[int, int]] = []
        for row in found:
            if runs and runs[-1][1] == row - 1:
                runs[-1] = (runs[-1][0], row)
            else:
                runs.append((row, row))
        for start, end in runs:
            self.dataChanged.emit(self.index(start, first_col), self.index(end, last_col))
