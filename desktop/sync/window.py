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

from desktop.sync import encryption_steps as steps
from desktop.sync.controller import SyncController
from desktop.sync.status import SyncStatusWidget

if TYPE_CHECKING:
    from desktop.sync.background import Failure
    from desktop.sync.panel import SyncPanel
    from desktop.sync.passphrase_dialogs import UnlockDialog
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
        # An encrypted share or server this station holds no key for: ask for the agency
        # passphrase once; after "Not now" only the Sync panel's button asks again.
        self.unlock_dialog: UnlockDialog | None = None
        self._declined = False
        self._checking_key = False
        controller.failed.connect(self._maybe_ask_passphrase)
        controller.finished.connect(self._forget_declined)
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
            self.panel.passphrase_requested.connect(self.ask_passphrase)
        else:
            self.panel.reload()
        self.panel.show()
        self.panel.raise_()
        self.panel.activateWindow()
        return self.panel

    # -- the agency passphrase ---------------------------------------------------------------

    def _maybe_ask_passphrase(self, _message: str) -> None:
        if self.controller.last_error_kind == "needs-key" and not self._declined:
            self.ask_passphrase()

    def _forget_declined(self, _result: object) -> None:
        self._declined = False

    def ask_passphrase(self) -> bool:
        """Find out (on the worker) which agency key the share asks for, then ask for the
        passphrase; an open prompt is raised rather than asked twice. False when there is
        nothing to ask now."""
        self._declined = False
        if self.unlock_dialog is not None:
            self.unlock_dialog.raise_()
            self.unlock_dialog.activateWindow()
            return True
        place = steps.Place.of(self.controller.config)
        if place is None or self._checking_key:
            return False
        self._checking_key = True
        self.controller.steps.run(lambda: steps.read_status(place), self._prompt)
        return True

    def _prompt(self, found: steps.Found | None, failure: Failure | None) -> None:
        from desktop.sync.passphrase_dialogs import UnlockDialog

        self._checking_key = False
        if self.controller.closed:
            return
        if failure is not None:
            self.window.statusBar().showMessage(f"⚠ {failure.message}", 12000)
            return
        assert found is not None
        if found.have_key:
            self.controller.sync_now()  # unlocked meanwhile (in Preferences, say)
            return
        if not found.enabled:
            # The agency encrypts, but the share holds no encryption settings (removed, or
            # the share replaced): no passphrase helps; the message says how to encrypt it
            # again, and the next sync must not ask again.
            self._declined = True
            self.controller.reclassify_error("encryption")
            return
        place, agency_id = found.place, found.agency_id
        dialog = UnlockDialog(
            self.controller.steps,
            lambda passphrase: steps.unlock(place, agency_id, passphrase),
            intro=steps.unlock_intro(place, found.agency_name),
            parent=self.window,
        )
        dialog.unlocked.connect(self._unlocked)
        dialog.rejected.connect(self._not_now)
        self.unlock_dialog = dialog
        dialog.open()  # window-modal, without a nested event loop

    def _unlocked(self) -> None:
        self.unlock_dialog = None
        self.window.statusBar().showMessage("Agency key unlocked; syncing", 6000)
        self.controller.sync_now()

    def _not_now(self) -> None:
        self.unlock_dialog = None
        self._declined = True

    def _update_action(self) -> None:
        self.sync_action.setEnabled(not self.controller.busy)

    def _say_failure(self, message: str) -> None:
        if self.controller.last_error_kind == "needs-key":
            message = "The agency's sync is encrypted: type the agency passphrase to sync"
        self.window.statusBar().showMessage(f"⚠ {message}", 12000)

    def close(self) -> None:
        self.controller.shutdown()
        if self.unlock_dialog is not None:
            self.unlock_dialog.close()
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
