"""The Sync panel's list of files the last sync passed over on the share, with the reason
(a temp file still being written, a cloud client's conflicted copy, a bad checksum…)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from desktop.sync.listed_rows import Index, ListedRowsModel

HEADERS = ("File", "Why it was skipped")


class SkippedModel(ListedRowsModel):
    headers = HEADERS
    _rows: list[tuple[str, str]]

    def set_skipped(self, rows: list[tuple[str, str]]) -> None:
        self._set_rows(list(rows))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._rows[index.row()][index.column()]
        return None
