"""The main window: a sidebar switching between areas (Clients, Projects; later issues add
more), menus and toolbar with the standard shortcuts, the status bar, and window state kept in
QSettings.

Areas are built the first time they are shown, so start-up pays only for the first screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QPaintEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from db.directory import agency_is_empty
from desktop.io.file_actions import FileActions
from desktop.printing.printable import AGENDA, PrintTarget, print_target_of
from desktop.station_member import is_account_manager, station_member
from desktop.sync.window import attach_sync
from desktop.views.area import Area
from desktop.views.deletion import DeleteOffer, delete_rows, offer_of
from desktop.views.typing import commit_typing
from desktop.window_frame import (
    AREAS,
    SETTINGS_AREA,
    SETTINGS_GEOMETRY,
    SETTINGS_STATE,
    add_area_item,
    frame,
    main_toolbar,
    place_like_main_window,
    restore_bars,
)
from desktop.workspace import Workspace

if TYPE_CHECKING:
    from db.search import Hit
    from desktop.search import SearchPopup

AreaFactory = Callable[[Workspace], QWidget]
STATUS_MS = 6000
ERROR_MS = 12000
NOTIFIER_DELAY_MS = 500
HISTORY_COMPACT_DELAY_MS = 3 * 60 * 1000


@dataclass
class _AreaSlot:
    key: str
    title: str
    factory: AreaFactory
    item: QListWidgetItem
    holder: QWidget  # an empty page until the area is first shown
    widget: QWidget | None = None


def _client_page(workspace: Workspace, client_id: str) -> QWidget:
    from desktop.client_page.page import ClientPage

    return ClientPage(workspace, client_id)


def _project_plan(workspace: Workspace, project_id: str) -> QWidget:
    from desktop.gantt.view import GanttView

    return GanttView(workspace, project_id)


def _clients_area(workspace: Workspace) -> QWidget:
    from desktop.views.clients_view import ClientsView

    return ClientsView(workspace, detail_factory=_client_page)


def _today_area(workspace: Workspace) -> QWidget:
    from desktop.today import TodayView

    return TodayView(workspace)


def _team_area(workspace: Workspace) -> QWidget:
    from desktop.team.view import TeamView

    return TeamView(workspace)


def _workload_area(workspace: Workspace) -> QWidget:
    from desktop.workload.view import WorkloadView

    return WorkloadView(workspace)


def _portfolio_area(workspace: Workspace) -> QWidget:
    from desktop.portfolio.view import PortfolioView

    return PortfolioView(workspace)


def _projects_area(workspace: Workspace) -> QWidget:
    from desktop.views.projects_view import ProjectsView

    return ProjectsView(workspace, detail_factory=_project_plan)


AREA_FACTORIES: dict[str, AreaFactory] = {
    "today": _today_area,
    "clients": _clients_area,
    "projects": _projects_area,
    "team": _team_area,
    "workload": _workload_area,
    "portfolio": _portfolio_area,
}


class MainWindow(QMainWindow):
    """Signals:
    area_changed(str): the key of the area now showing.
    first_painted(): the window painted for the first time (start-up benchmark).
    closed(): the window closed; the application ends with it.
    """

    area_changed = Signal(str)
    _search_popup: SearchPopup | None
    first_painted = Signal()
    closed = Signal()

    def __init__(
        self,
        workspace: Workspace,
        settings: QSettings | None = None,
        *,
        title: str = "Agency Desk",
        database_label: str = "",
        auto_sync: bool = True,
    ) -> None:
        super().__init__()
        self.workspace = workspace
        self.settings = settings if settings is not None else QSettings()
        self._painted = False
        self.persist = True  # False for runs that must not touch the user's settings
        self._slots: dict[str, _AreaSlot] = {}
        # The audit trail records each edit as made by whoever sits here ("I am").
        workspace.store.member_source = lambda: station_member(self.settings, workspace.session)
        self.setWindowTitle(title)
        self.setObjectName("mainWindow")
        self.resize(1180, 740)

        self.stack = QStackedWidget()
        self.sidebar = frame(self, self.stack)
        self.sidebar.currentRowChanged.connect(self._show_row)

        self._build_actions()
        self.file_actions = FileActions(self, workspace, self.settings, self)
        self._build_menus_and_toolbar()
        self.database_label = QLabel(database_label)
        self.database_label.setEnabled(False)
        self.statusBar().addPermanentWidget(self.database_label)
        workspace.done.connect(self.show_status)
        workspace.failed.connect(self.show_error)
        # A rename, an undo or a sync can change what Delete would name.
        workspace.changed.connect(self._workspace_changed)
        # A self-test or benchmark must not sync: the database's own settings may name a share.
        self.sync = attach_sync(self, workspace, self.settings, start=auto_sync)

        for key, title, shortcut in AREAS:  # Today first: an account manager's start page
            self.add_area(key, title, AREA_FACTORIES[key], shortcut)
        # A moment after the first paint: a start waits for neither the tray nor its first
        # look at what is due (issue 19).
        # The timer is the window's own, so a window closed before it fires (a test's, or a
        # quick open-and-quit) never starts a notifier afterwards.
        self.notifier: QObject | None = None
        self.notifier_timer = QTimer(self)
        self.notifier_timer.setSingleShot(True)
        self.notifier_timer.setInterval(NOTIFIER_DELAY_MS)
        self.notifier_timer.timeout.connect(self._start_notifier)
        self.first_painted.connect(self.notifier_timer.start)
        # A few minutes in, history past the agency's retention goes (db.audit.retention).
        self.history_timer = QTimer(self)
        self.history_timer.setSingleShot(True)
        self.history_timer.setInterval(HISTORY_COMPACT_DELAY_MS)
        self.history_timer.timeout.connect(self.compact_history)
        self.first_painted.connect(self.history_timer.start)

    # -- areas ---------------------------------------------------------------------------------

    def add_area(self, key: str, title: str, factory: AreaFactory, shortcut: str = "") -> None:
        """Host another top-level area (a dashboard, a resource plan, …) with a sidebar entry
        and a View menu shortcut. The factory runs the first time the area is shown."""
        holder = QWidget()
        holder_layout = QHBoxLayout(holder)
        holder_layout.setContentsMargins(0, 0, 0, 0)
        item = add_area_item(self, self.sidebar, title)
        self._slots[key] = _AreaSlot(key, title, factory, item, holder)
        self.stack.addWidget(holder)
        action = QAction(title, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda: self.show_area(key))
        self.view_menu.addAction(action)
        self.addAction(action)  # the shortcut works whether or not a menu bar is showing

    def area_keys(self) -> list[str]:
        return list(self._slots)

    def area(self, key: str) -> QWidget:
        slot = self._slots[key]
        if slot.widget is None:
            slot.widget = slot.factory(self.workspace)
            layout = slot.holder.layout()
            assert layout is not None
            layout.addWidget(slot.widget)
            use_settings = getattr(slot.widget, "use_settings", None)
            if use_settings is not None:  # who sits at this station ("My clients", Today)
                use_settings(self.settings)
            client_activated = getattr(slot.widget, "client_activated", None)
            if key != "clients" and client_activated is not None:
                client_activated.connect(self.open_client)
            actions_changed = getattr(slot.widget, "actions_changed", None)
            if actions_changed is not None:  # New follows the area's page: "New Task" in a plan
                actions_changed.connect(self._name_area_actions)
            # A project opened from another area (a client's page) opens in Projects.
            if key != "projects" and hasattr(slot.widget, "project_activated"):
                slot.widget.project_activated.connect(self.open_project)
        return slot.widget

    def open_project(self, project_id: str, task_id: str | None = None) -> None:
        self.show_area("projects")
        projects = self.area("projects")
        open_project = getattr(projects, "open_project", None)
        if open_project is not None:
            if task_id:
                open_project(project_id, task_id)
            else:
                open_project(project_id)

    # -- Ctrl+K --------------------------------------------------------------------------------

    def open_search(self) -> QWidget:
        from desktop.search import SearchPopup

        if self._search_popup is None:
            popup = SearchPopup(self.workspace, self)
            popup.opened.connect(self.open_hit)
            self._search_popup = popup
        self._search_popup.popup()
        return self._search_popup

    def open_hit(self, hit: Hit) -> None:
        """Show a search result where it lives: a task or project as its Gantt row, anything
        else on its client's page, in the tab that lists it."""
        if hit.kind in ("Project", "Task") and hit.project_id:
            self.open_project(hit.project_id, hit.row_id if hit.kind == "Task" else None)
            return
        if hit.client_id is None:
            return
        self.open_client(hit.client_id)
        host = getattr(self.area("clients"), "host", None)
        page = getattr(host, "detail", None)
        show_record = getattr(page, "show_record", None)
        if show_record is not None and hit.kind != "Client":
            show_record(hit.kind, hit.row_id)

    def open_client(self, client_id: str) -> None:
        """Show a client's page in the Clients area (from Today or any other area)."""
        self.show_area("clients")
        clients = self.area("clients")
        open_client = getattr(clients, "open_client", None)
        if open_client is not None:
            open_client(client_id)

    def compact_history(self) -> None:
        """Forget history older than the agency keeps it; a busy database waits for the
        next sync, which does the same."""
        from db.audit.retention import compact_session
        from db.sync.hlc import wall_ms

        try:
            compact_session(self.workspace.session, wall_ms())
        except SQLAlchemyError:
            self.workspace.session.rollback()

    def _start_notifier(self) -> None:
        """Tray notifications of due items; none where the platform has no tray."""
        from desktop.notifications import DueNotifier

        if self.notifier is not None or not self.isVisible() or not DueNotifier.available():
            return
        notifier = DueNotifier(self.workspace, self.settings, self.windowIcon(), self)
        notifier.start()
        self.notifier = notifier

    def show_area(self, key: str) -> None:
        slot = self._slots[key]
        self.sidebar.setCurrentItem(slot.item)

    def current_area_key(self) -> str:
        row = self.sidebar.currentRow()
        return list(self._slots)[row] if row >= 0 else ""

    def current_area(self) -> QWidget | None:
        key = self.current_area_key()
        return self.area(key) if key else None

    def _show_row(self, row: int) -> None:
        if row < 0:
            return
        key = list(self._slots)[row]
        self.area(key)  # built the first time it shows
        self.stack.setCurrentIndex(row)
        self._name_area_actions()
        self.area_changed.emit(key)

    def _name_area_actions(self) -> None:
        widget = self.current_area()
        is_area = isinstance(widget, Area)
        self.new_action.setText(widget.new_text if isinstance(widget, Area) else "New")
        self.new_action.setEnabled(is_area)
        self.name_delete_action()

    # -- actions -------------------------------------------------------------------------------

    def _build_actions(self) -> None:
        keys = QKeySequence.StandardKey
        self.new_action = QAction("New", self)
        self.new_action.setShortcuts(keys.New)
        self.new_action.triggered.connect(self._new)
        self.delete_action = QAction("Delete", self)
        self.delete_action.setShortcuts(keys.Delete)
        self.delete_action.triggered.connect(self.delete_selection)
        # Only on the view that offers a deletion (see `_focus_changed`): Delete in a text
        # field or a cell editor deletes text, not the record.
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.delete_action.setEnabled(False)
        self._delete_offer: DeleteOffer | None = None
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)
        self.undo_action = self.workspace.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcuts(keys.Undo)
        self.redo_action = self.workspace.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts(keys.Redo)
        # The toolbar shows the bare verb (its tooltip and the Edit menu name the edit): a
        # long name in "Undo Rename client to …" must not push Find off the toolbar.
        self.undo_action.setIconText("Undo")
        self.redo_action.setIconText("Redo")
        self.find_action = QAction("&Find…", self)
        self.find_action.setShortcuts(keys.Find)
        self.find_action.triggered.connect(self._find)
        self.search_action = QAction("&Search Everything…", self)
        self.search_action.setShortcut(QKeySequence("Ctrl+K"))
        self.search_action.setStatusTip(
            "Find a client, contact, project, task, interaction or note by what it says"
        )
        self.search_action.triggered.connect(self.open_search)
        self._search_popup = None
        self.preferences_action = QAction("&Preferences…", self)
        self.preferences_action.setShortcuts(keys.Preferences)
        if QKeySequence(keys.Preferences).isEmpty():
            self.preferences_action.setShortcut(QKeySequence("Ctrl+,"))
        self.preferences_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.preferences_action.triggered.connect(self.open_preferences)
        self.quit_action = QAction("&Quit", self)
        self.quit_action.setShortcuts(keys.Quit)
        if QKeySequence(keys.Quit).isEmpty():
            self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action.triggered.connect(self.close)
        self.print_action = QAction("&Print…", self)
        self.print_action.setShortcuts(keys.Print)
        self.print_action.setStatusTip(
            "Print what is showing: a client's summary, a project's timeline, or the agenda"
        )
        self.print_action.triggered.connect(lambda: self._print(to_pdf=False))
        self.export_pdf_action = QAction("&Export as PDF…", self)
        self.export_pdf_action.triggered.connect(lambda: self._print(to_pdf=True))
        self.agenda_action = QAction("Print &Agenda…", self)
        self.agenda_action.triggered.connect(self._print_agenda)
        self.join_action = QAction("&Join a Shared Agency…", self)
        self.join_action.setStatusTip(
            "Make a new database from an agency's shared folder and open it in a new window"
        )
        self.join_action.triggered.connect(self.join_agency)
        self.shortcuts_action = QAction("&Keyboard Shortcuts", self)
        self.shortcuts_action.setShortcuts(keys.HelpContents)
        self.shortcuts_action.triggered.connect(self.show_shortcuts)
        self.about_action = QAction("&About Agency Desk", self)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self._about)

    def _build_menus_and_toolbar(self) -> None:
        menus = self.menuBar()
        file_menu = menus.addMenu("&File")
        file_menu.addAction(self.new_action)
        file_menu.addAction(self.join_action)
        file_menu.addSeparator()
        file_menu.addAction(self.file_actions.import_action)
        file_menu.addAction(self.file_actions.export_action)
        file_menu.addAction(self.file_actions.calendars_action)
        file_menu.addSeparator()
        file_menu.addAction(self.print_action)
        file_menu.addAction(self.export_pdf_action)
        file_menu.addAction(self.agenda_action)
        file_menu.aboutToShow.connect(self._name_print_actions)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = menus.addMenu("&Edit")
        edit_menu.aboutToShow.connect(self.name_delete_action)
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.delete_action)
        edit_menu.addAction(self.find_action)
        edit_menu.addAction(self.search_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.preferences_action)
        self.view_menu = menus.addMenu("&View")
        help_menu = menus.addMenu("&Help")
        help_menu.addAction(self.shortcuts_action)
        help_menu.addAction(self.about_action)

        self.search_action.setIconText("Search")
        main_toolbar(
            self,
            (self.new_action, self.undo_action, self.redo_action),
            (self.find_action, self.search_action),
        )

    def _new(self) -> None:
        area = self.current_area()
        if isinstance(area, Area):
            area.new_item()

    # -- Delete: the selection of the view that has focus (see desktop.views.deletion) ------

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is not None and new.window() is not self:
            return  # a dialog or another window: this window's selection stays as it was
        offer = offer_of(new)
        if offer is not self._delete_offer:
            if self._delete_offer is not None and shiboken6.isValid(self._delete_offer):
                self._delete_offer.changed.disconnect(self.name_delete_action)
            self._delete_offer = offer
            if offer is not None:
                offer.changed.connect(self.name_delete_action)
                if self.delete_action not in offer.view.actions():
                    offer.view.addAction(self.delete_action)  # the Delete key, there only
        self.name_delete_action()

    def _workspace_changed(self, _changes: object) -> None:
        self.name_delete_action()

    def delete_offer(self) -> DeleteOffer | None:
        """The offer of the focused view, if it is in this window and still alive."""
        offer = self._delete_offer
        if offer is None or not shiboken6.isValid(offer) or not offer.view.isVisible():
            return None
        return offer

    def name_delete_action(self) -> None:
        """Edit > Delete says what it will delete, and is off when nothing is selected."""
        offer = self.delete_offer()
        deletion = offer.deletion() if offer is not None else None
        self.delete_action.setText(deletion.text if deletion is not None else "Delete")
        self.delete_action.setEnabled(deletion is not None)

    def delete_selection(self) -> bool:
        """Delete what the focused view has selected (one undo step). True when it went."""
        offer = self.delete_offer()
        deletion = offer.deletion() if offer is not None else None
        if deletion is None or not delete_rows(self, self.workspace, deletion):
            return False
        self.name_delete_action()
        return True

    def _find(self) -> None:
        area = self.current_area()
        if isinstance(area, Area):
            area.focus_filter()

    def print_target(self) -> PrintTarget:
        """What Print acts on: what the area showing offers (`Printable`), else the team
        agenda."""
        return print_target_of(self.current_area()) or AGENDA

    def _name_print_actions(self) -> None:
        target = self.print_target()
        self.print_action.setText(f"&Print {target.title}…")
        self.export_pdf_action.setText(f"&Export {target.title} as PDF…")
        client_agenda = target.kind == "client"
        self.agenda_action.setText("Print Client &Agenda…" if client_agenda else "Print &Agenda…")

    def _print(self, *, to_pdf: bool) -> None:
        from desktop.printing import actions

        target = self.print_target()
        if target.kind == "client" and target.item_id:
            show = actions.export_client_summary_pdf if to_pdf else actions.preview_client_summary
            show(self, self.workspace, target.item_id)
        elif target.kind == "portfolio" and self.current_area_key() == "portfolio":
            from desktop.portfolio import printing

            area = self.current_area()
            filters = getattr(area, "filters", lambda: None)
            chart = getattr(area, "chart", None)
            collapsed = set(chart.layout_.collapsed) if chart is not None else set()
            if to_pdf:
                printing.export_portfolio_pdf(self, self.workspace.session, filters(), collapsed)
            else:
                printing.preview_portfolio(self, self.workspace.session, filters(), collapsed)
        elif target.kind in ("project", "portfolio"):
            gantt = actions.export_gantt_pdf if to_pdf else actions.preview_gantt
            gantt(self, self.workspace, target.item_id, document=target.document)
        else:
            agenda = actions.export_agenda_pdf if to_pdf else actions.preview_agenda
            agenda(self, self.workspace)

    def _print_agenda(self) -> None:
        from desktop.printing import actions

        target = self.print_target()
        client_id = target.item_id if target.kind == "client" else None
        actions.preview_agenda(self, self.workspace, client_id=client_id)

    def open_preferences(self) -> None:
        from desktop.preferences_dialog import PreferencesDialog

        PreferencesDialog(
            self.workspace, self, settings=self.settings, sync_controller=self.sync.controller
        ).exec()
        self.sync.controller.reload_settings()

    def join_agency(self) -> None:
        """Join an agency's shared folder into a new database, opened in a new window: this
        window's database never joins another agency (see desktop.sync.join_dialog)."""
        from desktop.sync import join_dialog

        # Suggest Documents rather than the open database's folder: a file dialog showing
        # that folder would list (and may sniff) the open database's own files.
        folder = Path.home() / "Documents"
        if not folder.is_dir():
            folder = Path.home()
        suggested = folder / "Shared agency.sqlite"
        n = 2
        while suggested.exists():
            suggested = folder / f"Shared agency {n}.sqlite"
            n += 1
        path = join_dialog.ask_join(suggested, self)
        if path is None:
            return
        if join_dialog.open_in_new_window(path):
            self.show_status(f"Joined: {path.name} opens in a new window")
        else:
            self.show_error(f"Joined into {path}; open it with agency-desk --db {path}")

    def show_shortcuts(self) -> QWidget:
        from desktop.shortcuts_dialog import ShortcutsDialog, shortcut_rows

        key = self.current_area_key()
        area = self.current_area()
        title = self._slots[key].title if key else ""
        own = list(self.actions())
        for menu in self.menuBar().findChildren(QMenu):
            own += menu.actions()
        on_show = area.findChildren(QAction) if area is not None else []
        dialog = ShortcutsDialog(shortcut_rows(own, on_show, title), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _about(self) -> None:
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("agency-desk")
        except PackageNotFoundError:
            number = "development"
        QMessageBox.about(
            self,
            "About Agency Desk",
            f"<b>Agency Desk</b> {number}<br>Client relationships and project timelines "
            "for small agencies, offline first.",
        )

    # -- status --------------------------------------------------------------------------------

    def show_status(self, text: str) -> None:
        if text:
            self.statusBar().showMessage(text, STATUS_MS)

    def show_error(self, text: str) -> None:
        self.statusBar().showMessage(f"⚠ {text}", ERROR_MS)

    # -- settings ------------------------------------------------------------------------------

    def restore_state(self, *, area_key: str | None = None) -> None:
        """Geometry, toolbars and the area last shown; `area_key` instead of that one (a project
        asked for on the command line: the saved area is then not even built)."""
        place_like_main_window(self, self.settings)
        restore_bars(self, self.settings)
        if area_key is not None:
            self.show_area(area_key)
            return
        key = self.settings.value(SETTINGS_AREA, "clients")
        if is_account_manager(
            self.workspace.session, station_member(self.settings, self.workspace.session)
        ):
            key = "today"  # an account manager's day starts on Today
        session = self.workspace.session
        first_start = self.settings.value(SETTINGS_AREA) is None
        if first_start and agency_is_empty(session):
            key = "team"  # a new, empty agency starts by adding its team
        self.show_area(key if key in self._slots else "clients")

    def save_state(self) -> None:
        self.settings.setValue(SETTINGS_GEOMETRY, self.saveGeometry())
        self.settings.setValue(SETTINGS_STATE, self.saveState())
        self.settings.setValue(SETTINGS_AREA, self.current_area_key())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        commit_typing(self)
        self.notifier_timer.stop()
        if self.persist:
            self.save_state()
        super().closeEvent(event)
        self.closed.emit()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.first_painted.emit()
