"""The plain start's first screen: what `agency-desk` (without `--project`) shows while the
data layer loads (issue 19).

Importing SQLAlchemy and the models costs about half the start, and the main window cannot
exist before them (its views hold the session). So, when the main window would open on the
Clients list, that list's first screen is read with plain sqlite3
(`db.fast_open.clients_read`) and shown here, read-only, in a window built by the main
window's and the list's own code (`desktop.window_frame`, `desktop.views.clients_list_page`,
the cells by `desktop.models.client_cells`) at the main window's geometry; the app then opens
the database as always, and the main window takes this one's place as soon as it has painted
(`desktop.app`), without a pixel moving.

Whenever the main window would open elsewhere (an account manager's Today, a remembered area
other than Clients, a new agency's Team), or the list would not look as it is built here (a
custom field's column shown), or the database could not be read plainly, `first_screen`
returns None and the app starts as it always did.

Nothing can be edited here: input is swallowed (a busy cursor says why), and closing the
window ends the start (`dismissed`).
"""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSettings,
    Qt,
)
from PySide6.QtGui import QAction, QPaintEvent
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QStackedWidget, QWidget

from db import instance_lock
from db.fast_open.clients_read import ClientLine, ClientsLook, read_clients_look
from desktop.formatting import display_locale
from desktop.models.client_cells import (
    BASE_HEADS,
    STATUS_LABELS_BY_VALUE,
    contact_text,
    count_text,
    day_text,
    follow_up_colour,
    manager_text,
    pipeline_text,
)
from desktop.models.roles import HEALTH_ROLE, ID_ROLE, STATUS_ROLE
from desktop.stand_in import StandIn
from desktop.views.clients_list_page import ClientsListPage, row_height
from desktop.window_frame import (
    AREAS,
    MENU_TITLES,
    SETTINGS_AREA,
    add_area_item,
    frame,
    main_toolbar,
    place_like_main_window,
    restore_bars,
)

CLIENTS = "clients"
ACCOUNT_MANAGER = "account_manager"  # `db.models.MemberRole.ACCOUNT_MANAGER`
# Where the app keeps who sits at this station (`desktop.station_member.SETTINGS_MEMBER`) and
# which of the list's columns show (`desktop.views.clients_view.SETTINGS_COLUMNS`).
SETTINGS_MEMBER = "station/member_id"
SETTINGS_COLUMNS = "clients/columns"
CUSTOM_PREFIX = "custom:"  # `desktop.models.custom_columns.KEY_PREFIX`
NEW_CLIENT = "New Client"  # `desktop.views.clients_view.ClientsView.new_text`
INPUT_EVENTS = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.Wheel,
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.ShortcutOverride,
        QEvent.Type.ContextMenu,
    }
)
DISPLAY = Qt.ItemDataRole.DisplayRole
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
AnyIndex = QModelIndex | QPersistentModelIndex


