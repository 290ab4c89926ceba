"""Runs sync for the open workspace without ever blocking the interface: at start (when a shared
folder is set), every N minutes, and on demand. Never two at once.

The sync itself (`db.sync.sync_store`) runs on a worker thread with its own SQLite connection;
its progress and outcome come back as Qt signals, which Qt queues to the UI thread, where
`refresh_store` brings the shared session up to date and tells every open view what changed.
The app runs under a qasync loop, which is a Qt event loop, so queued signals need nothing
more; a plain worker thread rather than `run_in_executor` keeps the controller usable (and
testable) without an asyncio loop. The executor is injectable so tests can hold a sync
mid-flight.

Whatever goes wrong reaches the user as one sentence in the status bar and the panel; the
traceback of an unexpected error goes to the log only. Local work carries on regardless.

The settings are the open database's own (`desktop.sync.settings`). The QSettings given are
read only for the values older versions kept there: at start, for a database with no settings
of its own, a worker checks whether this database's station is known on that old folder, and
only then are they moved into the database (see `adopt_legacy`).
"""

from __future__ import annotations

import contextlib
import logging
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSettings, QTimer, Signal

from desktop.sync.settings import SyncSettings, forget_legacy, is_configured
from desktop.workspace import Workspace

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from db.sync import SyncResult

log = logging.getLogger(__name__)

START_DELAY_MS = 1500  # let the first screen paint before the first sync reads the share
MINUTE_MS = 60_000


