"""A table's column chooser: right-click the header for a menu of its columns, each ticked
when shown; untick to hide it. The choice is kept in QSettings by the columns' keys (a custom
field's id, not its position or name), so it survives renames and columns added later.

Columns the model names in `hidden_by_default` start hidden (the agency's custom fields: a
list of ten columns nobody asked for is no help); the first column always shows.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QPoint, QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QTableView


class ColumnChooser(QObject):
    def __init__(
        self,
        table: QTableView,
        key_of: Callable[[int], str],
        settings_key: str,
        *,
        hidden_by_default: Callable[[str], bool] = lambda _key: False,
    ) -> None:
        super().__init__(table)
        self.table = table
        self.key_of = key_of
        self.settings_key = settings_key
        self.hidden_by_default = hidden_by_default
        self.settings: QSettings | None = None
        self.menu: QMenu | None = None
        header = table.horizontalHeader()
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self.show_menu)
        model = table.model()
        model.modelReset.connect(self.apply)
        model.columnsInserted.connect(lambda *_a: self.apply())
        self.apply()

    def use_settings(self, settings: QSettings) -> None:
        self.settings = settings
        self.apply()

    def _saved(self) -> dict[str, bool]:
        """key -> shown, for the columns the user has chosen for."""
        if self.settings is None:
            return {}
        found = self.settings.value(self.settings_key, {})
        if not isinstance(found, dict):
            return {}  # nothing chosen yet, or a value this version cannot read
        return {str(k): v in (True, "true", 1, "1") for k, v in found.items()}

    def shown(self, column: int) -> bool:
        if column == 0:
            return True
        key = self.key_of(column)
        return self._saved().get(key, not self.hidden_by_default(key))

    def apply(self) -> None:
        """Show and hide the columns as chosen (after a reset, the model's columns changed)."""
        model = self.table.model()
        for column in range(model.columnCount()):
            self.table.setColumnHidden(column, not self.shown(column))

    def set_shown(self, column: int, shown: bool) -> None:
        if column == 0:
            return
        self.table.setColumnHidden(column, not shown)
        if self.settings is not None:
            chosen = self._saved()
            chosen[self.key_of(column)] = shown
            self.settings.setValue(self.settings_key, chosen)

    def build_menu(self) -> QMenu:
        menu = QMenu(self.table)
        model = self.table.model()
        for column in range(model.columnCount()):
            title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
            action = QAction(title, menu)
            action.setCheckable(True)
            action.setChecked(not self.table.isColumnHidden(column))
            action.setEnabled(column != 0)
            action.toggled.connect(lambda on, c=column: self.set_shown(c, on))
            menu.addAction(action)
        self.menu = menu
        return menu

    def show_menu(self, at: QPoint) -> None:
        menu = self.build_menu()
        menu.popup(self.table.horizontalHeader().mapToGlobal(at))
