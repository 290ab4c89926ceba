"""Live calendars: each team member's `.ics` kept current in a folder (the shared one), for
calendar programs to subscribe to. The folder is this station's preference (a share is
mounted at another path on every machine), so it lives in QSettings.

After a change that can move someone's dates (a task, a link, a follow-up, leave, a contact's
birthday…), and after a sync brought such changes, the calendars are made again once the edits
pause (`DELAY_MS`): the events are read on the UI thread, which owns the session and whose
schedules are cached, and the files are written on a worker thread, each whole and only when
its events changed (`db.io.ics.write_calendars`), so a slow or vanished share never freezes the
window. A failure is reported once per kind of failure, not after every edit.

Signals:
published(list): the paths rewritten by one publication (empty when nothing had changed).
failed(str): a publication could not be written (the folder is gone, read-only, full).
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, QTimer, Signal

from db.changes import ChangeSet
from db.errors import AgencyDeskError
from db.store import Store

SETTINGS_FOLDER = "calendars/publish_folder"
DELAY_MS = 1500
# What a member's calendar is made of: milestones and deliverables (their dates follow links,
# leave, closures and capacity), follow-ups, important dates, and who looks after what.
RELEVANT = frozenset(
    {
        "Task",
        "Dependency",
        "Assignment",
        "Project",
        "FollowUp",
        "ImportantDate",
        "Contact",
        "Client",
        "TeamMember",
        "TimeOff",
        "Closure",
        "MemberCapacity",
        "Overtime",
        "AgencySetting",
    }
)


class LiveCalendars(QObject):
    """Publishes every member's calendar to the chosen folder and keeps it current."""

    published = Signal(list)
    failed = Signal(str)

    def __init__(self, store: Store, settings: QSettings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.settings = settings
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="calendar-writer")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DELAY_MS)
        self._timer.timeout.connect(self.publish)
        self._last_failure = ""
        store.subscribe(self._changed)

    def folder(self) -> Path | None:
        value = self.settings.value(SETTINGS_FOLDER, "")
        return Path(str(value)) if value else None

    def set_folder(self, folder: Path | None) -> Future[list[Path]] | None:
        """Publish into `folder` from now on (None: stop), starting at once."""
        if folder is None:
            self.settings.remove(SETTINGS_FOLDER)
            self._timer.stop()
            return None
        self.settings.setValue(SETTINGS_FOLDER, str(folder))
        self._last_failure = ""
        return self.publish()

    def _changed(self, changes: ChangeSet) -> None:
        if self.folder() is not None and RELEVANT.intersection(changes.entities()):
            self._timer.start()  # restarted by every edit: one publication when they pause

    def publish(self) -> Future[list[Path]] | None:
        """Make every calendar now and write those that changed on the worker thread."""
        self._timer.stop()
        folder = self.folder()
        if folder is None:
            return None
        # Here, not at the top: the window starts without the calendar library.
        from db.io.ics import member_calendars, write_calendars

        try:
            calendars = member_calendars(self.store.session)
        except AgencyDeskError as exc:
            self._fail(f"Calendars not published: {exc}")
            return None
        future = self._pool.submit(write_calendars, folder, calendars)
        future.add_done_callback(lambda done: self._written(folder, done))
        return future

    def _written(self, folder: Path, future: Future[list[Path]]) -> None:
        # On the worker thread: the signals reach the window's thread queued.
        error = future.exception()
        if error is None:
            self._last_failure = ""
            self.published.emit(future.result())
        elif isinstance(error, OSError):
            self._fail(f"{folder}: calendars not published ({error.strerror or error})")
        else:
            self._fail(f"{folder}: calendars not published ({error})")

    def _fail(self, message: str) -> None:
        if message != self._last_failure:
            self._last_failure = message
            self.failed.emit(message)

    def close(self) -> None:
        """Stop listening and let a write in progress finish."""
        self._timer.stop()
        self.store.unsubscribe(self._changed)
        self._pool.shutdown(wait=True)
