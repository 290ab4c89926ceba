"""The search results as a list model: one row per hit, in the order `db.search` ranks them
(clients first), re-asked whenever the query or the data changes."""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from db import search
from db.search import Hit
from desktop.models.roles import ENTITY_ROLE, ID_ROLE

AnyIndex = QModelIndex | QPersistentModelIndex
CONTEXT_ROLE = Qt.ItemDataRole.UserRole + 20  # where a hit belongs: its client, project, date
KIND_ROLE = Qt.ItemDataRole.UserRole + 21  # the hit's kind as a user says it

KIND_WORDS = {
    "Client": "Client",
    "Contact": "Contact",
    "Project": "Project",
    "Task": "Task",
    "Interaction": "Interaction",
    "ClientNote": "Note",
}


class SearchResultsModel(QAbstractListModel):
    def __init__(self, store: search.Searchable, parent: object = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.store = store
        self.query = ""
        self.hits: list[Hit] = []

    def set_query(self, text: str) -> None:
        self.query = text
        self.refresh()

    def refresh(self) -> None:
        hits = (
            search.search(self.store.search_connection(), self.query) if self.query.strip() else []
        )
        self.beginResetModel()
        self.hits = hits
        self.endResetModel()

    def hit(self, row: int) -> Hit | None:
        return self.hits[row] if 0 <= row < len(self.hits) else None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.hits)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        hit = self.hit(index.row()) if index.isValid() else None
        if hit is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return hit.title or "(no text)"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{KIND_WORDS[hit.kind]}: {hit.title}\n{hit.context}".strip()
        if role == CONTEXT_ROLE:
            return hit.context
        if role == KIND_ROLE:
            return KIND_WORDS[hit.kind]
        if role == ENTITY_ROLE:
            return hit.kind
        if role == ID_ROLE:
            return hit.row_id
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )
