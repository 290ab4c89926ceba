"""Small editable tables of records (a member's leave, a project's costs): the table view
set up alike everywhere, and the delegates each kind of column edits with."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.models.records import Column
from desktop.views.delegates import ChoiceDelegate, DateDelegate, NumberDelegate


def fit_columns(table: QTableView, stretch: int) -> None:
    """Dates and kinds as wide as their text; `stretch` takes the rest."""
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    for col in range(table.model().columnCount()):
        mode = (
            QHeaderView.ResizeMode.Stretch
            if col == stretch
            else (QHeaderView.ResizeMode.ResizeToContents)
        )
        header.setSectionResizeMode(col, mode)


def record_table(model: Any, name: str) -> QTableView:
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(
        QAbstractItemView.EditTrigger.DoubleClicked
        | QAbstractItemView.EditTrigger.EditKeyPressed
        | QAbstractItemView.EditTrigger.SelectedClicked
    )
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    table.horizontalHeader().setHighlightSections(False)
    table.horizontalHeader().setStretchLastSection(True)
    table.setWordWrap(False)
    return table


def table_with_buttons(table: QWidget, *buttons: QPushButton) -> QVBoxLayout:
    """The table above a row of its buttons (Add, Remove), left-aligned."""
    layout = QVBoxLayout()
    layout.addWidget(table, 1)
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    layout.addLayout(row)
    return layout


def set_delegates(table: QTableView, columns: list[Column]) -> None:
    for col, column in enumerate(columns):
        if column.kind == "date":
            table.setItemDelegateForColumn(col, DateDelegate(table))
        elif column.kind == "choice":
            table.setItemDelegateForColumn(col, ChoiceDelegate(column.choice_list, table))
        elif column.kind == "hours":
            table.setItemDelegateForColumn(col, NumberDelegate(0, 168, " h", table))
        elif column.kind == "number":
            table.setItemDelegateForColumn(col, NumberDelegate(-999, 999, " d", table))
