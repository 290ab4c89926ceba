"""The rows of a History tab: one audit entry a row, newest first (`db.audit.history`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from db.audit.history import HistoryEntry
from db.labels import elide

COL_WHEN, COL_WHO, COL_RECORD, COL_WHAT, COL_FROM, COL_TO, COL_HOW = range(7)
HEADERS = ("When", "Who", "Record", "What", "From", "To", "How")
VALUE_CHARS = 60  # a longer value is cut in its cell; its tooltip holds all of it

Index = QModelIndex | QPersistentModelIndex
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's HistoryEntry


def when_text(at_ms: int, *, full: bool = False) -> str:
    """'3 Dec 14:05' this year, '3 Dec 2025' before (`full`: '3 Dec 2025, 14:05'), in this
    computer's time zone."""
    moment = datetime.fromtimestamp(at_ms / 1000)
    if full:
        return f"{moment.day} {moment:%b %Y, %H:%M}"
    if moment.year == datetime.now().year:
        return f"{moment.day} {moment:%b %H:%M}"
    return f"{moment.day} {moment:%b %Y}"


class HistoryModel(QAbstractTableModel):
    """Read-only. `ENTRY_ROLE` gives a row's `HistoryEntry`."""

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[HistoryEntry] = []

    def set_entries(self, entries: Sequence[HistoryEntry]) -> None:
        """Show these entries (any order: they are shown newest first)."""
        self.beginResetModel()
        self.entries = sorted(entries, key=lambda e: e.at_ms, reverse=True)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry = self.entries[index.row()]
        column = index.column()
        if role == ENTRY_ROLE:
            return entry
        if role == Qt.ItemDataRole.DisplayRole:
            text = _cell(entry, column)
            return elide(text, VALUE_CHARS) if column in (COL_FROM, COL_TO) else text
        if role == Qt.ItemDataRole.ToolTipRole and column == COL_WHEN:
            return when_text(entry.at_ms, full=True)
        if role == Qt.ItemDataRole.ToolTipRole and column in (COL_FROM, COL_TO, COL_RECORD):
            text = _cell(entry, column)
            return text if len(text) > VALUE_CHARS or column == COL_RECORD else None
        return None


def _cell(entry: HistoryEntry, column: int) -> str:
    if column == COL_WHEN:
        return when_text(entry.at_ms)
    if column == COL_WHO:
        return entry.who
    if column == COL_RECORD:
        return entry.record
    if column == COL_WHAT:
        return entry.field or entry.action
    if column == COL_FROM:
        return entry.before
    if column == COL_TO:
        return entry.after
    return entry.how
