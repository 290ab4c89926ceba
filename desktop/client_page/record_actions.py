"""The same keys on every list of a client page: Return or a double-click opens the record,
F2 renames it in place, Delete deletes it, and a right-click menu offers all three.

Deleting goes through `desktop.views.deletion`: the table carries a `DeleteOffer`, so Edit >
Delete (and the Delete key) names and deletes the selected record, asking first when rows
hang off it ("Delete contact “Jo” and its 2 important dates?"); one undo step.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QMenu, QTableView

from db.models import Entity
from desktop.client_page.rows_model import RowsModel
from desktop.models.roles import ID_ROLE
from desktop.views.deletion import DeleteOffer, Deletion, delete_rows
from desktop.workspace import Workspace

Opener = Callable[[Any], object]
Extra = Callable[[Any, QMenu], None]  # adds a section's own actions to a record's menu


class RecordActions(QObject):
    def __init__(
        self,
        table: QTableView,
        model: RowsModel,
        workspace: Workspace,
        *,
        what: str,
        name: Callable[[Any], str],
        entity: type[Entity] | None = None,
        plural: str = "",
        open_record: Opener | None = None,
        rename_column: int | None = None,
        extra_menu: Extra | None = None,
    ) -> None:
        super().__init__(table)
        self.table = table
        self.model = model
        self.what = what
        self.workspace = workspace
        self._name = name
        self._entity = entity
        self._plural = plural or f"{what}s"
        self._open = open_record
        self._rename_column = rename_column
        self._extra = extra_menu
        self.menu: QMenu | None = None
        self.delete_offer = DeleteOffer(table, self.deletion) if entity is not None else None
        # A double-click opens; typing edits only through F2 (or the record's dialog).
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.doubleClicked.connect(self._double_clicked)
        # Keys as the table receives them, not shortcuts: a window-wide Delete action (Edit >
        # Delete) then wins over this one instead of making the key ambiguous, and reaches the
        # same delete through `table.record_actions`.
        table.installEventFilter(self)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self.show_menu)
        # A plain Python attribute on the view: QTableView declares no such field.
        table.record_actions = self  # type: ignore[attr-defined]

    # -- what is selected ------------------------------------------------------------------

    def current(self) -> Any | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row()):
            return None
        row = self.model.row_of(index.data(ID_ROLE))
        return self.model.rows[row] if row >= 0 else None

    def selected_ids(self) -> list[str]:
        record = self.current()
        return [record.id] if record is not None else []

    def deletion(self) -> Deletion | None:
        """The selected record, ready for Edit > Delete (None when nothing is selected)."""
        record = self.current()
        if record is None or self._entity is None:
            return None
        row = self.table.currentIndex().row()
        return Deletion(
            self._entity,
            [record.id],
            (self.what, self._plural),
            self._name(record),
            after=lambda: self._select(row),
        )

    def delete_text(self) -> str:
        found = self.deletion()
        return found.text if found is not None else f"Delete {self.what}"

    def _select(self, row: int) -> None:
        """The next record takes the place of the deleted one, so Delete can go on."""
        if self.model.rowCount():
            self.table.selectRow(min(row, self.model.rowCount() - 1))

    # -- the three actions -----------------------------------------------------------------

    def open_current(self) -> None:
        record = self.current()
        if record is not None and self._open is not None:
            self._open(record)

    def rename_current(self) -> None:
        record = self.current()
        if record is None or self._rename_column is None:
            return
        index = self.model.index(self.model.row_of(record.id), self._rename_column)
        self.table.setCurrentIndex(index)
        self.table.edit(index)

    def delete_selected(self) -> bool:
        found = self.deletion()
        return found is not None and delete_rows(self.table.window(), self.workspace, found)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key, mods = event.key(), event.modifiers()
            plain = mods in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
            if plain and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.open_current()
                return True
            if plain and key == Qt.Key.Key_F2 and self._rename_column is not None:
                self.rename_current()
                return True
            if event.matches(QKeySequence.StandardKey.Delete) or (
                plain and key == Qt.Key.Key_Backspace and sys.platform == "darwin"
            ):
                self.delete_selected()
                return True
        return super().eventFilter(watched, event)

    def set_opener(self, open_record: Callable[[], object]) -> None:
        """What Return and a double-click do when the record has no dialog of its own."""
        self._open = lambda _record: open_record()

    def _double_clicked(self, index: QModelIndex) -> None:
        if index.isValid() and not self.model.columns[index.column()].check:
            self.open_current()

    def show_menu(self, at: QPoint) -> QMenu | None:
        index = self.table.indexAt(at)
        if not index.isValid():
            return None
        self.table.setCurrentIndex(index)
        self.table.selectRow(index.row())
        record = self.current()
        if record is None:
            return None
        menu = QMenu(self.table)
        name = self._name(record)
        entries: list[tuple[str, QKeySequence, Callable[[], object], bool]] = [
            ("&Open…", QKeySequence(Qt.Key.Key_Return), self.open_current, self._open is not None),
            (
                "&Rename",
                QKeySequence(Qt.Key.Key_F2),
                self.rename_current,
                self._rename_column is not None,
            ),
            (
                f"&Delete {self.what}",
                QKeySequence(QKeySequence.StandardKey.Delete),
                self.delete_selected,
                self._entity is not None,
            ),
        ]
        for text, key, slot, enabled in entries:
            action = QAction(text, menu)
            action.setShortcut(key)
            action.setEnabled(enabled)
            action.triggered.connect(slot)
            menu.addAction(action)
        if self._extra is not None:
            menu.addSeparator()
            self._extra(record, menu)
        menu.setToolTip(name)
        self.menu = menu
        menu.popup(self.table.viewport().mapToGlobal(at))
        return menu
