"""The Sync panel's conflict list as a Qt table: what lost a merge, what kept its place, which
stations made each, and when. Rows are worked out once in `set_conflicts` (record names looked
up then), so painting only reads prepared strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt

from db.models import ENTITIES
from desktop.sync.listed_rows import Index, ListedRowsModel

if TYPE_CHECKING:
    from db.store import Store
    from db.sync import Conflict

COL_ENTITY, COL_RECORD, COL_FIELD, COL_KEPT, COL_LOST, COL_STATIONS, COL_WHEN = range(7)
HEADERS = ("Type", "Record", "Field", "Kept value", "Lost value", "Stations", "When")
ConflictIdRole = Qt.ItemDataRole.UserRole + 1
RestorableRole = Qt.ItemDataRole.UserRole + 2
LABEL_FIELDS = ("name", "title", "key", "summary", "description")
SHOWN_CHARS = 60
COUNTER_BITS = 16  # db.sync.hlc: a clock's low bits count, the rest is wall-clock ms

# What each kind of conflict means for the two value columns and the field column.
KIND_TEXT = {
    "delete": ("Whole record", "Deleted", "The record, with its edits"),
    # Each edit a delete never saw, listed with the whole row it belongs to (restorable).
    "edit_deleted": ("Whole record", "Deleted", "The record, with its edits"),
    "orphan": ("Whole record", "Its parent deleted", "The record"),
    "unique": (None, None, "A second record with this value"),
    # The lost value holds the offset: "clock about 30 days ahead".
    "future": ("Clock", "Flagged", None),
}


@dataclass(frozen=True)
class ConflictRow:
    conflict_id: int
    cells: tuple[str, ...]
    tips: tuple[str, ...]
    restorable: bool


def humanize(name: str) -> str:
    """`ClientNote` -> "Client note", `account_manager_id` -> "Account manager"."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).replace("_", " ").strip()
    words = re.sub(r"\s+id$", "", words, flags=re.IGNORECASE)
    return words[:1].upper() + words[1:].lower()


def show_value(value: Any) -> str:
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list | dict):
        return ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return " ".join(str(value).split())


def _clip(text: str) -> str:
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


def when_text(hlc: int | None) -> str:
    if not hlc:
        return ""
    moment = datetime.fromtimestamp((hlc >> COUNTER_BITS) / 1000, tz=UTC).astimezone()
    return f"{moment:%Y-%m-%d %H:%M}"


class ConflictsModel(ListedRowsModel):
    headers = HEADERS
    _rows: list[ConflictRow]

    # -- filling -----------------------------------------------------------------------------

    def set_conflicts(
        self,
        store: Store,
        conflicts: list[Conflict],
        station_names: dict[str, str],
    ) -> None:
        self._set_rows([self._row(store, c, station_names) for c in conflicts])

    def _row(self, store: Store, c: Conflict, names: dict[str, str]) -> ConflictRow:
        field_text, kept_text, lost_text = KIND_TEXT.get(c.kind, (None, None, None))
        field = field_text or (humanize(c.field) if c.field else "Whole record")
        kept = kept_text or show_value(c.winning_value)
        lost = lost_text or show_value(c.losing_value)
        if c.kind in ("delete", "edit_deleted", "orphan", "unique") and c.row_data:
            lost = f"{lost}: {record_label(c.row_data) or c.row_id[:8]}"
        stations = f"{_station(c.winning_station, names)} over {_station(c.losing_station, names)}"
        cells = (
            humanize(c.entity),
            _record(store, c),
            field,
            kept,
            lost,
            stations,
            when_text(c.losing_hlc or c.winning_hlc),
        )
        tips = tuple(cells)
        shown = tuple(_clip(cell) for cell in cells)
        return ConflictRow(c.id, shown, tips, c.kind != "future")

    def conflict_id(self, row: int) -> int:
        return self._rows[row].conflict_id

    def is_restorable(self, row: int) -> bool:
        return self._rows[row].restorable

    # -- Qt ----------------------------------------------------------------------------------

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.cells[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.tips[index.column()]
        if role == ConflictIdRole:
            return row.conflict_id
        if role == RestorableRole:
            return row.restorable
        return None


def record_label(values: dict[str, Any]) -> str:
    for name in LABEL_FIELDS:
        text = values.get(name)
        if isinstance(text, str) and text.strip():
            return " ".join(text.split())
    return ""


def _record(store: Store, c: Conflict) -> str:
    """The record's name as it is now, else as it was when lost, else its short id."""
    cls = ENTITIES.get(c.entity)
    obj = store.get(cls, c.row_id) if cls is not None else None
    if obj is not None:
        label = record_label({n: getattr(obj, n, None) for n in LABEL_FIELDS})
        if label:
            return label
    if c.row_data:
        label = record_label(c.row_data)
        if label:
            return label
    return c.row_id[:8]


def _station(station_id: str | None, names: dict[str, str]) -> str:
    if not station_id:
        return "?"
    return names.get(station_id) or station_id[:8]
