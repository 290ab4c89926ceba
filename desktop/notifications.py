"""Desktop notifications for what is due, from the system tray, while the app runs.

Every few minutes (and at start) the notifier looks for follow-ups due today or overdue and
for birthdays, anniversaries and project completions falling today — for the station's team
member (`desktop.station_member`), or the whole agency when none is chosen. Each item is
announced once a day: the ids already shown are kept in QSettings under the day's date, so a
restart does not repeat them. The tray balloon holds one message at a time, so each check
sends one message naming what is new.

Where the platform has no system tray (offscreen runs, some Linux desktops) the notifier
does nothing at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QObject, QSettings, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QStyle, QSystemTrayIcon

from db.am.occasions import upcoming_occasions
from db.am.today import due_follow_ups
from db.directory import clients_of_manager
from desktop.station_member import station_member
from desktop.workspace import Workspace

CHECK_EVERY_MS = 5 * 60 * 1000
SETTINGS_SHOWN = "notifications/shown"  # {"date": ISO day, "ids": [...]}
LISTED = 4  # items named in one message; the rest are counted


@dataclass(frozen=True)
class DueItem:
    key: str  # stable across checks: what "shown once" remembers
    text: str


def due_items(workspace: Workspace, today: date, member_id: str | None) -> list[DueItem]:
    session = workspace.session
    found = [
        DueItem(
            f"follow-up:{f.id}",
            f"{f.title} ({f.client_name})" if f.client_name else f.title,
        )
        for f in due_follow_ups(session, today, member_id)
    ]
    mine = None
    if member_id is not None:
        mine = clients_of_manager(session, member_id)
    for o in upcoming_occasions(session, today, 0):
        if mine is None or o.client_id in mine:
            found.append(
                DueItem(f"occasion:{o.kind}:{o.client_id}:{o.contact_id}:{o.label}", o.title)
            )
    return found


class DueNotifier(QObject):
    def __init__(
        self,
        workspace: Workspace,
        settings: QSettings,
        icon: QIcon | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.settings = settings
        self.tray: QSystemTrayIcon | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self.check)
        self._icon = icon

    @staticmethod
    def available() -> bool:
        return QSystemTrayIcon.isSystemTrayAvailable()

    def start(self) -> bool:
        """Show the tray icon and check now and every few minutes; False (and nothing
        shown) where there is no system tray."""
        if not self.available():
            return False
        self.tray = QSystemTrayIcon(self)
        icon = self._icon if self._icon is not None else QApplication.windowIcon()
        if icon.isNull():  # a tray entry without an icon is invisible (and Qt warns)
            icon = QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation)
        self.tray.setIcon(icon)
        self.tray.setToolTip("Agency Desk")
        self.tray.show()
        self.timer.start()
        QTimer.singleShot(0, self.check)
        return True

    def stop(self) -> None:
        self.timer.stop()
        if self.tray is not None:
            self.tray.hide()

    def check(self, today: date | None = None) -> list[DueItem]:
        """Announce what is due and not yet announced today; returns what was announced."""
        if self.tray is None:
            return []
        today = today or date.today()
        member = station_member(self.settings, self.workspace.session)
        shown = self._shown(today)
        fresh = [i for i in due_items(self.workspace, today, member) if i.key not in shown]
        if not fresh:
            return []
        lines = [f"• {i.text}" for i in fresh[:LISTED]]
        if len(fresh) > LISTED:
            lines.append(f"and {len(fresh) - LISTED} more on the Today page")
        title = "1 thing due today" if len(fresh) == 1 else f"{len(fresh)} things due today"
        self.tray.showMessage(
            title, "\n".join(lines), QSystemTrayIcon.MessageIcon.Information, 10_000
        )
        self._remember(today, shown | {i.key for i in fresh})
        return fresh

    def _shown(self, today: date) -> set[str]:
        value = self.settings.value(SETTINGS_SHOWN)
        if not isinstance(value, dict) or value.get("date") != today.isoformat():
            return set()  # a new day: yesterday's list is forgotten
        return {str(i) for i in value.get("ids") or []}

    def _remember(self, today: date, ids: set[str]) -> None:
        self.settings.setValue(SETTINGS_SHOWN, {"date": today.isoformat(), "ids": sorted(ids)})
