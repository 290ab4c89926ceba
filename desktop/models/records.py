"""A small editable table of records (team members, one member's leave, the agency's
closures): columns declared once, rows read by a query, each cell edit turned into one undoable
operation. Small by nature (tens of rows), so it reloads whole on any change to its entities.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
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
    "date", "choice", "hours", "number", "money" in cents, "colour"); `choices` are (value,
    label) pairs for a choice, read each time (a callable) when they change with the data."""

    title: str
    key: str
    kind: str = "text"
    editable: bool = True
    choices: Sequence[tuple[str, str]] | Callable[[], Sequence[tuple[str, str]]] = ()

    def choice_list(self) -> Sequence[tuple[str, str]]:
        return self.choices() if callable(self.choices) else self.choices


def parse_cents(text: str) -> int | None:
    """'1,250.50', '1.250,50' or '1250,5' -> 125050; None when it is not an amount."""
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "").lstrip("€$£")
    if "," in cleaned and "." in cleaned:
        # The last separator is the decimal one: 1.250,50 or 1,250.50.
        if cleaned.rfind(",") > cleaned.rfind("."):
            cleaned = cleaned.replace(".", "").replace(",", ".")
        else:
            cleaned = cleaned.replace(",", "")
    elif "," in cleaned:
        # 10,000 groups thousands; 12,5 and 12,50 are decimal commas.
        grouped = re.fullmatch(r"-?\d{1,3}(,\d{3})+", cleaned)
        cleaned = cleaned.replace(",", "" if grouped else ".")
    if not re.fullmatch(r"-?(\d+(\.\d*)?|\.\d+)", cleaned):
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    return int((value * 100).quantize(Decimal(1)))


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
        money: Callable[[int], str] | None = None,
    ) -> None:
        super().__init__()
        self.workspace = workspace
        self.columns = list(columns)
        self.entities = tuple(entities)
        self._load = load
        self._edit = edit
        self._inactive = inactive
        self._money = money or (lambda cents: f"{cents / 100:,.2f}")
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
            if column.kind == "money":
                return f"{value / 100:.2f}"
            if column.kind == "choice":
                return "" if value is None else str(value)
            return value
        if role == Qt.ItemDataRole.TextAlignmentRole and column.kind in ("money", "number"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.DisplayRole:
            if column.kind == "money":
                return self._money(int(value or 0))
            return self._display(column, value)
        return None

    @staticmethod
    def _display(column: Column, value: Any) -> str:
        if column.kind == "date" and isinstance(value, date):
            return value.strftime("%a %d %b %y")
        if column.kind == "choice":
            return dict(column.choice_list()).get("" if value is None else str(value), str(value))
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
        if column.kind == "money":
            cents = parse_cents(str(value))
            if cents is None:
                self.workspace.failed.emit(
                    f"{column.title}: '{value}' is not an amount; type one such as 1250.50"
                )
                return False
            value = cents
        if column.kind == "number":
            value = int(value)
        current = getattr(record, column.key)
        if column.kind == "hours":
            value = float(value)
            current = float(current)
        if column.kind == "choice":
            value = value or None  # "" in a combo: none chosen
        if value == current or (column.kind == "choice" and str(value) == str(current)):
            return False  # an edit that changes nothing makes no undo step
        op = self._edit(record, column.key, value)
        return op is not None and self.workspace.run(op)
