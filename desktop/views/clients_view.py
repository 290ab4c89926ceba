"""The Clients area: the account managers' list of clients with status, account manager and
last contact; name and status edit in place, each edit one undo step."""

from __future__ import annotations

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QRegularExpression,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.models import Client, ClientStatus
from db.operations import Create, Delete
from desktop.models.clients_table import (
    COL_INDUSTRY,
    COL_LAST_CONTACT,
    COL_MANAGER,
    COL_NAME,
    COL_STATUS,
    STATUS_LABELS,
    ClientsTableModel,
)
from desktop.models.roles import ID_ROLE, STATUS_ROLE
from desktop.views.area_header import AreaHeader
from desktop.views.delegates import StatusDelegate
from desktop.workspace import Workspace

AnyIndex = QModelIndex | QPersistentModelIndex


class ClientsProxy(QSortFilterProxyModel):
    """Filters on the typed text and a status; sorting is passed to the model."""

    def __init__(self) -> None:
        super().__init__()
        self.setFilterKeyColumn(-1)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.status: str | None = None

    def set_status(self, status: str | None) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.9+; the older call is deprecated there
            self.beginFilterChange()
            self.status = status
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.status = status
            self.invalidateRowsFilter()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        # The client model sorts itself (it opens already sorted and moves only changed
        # rows); this proxy keeps the model's order and only filters.
        self.sourceModel().sort(column, order)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        if self.status:
            index = self.sourceModel().index(source_row, COL_STATUS, source_parent)
            if index.data(STATUS_ROLE) != self.status:
                return False
        return super().filterAcceptsRow(source_row, source_parent)


class ClientsView(QWidget):
    """Signals:
    client_activated(str): a client was opened (double-click on a read-only cell or Return),
        for the client page to show.
    """

    client_activated = Signal(str)
    new_text = "New Client"

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.model = ClientsTableModel(workspace)
        self.proxy = ClientsProxy()
        self.proxy.setSourceModel(self.model)

        self.header = AreaHeader("Clients", "Filter clients")
        self.status_filter = QComboBox()
        self.status_filter.addItem("All statuses", None)
        for status, label in STATUS_LABELS.items():
            self.status_filter.addItem(label, status.value)
        self.status_filter.currentIndexChanged.connect(
            lambda _i: self.proxy.set_status(self.status_filter.currentData())
        )
        self.header.extra.addWidget(self.status_filter)
        self.header.filter_changed.connect(self._filter)

        self.table = QTableView()
        self.item_view = self.table
        self.table.setObjectName("clientsTable")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        # Indicator first: enabling sorting then sorts once, by name, instead of twice.
        self.table.horizontalHeader().setSortIndicator(COL_NAME, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 14)
        self.table.setItemDelegateForColumn(
            COL_STATUS,
            StatusDelegate(lambda: [(s.value, STATUS_LABELS[s]) for s in ClientStatus], self),
        )
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        em = self.fontMetrics().averageCharWidth()
        for col, chars in (
            (COL_STATUS, 14),
            (COL_MANAGER, 24),
            (COL_INDUSTRY, 22),
            (COL_LAST_CONTACT, 16),
        ):
            header.resizeSection(col, chars * em)
        self.table.doubleClicked.connect(self._activated)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.table, 1)

        for signal in (self.proxy.rowsInserted, self.proxy.rowsRemoved, self.proxy.modelReset):
            signal.connect(self._update_count)
        self.proxy.layoutChanged.connect(self._update_count)
        self._update_count()

    # -- Area ----------------------------------------------------------------------------------

    def new_item(self) -> None:
        op = Create(Client, {"name": "New client", "status": ClientStatus.LEAD}, label="New client")
        if not self.workspace.run(op):
            return
        self.header.filter.clear()
        self.status_filter.setCurrentIndex(0)
        self.edit_client(op.id)

    def delete_selected(self) -> None:
        client_id = self.selected_client()
        if client_id is None:
            return
        row = self.model.row_data(self.model.row_of(client_id))
        name = row.name if row else "client"
        self.workspace.run(Delete(Client, client_id, label=f"Delete client “{name}”"))

    def focus_filter(self) -> None:
        self.header.filter.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.header.filter.selectAll()

    # -- helpers -------------------------------------------------------------------------------

    def proxy_index(self, client_id: str, column: int = COL_NAME) -> QModelIndex:
        row = self.model.row_of(client_id)
        if row < 0:
            return QModelIndex()
        return self.proxy.mapFromSource(self.model.index(row, column))

    def selected_client(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(ID_ROLE) if rows else None

    def edit_client(self, client_id: str) -> None:
        index = self.proxy_index(client_id)
        if index.isValid():
            self.table.setCurrentIndex(index)
            self.table.scrollTo(index)
            self.table.edit(index)

    def _filter(self, text: str) -> None:
        self.proxy.setFilterRegularExpression(
            QRegularExpression(
                QRegularExpression.escape(text),
                QRegularExpression.PatternOption.CaseInsensitiveOption,
            )
        )
        self._update_count()

    def _update_count(self, *_args: object) -> None:
        self.header.set_count(self.proxy.rowCount(), self.model.rowCount(), "client")

    def _activated(self, index: QModelIndex) -> None:
        if not index.flags() & Qt.ItemFlag.ItemIsEditable:
            self.client_activated.emit(index.data(ID_ROLE))
