"""The client list: one row per client with status, account manager, health, last contact,
next follow-up, open projects and pipeline value.

Shaped like Anki's browser table model. On open the model reads only the light facts of every
client (id, name, status, account manager) — enough to sort by those columns and to filter by
status and manager. The figures (`db.am.client_rows.client_list_rows`: health, dates, counts,
money) are read a batch at a time as rows are shown, and the lower-case text that
type-to-filter searches (`search_texts`) is read on the first keystroke.

A `ChangeSet` re-reads only the clients it touches: a logged call, a follow-up, a project or
its tasks and costs, an opportunity or a rating map back to their one client
(`db.am.ownership.client_of`). A removed row no longer says whose it was, so the model
remembers the client of every row it has seen change; a removal it cannot trace (a row it
never saw) marks every cached row stale, to be re-read when next shown.

The model also filters (by typed text, status and account manager): its rows are the clients
the filter lets through, in sort order, and the view attaches to it directly. A proxy in
between cost a Python `index()` call for every role of every painted cell, a third of a
keystroke's time at 5,000 clients.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QLocale, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from db.am.client_rows import ClientRow, client_list_rows, search_texts
from db.am.ownership import EVERYONE, client_of
from db.am.reading import read
from db.changes import ChangeSet
from db.labels import plural, quoted
from db.models import Client, ClientStatus, TeamMember
from db.operations import Update
from desktop.client_page.formatting import CURRENCY_SIGNS
from desktop.models.clients_prefetch import ClientsPrefetch
from desktop.models.custom_columns import CustomColumns
from desktop.models.roles import ENTITY_ROLE, ID_ROLE, SORT_ROLE, STATUS_ROLE
from desktop.workspace import Workspace

(
    COL_NAME,
    COL_STATUS,
    COL_MANAGER,
    COL_HEALTH,
    COL_LAST_CONTACT,
    COL_NEXT_FOLLOW_UP,
    COL_OPEN_PROJECTS,
    COL_PIPELINE,
) = range(8)
HEADERS = (
    "Name",
    "Status",
    "Account manager",
    "Health",
    "Last contact",
    "Next follow-up",
    "Open projects",
    "Pipeline",
)
COLUMNS = len(HEADERS)
EDITABLE = {COL_NAME, COL_STATUS, COL_MANAGER}
NUMERIC = {COL_HEALTH, COL_OPEN_PROJECTS, COL_PIPELINE}
# Columns whose sort key is known from the light facts read on open.
LIGHT_COLUMNS = {COL_NAME, COL_STATUS, COL_MANAGER}
HEALTH_ROLE = Qt.ItemDataRole.UserRole + 20  # the row's `db.am.health.Health`
NO_MANAGER = "No account manager"
OVERDUE_HUE = "#d64541"  # the health badge's "at risk" red, readable on light and dark
BATCH = 100  # rows read per query when the view asks for an uncached row

# Rows whose change alters a client's figures (health, dates, counts, money).
FIGURE_ENTITIES = (
    "Interaction",
    "FollowUp",
    "Opportunity",
    "Project",
    "Task",
    "CostEntry",
    "SatisfactionRating",
)
# Rows whose change alters the text type-to-filter searches.
TEXT_ENTITIES = ("Client", "Contact", "ClientNote", "CustomValue")

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

STATUS_LABELS = {
    ClientStatus.LEAD: "Lead",
    ClientStatus.PROSPECT: "Prospect",
    ClientStatus.ACTIVE: "Active",
    ClientStatus.PAUSED: "Paused",
    ClientStatus.FORMER: "Former",
}
STATUS_ORDER = {status: i for i, status in enumerate(ClientStatus)}

AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class Light:
    """What the list knows of every client from the moment it opens."""

    name: str
    status: ClientStatus
    manager_id: str | None
    manager: str


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


def money_text(cents: int, currency: str, locale: QLocale | None = None) -> str:
    """The amount in the client's currency, grouped and signed the way the user's locale
    writes money ('€12,500', 'CHF 12,500' or '12.500 €')."""
    locale = locale or display_locale()
    symbol = CURRENCY_SIGNS.get(currency, f"{currency} ")
    precision = 0 if cents % 100 == 0 else 2
    return locale.toCurrencyString(cents / 100, symbol, precision).strip()


def display_locale() -> QLocale:
    """The user's locale, or English where the system has none (the bare "C" locale writes
    money without grouping: '144500CHF')."""
    locale = QLocale()
    if locale.language() == QLocale.Language.C:
        return QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)
    return locale


def _day(value: date | None) -> str:
    return value.strftime("%d %b %Y") if value else "—"


class ClientsTableModel(QAbstractTableModel):
    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self._order: list[str] = []  # every client, in sort order
        self._ids: list[str] = []  # the rows: the clients the filter lets through, in order
        self._pos: dict[str, int] = {}  # id -> row, rebuilt whenever rows move
        self._text = ""  # lower case
        self._status: str | None = None
        self._manager: str | None = None  # a member id, "" for clients without one
        self._light: dict[str, Light] = {}
        self._rows: dict[str, ClientRow] = {}
        self._haystack: dict[str, str] | None = None  # read on the first keystroke
        self._tag: str | None = None  # casefolded tag the list is narrowed to
        self._tags: dict[str, frozenset[str]] | None = None  # read when a tag is picked
        self._owner: dict[tuple[str, str], str] = {}  # (entity, id) -> client, for removals
        self._sort_column = COL_NAME
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._today = date.today()
        self._locale = display_locale()
        # The agency's custom client fields: columns after the model's own (COLUMNS onwards).
        self.custom = CustomColumns(workspace.session, self._locale.decimalPoint())
        self._change_count = 0  # change sets seen, so a background read can tell it is stale
        self._prefetch: ClientsPrefetch | None = None
        self.reload()
        workspace.changed.connect(self.apply_changes)

    def prefetch(self) -> None:
        """Read every row's figures and the filter text in the background (once the list
        is on screen); rows already read, or changed meanwhile, are left as they are."""
        if self._prefetch is None:
            self._prefetch = ClientsPrefetch(self.workspace.store.engine)
            self._prefetch.read.connect(self._prefetched)
        self._prefetch.start(self._today, self._change_count)

    def stop_prefetch(self) -> None:
        if self._prefetch is not None:
            self._prefetch.shutdown()

    def _prefetched(self, rows: list[ClientRow], texts: dict[str, str], mark: int) -> None:
        if mark != self._change_count:
            return  # read before a change: the cache fills on demand instead
        for row in rows:
            self._rows.setdefault(row.id, row)
        if self._haystack is None:
            self._haystack = texts

    # -- loading -----------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the light facts afresh (on open; a ChangeSet never needs this), in name
        order; the figures of a row are read when it is shown."""
        self.beginResetModel()
        self._light = self._read_light(None)
        self._order = sorted(self._light, key=lambda i: self._light[i].name.casefold())
        self._sort_column, self._sort_order = COL_NAME, Qt.SortOrder.AscendingOrder
        self._rows.clear()
        self._haystack = None
        self._tags = None
        self._ids = self._wanted()
        self._reindex()
        self.endResetModel()

    def _read_light(self, ids: Iterable[str] | None) -> dict[str, Light]:
        manager = aliased(TeamMember)
        query = select(
            Client.id, Client.name, Client.status, Client.account_manager_id, manager.name
        ).outerjoin(manager, manager.id == Client.account_manager_id)
        if ids is not None:
            query = query.where(Client.id.in_(list(ids)))
        return {
            cid: Light(name, ClientStatus(status), am_id, am_name or "")
            for cid, name, status, am_id, am_name in read(self.workspace.session, query)
        }

    def _reindex(self) -> None:
        self._pos = {id_: row for row, id_ in enumerate(self._ids)}

    def _fetch(self, ids: Iterable[str] | None) -> None:
        """Read the figures of these clients (None: of every client, in one go)."""
        wanted = None if ids is None else list(ids)
        if wanted == []:
            return
        for row in client_list_rows(self.workspace.session, self._today, wanted):
            self._rows[row.id] = row

    def row_data(self, row: int) -> ClientRow | None:
        id_ = self._ids[row]
        cached = self._rows.get(id_)
        if cached is None:
            # Fill the run of rows the view will ask for next in one query: a view asks for
            # rows in runs.
            batch: list[str] = []
            for position in range(row, len(self._ids)):
                other = self._ids[position]
                if other not in self._rows:
                    batch.append(other)
                    if len(batch) == BATCH:
                        break
            if id_ not in batch:
                batch.insert(0, id_)
            self._fetch(batch)
            cached = self._rows.get(id_)
        return cached

    def light(self, client_id: str) -> Light | None:
        return self._light.get(client_id)

    def sort_key(self, row: int, column: int) -> Any:
        return self._key_of(self._ids[row], column)

    def row_of(self, client_id: str) -> int:
        return self._pos.get(client_id, -1)

    def client_id(self, row: int) -> str:
        return self._ids[row]

    # -- filtering -------------------------------------------------------------------------

    def haystack(self) -> dict[str, str]:
        """Lower-case text per client (name, tags, contacts, notes), read once."""
        if self._haystack is None:
            self._haystack = search_texts(self.workspace.session)
        return self._haystack

    def total(self) -> int:
        """Every client, shown or filtered out."""
        return len(self._order)

    def filtering(self) -> bool:
        return bool(self._text or self._status or self._manager is not None or self._tag)

    def set_tag(self, tag: str | None) -> None:
        """Show only clients with this tag (any case; None: every client)."""
        wanted = tag.casefold() if tag else None
        if wanted != self._tag:
            self._tag = wanted
            self._refilter()

    def _tags_of(self) -> dict[str, frozenset[str]]:
        if self._tags is None:
            rows = self.workspace.session.execute(select(Client.id, Client.tags))
            self._tags = {i: frozenset(t.casefold() for t in tags or ()) for i, tags in rows}
        return self._tags

    def set_text(self, text: str) -> None:
        """Show only clients whose name, tags, contacts or notes contain the text."""
        needle = text.strip().lower()
        if needle != self._text:
            self._text = needle
            self._refilter()

    def set_status(self, status: str | None) -> None:
        """Show only clients of this status (None or "": every status)."""
        if (status or None) != self._status:
            self._status = status or None
            self._refilter()

    def set_manager(self, manager: str | None) -> None:
        """Show only the clients of this member id ("": without one; None: everyone's)."""
        if manager != self._manager:
            self._manager = manager
            self._refilter()

    def _wanted(self) -> list[str]:
        """The clients the filter lets through, in sort order: one pass in Python, a dict
        look-up and a substring test per client on text read once."""
        order = self._order
        if not self.filtering():
            return list(order)
        if self._text:
            needle, text = self._text, self.haystack().get
            found = [i for i in order if needle in text(i, "")]
        else:
            found = order
        if self._tag:
            tag, tags = self._tag, self._tags_of()
            found = [i for i in found if tag in tags.get(i, ())]
        statuses, manager, light = self._status, self._manager, self._light
        if statuses is None and manager is None:
            return list(found)
        return [
            i
            for i in found
            if (statuses is None or light[i].status.value == statuses)
            and (manager is None or (light[i].manager_id or "") == manager)
        ]

    def _refilter(self) -> None:
        """Show the rows the changed filter lets through, as one layout change: rows still
        shown keep their selection and current cell."""
        wanted = self._wanted()
        if wanted == self._ids:
            return  # the same rows show: no need to ask the view to lay out again
        self._relayout(wanted)

    def _relayout(self, rows: list[str]) -> None:
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        held = [(self._ids[i.row()], i.column()) for i in persistent]
        self._ids = rows
        self._reindex()
        self.changePersistentIndexList(
            persistent,
            [self.index(self._pos[i], col) if i in self._pos else QModelIndex() for i, col in held],
        )
        self.layoutChanged.emit()

    def _sync_rows(self) -> None:
        """After a change: insert the clients the filter now lets through and remove those
        it no longer does, row by row, so the view keeps everything else as it is."""
        wanted = self._wanted()
        if wanted == self._ids:
            return
        keep = set(wanted)
        for row in range(len(self._ids) - 1, -1, -1):
            if self._ids[row] not in keep:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._ids[row]
                self._reindex()
                self.endRemoveRows()
        for row, id_ in enumerate(wanted):
            if row >= len(self._ids) or self._ids[row] != id_:
                if id_ in self._pos:  # rows out of step with the order: lay out afresh
                    self._relayout(wanted)
                    return
                self.beginInsertRows(QModelIndex(), row, row)
                self._ids.insert(row, id_)
                self._reindex()
                self.endInsertRows()
        if self._ids != wanted:
            self._relayout(wanted)

    def _accepts(self, client_id: str) -> bool:
        light = self._light.get(client_id)
        if light is None:
            return False
        if self._status is not None and light.status.value != self._status:
            return False
        if self._manager is not None and (light.manager_id or "") != self._manager:
            return False
        if self._text:
            return self._text in self.haystack().get(client_id, "")
        return True

    def _shown_rank(self, client_id: str) -> int:
        """The row a client goes to among the shown ones, from its place in the order."""
        rank = 0
        pos = self._pos
        for other in self._order:
            if other == client_id:
                break
            if other in pos:
                rank += 1
        return rank

    # -- Qt model API ------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex | None = None) -> int:
        # Qt asks this often while painting: no default index built.
        return len(self._ids) if parent is None or not parent.isValid() else 0

    def columnCount(self, parent: AnyIndex | None = None) -> int:
        return COLUMNS + self.custom.count if parent is None or not parent.isValid() else 0

    def index(self, row: int, column: int, parent: AnyIndex | None = None) -> QModelIndex:
        # The view asks for every painted cell through here; Qt's own version first asks
        # rowCount and columnCount, two calls into Python instead of this one.
        top = parent is None or not parent.isValid()
        if top and 0 <= row < len(self._ids) and 0 <= column < COLUMNS + self.custom.count:
            return self.createIndex(row, column)
        return QModelIndex()

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and section >= COLUMNS:
            return self._custom_header(section - COLUMNS, role)
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if role == ALIGNMENT and section in NUMERIC:
            return RIGHT
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return NO_FLAGS
        return EDIT_FLAGS if index.column() in EDITABLE else READ_FLAGS

    def data(self, index: AnyIndex, role: int = DISPLAY) -> Any:
        # A painted cell is asked for a dozen roles, most of them none of ours; at 5,000 rows
        # the list's paint time is mostly these calls, so they compare plain ints.
        if role not in SERVED_ROLES:
            return None
        row_number = index.row()
        if not 0 <= row_number < len(self._ids) or not index.isValid():
            return None
        id_ = self._ids[row_number]
        col = index.column()
        if role == ID_ROLE:
            return id_
        if role == ENTITY_ROLE:
            return "Client"
        if col >= COLUMNS:
            return self._custom_data(id_, col - COLUMNS, role)
        if col in LIGHT_COLUMNS:
            # Name, status and manager never need the figures: painting them reads nothing.
            light = self._light[id_]
            if role == DISPLAY:
                return self._light_display(light, col)
            if role == EDIT:
                return (light.name, light.status.value, light.manager_id or "")[col]
            if role == SORT_ROLE:
                return self._light_key(light, col)
            if role == STATUS_ROLE and col == COL_STATUS:
                return light.status.value
            return None
        if role == ALIGNMENT:
            return RIGHT if col in NUMERIC else None
        row = self._rows.get(id_) or self.row_data(row_number)
        if row is None:
            return None
        if role in (DISPLAY, EDIT):
            return self._display(row, col)
        if role == SORT_ROLE:
            return self._figure_key(row, col)
        if role == HEALTH_ROLE:
            return row.health if col == COL_HEALTH else None
        if role == TOOLTIP:
            return self._tooltip(row, col)
        if role == FOREGROUND and col == COL_NEXT_FOLLOW_UP:
            overdue = row.next_follow_up is not None and row.next_follow_up < self._today
            return QColor(OVERDUE_HUE) if overdue else None
        return None

    def _tooltip(self, row: ClientRow, col: int) -> str | None:
        if col == COL_HEALTH:
            return "\n".join(row.health.reasons) or "No concerns"
        if col == COL_LAST_CONTACT and row.last_contact:
            return row.last_contact.strftime("%A %d %B %Y, %H:%M")
        if col == COL_NEXT_FOLLOW_UP and row.next_follow_up:
            late = (self._today - row.next_follow_up).days
            return f"Overdue by {plural(late, 'day')}" if late > 0 else None
        return None

    def _light_display(self, light: Light, col: int) -> str:
        if col == COL_NAME:
            return light.name
        if col == COL_STATUS:
            return STATUS_LABELS[light.status]
        return light.manager or "—"

    def _light_key(self, light: Light, col: int) -> Any:
        if col == COL_STATUS:
            return STATUS_ORDER[light.status]
        return self._light_display(light, col).casefold()

    def _display(self, row: ClientRow, col: int) -> str:
        if col == COL_HEALTH:
            return str(row.health.score)
        if col == COL_LAST_CONTACT:
            return describe_last_contact(row.last_contact, self._today)
        if col == COL_NEXT_FOLLOW_UP:
            return _day(row.next_follow_up)
        if col == COL_OPEN_PROJECTS:
            return str(row.open_projects) if row.open_projects else "—"
        if col == COL_PIPELINE:
            if not row.pipeline_cents:
                return "—"
            return money_text(row.pipeline_cents, row.currency, self._locale)
        return ""

    @staticmethod
    def _figure_key(row: ClientRow, col: int) -> Any:
        if col == COL_HEALTH:
            return row.health.score
        if col == COL_LAST_CONTACT:
            # Never-contacted clients sort as the longest ago.
            return row.last_contact or datetime.min
        if col == COL_NEXT_FOLLOW_UP:
            return row.next_follow_up or date.max  # nothing planned sorts last
        if col == COL_OPEN_PROJECTS:
            return row.open_projects
        if col == COL_PIPELINE:
            return row.pipeline_cents
        return ""

    def _key_of(self, client_id: str, column: int | None = None) -> Any:
        column = self._sort_column if column is None else column
        if column >= COLUMNS:
            return self.custom.sort_key(client_id, column - COLUMNS)
        if column in LIGHT_COLUMNS:
            light = self._light.get(client_id)
            return self._light_key(light, column) if light else ""
        row = self._rows.get(client_id)
        if row is None:
            shown = self._pos.get(client_id)
            if shown is None:
                self._fetch([client_id])
                row = self._rows.get(client_id)
            else:
                row = self.row_data(shown)
        return self._figure_key(row, column) if row else ""

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        client_id = self._ids[index.row()]
        row = self._light[client_id]
        col = index.column()
        if col == COL_NAME:
            name = str(value).strip()
            if name == row.name:
                return False
            op = Update(Client, client_id, {"name": name}, label=f"Rename client to “{name}”")
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
                client_id,
                {"status": status},
                label=f"Set {quoted(row.name)} to {STATUS_LABELS[status]}",
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
                f"Make {member.name} account manager of {quoted(row.name)}"
                if member
                else f"Remove account manager of {quoted(row.name)}"
            )
            op = Update(Client, client_id, {"account_manager_id": manager_id}, label=label)
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
    # The model sorts itself: the ids come in name order, so the list opens sorted without
    # comparing a single pair, and a change moves only the rows whose sort key changed.
    # Sorting by a figure reads every client's figures in one query.

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < self.columnCount():
            return
        if (column, order) == (self._sort_column, self._sort_order):
            return
        self.layoutAboutToBeChanged.emit()
        if column not in LIGHT_COLUMNS and column < COLUMNS and len(self._rows) < len(self._order):
            self._fetch(None)
        persistent = self.persistentIndexList()
        held = [(self._ids[i.row()], i.column()) for i in persistent]
        self._sort_column, self._sort_order = column, order
        self._order.sort(
            key=lambda i: self._key_of(i, column),
            reverse=order == Qt.SortOrder.DescendingOrder,
        )
        shown = self._pos
        self._ids = [i for i in self._order if i in shown]
        self._reindex()
        self.changePersistentIndexList(
            persistent, [self.index(self._pos[i], col) for i, col in held]
        )
        self.layoutChanged.emit()

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
        if client_id not in self._light:
            return
        old = self._order.index(client_id)
        key = self._key_of(client_id)
        rest = self._order[:old] + self._order[old + 1 :]
        target = self._place_for(key, rest)
        if target == old:
            return
        rest.insert(target, client_id)
        self._order = rest
        row = self._pos.get(client_id)
        if row is None:
            return  # filtered out: no row moves
        new_row = self._shown_rank(client_id)
        if new_row == row:
            return
        # Qt counts the destination in the old rows: moving down lands after the target.
        self.beginMoveRows(
            QModelIndex(), row, row, QModelIndex(), new_row if new_row < row else new_row + 1
        )
        del self._ids[row]
        self._ids.insert(new_row, client_id)
        self._reindex()
        self.endMoveRows()

    # -- refreshing from a ChangeSet -----------------------------------------------------------

    def apply_changes(self, changes: ChangeSet) -> None:
        self._change_count += 1
        if date.today() != self._today:  # past midnight: every "days since" moved on
            self._today = date.today()
            self._stale_everything()
        if changes.touches("AgencySetting"):  # thresholds or the working week
            self._stale_everything()
        stale: set[str] = set()
        if changes.touches("Client"):
            self._remove(changes.removed.get("Client", set()))
            self._add(changes.added.get("Client", set()))
            changed = changes.changed.get("Client", set())
            self._light.update(self._read_light(changed))
            stale |= changed
        if changes.touches("TeamMember"):
            members = changes.ids("TeamMember")
            mine = {i for i, light in self._light.items() if light.manager_id in members}
            self._light.update(self._read_light(mine))
            stale |= mine
        if changes.touches(*FIGURE_ENTITIES):
            found, traced = self._clients_of(changes, FIGURE_ENTITIES)
            if not traced:
                self._stale_everything()
            stale |= found
        if changes.touches("Client"):
            self._tags = None  # read again when a tag filter asks
        if self._haystack is not None and changes.touches(*TEXT_ENTITIES):
            found, traced = self._clients_of(changes, TEXT_ENTITIES)
            if traced:
                self._haystack.update(search_texts(self.workspace.session, found))
            else:
                self._haystack = None  # read again on the next keystroke
        self._refresh(stale)
        self._apply_custom(changes)
        # Names, statuses, managers or searched text may have changed: the filter re-judges.
        self._sync_rows()

    # -- custom field columns (desktop.models.custom_columns) ----------------------------------

    def _custom_header(self, i: int, role: int) -> Any:
        if not 0 <= i < self.custom.count:
            return None
        if role == DISPLAY:
            return self.custom.header(i)
        if role == TOOLTIP:
            return self.custom.tooltip(i)
        return None

    def _custom_data(self, client_id: str, i: int, role: int) -> Any:
        if not 0 <= i < self.custom.count:
            return None
        if role in (DISPLAY, EDIT):
            return self.custom.display(client_id, i)
        if role == SORT_ROLE:
            return self.custom.sort_key(client_id, i)
        return None

    def column_key(self, column: int) -> str:
        """A name for a column that survives renames (the column chooser saves these)."""
        return self.custom.key(column - COLUMNS) if column >= COLUMNS else HEADERS[column]

    def _apply_custom(self, changes: ChangeSet) -> None:
        columns_changed, clients = self.custom.apply_changes(changes)
        if columns_changed:
            self.beginResetModel()
            if self._sort_column >= COLUMNS:
                self._sort_column = COL_NAME  # the column may be gone; name order is kept
                self._order.sort(key=lambda i: self._key_of(i, COL_NAME))
                self._ids = [i for i in self._order if i in self._pos]
                self._reindex()
            self.endResetModel()
            return
        if not self.custom.count or not self._ids or clients == set():
            return
        first, last = COLUMNS, COLUMNS + self.custom.count - 1
        rows = (
            range(len(self._ids))
            if clients is None
            else sorted(self._pos[c] for c in clients if c in self._pos)
        )
        for row in rows:
            self.dataChanged.emit(self.index(row, first), self.index(row, last))
        if self._sort_column >= COLUMNS and clients is not None:
            for client_id in clients:
                self._reposition(client_id)
        elif self._sort_column >= COLUMNS:  # any row may have moved: sort again
            column, order = self._sort_column, self._sort_order
            self._sort_column = COL_NAME  # so `sort` does not skip the same column
            self.sort(column, order)

    def _clients_of(self, changes: ChangeSet, entities: tuple[str, ...]) -> tuple[set[str], bool]:
        """The clients the change touches through these entities, and whether every row
        could be traced to its client (or to none)."""
        session = self.workspace.session
        found: set[str] = set()
        traced = True
        for entity in changes.entities() & set(entities):
            for id_ in changes.added.get(entity, set()) | changes.changed.get(entity, set()):
                owner = client_of(session, entity, id_)
                if owner == EVERYONE:
                    traced = False
                elif owner is not None:
                    self._owner[(entity, id_)] = owner
                    found.add(owner)
            for id_ in changes.removed.get(entity, set()):
                owner = self._owner.get((entity, id_))
                if entity == "Client":
                    continue
                if owner is None:
                    traced = False
                else:
                    found.add(owner)
        return found, traced

    def _stale_everything(self) -> None:
        """Forget every cached figure; rows re-read as they are shown."""
        self._rows.clear()
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, COL_PIPELINE))
        if self._sort_column not in LIGHT_COLUMNS:
            column, order = self._sort_column, self._sort_order
            self._sort_column = COL_NAME  # so `sort` does not skip the same column
            self.sort(column, order)

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
        fresh = [i for i in ids if i not in self._light]
        self._light.update(self._read_light(fresh))
        if self._haystack is not None:
            self._haystack.update(search_texts(self.workspace.session, fresh))
        if self._sort_column not in LIGHT_COLUMNS:
            self._fetch(fresh)
        for id_ in fresh:
            if id_ not in self._light:  # added and removed again before we looked
                continue
            self._order.insert(self._place_for(self._key_of_new(id_), self._order), id_)
            if not self._accepts(id_):
                continue
            row = self._shown_rank(id_)
            self.beginInsertRows(QModelIndex(), row, row)
            self._ids.insert(row, id_)
            self._reindex()
            self.endInsertRows()

    def _key_of_new(self, client_id: str) -> Any:
        if self._sort_column in LIGHT_COLUMNS:
            return self._light_key(self._light[client_id], self._sort_column)
        row = self._rows.get(client_id)
        return self._figure_key(row, self._sort_column) if row else ""

    def _remove(self, ids: set[str]) -> None:
        for id_ in ids:
            if id_ not in self._light:
                continue
            # The total drops before the row goes, so a count read on removal is right.
            self._order.remove(id_)
            self._rows.pop(id_, None)
            self._light.pop(id_, None)
            row = self._pos.get(id_)
            if row is None:
                continue
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._ids[row]
            self._reindex()
            self.endRemoveRows()
