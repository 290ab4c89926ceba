"""A table model over a list of small row objects with an `id`, described by `Column`s.

Every list on the client page is one of these. `set_rows` compares the new rows with the
shown ones by id: when the ids are the same in the same order only the cells that changed get
`dataChanged` (selection and scroll stay put); otherwise the model resets. Edits never touch
the rows: a column's `edit` builds a `db` operation, which the page runs on the shared undo
stack, and the change set that follows brings the new row back in.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication
from sqlalchemy.orm import Session

from db.errors import AgencyDeskError
from db.operations import Operation
from desktop.models.roles import ID_ROLE, MAX_LENGTH_ROLE, SORT_ROLE

AnyIndex = QModelIndex | QPersistentModelIndex
Runner = Callable[[Operation], bool]


@dataclass(frozen=True)
class Column:
    header: str
    display: Callable[[Any], str]
    sort: Callable[[Any], Any] | None = None
    # Build the operation that stores a new value, or None for a read-only column.
    edit: Callable[[Any, Any], Operation] | None = None
    edit_value: Callable[[Any], Any] | None = None  # what the editor starts from
    check: Callable[[Any], bool] | None = None  # a check-box column: is it ticked?
    right: bool = False
    tooltip: Callable[[Any], str] | None = None
    max_length: int | None = None  # characters the edited text may have (db.validation)


class RowsModel(QAbstractTableModel):
    def __init__(
        self,
        columns: Sequence[Column],
        run: Runner | None = None,
        *,
        quiet: Callable[[Any], bool] | None = None,
    ) -> None:
        super().__init__()
        self.columns = list(columns)
        self.rows: list[Any] = []
        self._run = run
        self._quiet = quiet  # rows drawn in the secondary colour (resolved, done, lost)

    # -- content ---------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[Any]) -> None:
        rows = list(rows)
        old_ids, new_ids = [r.id for r in self.rows], [r.id for r in rows]
        if old_ids != new_ids and sorted(old_ids) == sorted(new_ids):
            self._reorder(rows)
            return
        if old_ids != new_ids:
            self.beginResetModel()
            self.rows = rows
            self.endResetModel()
            return
        old, self.rows = self.rows, rows
        for i, (before, after) in enumerate(zip(old, rows, strict=True)):
            if before != after:
                self.dataChanged.emit(self.index(i, 0), self.index(i, len(self.columns) - 1))

    def _reorder(self, rows: list[Any]) -> None:
        """The same rows in a new order (a rename moved one): a layout change, so selection,
        the current row and an open cell editor follow their rows instead of being reset."""
        self.layoutAboutToBeChanged.emit()
        position = {r.id: i for i, r in enumerate(rows)}
        moved_from, moved_to = [], []
        for index in self.persistentIndexList():
            if index.isValid():
                moved_from.append(index)
                new_row = position[self.rows[index.row()].id]
                moved_to.append(self.index(new_row, index.column()))
        self.rows = rows
        self.changePersistentIndexList(moved_from, moved_to)
        self.layoutChanged.emit()

    def update_rows(self, rows: Sequence[Any]) -> None:
        """Replace the shown rows that have these ids (others are ignored), cell by cell."""
        for row in rows:
            i = self.row_of(row.id)
            if i >= 0 and self.rows[i] != row:
                self.rows[i] = row
                self.dataChanged.emit(self.index(i, 0), self.index(i, len(self.columns) - 1))

    def row_of(self, id_: str) -> int:
        return next((i for i, r in enumerate(self.rows) if r.id == id_), -1)

    # -- Qt --------------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.columns[section].header
            if role == Qt.ItemDataRole.TextAlignmentRole and self.columns[section].right:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        column = self.columns[index.column()]
        if column.edit is not None and self._run is not None:
            if column.check is not None:
                flags |= Qt.ItemFlag.ItemIsUserCheckable
            else:
                flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.display(row)
        if role == Qt.ItemDataRole.EditRole:
            return column.edit_value(row) if column.edit_value else column.display(row)
        if role == Qt.ItemDataRole.CheckStateRole and column.check is not None:
            return Qt.CheckState.Checked if column.check(row) else Qt.CheckState.Unchecked
        if role == ID_ROLE:
            return row.id
        if role == MAX_LENGTH_ROLE:
            return column.max_length
        if role == SORT_ROLE:
            return column.sort(row) if column.sort else column.display(row).casefold()
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if self._quiet is not None and self._quiet(row):
            if role == Qt.ItemDataRole.ForegroundRole:
                return QApplication.palette().color(
                    QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text
                )
            if role == Qt.ItemDataRole.FontRole and index.column() == 0:
                font = QFont()
                font.setStrikeOut(True)
                return font
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or self._run is None:
            return False
        column = self.columns[index.column()]
        if column.edit is None:
            return False
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.CheckStateRole and column.check is not None:
            value = Qt.CheckState(value) == Qt.CheckState.Checked
        elif role != Qt.ItemDataRole.EditRole:
            return False
        try:
            op = column.edit(row, value)
        except AgencyDeskError as exc:  # the typed value means nothing ("+3x" as a date)
            op = Refusal(str(exc))
        return self._run(op)


@dataclass
class Refusal:
    """An edit refused before it could become an operation: running it reports the message
    the way any refused operation does (the page's message line), and changes nothing."""

    message: str
    label: str = "Edit"

    def apply(self, session: Session) -> None:
        raise AgencyDeskError(self.message)

    def revert(self, session: Session) -> None:
        pass
