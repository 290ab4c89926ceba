"""Runs sync for the open workspace without ever blocking the interface: at start (when a shared
folder or agency server is set), every N minutes, and on demand. Never two at once.

Through an agency server it is also live: a thread listens for the server's doorbell
(`db.sync.server.doorbell`) and a ring syncs at once, and an edit here is sent a moment after
it is saved, so an edit shows on the other online stations within about a second. A missed
ring costs nothing (the timer still syncs); while the server is unreachable the thread tries
again every few seconds and the station catches up as soon as it answers.

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

from desktop.sync.background import Background
from desktop.sync.settings import SyncSettings, forget_legacy, is_configured
from desktop.workspace import Workspace

if TYPE_CHECKING:
    from collections.abc import Callable
    from concurrent.futures import Executor

    from db.sync import SyncResult

log = logging.getLogger(__name__)

START_DELAY_MS = 1500  # let the first screen paint before the first sync reads the share
MINUTE_MS = 60_000
# Through a server: an edit is sent this long after the last keystroke's save, and the
# doorbell thread wakes this often to see whether it must stop, and retries this often.
EDIT_DELAY_MS = 300
BELL_WAIT_S = 1.0
BELL_RETRY_S = 5.0


class SyncController(QObject):
    """Signals:
    started(): a sync began.
    progressed(str, int, int): the running sync's stage ("push", "pull", "done"), done, total.
    finished(object): a sync completed (its `SyncResult`); open views are refreshed already.
    failed(str): a sync could not complete; the message is for the user (`last_error_kind`
        says which way: "agency", "missing", "read-only", "full", "busy", "format",
        "needs-key", "wrong-passphrase", "keychain", "encryption" or "other").
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
    _bell = Signal(bool)  # the doorbell rang (False) or answered again (True)
    _bell_lost = Signal()

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
        self._live = False
        self._again = False
        self._refreshing = False
        self._subscribed = False
        self._bell_stop: Any = None  # threading.Event of the doorbell thread, when one runs
        self._bell.connect(self._on_bell)
        self._bell_lost.connect(self._on_bell_lost)
        self._edit_timer = QTimer(self)
        self._edit_timer.setSingleShot(True)
        self._edit_timer.timeout.connect(self.sync_now)
        self.progressed.connect(self._on_progress)
        self._configure_timer()
        # Encryption steps (turn on, change key, unlock) run on the sync worker: never at
        # once with a sync of this station.
        self.steps = Background(self._ensure_executor, parent=self)

    # -- configuration ---------------------------------------------------------------------------

    @property
    def enabled(self) -> bool:
        has_place = self.config.share is not None or self.config.server is not None
        return has_place and self._database() is not None

    @property
    def live(self) -> bool:
        """Syncing through a server whose doorbell is answering: edits show within a second."""
        return self._live and self.config.server is not None and self.last_error is None

    @property
    def where(self) -> str:
        """The folder or server this station syncs through, for the user."""
        if self.config.server is not None:
            return f"agency server {self.config.server}"
        return f"shared folder {self.config.share}"

    def start(self) -> None:
        """Sync shortly after start-up when a shared folder is set; with none, see whether
        an older version's per-user folder belongs to this database."""
        if self.enabled:
            QTimer.singleShot(START_DELAY_MS, self.sync_now)
            self._start_doorbell()
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
        if (self.config.share, self.config.server) != (before.share, before.server):
            self.last_error = None
            self.last_result = None
            self.last_synced = None
            self._stop_doorbell()
            if self.enabled:
                self.sync_now()
                self._start_doorbell()
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
        if self.closed or not self.enabled:
            return False
        if self.busy:
            # Through a server, a ring or an edit during a sync needs one more sync after
            # it (what it announced may have missed this one's pull or push).
            self._again = self.config.server is not None
            return False
        self._again = False
        self.busy = True
        self.stage = ("start", 0, 1)
        self.last_attempt = datetime.now()
        self.started.emit()
        self.state_changed.emit()
        try:
            if self.config.server is not None:
                self._ensure_executor().submit(
                    self._work_server, self.config.server, self.config.station_name
                )
            else:
                assert self.config.share is not None
                self._ensure_executor().submit(
                    self._work, self.config.share, self.config.station_name
                )
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
        from db.sync import sync_store

        def run() -> tuple[Any, Any]:
            store = self.workspace.store
            result = sync_store(
                store, share, station_name=station_name, progress=self._report_progress
            )
            return result, _station_names(share)

        self._run_on_worker(run)

    def _work_server(self, url: str, station_name: str) -> None:
        """The worker thread, through an agency server: all network I/O happens here."""
        from db.sync.server.sync import sync_store_server

        def run() -> tuple[Any, Any]:
            store = self.workspace.store
            result = sync_store_server(
                store, url, station_name=station_name, progress=self._report_progress
            )
            return result, _server_station_names(url)

        self._run_on_worker(run)

    def _run_on_worker(self, run: Callable[[], tuple[Any, Any]]) -> None:
        """One sync on the worker thread, through either transport: its result and the
        stations' names go back to the UI thread, and any fault becomes a sentence."""
        from db.sync import SyncError

        try:
            result, names = run()
        except SyncError as exc:
            # Another agency's folder: the two-sentence version (the panel names the folder).
            message = getattr(exc, "brief", "") or str(exc)
            self._emit(self._worker_failed, _error_kind(exc), message)
        except Exception as exc:  # any fault becomes a sentence; the traceback goes to the log
            log.exception("sync failed")
            self._emit(self._worker_failed, "other", f"Sync failed: {type(exc).__name__}: {exc}")
        else:
            self._emit(self._worker_done, result, names)

    # -- live: the server's doorbell and this station's own edits ----------------------------

    def _start_doorbell(self) -> None:
        """Listen for the server's doorbell on a thread of its own; a ring syncs at once.
        While the server is unreachable the thread tries again every few seconds, and a
        sync runs as soon as it answers: the station catches up by itself."""
        url = self.config.server
        if url is None or self.closed or self._bell_stop is not None:
            return
        import threading

        stop = threading.Event()
        self._bell_stop = stop
        thread = threading.Thread(
            target=self._listen, args=(url, stop), name="sync-doorbell", daemon=True
        )
        thread.start()
        if not self._subscribed:
            self.workspace.store.subscribe(self._on_local_change)
            self._subscribed = True

    def _stop_doorbell(self) -> None:
        if self._bell_stop is not None:
            self._bell_stop.set()
            self._bell_stop = None
        self._live = False

    def _listen(self, url: str, stop: Any) -> None:
        from db.sync import SyncError
        from db.sync.server.doorbell import Doorbell
        from db.sync.server.secrets import stored_password

        while not stop.is_set():
            try:
                with Doorbell(url, stored_password(url)) as bell:
                    self._emit(self._bell, True)  # (back) online: catch up now
                    while not stop.is_set():
                        if bell.wait(BELL_WAIT_S):
                            self._emit(self._bell, False)
            except SyncError as exc:
                log.info("doorbell: %s", exc)
                self._emit(self._bell_lost)
            except Exception:
                log.exception("doorbell failed")
                self._emit(self._bell_lost)
            stop.wait(BELL_RETRY_S)

    def _on_bell(self, connected: bool) -> None:
        if self.closed or self.config.server is None:
            return
        if connected:
            self._live = True
            self.state_changed.emit()
        self.sync_now()

    def _on_bell_lost(self) -> None:
        if self._live:
            self._live = False
            self.state_changed.emit()
            self.sync_now()  # says at once whether the server is gone (status bar)

    def _on_local_change(self, _changes: object) -> None:
        """An edit here, through a server: send it within moments (a sync's own refresh
        also lands here; it is not an edit)."""
        if self._refreshing or self.closed or self.config.server is None:
            return
        self._edit_timer.start(EDIT_DELAY_MS)

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

        self._refreshing = True
        try:
            refresh_store(self.workspace.store, result.changes)
        finally:
            self._refreshing = False
        self.last_result = result
        self.last_error = None
        self.last_synced = datetime.now()
        self.station_names = names
        self.count_open_conflicts()
        self.finished.emit(result)
        self.state_changed.emit()
        if self._again:
            self.sync_now()

    def _on_failed(self, kind: str, message: str) -> None:
        self.busy = False
        self.stage = None
        if self.closed:
            return
        self._again = False
        self.last_error_kind = kind
        self.last_error = " ".join(message.splitlines())
        self.failed.emit(self.last_error)
        self.state_changed.emit()

    def reclassify_error(self, kind: str) -> None:
        """Say the last failure was of another kind than its exception told (the window
        learnt more, e.g. that no passphrase can help); the message stays."""
        if self.last_error is not None and kind != self.last_error_kind:
            self.last_error_kind = kind
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
        self._edit_timer.stop()
        self._stop_doorbell()
        if self._subscribed:
            with contextlib.suppress(ValueError):
                self.workspace.store.unsubscribe(self._on_local_change)
            self._subscribed = False
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
    from db.sync.crypto import EncryptionError, EncryptionRequired, MissingKey, WrongPassphrase
    from db.sync.keystore import KeystoreError
    from db.sync.server.errors import NotAServerError, ServerLoginError

    kinds: tuple[tuple[type[Exception], str], ...] = (
        (AgencyMismatchError, "agency"),
        # This station holds no key for the encrypted sync (new here, or the key changed):
        # the window asks for the agency passphrase.
        (EncryptionRequired, "needs-key"),
        (MissingKey, "needs-key"),
        (WrongPassphrase, "wrong-passphrase"),
        (KeystoreError, "keychain"),
        (EncryptionError, "encryption"),
        (ServerLoginError, "login"),
        (NotAServerError, "not-server"),
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


def _server_station_names(url: str) -> dict[str, str]:
    """Names of the stations on the server, from their acknowledgements (best effort)."""
    from db.sync import SyncError
    from db.sync.server.secrets import stored_password
    from db.sync.server.transport import ServerTransport

    try:
        with ServerTransport(url, stored_password(url)) as transport:
            acks = transport.read_acks()
    except SyncError:
        return {}
    return {sid: str(ack.get("name") or "") for sid, ack in acks.items() if ack.get("name")}