class SyncController(QObject):
    """Signals:
    started(): a sync began.
    progressed(str, int, int): the running sync's stage ("push", "pull", "done"), done, total.
    finished(object): a sync completed (its `SyncResult`); open views are refreshed already.
    failed(str): a sync could not complete; the message is for the user (`last_error_kind`
        says which way: "agency", "missing", "read-only", "full", "busy", "format" or
        "other").
    state_changed(): any of the above, or the settings changed: redraw what shows the state.
    legacy_checked(bool): the old per-user folder was checked against this database; True
        when its settings were moved into the database (then a sync starts).
    """

    started = Signal()
    progressed = Signal(str, int, int)
    finished = Signal(object)
    failed = Signal(str)
    state_changed = Signal()
    legacy_checked = Signal(bool)
    # Worker-thread side: emitted off the UI thread, delivered queued onto it.
    _worker_done = Signal(object, object)
    _worker_failed = Signal(str, str)
    _legacy_done = Signal(object, bool)

    def __init__(
        self,
        workspace: Workspace,
        settings: QSettings,
        *,
        executor: Executor | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.settings = settings  # only for the values older versions kept per user
        self.config = SyncSettings.load(workspace.store)
        self._executor = executor  # made on the first sync when not given: start-up stays lean
        self._owns_executor = executor is None
        self.busy = False
        self.closed = False
        self.last_result: SyncResult | None = None
        self.last_error: str | None = None
        self.last_error_kind = ""
        self.open_conflicts = 0
        self.last_synced: datetime | None = None
        self.last_attempt: datetime | None = None
        self.stage: tuple[str, int, int] | None = None
        self.station_names: dict[str, str] = {}  # station id -> name, from the share's acks
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.sync_now)
        self._worker_done.connect(self._on_done)
        self._worker_failed.connect(self._on_failed)
        self._legacy_done.connect(self._on_legacy_checked)
        self.progressed.connect(self._on_progress)
        self._configure_timer()

    # -- configuration ---------------------------------------------------------------------------

    @property
    def enabled(self) -> bool:
        return self.config.share is not None and self._database() is not None

    def start(self) -> None:
        """Sync shortly after start-up when a shared folder is set; with none, see whether
        an older version's per-user folder belongs to this database."""
        if self.enabled:
            QTimer.singleShot(START_DELAY_MS, self.sync_now)
        else:
            self.adopt_legacy()

    def adopt_legacy(self) -> bool:
        """Check, on the worker, whether the folder an older version kept per computer user
        is this database's (its station synced there); True when a check started. Only a
        database with no sync settings of its own is considered."""
        legacy = SyncSettings.legacy(self.settings)
        if legacy is None or legacy.share is None or self.busy or self.closed:
            return False
        path = self._database()
        if path is None or is_configured(self.workspace.store):
            return False
        session = self.workspace.store.session
        try:
            conn = session.connection()
            station = str(conn.exec_driver_sql("SELECT station_id FROM sync_ctl").scalar())
            rows = conn.exec_driver_sql("SELECT station, seq FROM sync_applied").all()
            applied = {str(other): int(seq) for other, seq in rows}
        finally:
            session.commit()
        executor = self._ensure_executor()
        try:
            executor.submit(self._legacy_work, legacy, station, applied)
        except RuntimeError:  # shut down: the window is closing
            return False
        return True

    def _legacy_work(self, legacy: SyncSettings, station: str, applied: dict[str, int]) -> None:
        from db.sync import SyncError
        from db.sync.agency import known_on_share
        from db.sync.folder import FolderTransport

        assert legacy.share is not None
        transport = FolderTransport(legacy.share)
        try:
            known = transport.root.is_dir() and known_on_share(station, applied, transport)
        except (SyncError, OSError):
            known = False  # not reachable now: the next start asks again
        self._emit(self._legacy_done, legacy, known)

    def _on_legacy_checked(self, legacy: SyncSettings, known: bool) -> None:
        if self.closed:
            return
        adopted = known and not is_configured(self.workspace.store)
        if adopted:
            legacy.save(self.workspace.store)
            forget_legacy(self.settings)
            log.info("sync settings of an older version moved into %s", self._database())
            self.workspace.done.emit(f"Sync settings moved into this database: {legacy.share}")
            self.reload_settings()
        else:
            log.info(
                "the shared folder an older version kept (%s) is not this database's: ignored",
                legacy.share,
            )
        self.legacy_checked.emit(adopted)

    def reload_settings(self) -> None:
        """Pick up changed preferences; a newly chosen folder is synced with at once."""
        before = self.config
        self.config = SyncSettings.load(self.workspace.store)
        self._configure_timer()
        if self.config.share != before.share:
            self.last_error = None
            self.last_result = None
            self.last_synced = None
            if self.enabled:
                self.sync_now()
        self.state_changed.emit()

    def _configure_timer(self) -> None:
        minutes = self.config.interval_minutes
        if self.enabled and minutes > 0:
            self.timer.start(minutes * MINUTE_MS)
        else:
            self.timer.stop()

    def _database(self) -> Path | None:
        name = self.workspace.store.engine.url.database
        return Path(name) if name and name != ":memory:" else None

    # -- running ---------------------------------------------------------------------------------

    def sync_now(self) -> bool:
        """Start a sync unless one is running or sync is off. True when one started."""
        if self.busy or self.closed or not self.enabled:
            return False
        share = self.config.share
        assert share is not None
        self.busy = True
        self.stage = ("start", 0, 1)
        self.last_attempt = datetime.now()
        self.started.emit()
        self.state_changed.emit()
        try:
            self._ensure_executor().submit(self._work, share, self.config.station_name)
        except RuntimeError as exc:  # the executor is shut down: the window is closing
            self.busy = False
            self._on_failed("other", f"Sync could not start ({exc})")
            return False
        return True

    def _ensure_executor(self) -> Executor:
        if self._executor is None:
            from concurrent.futures import ThreadPoolExecutor

            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync")
        return self._executor

    def _work(self, share: Path, station_name: str) -> None:
        """The worker thread: everything that touches the share or the disk."""
        from db.sync import SyncError, sync_store

        try:
            result = sync_store(
                self.workspace.store,
                share,
                station_name=station_name,
                progress=self._report_progress,
            )
            names = _station_names(share)
        except SyncError as exc:
            # Another agency's folder: the two-sentence version (the panel names the folder).
            message = getattr(exc, "brief", "") or str(exc)
            self._emit(self._worker_failed, _error_kind(exc), message)
        except Exception as exc:  # any fault becomes a sentence; the traceback goes to the log
            log.exception("sync failed")
            self._emit(self._worker_failed, "other", f"Sync failed: {type(exc).__name__}: {exc}")
        else:
            self._emit(self._worker_done, result, names)

    def _report_progress(self, stage: str, done: int, total: int) -> None:
        self._emit(self.progressed, stage, done, total)

    @staticmethod
    def _emit(signal: Any, *args: object) -> None:
        # The controller may be deleted while the sync ran: then there is nobody to tell.
        with contextlib.suppress(RuntimeError):
            signal.emit(*args)

    def _on_progress(self, stage: str, done: int, total: int) -> None:
        if self.busy:
            self.stage = (stage, done, total)
            self.state_changed.emit()

    def _on_done(self, result: SyncResult, names: dict[str, str]) -> None:
        self.busy = False
        self.stage = None
        if self.closed:
            return
        from db.sync import refresh_store

        refresh_store(self.workspace.store, result.changes)
        self.last_result = result
        self.last_error = None
        self.last_synced = datetime.now()
        self.station_names = names
        self.count_open_conflicts()
        self.finished.emit(result)
        self.state_changed.emit()

    def _on_failed(self, kind: str, message: str) -> None:
        self.busy = False
        self.stage = None
        if self.closed:
            return
        self.last_error_kind = kind
        self.last_error = " ".join(message.splitlines())
        self.failed.emit(self.last_error)
        self.state_changed.emit()

    def count_open_conflicts(self) -> int:
        """Conflicts not yet restored or dismissed (after a sync, and when the panel acts)."""
        session = self.workspace.store.session
        try:
            found = (
                session.connection()
                .exec_driver_sql("SELECT count(*) FROM sync_conflict WHERE resolved = 0")
                .scalar()
            )
        finally:
            session.commit()  # end the read: the session must not keep an old snapshot
        self.open_conflicts = int(found or 0)
        self.state_changed.emit()
        return self.open_conflicts

    def shutdown(self) -> None:
        """Stop the timer and let a running sync finish on its own: every step of sync is
        safe to interrupt, but there is no need to."""
        self.closed = True
        self.timer.stop()
        if self._owns_executor and self._executor is not None:
            self._executor.shutdown(wait=False)


def _error_kind(exc: Exception) -> str:
    from db.sync import (
        AgencyMismatchError,
        ShareFormatError,
        ShareFullError,
        ShareMissingError,
        ShareReadOnlyError,
        SyncBusyError,
    )

    kinds: tuple[tuple[type[Exception], str], ...] = (
        (AgencyMismatchError, "agency"),
        (ShareMissingError, "missing"),
        (ShareReadOnlyError, "read-only"),
        (ShareFullError, "full"),
        (SyncBusyError, "busy"),
        (ShareFormatError, "format"),
    )
    return next((kind for cls, kind in kinds if isinstance(exc, cls)), "other")


def _station_names(share: Path) -> dict[str, str]:
    """Names of the stations on the share, from their acknowledgements (best effort)."""
    from db.sync import SyncError
    from db.sync.folder import FolderTransport

    try:
        acks = FolderTransport(share).read_acks()
    except SyncError:
        return {}
    return {sid: str(ack.get("name") or "") for sid, ack in acks.items() if ack.get("name")}
