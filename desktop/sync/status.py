"""The status bar's sync indicator: a coloured dot and one short line ("Synced 12:04 · 3 in,
5 out", "Syncing… receiving 4 of 9", "Share not reachable — working locally"), the full
message as its tooltip. Clicking it opens the Sync panel. Hidden while sync is off.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QToolButton, QWidget

from desktop.sync.controller import SyncController

DOT_PX = 8
COLORS = {
    "ok": "#2f9e57",
    "busy": "#3a7bd5",
    "warn": "#d9931c",
    "error": "#d0453b",
}
# Encrypted sync (issue 17): the same through a folder or a server.
ENCRYPTION_ERROR_TEXT = {
    "needs-key": "Sync is encrypted — enter the agency passphrase",
    "wrong-passphrase": "Wrong agency passphrase — not synced",
    "keychain": "No keychain for the agency key — not synced",
    "encryption": "Encrypted sync failed — working locally",
}
# Failures only the user can end (not a passing outage): red, not amber.
NEEDS_USER = ("agency", "needs-key", "wrong-passphrase", "keychain")
ERROR_TEXT = {
    "agency": "Shared folder belongs to another agency — not synced",
    "missing": "Share not reachable — working locally",
    "read-only": "Share is read-only — working locally",
    "full": "Share is full — working locally",
    "busy": "Another sync of this database is running",
    "format": "Share needs a newer Agency Desk — working locally",
    **ENCRYPTION_ERROR_TEXT,
}
# Through an agency server the same failures read differently.
SERVER_ERROR_TEXT = {
    "agency": "Server belongs to another agency — not synced",
    "missing": "Server not reachable — working locally",
    "login": "Server refused the login — working locally",
    "not-server": "Not an agency server — working locally",
    "busy": "Another sync of this database is running",
    "format": "Server needs a newer Agency Desk — working locally",
    **ENCRYPTION_ERROR_TEXT,
}
STAGE_TEXT = {"start": "Syncing…", "push": "Sending…", "pull": "Receiving…", "done": "Finishing…"}


def dot_icon(color: str, device_ratio: float = 1.0) -> QIcon:
    size = round(DOT_PX * device_ratio)
    pixmap = QPixmap(size, size)
    pixmap.setDevicePixelRatio(device_ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(color))
    painter.drawEllipse(0, 0, DOT_PX, DOT_PX)
    painter.end()
    return QIcon(pixmap)


class SyncStatusWidget(QToolButton):
    """Signals:
    open_panel(): the user clicked the indicator.
    """

    open_panel = Signal()

    def __init__(self, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setObjectName("syncStatus")
        self.setAutoRaise(True)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setIconSize(QSize(DOT_PX, DOT_PX))
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setStyleSheet("QToolButton#syncStatus { padding: 0px 6px; border: none; }")
        self._icons: dict[str, QIcon] = {}
        self.tone = ""
        self.clicked.connect(self.open_panel)
        controller.state_changed.connect(self.refresh)
        self.refresh()

    def _icon(self, tone: str) -> QIcon:
        if tone not in self._icons:
            self._icons[tone] = dot_icon(COLORS[tone], self.devicePixelRatioF())
        return self._icons[tone]

    def refresh(self) -> None:
        c = self.controller
        self.setVisible(c.enabled)
        if not c.enabled:
            return
        tip = f"{c.where[0].upper()}{c.where[1:]}\nClick for the Sync panel"
        errors = SERVER_ERROR_TEXT if c.config.server is not None else ERROR_TEXT
        if c.busy and not c.live:
            tone, text = "busy", self._progress_text()
        elif c.last_error is not None:
            # Another agency's folder, or a key to unlock, is not a passing outage.
            known = c.last_error_kind in errors and c.last_error_kind not in NEEDS_USER
            tone = "warn" if known else "error"
            text = errors.get(c.last_error_kind, "Sync failed — working locally")
            tip = f"{c.last_error}\n{tip}"
        elif c.last_result is not None and c.last_synced is not None:
            r = c.last_result
            if c.live:  # a sync every few moments: the time and counts would only flicker
                text = "Synced live"
            else:
                text = f"Synced {c.last_synced:%H:%M} · {r.pulled} in, {r.pushed} out"
            tone = "ok"
            if c.open_conflicts:
                tone = "warn"
                text += f" · {c.open_conflicts} conflict{'s' if c.open_conflicts != 1 else ''}"
            if r.waiting_on:  # another station's files wait behind a damaged one
                tone = "warn"
                text += " · waiting for a damaged file"
            elif r.held:  # changes wait for an earlier file still on its way
                tone = "warn"
                text += " · waiting for an earlier file"
            tip = f"{r.summary()}\n{tip}"
        else:
            tone, text = "busy", "Not synced yet"
        self.tone = tone
        self.setIcon(self._icon(tone))
        self.setText(text)
        self.setToolTip(tip)

    def _progress_text(self) -> str:
        stage, done, total = self.controller.stage or ("start", 0, 1)
        if stage == "pull" and total > 1 and done:
            return f"Receiving {done} of {total}…"
        return STAGE_TEXT.get(stage, "Syncing…")
