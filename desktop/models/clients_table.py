"""The client list's Qt model: a thin table over `db.am.client_index.ClientIndex`, in the
shape of Anki's browser table model.

The index holds the rows (every client's light facts, figures read as rows are shown), the
filter and the sort order, and brings them up to date from each change set; this model turns
what the index did into Qt's signals (rows inserted and removed, a layout change when the
order moved, `dataChanged` for just the rows whose figures changed), serves the cells through
the column provider (`desktop.models.client_columns`), and turns an edit into an operation.

The model also filters: its rows are the clients the filter lets through, in sort order, and
the view attaches to it directly. A proxy in between cost a Python `index()` call for every
role of every painted cell, a third of a keystroke's time at 5,000 clients.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from db.am.client_index import ClientIndex, Light
from db.am.client_rows import ClientRow
from db.changes import ChangeSet
from db.labels import quoted
from db.models import Client, ClientStatus, TeamMember
from db.operations import Operation, Update
from db.roster import active_people
from desktop.formatting import display_locale
from desktop.models.client_cells import follow_up_colour
from desktop.models.client_columns import (
    COL_HEALTH,
    COL_LAST_CONTACT,
    COL_MANAGER,
    COL_NAME,
    COL_NEXT_FOLLOW_UP,
    COL_OPEN_PROJECTS,
    COL_PIPELINE,
    COL_STATUS,
    STATUS_LABELS,
    CellContext,
    client_columns,
)
from desktop.models.clients_prefetch import ClientsPrefetch
from desktop.models.custom_columns import KEY_PREFIX, CustomColumns
from desktop.models.roles import ENTITY_ROLE, HEALTH_ROLE, ID_ROLE, SORT_ROLE, STATUS_ROLE
from desktop.workspace import Workspace

__all__ = [
    "COL_HEALTH",
    "COL_LAST_CONTACT",
    "COL_MANAGER",
    "COL_NAME",
    "COL_NEXT_FOLLOW_UP",
    "COL_OPEN_PROJECTS",
    "COL_PIPELINE",
    "COL_STATUS",
    "HEALTH_ROLE",
    "STATUS_LABELS",
    "ClientsTableModel",
]

NO_MANAGER = "No account manager"

DISPLAY = int(Qt.ItemDataRole.DisplayRole)
EDIT = int(Qt.ItemDataRole.EditRole)
TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
NO_FLAGS = Qt.ItemFlag.NoItemFlags
READ_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
EDIT_FLAGS = READ_FLAGS | Qt.ItemFlag.ItemIsEditable
SERVED_ROLES = frozenset(
    int(r)
    for r in (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.EditRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.TextAlignmentRole,
        Qt.ItemDataRole.ForegroundRole,
        SORT_ROLE,
        ID_ROLE,
        ENTITY_ROLE,
        STATUS_ROLE,
        HEALTH_ROLE,
    )
)

AnyIndex = QModelIndex | QPersistentModelIndex


class ClientsTableModel(QAbstractTableModel):
    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        locale = display_locale()
        # The agency's custom client fields: columns after the list's own.
        self.custom = CustomColumns(workspace.session, locale.decimalPoint())
        self.columns = client_columns() + self.custom.columns()
        self.clients = ClientIndex(workspace.session)
        self._cells = CellContext(self.clients.today, locale)
        self._sort_column = COL_NAME
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._prefetch: ClientsPrefetch | None = None
        self.reload()
        workspace.changed.connect(self.apply_changes)

    def prefetch(self) -> None:
        """Read every row's figures and the filter text in the background (once the list
        is on screen); rows already read, or changed meanwhile, are left as they are."""
        if self._prefetch is None:
            self._prefetch = ClientsPrefetch(self.workspace.store.engine)
            self._prefetch.read.connect(self.clients.accept_prefetch)
        self._prefetch.start(self.clients.today, self.clients.change_count)

    def stop_prefetch(self) -> None:
        if self._prefetch is not None:
            self._prefetch.shutdown()

    def reload(self) -> None:
        """Read the light facts afresh (on open; a ChangeSet never needs this)."""
        self.beginResetModel()
        self.clients.reload()
        self._sort_column, self._sort_order = COL_NAME, Qt.SortOrder.AscendingOrder
        self.endResetModel()

    # -- what the view and its tests ask ---------------------------------------------------

    def row_data(self, row: int) -> ClientRow | None:
        return self.clients.figures(row)

    def light(self, client_id: str) -> Light | None:
        return self.clients.light.get(client_id)

    def sort_key(self, row: int, column: int) -> Any:
        return self.clients.key(self.clients.shown[row], self.columns[column].sort)

    def row_of(self, client_id: str) -> int:
        return self.clients.pos.get(client_id, -1)

    def client_id(self, row: int) -> str:
        return self.clients.shown[row]

    def total(self) -> int:
        """Every client, shown or filtered out."""
        return len(self.clients.order)

    def filtering(self) -> bool:
        return self.clients.filter.active()

    def column_key(self, column: int) -> str:
        """A name for a column that survives renames (the column chooser saves these)."""
        return self.columns[column].key

    def manager_choices(self) -> list[tuple[str, str]]:
        """(id, name) of the active team members (people, not roles to fill), for the
        account manager editor."""
        return [("", NO_MANAGER), *active_people(self.workspace.session)]

    # -- filtering -------------------------------------------------------------------------

    def set_text(self, text: str) -> None:
        """Show only clients whose name, tags, contacts or notes contain the text."""
        self._set_filter("text", text.strip().lower())

    def set_status(self, status: str | None) -> None:
        """Show only clients of this status (None or "": every status)."""
        self._set_filter("status", status or None)

    def set_manager(self, manager: str | None) -> None:
        """Show only the clients of this member id ("": without one; None: everyone's)."""
        self._set_filter("manager", manager)

    def set_tag(self, tag: str | None) -> None:
        """Show only clients with this tag (any case; None: every client)."""
        self._set_filter("tag", tag.casefold() if tag else None)

    def _set_filter(self, part: str, value: str | None) -> None:
        if getattr(self.clients.filter, part) == value:
            return
        setattr(self.clients.filter, part, value)
        wanted = self.clients.wanted()
        if wanted != self.clients.shown:  # the same rows: no need to lay out again
            self._relayout(wanted)

    def _relayout(self, rows: list[str]) -> None:
        """Show these rows as one layout change: rows still shown keep their selection
        and current cell."""
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        shown = self.clients.shown
        held = [(shown[i.row()], i.column()) for i in persistent]
        self.clients.set_shown(rows)
        pos = self.clients.pos
        self.changePersistentIndexList(
            persistent,
            [self.index(pos[i], col) if i in pos else QModelIndex() for i, col in held],
        )
        self.layoutChanged.emit()

    def _sync_rows(self) -> None:
        """After a change: remove the clients the filter no longer lets through and insert
        those it now does, row by row, so the view keeps everything else as it is; rows
        whose order changed are laid out afresh."""
        clients = self.clients
        wanted = clients.wanted()
        if wanted == clients.shown:
            return
        keep = set(wanted)
        for row in range(len(clients.shown) - 1, -1, -1):
            if clients.shown[row] not in keep:
                self.beginRemoveRows(QModelIndex(), row, row)
                clients.remove_shown(row)
                self.endRemoveRows()
        for row, id_ in enumerate(wanted):
            if row >= len(clients.shown) or clients.shown[row] != id_:
                if id_ in clients.pos:  # rows out of step with the order: lay out afresh
                    self._relayout(wanted)
                    return
                self.beginInsertRows(QModelIndex(), row, row)
                clients.insert_shown(row, id_)
                self.endInsertRows()
        if clients.shown != wanted:
            self._relayout(wanted)

    # -- sorting -----------------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        if (column, order) == (self._sort_column, self._sort_order):
            return
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        shown = self.clients.shown
        held = [(shown[i.row()], i.column()) for i in persistent]
        self._sort_column, self._sort_order = column, order
        self.clients.sort(self.columns[column].sort, order == Qt.SortOrder.DescendingOrder)
        pos = self.clients.pos
        self.changePersistentIndexList(persistent, [self.index(pos[i], c) for i, c in held])
        self.layoutChanged.emit()

    # -- refreshing from a ChangeSet -----------------------------------------------------------

    def apply_changes(self, changes: ChangeSet) -> None:
        columns_changed, custom_stale = self.custom.apply_changes(changes)
        if columns_changed:
            self._replace_columns()
        refresh = self.clients.apply_changes(changes)
        if custom_stale is None:
            refresh.everything = True
        else:
            refresh.stale |= custom_stale & self.clients.light.keys()
        if self.columns[self._sort_column].key.startswith(KEY_PREFIX) and custom_stale != set():
            self.clients.resort(custom_stale)
        self._cells = CellContext(self.clients.today, self._cells.locale)
        # Names, statuses, managers, searched text or sort keys may have changed: the
        # filter re-judges and the order is re-checked.
        self._sync_rows()
        shown = self.clients.shown
        last = len(self.columns) - 1
        if refresh.everything:
            if shown:
                self.dataChanged.emit(self.index(0, 0), self.index(len(shown) - 1, last))
            return
        for id_ in refresh.stale:
            row = self.row_of(id_)
            if row >= 0:
                self.dataChanged.emit(self.index(row, 0), self.index(row, last))

    def _replace_columns(self) -> None:
        """The custom fields changed: new columns, sorted by name if the sorted one is gone."""
        self.beginResetModel()
        sorted_by = self.columns[self._sort_column].key
        self.columns = client_columns() + self.custom.columns()
        keys = [column.key for column in self.columns]
        if sorted_by in keys:
            self._sort_column = keys.index(sorted_by)
        else:
            self._sort_column, self._sort_order = COL_NAME, Qt.SortOrder.AscendingOrder
            self.clients.sort(self.columns[COL_NAME].sort, False)
        self.endResetModel()

    # -- Qt model API ------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex | None = None) -> int:
        # Qt asks this often while painting: no default index built.
        return len(self.clients.shown) if parent is None or not parent.isValid() else 0

    def columnCount(self, parent: AnyIndex | None = None) -> int:
        return len(self.columns) if parent is None or not parent.isValid() else 0

    def index(self, row: int, column: int, parent: AnyIndex | None = None) -> QModelIndex:
        # The view asks for every painted cell through here; Qt's own version first asks
        # rowCount and columnCount, two calls into Python instead of this one.
        top = parent is None or not parent.isValid()
        if top and 0 <= row < len(self.clients.shown) and 0 <= column < len(self.columns):
            return self.createIndex(row, column)
        return QModelIndex()

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].header
        if role == ALIGNMENT and self.columns[section].numeric:
            return RIGHT
        if role == TOOLTIP:
            return self.columns[section].header_tip
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return NO_FLAGS
        return EDIT_FLAGS if self.columns[index.column()].edit_value else READ_FLAGS

    def data(self, index: AnyIndex, role: int = DISPLAY) -> Any:
        # A painted cell is asked for a dozen roles, most of them none of ours; at 5,000 rows
        # the list's paint time is mostly these calls, so they compare plain ints.
        if role not in SERVED_ROLES:
            return None
        row_number = index.row()
        shown = self.clients.shown
        if not 0 <= row_number < len(shown) or not index.isValid():
            return None
        id_ = shown[row_number]
        if role == ID_ROLE:
            return id_
        if role == ENTITY_ROLE:
            return "Client"
        col = index.column()
        column = self.columns[col]
        light = self.clients.light[id_]
        if column.sort.light:
            # Name, status and manager never need the figures: painting them reads nothing.
            if role == DISPLAY:
                return column.text(light, None, self._cells)
            if role == EDIT:
                return column.edit_value(light) if column.edit_value else None
            if role == SORT_ROLE:
                return column.sort.key_of(light, None)
            if role == STATUS_ROLE and col == COL_STATUS:
                return light.status.value
            if role == ALIGNMENT:
                return RIGHT if column.numeric else None
            return None
        if role == ALIGNMENT:
            return RIGHT if column.numeric else None
        row = self.clients.rows.get(id_) or self.clients.figures(row_number)
        if row is None:
            return None
        if role in (DISPLAY, EDIT):
            return column.text(light, row, self._cells)
        if role == SORT_ROLE:
            return column.sort.key_of(light, row)
        if role == HEALTH_ROLE:
            return row.health if col == COL_HEALTH else None
        if role == TOOLTIP:
            return column.tooltip(row, self._cells) if column.tooltip else None
        if role == FOREGROUND and col == COL_NEXT_FOLLOW_UP:
            return follow_up_colour(row.next_follow_up, self._cells.today)
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        client_id = self.clients.shown[index.row()]
        op = self._edit(client_id, self.clients.light[client_id], index.column(), value)
        # The model refreshes from the ChangeSet the run broadcasts, like any other change.
        return op is not None and self.workspace.run(op)

    def _edit(self, client_id: str, row: Light, col: int, value: Any) -> Operation | None:
        if col == COL_NAME:
            name = str(value).strip()
            if name == row.name:
                return None
            return Update(Client, client_id, {"name": name}, label=f"Rename client to “{name}”")
        if col == COL_STATUS:
            try:
                status = ClientStatus(value)
            except ValueError:
                self.workspace.failed.emit(f"Client status: {value!r} is not a status")
                return None
            if status == row.status:
                return None
            label = f"Set {quoted(row.name)} to {STATUS_LABELS[status]}"
            return Update(Client, client_id, {"status": status}, label=label)
        if col == COL_MANAGER:
            manager_id = str(value) if value else None
            if manager_id == row.manager_id:
                return None
            member = self.workspace.store.get(TeamMember, manager_id) if manager_id else None
            if manager_id and member is None:
                self.workspace.failed.emit("Client account manager: that person no longer exists")
                return None
            label = (
                f"Make {member.name} account manager of {quoted(row.name)}"
                if member
                else f"Remove account manager of {quoted(row.name)}"
            )
            return Update(Client, client_id, {"account_manager_id": manager_id}, label=label)
        return None
