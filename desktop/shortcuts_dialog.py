"""Help > Keyboard Shortcuts: every shortcut the window and the showing area offer, read from
the actions themselves, so the list can never disagree with the keys."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableView,
    QVBoxLayout,
    QWidget,
)


def _text(action: QAction) -> str:
    return action.text().replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip(".…")


def shortcut_rows(
    window_actions: list[QAction], area_actions: list[QAction], area_title: str
) -> list[tuple[str, str, str]]:
    """(what, keys, where) for every action with a shortcut: the window's (menus, areas'
    switches) "Everywhere", then those of the area on show (a plan's keys when a plan is
    open), each listed once."""
    rows: dict[tuple[str, str], str] = {}

    def add(actions: list[QAction], where: str) -> None:
        for action in actions:
            keys = [
                k.toString(QKeySequence.SequenceFormat.NativeText)
                for k in action.shortcuts()
                if not k.isEmpty()
            ]
            if keys and _text(action):
                rows.setdefault((_text(action), ", ".join(keys)), where)

    add(window_actions, "Everywhere")
    add(area_actions, area_title)
    found = [(what, keys, where) for (what, keys), where in rows.items()]
    return sorted(found, key=lambda r: (r[2] != "Everywhere", r[2], r[0]))


class ShortcutsDialog(QDialog):
    def __init__(self, rows: list[tuple[str, str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard Shortcuts")
        self.resize(560, 520)
        self.model = QStandardItemModel(0, 3, self)
        self.model.setHorizontalHeaderLabels(["Action", "Keys", "Where"])
        for row in rows:
            items = [QStandardItem(text) for text in row]
            for item in items:
                item.setEditable(False)
            self.model.appendRow(items)
        table = QTableView()
        table.setModel(self.model)
        table.verticalHeader().hide()
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setAlternatingRowColors(True)
        table.setSortingEnabled(True)
        table.sortByColumn(2, Qt.SortOrder.AscendingOrder)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(table, 1)
        layout.addWidget(buttons)
