"""What every section of a client page shares: the workspace, the client, and "today"."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from db.operations import Operation
from desktop.views.delegates import LimitedTextDelegate
from desktop.workspace import Workspace


@dataclass
class PageContext:
    workspace: Workspace
    client_id: str
    today: Callable[[], date] = field(default=date.today)
    # Who sits at this station ("I am"), for new follow-ups' owner; set by `use_settings`.
    me: Callable[[], str | None] = field(default=lambda: None)

    @property
    def session(self) -> Session:
        return self.workspace.session

    def run(self, op: Operation) -> bool:
        return self.workspace.run(op)

    def submit(self, op: Operation) -> str | None:
        """Run `op`; the message of its refusal, or None when it went through."""
        return None if self.workspace.run(op) else (self.workspace.last_error or "Not saved")


class ListTable(QTableView):
    """A table that, while it has no rows, says in its middle what to do ("No follow-ups.
    Press Ctrl+L to log a call and add one")."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.empty_text = ""

    def set_empty_text(self, text: str) -> None:
        self.empty_text = text
        self.viewport().update()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        model = self.model()
        if not self.empty_text or model is None or model.rowCount() > 0:
            return
        painter = QPainter(self.viewport())
        painter.setPen(self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))
        area = self.viewport().rect().adjusted(16, 8, -16, -8)
        painter.drawText(
            area, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.empty_text
        )
        painter.end()


def list_table(parent: QWidget | None = None, empty: str = "") -> ListTable:
    """A read-mostly table in the page's style: whole-row selection, no grid, quiet header;
    `empty` is what it says while it has no rows."""
    table = ListTable(parent)
    table.set_empty_text(empty)
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


def buttons_over(section: QWidget, body: QWidget, *buttons: QWidget) -> None:
    """Lay a section out as every list section is: its buttons in a row at the top left,
    `body` (its table) below, taking the rest of the room."""
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    layout = QVBoxLayout(section)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addLayout(row)
    layout.addWidget(body, 1)
