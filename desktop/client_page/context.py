"""What every section of a client page shares: the workspace, the client, and "today"."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget
from sqlalchemy.orm import Session

from db.operations import Operation
from desktop.views.delegates import LimitedTextDelegate
from desktop.workspace import Workspace


@dataclass
class PageContext:
    workspace: Workspace
    client_id: str
    today: Callable[[], date] = field(default=date.today)

    @property
    def session(self) -> Session:
        return self.workspace.session

    def run(self, op: Operation) -> bool:
        return self.workspace.run(op)


def list_table(parent: QWidget | None = None) -> QTableView:
    """A read-mostly table in the page's style: whole-row selection, no grid, quiet header."""
    table = QTableView(parent)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(
        QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
    )
    table.setShowGrid(False)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setItemDelegate(LimitedTextDelegate(table))
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 12)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setStretchLastSection(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return table


def stretch(table: QTableView, column: int) -> None:
    table.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
