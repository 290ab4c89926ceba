"""The client list: one row per client with status, account manager and last contact.

Shaped like Anki's browser table model: the model holds the ordered client ids and a cache of
display rows filled in batches as rows are shown. A `ChangeSet` drops only the cached rows it
names and emits `dataChanged` for them; clients added or removed insert or remove rows. An
Interaction or TeamMember change refreshes only the clients it touches.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from sqlalchemy import func, select

from db.changes import ChangeSet
from db.models import Client, ClientStatus, Interaction, TeamMember
from db.operations import Update
from desktop.models.roles import ENTITY_ROLE, ID_ROLE, SORT_ROLE, STATUS_ROLE
from desktop.workspace import Workspace

COL_NAME, COL_STATUS, COL_MANAGER, COL_INDUSTRY, COL_LAST_CONTACT = range(5)
HEADERS = ("Name", "Status", "Account manager", "Industry", "Last contact")
EDITABLE = {COL_NAME, COL_STATUS, COL_MANAGER}
NO_MANAGER = "No account manager"
BATCH = 200  # rows fetched per query when the view asks for an uncached row

STATUS_LABELS = {
    ClientStatus.LEAD: "Lead",
    ClientStatus.PROSPECT: "Prospect",
    ClientStatus.ACTIVE: "Active",
    ClientStatus.PAUSED: "Paused",
    ClientStatus.FORMER: "Former",
}

AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class ClientRow:
    id: str
    name: str
    status: ClientStatus
    manager_id: str | None
    manager: str
    industry: str
    last_contact: datetime | None
    last_interaction_id: str | None  # lets a removed interaction find the one client it affects


def describe_last_contact(when: datetime | None, today: date | None = None) -> str:
    if when is None:
        return "Never"
    today = today or date.today()
    days = (today - when.date()).days
    if days == 0:
        return "Today"
    if days == 1:
        return "Yesterday"
    if 1 < days < 7:
        return f"{days} days ago"
    return when.strftime("%d %b %Y")


class ClientsTableModel(QAbstractTableModel):
    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self._ids: list[str] = []
        self._pos: dict[str, int] = {}  # id -> row, rebuilt whenever rows move
        self._rows: dict[str, ClientRow] = {}
        self._sort_column = COL_NAME
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._today = date.today()
        self.reload()
        workspace.changed.connect(self.apply_changes)

    # -- loading -----------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the id list afresh (on open; a ChangeSet never needs this), in name order:
        only ids and names are read, the rest of a row when it is shown."""
        self.beginResetModel()
        names = {
            id_: name
            for id_, name in self.workspace.session.execute(select(Client.id, Client.name))
        }
        self._ids = sorted(names, key=lambda i: names[i].casefold())
        self._sort_column, self._sort_order = COL_NAME, Qt.SortOrder.AscendingOrder
        self._reindex()
        self._rows.clear()
        self.endResetModel()

    def _reindex(self) -> None:
        self._pos = {id_: row for row, id_ in enumerate(self._ids)}

    def _fetch(self, ids: Iterable[str]) -> None:
        wanted = list(ids)
        if not wanted:
            return
        session = self.workspace.session
        latest = (
            select(
                Interaction.client_id.label("client_id"),
                func.max(Interaction.occurred_at).label("occurred_at"),
            )
            .where(Interaction.client_id.in_(wanted))
            .group_by(Interaction.client_id)
            .subquery()
        )
        # The id of each latest interaction, so removing it can be traced back to its client.
        latest_id = (
            select(Interaction.id)
            .where(Interaction.client_id == Client.id)
            .order_by(Interaction.occurred_at.desc())
            .limit(1)
            .scalar_subquery()
        )
        query = (
            select(
                Client.id,
                Client.name,
                Client.status,
                Client.account_manager_id,
                TeamMember.name,
                Client.industry,
                latest.c.occurred_at,
                latest_id,
            )
            .outerjoin(TeamMember, TeamMember.id == Client.account_manager_id)
            .outerjoin(latest, latest.c.client_id == Client.id)
            .where(Client.id.in_(wanted))
        )
        for row in session.execute(query):
            self._rows[row[0]] = ClientRow(
                id=row[0],
                name=row[1],
                status=ClientStatus(row[2]),
                manager_id=row[3],
                manager=row[4] or "",
                industry=row[5] or "",
                last_contact=row[6],
                last_interaction_id=row[7],
            )

    def row_data(self, row: int) -> ClientRow | None:
        id_ = self._ids[row]
        cached = self._rows.get(id_)
        if cached is None:
            # Fill the neighbourhood in one query: a view asks for rows in runs.
            start = max(0, row - BATCH // 4)
            self._fetch(i for i in self._ids[start : start + BATCH] if i not in self._rows)
            cached = self._rows.get(id_)
        return cached

    def sort_key(self, row: int, column: int) -> Any:
        data = self.row_data(row)
        return self._sort_key(data, column) if data is not None else ""

    def row_of(self, client_id: str) -> int:
        return self._pos.get(client_id, -1)

    def client_id(self, row: int) -> str:
        return self._ids[row]

    # -- Qt model API ------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(HEADERS):
            return HEADERS[section]
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() in EDITABLE:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        row = self.row_data(index.row())
        if row is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, col)
        if role == Qt.ItemDataRole.EditRole:
            if col == COL_NAME:
                return row.name
            if col == COL_STATUS:
                return row.status.value
            if col == COL_MANAGER:
                return row.manager_id or ""
            return self._display(row, col)
        if role == SORT_ROLE:
            return self._sort_key(row, col)
        if role == ID_ROLE:
            return row.id
        if role == ENTITY_ROLE:
            return "Client"
        if role == STATUS_ROLE and col == COL_STATUS:
            return row.status.value
        if role == Qt.ItemDataRole.ToolTipRole and col == COL_LAST_CONTACT and row.last_contact:
            return row.last_contact.strftime("%A %d %B %Y, %H:%M")
        return None

    def _display(self, row: ClientRow, col: int) -> str:
        if col == COL_NAME:
            return row.name
        if col == COL_STATUS:
            return STATUS_LABELS[row.status]
        if col == COL_MANAGER:
            return row.manager or "—"
        if col == COL_INDUSTRY:
            return row.industry
        return describe_last_contact(row.last_contact, self._today)

    def _sort_key(self, row: ClientRow, col: int) -> Any:
        if col == COL_STATUS:
            return list(ClientStatus).index(row.status)
        if col == COL_LAST_CONTACT:
            # Never-contacted clients sort as the longest ago.
            return (row.last_contact or datetime.min).isoformat()
        return self._display(row, col).casefold()

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        row = self.row_data(index.row())
        if row is None:
            return False
        col = index.column()
        if col == COL_NAME:
            name = str(value).strip()
            if name == row.name:
                return False
            op = Update(Client, row.id, {"name": name}, label=f"Rename client to “{name}”")
        elif col == COL_STATUS:
            try:
                status = ClientStatus(value)
            except ValueError:
                self.workspace.failed.emit(f"Client status: {value!r} is not a status")
                return False
            if status == row.status:
                return False
            op = Update(
                Client,
                row.id,
                {"status": status},
                label=f"Set {row.name} to {STATUS_LABELS[status]}",
            )
        elif col == COL_MANAGER:
            manager_id = str(value) if value else None
            if manager_id == row.manager_id:
                return False
            member = self.workspace.store.get(TeamMember, manager_id) if manager_id else None
            if manager_id and member is None:
                self.workspace.failed.emit("Client account manager: that person no longer exists")
                return False
            label = (
                f"Make {member.name} account manager of {row.name}"
                if member
                else f"Remove account manager of {row.name}"
            )
            op = Update(Client, row.id, {"account_manager_id": manager_id}, label=label)
        else:
            return False
        # The model refreshes from the ChangeSet the run broadcasts, like any other change.
        return self.workspace.run(op)

    def manager_choices(self) -> list[tuple[str, str]]:
        """(id, name) of the active team members, for the account manager editor."""
        rows = self.workspace.session.execute(
            select(TeamMember.id, TeamMember.name)
            .where(TeamMember.active.is_(True))
            .order_by(func.lower(TeamMember.name))
        )
        return [("", NO_MANAGER), *((id_, name) for id_, name in rows)]

    # -- sorting -------------------------------------------------------------------------------
    # The model sorts itself (the proxy only filters): the ids come in name order from the
    # database, so the list opens sorted without comparing a single pair, and a change moves
    # only the rows whose sort key changed.

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(HEADERS):
            return
        if (column, order) == (self._sort_column, self._sort_order):
            return
        self.layoutAboutToBeChanged.emit()
        self._fetch([i for i in self._ids if i not in self._rows])
        persistent = self.persistentIndexList()
        held = [(self._ids[i.row()], i.column()) for i in persistent]
        self._sort_column, self._sort_order = column, order
        self._ids.sort(
            key=lambda i: self._sort_key(self._rows[i], column),
            reverse=order == Qt.SortOrder.DescendingOrder,
        )
        self._reindex()
        self.changePersistentIndexList(
            persistent, [self.index(self._pos[i], col) for i, col in held]
        )
        self.layoutChanged.emit()

    def _key_of(self, client_id: str) -> Any:
        row = self._rows.get(client_id)
        if row is None:
            row = self.row_data(self._pos[client_id])
        return self._sort_key(row, self._sort_column) if row else ""

    def _place_for(self, key: Any, ids: list[str]) -> int:
        """Where a row with this sort key goes among `ids` (after its equals)."""
        descending = self._sort_order == Qt.SortOrder.DescendingOrder
        lo, hi = 0, len(ids)
        while lo < hi:
            mid = (lo + hi) // 2
            other = self._key_of(ids[mid])
            if (key > other) if descending else (key < other):
                hi = mid
            else:
                lo = mid + 1
        return lo

    def _reposition(self, client_id: str) -> None:
        row = self._pos.get(client_id)
        if row is None:
            return
        key = self._key_of(client_id)
        rest = self._ids[:row] + self._ids[row + 1 :]
        target = self._place_for(key, rest)
        if target == row:
            return
        # Qt counts the destination in the old rows: moving down lands after the target.
        self.beginMoveRows(
            QModelIndex(), row, row, QModelIndex(), target if target < row else target + 1
        )
        self._ids = rest
        self._ids.insert(target, client_id)
        self._reindex()
        self.endMoveRows()

    # -- refreshing from a ChangeSet -----------------------------------------------------------

    def apply_changes(self, changes: ChangeSet) -> None:
        self._today = date.today()
        stale: set[str] = set()
        if changes.touches("Client"):
            self._remove(changes.removed.get("Client", set()))
            self._add(changes.added.get("Client", set()))
            stale |= changes.changed.get("Client", set())
        if changes.touches("Interaction"):
            stale |= self._clients_of_interactions(changes)
        if changes.touches("TeamMember"):
            members = changes.ids("TeamMember")
            stale |= {r.id for r in self._rows.values() if r.manager_id in members}
        self._refresh(stale)

    def _clients_of_interactions(self, changes: ChangeSet) -> set[str]:
        touched = changes.ids("Interaction")
        # A removed interaction no longer says whose it was; it matters only if it was the
        # latest one of a client we show, which the cached row remembers.
        found = {r.id for r in self._rows.values() if r.last_interaction_id in touched}
        present = changes.added.get("Interaction", set()) | changes.changed.get(
            "Interaction", set()
        )
        if present:
            found |= set(
                self.workspace.session.scalars(
                    select(Interaction.client_id).where(Interaction.id.in_(present))
                )
            )
        return found

    def _refresh(self, ids: set[str]) -> None:
        cached = [i for i in ids if i in self._rows]
        for id_ in cached:
            del self._rows[id_]
        # Rows not cached yet will be read fresh when shown; cached ones are re-read now so
        # the view repaints with the new values.
        self._fetch(cached)
        last = len(HEADERS) - 1
        for id_ in ids:
            row = self.row_of(id_)
            if row >= 0:
                self.dataChanged.emit(self.index(row, 0), self.index(row, last))
                self._reposition(id_)

    def _add(self, ids: set[str]) -> None:
        fresh = [i for i in ids if i not in self._pos]
        self._fetch(fresh)
        for id_ in fresh:
            row = self._rows.get(id_)
            if row is None:  # added and removed again before we looked
                continue
            place = self._place_for(self._sort_key(row, self._sort_column), self._ids)
            self.beginInsertRows(QModelIndex(), place, place)
            self._ids.insert(place, id_)
            self._reindex()
            self.endInsertRows()

    def _remove(self, ids: set[str]) -> None:
        rows = sorted((self.row_of(i) for i in ids), reverse=True)
        for row in rows:
            if row < 0:
                continue
            self.beginRemoveRows(QModelIndex(), row, row)
            self._rows.pop(self._ids.pop(row), None)
            self._reindex()
            self.endRemoveRows()
