"""The Today page's items as a two-level tree: a section per kind of thing to do (overdue
follow-ups, due today, contacts due a touch, what is coming up, health that dropped) and the
items under it. A follow-up carries a check box: ticking it completes the follow-up as one
undoable operation, and the next load leaves it out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from db.am.occasions import Occasion
from db.am.operations import complete_follow_up
from db.am.today import TodayData
from db.labels import plural
from desktop.models.roles import ID_ROLE
from desktop.workspace import Workspace

AnyIndex = QModelIndex | QPersistentModelIndex
COL_ITEM, COL_CLIENT, COL_WHEN = range(3)
HEADERS = ("To do", "Client", "When")
CLIENT_ROLE = Qt.ItemDataRole.UserRole + 30  # the client an item opens
KIND_ROLE = Qt.ItemDataRole.UserRole + 31  # "follow_up", "contact", "occasion", "health"
LATE_HUE = "#d64541"
GIFT_WORDS = {
    None: "no gift yet",
    "idea": "gift idea",
    "bought": "gift bought",
    "given": "gift given",
}


@dataclass(frozen=True)
class Item:
    kind: str
    id: str  # follow-up, contact, occasion key or client id
    title: str
    client_id: str | None
    client_name: str
    when: str
    detail: str = ""  # the tooltip
    late: bool = False


@dataclass
class Section:
    title: str
    items: list[Item]


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def _relative(when: date, today: date) -> str:
    days = (when - today).days
    if days == 0:
        return "Today"
    if days == 1:
        return "Tomorrow"
    return f"{when.strftime('%a %d %b')}, in {days} days"


def _with_gift(occasion: Occasion, today: date) -> str:
    state = occasion.gift_state.value if occasion.gift_state else None
    return f"{_relative(occasion.when, today)} · {GIFT_WORDS[state]}"


def sections_of(data: TodayData, today: date) -> list[Section]:
    """The page's sections, leaving out empty ones."""
    overdue = [
        Item(
            "follow_up",
            f.id,
            f.title,
            f.client_id,
            f.client_name,
            f"{_days(f.overdue_days)} overdue",
            f"Due {f.due_date.strftime('%d %b %Y')}",
            late=True,
        )
        for f in data.overdue_follow_ups
    ]
    due = [
        Item("follow_up", f.id, f.title, f.client_id, f.client_name, "Today")
        for f in data.due_follow_ups
    ]
    contacts = [
        Item(
            "contact",
            c.contact_id,
            f"Get in touch with {c.contact_name}",
            c.client_id,
            c.client_name,
            f"{_days(c.overdue_days)} overdue" if c.overdue_days else "Today",
            f"Every {plural(c.cadence_days, 'day')}; last touch {c.last_touch.strftime('%d %b %Y')}"
            if c.touched
            else f"Every {plural(c.cadence_days, 'day')}; never touched",
            late=c.overdue_days > 0,
        )
        for c in data.contacts_due
    ]
    upcoming = [
        Item(
            "occasion",
            f"{o.kind}:{o.client_id}:{o.contact_id}:{o.label}:{o.when.isoformat()}",
            o.title,
            o.client_id,
            o.client_name,
            _relative(o.when, today) if o.kind == "project" else _with_gift(o, today),
        )
        for o in data.upcoming
    ]
    drops = [
        Item(
            "health",
            d.client_id,
            f"Health fell from {d.before} to {d.now}",
            d.client_id,
            d.client_name,
            "This week",
            "\n".join(d.reasons) or "No concerns",
            late=True,
        )
        for d in data.health_drops
    ]
    found = [
        Section("Overdue follow-ups", overdue),
        Section("Follow-ups due today", due),
        Section("Contacts due a touch", contacts),
        Section("Coming up in the next 14 days", upcoming),
        Section("Health dropped this week", drops),
    ]
    return [s for s in found if s.items]


class TodayModel(QAbstractItemModel):
    """Sections at the top level (internal id 0), items below (internal id = section + 1)."""

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.sections: list[Section] = []

    def set_sections(self, sections: list[Section]) -> None:
        self.beginResetModel()
        self.sections = sections
        self.endResetModel()

    def item(self, index: AnyIndex) -> Item | None:
        if not index.isValid() or index.internalId() == 0:
            return None
        return self.sections[index.internalId() - 1].items[index.row()]

    def count(self, kind: str | None = None) -> int:
        return sum(1 for s in self.sections for i in s.items if kind is None or i.kind == kind)

    # -- Qt model API ------------------------------------------------------------------------

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        return self.createIndex(row, column, parent.row() + 1)

    # The override is ignored: QObject.parent() and the model's parent(index) share a name.
    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self.sections)
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self.sections[parent.row()].items)
        return 0

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section] if 0 <= section < len(HEADERS) else None
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled
        item = self.item(index)
        if item is None:
            return flags
        flags |= Qt.ItemFlag.ItemIsSelectable
        if item.kind == "follow_up" and index.column() == COL_ITEM:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self.item(index)
        col = index.column()
        if item is None:
            section = self.sections[index.row()]
            if role == Qt.ItemDataRole.DisplayRole and col == COL_ITEM:
                return f"{section.title}  ·  {len(section.items)}"
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setWeight(QFont.Weight.DemiBold)
                return font
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return (item.title, item.client_name, item.when)[col]
        if role == Qt.ItemDataRole.CheckStateRole and col == COL_ITEM and item.kind == "follow_up":
            return Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            return item.detail or None
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_WHEN and item.late:
            return QColor(LATE_HUE)
        if role == ID_ROLE:
            return item.id
        if role == CLIENT_ROLE:
            return item.client_id
        if role == KIND_ROLE:
            return item.kind
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        item = self.item(index)
        if item is None or item.kind != "follow_up" or role != Qt.ItemDataRole.CheckStateRole:
            return False
        if Qt.CheckState(value) != Qt.CheckState.Checked:
            return False
        op = complete_follow_up(item.id)
        op.label = f"Complete follow-up “{item.title}”"
        # The page reloads from the ChangeSet the run broadcasts, which leaves the item out.
        return self.workspace.run(op)
