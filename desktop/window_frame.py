"""The main window's frame, without the data behind it: the areas' sidebar, the divider and
the page stack beside it, the main toolbar, the menus' titles, and where the window stands
(its saved geometry, or most of the screen on a first start).

Built the same way for the main window (`desktop.main_window`) and for the stand-ins that
paint a first screen before the data layer has loaded (`desktop.first_screen`,
`desktop.first_look`), so that the main window takes a stand-in's place without a pixel
moving. Nothing here reads the database.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt
from PySide6.QtGui import QAction, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QToolBar,
    QWidget,
)

SETTINGS_GEOMETRY = "main_window/geometry"
SETTINGS_STATE = "main_window/state"
SETTINGS_AREA = "main_window/area"
# The sidebar's areas in order: key, title, View menu shortcut. Today leads: it is an account
# manager's start page (see `desktop.main_window.MainWindow.restore_state`).
AREAS = (
    ("today", "Today", "Ctrl+T"),
    ("clients", "Clients", "Ctrl+1"),
    ("projects", "Projects", "Ctrl+2"),
    ("team", "Team", "Ctrl+3"),
    ("workload", "Workload", "Ctrl+4"),
    ("portfolio", "Portfolio", "Ctrl+5"),
)
# The menu bar's menus, the Sync menu (`desktop.sync.window`) included.
MENU_TITLES = ("&File", "&Edit", "&View", "&Sync", "&Help")


def place_like_main_window(window: QWidget, settings: QSettings) -> None:
    """Where the main window stands: its saved geometry, else (a first start) most of the
    screen, centred, as a Gantt chart needs room."""
    geometry = settings.value(SETTINGS_GEOMETRY)
    if isinstance(geometry, QByteArray | bytes) and geometry:
        window.restoreGeometry(QByteArray(geometry))
    elif (screen := window.screen()) is not None:
        area = screen.availableGeometry()
        width = min(area.width(), max(1180, area.width() * 4 // 5))
        height = min(area.height(), max(740, area.height() * 4 // 5))
        window.resize(width, height)
        window.move(area.center() - window.rect().center())


def restore_bars(window: QMainWindow, settings: QSettings) -> None:
    """The toolbars where the main window last had them."""
    state = settings.value(SETTINGS_STATE)
    if isinstance(state, QByteArray | bytes) and state:
        window.restoreState(QByteArray(state))


def frame(window: QMainWindow, stack: QWidget) -> QListWidget:
    """The window's centre: the areas' sidebar, a divider, and `stack` taking the rest. The
    sidebar is returned empty (see `add_area_item`)."""
    sidebar = QListWidget()
    sidebar.setObjectName("areaSwitcher")
    sidebar.setFrameShape(QFrame.Shape.NoFrame)
    sidebar.setFixedWidth(168)
    sidebar.setIconSize(QSize(18, 18))
    sidebar.setSpacing(2)
    # palette() references keep the sidebar right on both light and dark palettes.
    sidebar.setStyleSheet(
        "QListWidget#areaSwitcher { padding: 8px 6px; }"
        "QListWidget#areaSwitcher::item { padding-left: 10px; border-radius: 6px; }"
        "QListWidget#areaSwitcher::item:selected {"
        " background: palette(highlight); color: palette(highlighted-text); }"
    )
    sidebar.setBackgroundRole(QPalette.ColorRole.Window)
    sidebar.viewport().setAutoFillBackground(False)
    divider = QFrame()
    divider.setFrameShape(QFrame.Shape.VLine)
    divider.setFrameShadow(QFrame.Shadow.Plain)
    divider.setForegroundRole(QPalette.ColorRole.Mid)
    central = QWidget()
    layout = QHBoxLayout(central)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    layout.addWidget(sidebar)
    layout.addWidget(divider)
    layout.addWidget(stack, 1)
    window.setCentralWidget(central)
    return sidebar


def add_area_item(window: QWidget, sidebar: QListWidget, title: str) -> QListWidgetItem:
    item = QListWidgetItem(title)
    item.setSizeHint(QSize(0, window.fontMetrics().height() + 16))
    sidebar.addItem(item)
    return item


def main_toolbar(
    window: QMainWindow, edits: Sequence[QAction], finds: Sequence[QAction]
) -> QToolBar:
    """The main toolbar: text only, not movable, the edit actions (New, Undo, Redo), a
    separator, then the finding ones."""
    toolbar = window.addToolBar("Main")
    toolbar.setObjectName("mainToolbar")
    toolbar.setMovable(False)
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    for action in edits:
        toolbar.addAction(action)
    toolbar.addSeparator()
    for action in finds:
        toolbar.addAction(action)
    return toolbar
