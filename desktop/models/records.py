"""A small editable table of records (team members, one member's leave, the agency's
closures): columns declared once, rows read by a query, each cell edit turned into one undoable
operation. Small by nature (tens of rows), so it reloads whole on any change to its entities.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor, QPalette

from db.changes import ChangeSet
from db.operations import Operation
from desktop.models.roles import ID_ROLE, SORT_ROLE
from desktop.workspace import Workspace

AnyIndex = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


@dataclass(frozen=True)
class Column:
    """One column: `key` is the record's attribute; `kind` picks display and editor ("text",
    "date", "choice", "hours", "colour"); `choices` are (value, label) pairs for a choice."""

    title: str
    key: str
    kind: str = "text"
    editable: bool = True
    choices: Sequence[tuple[str, str]] = ()


Load = Callable[[], Sequence[Any]]
Edit = Callable[[Any, str, Any], Operation | None]


class RecordsModel(QAbstractTableModel):
    def __init__(
        self,
        workspace: Workspace,
        columns: Sequence[Column],
        entities: Sequence[str],
        load: Load,
        edit: Edit,
        inactive: Callable[[Any], bool] | None = None,
    ) -> None:
        super().__init__()
        self.workspace = workspace
        self.columns = list(columns)
        self.entities = tuple(entities)
        self._load = load
        self._edit = edit
        self._inactive = inactive
        self.rows: list[Any] = list(load())
        workspace.changed.connect(self._on_changed)

    def reload(self) -> None:
        self.beginResetModel()
        self.rows = list(self._load())
        self.endResetModel()

    def _on_changed(self, changes: ChangeSet) -> None:
        if not changes.touches(*self.entities):
            return
        rows = list(self._load())
        if [r.id for r in rows] != [r.id for r in self.rows]:
            self.beginResetModel()
            self.rows = rows
            self.endResetModel()
        elif rows:
            # Same rows in the same order: repaint them, leaving the selection and any open
            # editor alone (a reset would close the editor that is committing this edit).
            self.rows = rows
            last = self.index(len(rows) - 1, len(self.columns) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def row_of(self, record_id: str) -> int:
        return next((i for i, r in enumerate(self.rows) if r.id == record_id), -1)

    # -- Qt model -----------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.columns[index.column()].editable:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        record = self.rows[index.row()]
        column = self.columns[index.column()]
        value = getattr(record, column.key)
        if role == ID_ROLE:
            return record.id
        if role == SORT_ROLE:
            return value
        if role == Qt.ItemDataRole.ForegroundRole and self._inactive and self._inactive(record):
            return QPalette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        if column.kind == "colour" and role == Qt.ItemDataRole.DecorationRole:
            return QColor(value) if value else None
        if role == Qt.ItemDataRole.EditRole:
            if column.kind == "date" and isinstance(value, date):
                return QDate(value.year, value.month, value.day)
            if column.kind == "hours":
                return round(float(value))
            return str(value) if column.kind == "choice" else value
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(column, value)
        return None

    @staticmethod
    def _display(column: Column, value: Any) -> str:
        if column.kind == "date" and isinstance(value, date):
            return value.strftime("%a %d %b %y")
        if column.kind == "choice":
            return dict(column.choices).get(str(value), str(value))
        if column.kind == "hours":
            return f"{float(value):g} h"
        if column.kind == "colour":
            return ""
        return "" if value is None else str(value)

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        record = self.rows[index.row()]
        column = self.columns[index.column()]
        if isinstance(value, QDate):
            value = date(value.year(), value.month(), value.day())
        if column.kind == "text":
            value = str(value).strip()
        current = getattr(record, column.key)
        if column.kind == "hours":
            value = float(value)
            current = float(current)
        if value == current or (column.kind == "choice" and str(value) == str(current)):
            return False  # an edit that changes nothing makes no undo step
        op = self._edit(record, column.key, value)
        return op is not None and self.workspace.run(op)
