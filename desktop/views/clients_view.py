"""The Clients area: the account managers' list of clients with status, account manager,
health badge, last contact, next follow-up, open projects and pipeline; type-to-filter across
names, contacts, tags and notes; chips for status, account manager and "My clients". Name,
status and manager edit in place, each edit one undo step."""

from __future__ import annotations

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QSettings,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QKeySequence, QPaintEvent
from PySide6.QtWidgets import (
    QInputDialog,
    QMenu,
    QVBoxLayout,
    QWidget,
)

from db.am.tags import agency_tags, rename_tag
from db.changes import ChangeSet
from db.models import Client, ClientStatus
from db.operations import Create
from db.validation import NAME_MAX
from desktop.models.clients_table import (
    COL_MANAGER,
    COL_NAME,
    STATUS_LABELS,
    ClientsTableModel,
)
from desktop.models.custom_columns import KEY_PREFIX as CUSTOM_KEY_PREFIX
from desktop.models.roles import ID_ROLE
from desktop.printing.printable import PrintTarget
from desktop.station_member import member_choices, set_station_member, station_member
from desktop.views.clients_list_page import ClientsListPage
from desktop.views.column_chooser import ColumnChooser
from desktop.views.delegates import ChoiceDelegate, LimitedTextDelegate
from desktop.views.deletion import DeleteOffer, Deletion, delete_rows
from desktop.views.detail_host import DetailFactory, DetailHost
from desktop.workspace import Workspace

AnyIndex = QModelIndex | QPersistentModelIndex
SETTINGS_COLUMNS = "clients/columns"  # the column chooser's choice