class FirstScreenModel(QAbstractTableModel):
    """The Clients list's rows as the list's model serves them for painting, from the plain
    read: the same texts (`desktop.models.client_cells`), badges and colours."""

    def __init__(self, look: ClientsLook, today: date) -> None:
        super().__init__()
        self.lines = look.lines
        self.today = today
        self.locale = display_locale()

    def rowCount(self, parent: AnyIndex | None = None) -> int:
        return len(self.lines) if parent is None or not parent.isValid() else 0

    def columnCount(self, parent: AnyIndex | None = None) -> int:
        return len(BASE_HEADS) if parent is None or not parent.isValid() else 0

    def column_key(self, column: int) -> str:
        return BASE_HEADS[column][0]

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(BASE_HEADS):
            return None
        _key, header, numeric = BASE_HEADS[section]
        if role == DISPLAY:
            return header
        if role == Qt.ItemDataRole.TextAlignmentRole and numeric:
            return RIGHT
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: AnyIndex, role: int = DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.lines):
            return None
        line = self.lines[index.row()]
        column = index.column()
        if role == DISPLAY:
            return self.text(line, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if BASE_HEADS[column][2] else None
        if role == ID_ROLE:
            return line.id
        if role == STATUS_ROLE and column == 1:
            return line.status
        if role == HEALTH_ROLE and column == 3 and line.figures:
            return line.health
        if role == Qt.ItemDataRole.ForegroundRole and column == 5 and line.figures:
            return follow_up_colour(line.next_follow_up, self.today)
        return None

    def text(self, line: ClientLine, column: int) -> str:
        """A cell's text, as `desktop.models.client_columns` words it."""
        if column == 0:
            return line.name
        if column == 1:
            return STATUS_LABELS_BY_VALUE[line.status]
        if column == 2:
            return manager_text(line.account_manager)
        if not line.figures:
            return ""
        if column == 3:
            return str(line.health.score)
        if column == 4:
            return contact_text(line.last_contact, self.today)
        if column == 5:
            return day_text(line.next_follow_up)
        if column == 6:
            return count_text(line.open_projects)
        return pipeline_text(line.pipeline_cents, line.currency, self.locale)


class FirstScreenWindow(StandIn, QMainWindow):
    """The main window's frame (menus, toolbar, sidebar, status bar) around the Clients list,
    as the main window will show them, with nothing to act on yet.

    Signals (see `desktop.stand_in.StandIn`): painted(), dismissed().
    """

    def __init__(self, title: str, database_label: str, settings: QSettings) -> None:
        super().__init__()
        self.setWindowTitle(title)
        self.setCursor(Qt.CursorShape.BusyCursor)
        self.resize(1180, 740)
        for menu in MENU_TITLES:
            self.menuBar().addMenu(menu)
        new = QAction(NEW_CLIENT, self)
        undo, redo = QAction("&Undo", self), QAction("&Redo", self)
        for action, bare in ((undo, "Undo"), (redo, "Redo")):
            action.setIconText(bare)
            action.setEnabled(False)  # nothing to undo yet
        find, search = QAction("&Find…", self), QAction("&Search Everything…", self)
        search.setIconText("Search")
        main_toolbar(self, (new, undo, redo), (find, search))
        stack = QStackedWidget()
        sidebar = frame(self, stack)
        for _key, area_title, _shortcut in AREAS:
            add_area_item(self, sidebar, area_title)
        self.stack = stack
        self.page: ClientsListPage | None = None  # built with what it lists (`show_list`)
        sidebar.setCurrentRow([key for key, _t, _s in AREAS].index(CLIENTS))
        label = QLabel(database_label)
        label.setEnabled(False)
        self.statusBar().addPermanentWidget(label)
        place_like_main_window(self, settings)
        restore_bars(self, settings)
        self.model: FirstScreenModel | None = None
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def rows_on_screen(self) -> int:
        """How many of the list's rows the window can show: at its size, or its screen's
        when it opens maximised (a few more either way: the bars take some of the height)."""
        height = self.height()
        if self.windowState() & (Qt.WindowState.WindowMaximized | Qt.WindowState.WindowFullScreen):
            screen = self.screen()
            height = max(height, screen.geometry().height() if screen is not None else 0)
        return math.ceil(height / row_height(self)) + 1

    def show_list(self, look: ClientsLook, today: date, settings: QSettings) -> None:
        """Build the list's page on what it lists, as the Clients area is built: a combo box
        takes the width of its longest choice when its size is first asked for."""
        from desktop.views.column_chooser import ColumnChooser

        page = ClientsListPage(STATUS_LABELS_BY_VALUE.items(), with_open=True)
        page.header.set_count(len(look.lines), len(look.lines), "client")
        page.fill_managers(look.managers)
        page.fill_tags(look.tags)
        self.model = FirstScreenModel(look, today)
        page.table.setModel(self.model)
        page.size_columns()
        # The columns the user hid stay hidden, as the list's own chooser hides them.
        ColumnChooser(page.table, self.model.column_key, SETTINGS_COLUMNS).use_settings(settings)
        self.stack.addWidget(page)
        self.page = page

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Nothing here acts yet: clicks and keys on this window go nowhere.
        return (
            event.type() in INPUT_EVENTS
            and isinstance(watched, QWidget)
            and watched.window() is self
        )

    def hand_over(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        super().hand_over()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        self.mark_painted()


def may_open_on_clients(settings: QSettings) -> bool:
    """What the settings alone tell: the main window's remembered area is the Clients list
    (or none yet), and the list shows no custom field's column, which it does not build."""
    area = settings.value(SETTINGS_AREA)
    if area is not None and area != CLIENTS:
        return False
    shown = settings.value(SETTINGS_COLUMNS, {})
    if isinstance(shown, dict):
        return not any(str(key).startswith(CUSTOM_PREFIX) and on for key, on in shown.items())
    return True


def opens_on_clients(settings: QSettings, look: ClientsLook) -> bool:
    """Whether the main window opens on the Clients list, as built here
    (`desktop.main_window.MainWindow.restore_state`)."""
    if settings.value(SETTINGS_AREA) is None and look.agency_empty:
        return False  # a new agency starts on Team
    if look.station_role == ACCOUNT_MANAGER:
        return False  # an account manager's day starts on Today
    return may_open_on_clients(settings)


def first_screen(db_path: Path, title: str, settings: QSettings) -> FirstScreenWindow | None:
    """The first screen of the database at `db_path`, not shown yet, with this process
    holding the database (`db.fast_open.held_read`: the caller gives the hold back once its
    engine has the file); None, holding nothing, when the app's ordinary start should run."""
    if not may_open_on_clients(settings):
        return None  # before building anything: the ordinary start waits for nothing
    window = FirstScreenWindow(title, str(db_path), settings)
    today = date.today()
    member = str(settings.value(SETTINGS_MEMBER, "") or "") or None
    look = read_clients_look(db_path, today, window.rows_on_screen(), member)
    if look is None or not opens_on_clients(settings, look):
        if look is not None:
            instance_lock.release(db_path)
        window.hand_over()
        window.deleteLater()
        return None
    window.show_list(look, today, settings)
    return window
