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
    QPushButton,
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
from desktop.views.delegates import ChoiceDelegate, StatusDelegate
from desktop.views.detail_host import DetailFactory, DetailHost
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
    client_activated(str): a client was opened (Return, a double-click on a read-only cell,
        or the Open button).
    project_activated(str): the opened client's page asked to open one of its projects.
    """

    client_activated = Signal(str)
    project_activated = Signal(str)
    new_text = "New Client"
    delete_text = "Delete Client"

    def __init__(
        self,
        workspace: Workspace,
        parent: QWidget | None = None,
        *,
        detail_factory: DetailFactory | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.detail_factory = detail_factory
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
        self.open_button = QPushButton("Open")
        self.open_button.setToolTip("Open the selected client's page (Return)")
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self._open_selected)
        if detail_factory is not None:
            self.header.extra.addWidget(self.open_button)
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
        # The model already holds name order, so enabling sorting by name costs nothing.
        self.table.horizontalHeader().setSortIndicator(COL_NAME, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 14)
        self.table.setItemDelegateForColumn(
            COL_STATUS,
            StatusDelegate(lambda: [(s.value, STATUS_LABELS[s]) for s in ClientStatus], self),
        )
        self.table.setItemDelegateForColumn(
            COL_MANAGER, ChoiceDelegate(self.model.manager_choices, self)
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
        # Return, or a double-click on a cell that does not edit in place.
        self.table.activated.connect(self._activated)
        self.table.selectionModel().selectionChanged.connect(
            lambda *_: self.open_button.setEnabled(self.selected_client() is not None)
        )

        list_page = QWidget()
        list_layout = QVBoxLayout(list_page)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.setSpacing(0)
        list_layout.addWidget(self.header)
        list_layout.addWidget(self.table, 1)
        self.host = DetailHost(list_page, "All clients")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.host)

        for signal in (self.proxy.rowsInserted, self.proxy.rowsRemoved, self.proxy.modelReset):
            signal.connect(self._update_count)
        self.proxy.layoutChanged.connect(self._update_count)
        self._update_count()

    # -- Area ----------------------------------------------------------------------------------

    def new_item(self) -> None:
        self.host.show_list()
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
        self.host.show_list()
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
        client_id = index.data(ID_ROLE)
        if client_id:
            self.open_client(client_id)

    def _open_selected(self) -> None:
        client_id = self.selected_client()
        if client_id:
            self.open_client(client_id)

    def open_client(self, client_id: str) -> None:
        """Show the client's page in place of the list (when this area has one)."""
        self.client_activated.emit(client_id)
        if self.detail_factory is None or self.model.row_of(client_id) < 0:
            return
        widget = self.detail_factory(self.workspace, client_id)
        # Optional signals of a detail page, connected when it has them.
        project_activated = getattr(widget, "project_activated", None)
        if project_activated is not None:
            project_activated.connect(self.project_activated)
        gone = getattr(widget, "closed_by_deletion", None)
        if gone is not None:
            gone.connect(self.host.show_list)
        row = self.model.row_data(self.model.row_of(client_id))
        self.host.show_detail(widget, row.name if row else "Client")

    def open_first_item(self) -> bool:
        """Open the first client shown (the self-test's look at the detail page)."""
        if self.detail_factory is None or self.proxy.rowCount() == 0:
            return False
        self.open_client(self.proxy.index(0, COL_NAME).data(ID_ROLE))
        return True