class ClientsView(QWidget):
    """Signals:
    client_activated(str): a client was opened (Return, a double-click on a read-only cell,
        or the Open button).
    project_activated(str): the opened client's page asked to open one of its projects.
    """

    client_activated = Signal(str)
    project_activated = Signal(str)
    new_text = "New Client"

    def __init__(
        self,
        workspace: Workspace,
        parent: QWidget | None = None,
        *,
        detail_factory: DetailFactory | None = None,
        settings: QSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.detail_factory = detail_factory
        self.settings = settings  # where "I am <team member>" is kept for "My clients"
        # The view attaches to the model itself, which filters as well as sorts: a proxy
        # in between doubled the Python calls behind every painted cell.
        self.model = ClientsTableModel(workspace)

        statuses = [(status.value, STATUS_LABELS[status]) for status in ClientStatus]
        self.page = ClientsListPage(
            statuses, with_open=detail_factory is not None, refill_tags=self._fill_tags
        )
        page = self.page
        self.header, self.my_clients = page.header, page.my_clients
        self.status_filter, self.manager_filter = page.status_filter, page.manager_filter
        self.tag_filter, self.rename_tag_button = page.tag_filter, page.rename_tag_button
        self.open_button = page.open_button
        self.my_clients.toggled.connect(self._my_clients_toggled)
        self.status_filter.currentIndexChanged.connect(
            lambda _i: self.model.set_status(self.status_filter.currentData())
        )
        self._fill_managers()
        self.manager_filter.currentIndexChanged.connect(self._manager_picked)
        self._fill_tags()
        self.tag_filter.currentIndexChanged.connect(
            lambda _i: self.model.set_tag(self.tag_filter.currentData())
        )
        self.rename_tag_button.clicked.connect(self.ask_tag_name)
        self.tag_filter.currentIndexChanged.connect(
            lambda _i: self.rename_tag_button.setEnabled(self.tag_filter.currentData() is not None)
        )
        self.tag_dialog: QInputDialog | None = None
        self.open_button.clicked.connect(self._open_selected)
        self.header.filter_changed.connect(self._filter)

        self.table = page.table
        self.item_view = self.table
        self.table.setModel(self.model)
        page.size_columns()
        self.table.setItemDelegateForColumn(
            COL_MANAGER, ChoiceDelegate(self.model.manager_choices, self)
        )
        self.table.setItemDelegateForColumn(COL_NAME, LimitedTextDelegate(self, limit=NAME_MAX))
        # Right-click the header: show or hide columns, the custom fields' among them.
        self.columns = ColumnChooser(
            self.table,
            self.model.column_key,
            SETTINGS_COLUMNS,
            hidden_by_default=lambda key: key.startswith(CUSTOM_KEY_PREFIX),
        )
        # Return, or a double-click on a cell that does not edit in place.
        self.table.activated.connect(self._activated)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self.show_menu)
        self.menu: QMenu | None = None
        self.table.selectionModel().selectionChanged.connect(
            lambda *_: self.open_button.setEnabled(self.selected_client() is not None)
        )
        self.delete_offer = DeleteOffer(self.table, self.deletion)

        self.host = DetailHost(page, "All clients")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.host)

        for signal in (
            self.model.rowsInserted,
            self.model.rowsRemoved,
            self.model.modelReset,
            self.model.layoutChanged,
        ):
            signal.connect(self._update_count)
        workspace.changed.connect(self._team_changed)
        self._prefetched = False
        self.destroyed.connect(self.model.stop_prefetch)
        self._update_count()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        # After the list's first paint, not on show: the worker's reads hold the interpreter
        # too, and before the paint they only delay it (issue 19).
        if not self._prefetched:
            self._prefetched = True
            QTimer.singleShot(0, self._prefetch_figures)

    def _prefetch_figures(self) -> None:
        self.model.prefetch()

    def use_settings(self, settings: QSettings) -> None:
        """The main window hands over its settings (where the station's member is kept)."""
        self.settings = settings
        self.columns.use_settings(settings)

    # -- Area ----------------------------------------------------------------------------------

    def new_item(self) -> None:
        self.host.show_list()
        op = Create(Client, {"name": "New client", "status": ClientStatus.LEAD}, label="New client")
        if not self.workspace.run(op):
            return
        self.header.filter.clear()
        self.status_filter.setCurrentIndex(0)
        self.manager_filter.setCurrentIndex(0)
        self.my_clients.setChecked(False)
        self.edit_client(op.id)

    def deletion(self) -> Deletion | None:
        """Edit > Delete on the list: the selected client, with everything that is theirs."""
        client_id = self.selected_client()
        if client_id is None:
            return None
        row = self.model.light(client_id)
        at = self.model.row_of(client_id)
        return Deletion(
            Client,
            [client_id],
            ("client", "clients"),
            row.name if row else "",
            after=lambda: self._select_row(at),
            whole_tree=True,
        )

    def _select_row(self, row: int) -> None:
        """After a delete: the client that took the deleted one's place, else the last."""
        row = min(row, self.model.rowCount() - 1)
        if row >= 0:
            index = self.model.index(row, COL_NAME)
            self.table.setCurrentIndex(index)
            self.table.scrollTo(index)

    def print_target(self) -> PrintTarget | None:
        """The open client page's summary (`Printable`); nothing of the list's own."""
        return self.host.print_target()

    def focus_filter(self) -> None:
        self.host.show_list()
        self.header.filter.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.header.filter.selectAll()

    # -- helpers -------------------------------------------------------------------------------

    def proxy_index(self, client_id: str, column: int = COL_NAME) -> QModelIndex:
        """The client's cell in the table (invalid while the filter hides the client)."""
        row = self.model.row_of(client_id)
        if row < 0:
            return QModelIndex()
        return self.model.index(row, column)

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
        self.model.set_text(text)
        self._update_count()

    # -- account manager chips ------------------------------------------------------------------

    def _fill_managers(self) -> None:
        self.page.fill_managers(member_choices(self.workspace.session))

    def _fill_tags(self) -> None:
        if not self.page.fill_tags(agency_tags(self.workspace.session)):
            self.model.set_tag(None)  # the tag went (renamed, or its clients)
            self.rename_tag_button.setEnabled(False)

    def ask_tag_name(self) -> QInputDialog | None:
        """Rename the picked tag across the agency (one undo step)."""
        old = self.tag_filter.currentData()
        if old is None:
            return None
        dialog = QInputDialog(self)
        dialog.setWindowTitle("Rename tag")
        dialog.setLabelText(f"Rename “{old}” on every client to:")
        dialog.setTextValue(old)
        dialog.textValueSelected.connect(lambda new: self.rename_tag(old, new))
        self.tag_dialog = dialog
        dialog.open()
        return dialog

    def rename_tag(self, old: str, new: str) -> bool:
        new = " ".join(new.split())
        if not new or new == old:
            return False
        if not self.workspace.run(rename_tag(self.workspace.session, old, new)):
            return False
        self._fill_tags()
        self.tag_filter.setCurrentIndex(max(self.tag_filter.findData(new), 0))
        return True

    def _team_changed(self, changes: ChangeSet) -> None:
        if changes.touches("Client"):
            # Read the agency's tags again when the list of them is next opened: reading
            # every client's tags on each client edit would slow every rename.
            self.tag_filter.stale = True
        if changes.touches("TeamMember"):
            self._fill_managers()
        # A client added or removed while the filter hides it changes only the total.
        self._update_count()

    def _manager_picked(self, _index: int) -> None:
        if self.my_clients.isChecked():
            self.my_clients.setChecked(False)  # picking someone else ends "My clients"
        self.model.set_manager(self.manager_filter.currentData())
        self._update_count()

    def _my_clients_toggled(self, on: bool) -> None:
        if not on:
            self.model.set_manager(self.manager_filter.currentData())
            self._update_count()
            return
        member_id = station_member(self.settings, self.workspace.session) or self.ask_who_i_am()
        if member_id is None:
            self.my_clients.blockSignals(True)
            self.my_clients.setChecked(False)
            self.my_clients.blockSignals(False)
            return
        self.model.set_manager(member_id)
        self._update_count()

    def ask_who_i_am(self) -> str | None:
        """Ask once which team member uses this station; kept in the station's settings."""
        choices = member_choices(self.workspace.session)
        if not choices:
            self.workspace.failed.emit("My clients: add yourself to the team first")
            return None
        name, ok = QInputDialog.getItem(
            self,
            "Who are you?",
            "My clients shows the clients of:",
            [n for _i, n in choices],
            0,
            False,
        )
        if not ok:
            return None
        member_id = next(i for i, n in choices if n == name)
        set_station_member(self.settings, member_id)
        return member_id

    def _update_count(self, *_args: object) -> None:
        self.header.set_count(self.model.rowCount(), self.model.total(), "client")

    def _activated(self, index: QModelIndex) -> None:
        client_id = index.data(ID_ROLE)
        if client_id:
            self.open_client(client_id)

    def show_menu(self, at: QPoint) -> QMenu | None:
        """Right-click on a client: Open, Rename and Delete, as on every list."""
        index = self.table.indexAt(at)
        if not index.isValid():
            return None
        self.table.setCurrentIndex(index)
        self.table.selectRow(index.row())
        client_id = index.data(ID_ROLE)
        menu = QMenu(self.table)
        for text, key, slot in (
            ("&Open", QKeySequence(Qt.Key.Key_Return), lambda: self.open_client(client_id)),
            ("&Rename", QKeySequence(Qt.Key.Key_F2), lambda: self.edit_client(client_id)),
            ("&Delete client", QKeySequence(QKeySequence.StandardKey.Delete), self._delete),
        ):
            action = QAction(text, menu)
            action.setShortcut(key)
            action.triggered.connect(slot)
            menu.addAction(action)
        self.menu = menu
        menu.popup(self.table.viewport().mapToGlobal(at))
        return menu

    def _delete(self) -> None:
        """The menu's Delete: as Edit > Delete does it (asking when rows go with the client)."""
        found = self.deletion()
        if found is not None:
            delete_rows(self, self.workspace, found)

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
        use_settings = getattr(widget, "use_settings", None)
        if use_settings is not None and self.settings is not None:
            use_settings(self.settings)
        gone = getattr(widget, "closed_by_deletion", None)
        if gone is not None:
            gone.connect(self.host.show_list)
        row = self.model.light(client_id)
        self.host.show_detail(widget, row.name if row else "Client")

    def open_first_item(self) -> bool:
        """Open the first client shown (the self-test's look at the detail page)."""
        if self.detail_factory is None or self.model.rowCount() == 0:
            return False
        self.open_client(self.model.client_id(0))
        return True
