"""Fits sync into the main window: the controller, its indicator in the status bar, a Sync menu
(Sync now, Sync panel…) before Help, and the Sync panel as a non-modal window opened on demand.

Shortcut: "Sync now" takes the platform's Refresh key (F5 on Windows and Linux, ⌘R on macOS),
free elsewhere in the app; bringing in other stations' edits is what refresh means here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from desktop.sync.controller import SyncController
from desktop.sync.status import SyncStatusWidget

if TYPE_CHECKING:
    from desktop.sync.panel import SyncPanel
    from desktop.workspace import Workspace


class SyncUi:
    """What `attach_sync` added to a window, for the window and for tests to reach."""

    def __init__(self, window: QMainWindow, workspace: Workspace, controller: SyncController):
        self.window = window
        self.controller = controller
        self.panel: SyncPanel | None = None
        self.status = SyncStatusWidget(controller)
        self.status.open_panel.connect(self.show_panel)
        window.statusBar().insertPermanentWidget(0, self.status)

        self.sync_action = QAction("&Sync Now", window)
        refresh = QKeySequence(QKeySequence.StandardKey.Refresh)
        self.sync_action.setShortcut(refresh if not refresh.isEmpty() else QKeySequence("F5"))
        self.sync_action.setStatusTip("Send this station's changes and bring in everyone else's")
        self.sync_action.triggered.connect(self.sync_now)
        self.panel_action = QAction("Sync &Panel…", window)
        self.panel_action.triggered.connect(self.show_panel)
        self.menu = QMenu("&Sync", window)
        self.menu.addAction(self.sync_action)
        self.menu.addSeparator()
        self.menu.addAction(self.panel_action)
        bar = window.menuBar()
        help_menu = next((a for a in bar.actions() if a.text() == "&Help"), None)
        if help_menu is not None:
            bar.insertMenu(help_menu, self.menu)
        else:
            bar.addMenu(self.menu)
        window.addAction(self.sync_action)  # the shortcut works without a menu bar too
        controller.state_changed.connect(self._update_action)
        controller.failed.connect(self._say_failure)
        self._update_action()

    def sync_now(self) -> None:
        if not self.controller.enabled:
            self.window.statusBar().showMessage(
                "Sync is off: choose a shared folder in Preferences", 6000
            )
            return
        self.controller.sync_now()

    def show_panel(self) -> SyncPanel:
        from desktop.sync.panel import SyncPanel

        if self.panel is None:
            self.panel = SyncPanel(self.controller, self.window)
            join = getattr(self.window, "join_agency", None)
            if join is not None:
                self.panel.join_requested.connect(join)
        else:
            self.panel.reload()
        self.panel.show()
        self.panel.raise_()
        self.panel.activateWindow()
        return self.panel

    def _update_action(self) -> None:
        self.sync_action.setEnabled(not self.controller.busy)

    def _say_failure(self, message: str) -> None:
        self.window.statusBar().showMessage(f"⚠ {message}", 12000)

    def close(self) -> None:
        self.controller.shutdown()
        if self.panel is not None:
            self.panel.close()


def attach_sync(
    window: QMainWindow, workspace: Workspace, settings: QSettings, *, start: bool = True
) -> SyncUi:
    """Add sync to `window` and, with `start`, start it (a first sync shortly after start
    when the database has a shared folder; otherwise the check of an older version's one).
    Without it nothing syncs by itself: Sync Now still works."""
    controller = SyncController(workspace, settings, parent=window)
    ui = SyncUi(window, workspace, controller)
    closed = getattr(window, "closed", None)
    if closed is not None:
        closed.connect(ui.close)
    if start:
        controller.start()
    else:
        controller.timer.stop()
    return ui
