"""Starting the GUI: the QApplication, the qasync event loop, opening (or on first run
creating) the database, the main window, and the two non-interactive modes: `--self-test`
(show every view once, check the database, print one line) and the start-up benchmark hook
(`AGENCY_DESK_EXIT_AFTER_FIRST_PAINT=1`: print `first-paint` after the first paint and quit;
`=editable`: after the first paint of the window that edits, which with `--project` is the main
window's, not the first look's).

Start-up imports only what the first screen needs; other areas, the preferences dialog and the
demo writer are imported when first used. The database is opened before Qt is even imported,
on purpose: once PySide6 is loaded, its import hook inspects every module imported after it,
which makes SQLAlchemy, Alembic and the migration scripts (most of start-up) markedly slower.

Except for `--project`: there the plan's first look (`desktop.first_look`, read by
`db.fast_open`) paints before SQLAlchemy and the models are even imported, and the main window
takes its place once the database is open (issue 19). The data layer is imported where it is
used, so that path never loads it before its paint. That paint is the one the benchmark hook
marks there. The main window's Gantt takes the plan the look read and scheduled rather than
reading and scheduling it again, while the file is provably as the look read it
(`db.fast_open.hand_over`). The trade: the plan shows about 0.4 s sooner, and the window that
edits it comes about 0.05 s of CPU later than without the look (its window and paint;
`startup.open_project.*.editable` in the bench); the look takes no input meanwhile.

A plain start does the same where the main window would open on the Clients list: its first
screen (`desktop.first_screen`, read by `db.fast_open.clients_read`) paints before the data
layer loads, and the main window takes its place, pixel for pixel, once it has painted. Where
the window would open elsewhere, or in any doubt, the ordinary start runs, with SQLAlchemy
then imported after PySide6.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from db import instance_lock
from db.errors import AgencyDeskError, DatabaseInUseError, DatabaseOpenError
from desktop import collector_pause

if TYPE_CHECKING:  # Qt is imported only once the database is open (see above)
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication
    from sqlalchemy.engine import Engine

    from db.store import Store
    from desktop.first_look import FirstLookWindow
    from desktop.first_screen import FirstScreenWindow
    from desktop.main_window import MainWindow
    from desktop.single_instance import ActivationServer

    StandInWindow = FirstLookWindow | FirstScreenWindow  # what paints before the data layer

APP_NAME = "Agency Desk"
DB_FILE_NAME = "agency.sqlite"
BENCH_ENV = "AGENCY_DESK_EXIT_AFTER_FIRST_PAINT"
BENCH_EDITABLE = "editable"  # BENCH_ENV's value that marks the editable window's paint
HEADLESS_PLATFORMS = ("offscreen", "minimal", "vnc")
COLLECTOR_PAUSE_MAX_MS = 5000  # the longest the start keeps the garbage collector paused
# What the offscreen platform says it cannot do (size hints; raising a window that another
# launch brought forward): no fault of ours.
OFFSCREEN_NOISE = ("does not support propagateSizeHints", "does not support raise()")


def default_db_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, APP_NAME)) / DB_FILE_NAME


def _keep_holidays_between_runs() -> None:
    """The public holidays the schedule needs, from a cache file rather than from the
    `holidays` package's slow first lookup (see `db.scheduling.calendar.HolidayTables`)."""
    import platformdirs

    from db.scheduling.calendar import PUBLIC_HOLIDAYS

    cache = Path(platformdirs.user_cache_dir(APP_NAME, APP_NAME))
    PUBLIC_HOLIDAYS.keep_in(cache / "public-holidays.json")


def ask_first_run(location: str) -> str | None:
    """Which agency to start with on first run: "demo", "empty", "join", or None to quit."""
    from desktop.first_run import ask_first_run as ask

    return ask(location)


def ask_join(path: Path) -> Path | None:
    """Join a shared agency into the new database at `path`; its path, or None if cancelled."""
    from desktop.sync.join_dialog import ask_join as ask

    return ask(path, fixed=True)


def ask_create(path: Path) -> bool:
    from PySide6.QtWidgets import QMessageBox

    answer = QMessageBox.question(
        None,
        "Create database?",
        f"There is no database at\n{path}\n\nCreate a new, empty Agency Desk database there?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def _fail(message: str, *, show: bool) -> int:
    """One line on stderr, exit code 2; a message box too when a user is looking."""
    print(message.replace("\n", " "), file=sys.stderr, flush=True)
    if show:
        from PySide6.QtGui import QGuiApplication
        from PySide6.QtWidgets import QMessageBox

        _application()
        if QGuiApplication.platformName() not in HEADLESS_PLATFORMS:
            QMessageBox.critical(None, APP_NAME, message)
    return 2


def _application() -> QApplication:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
        )
        app = QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setOrganizationName(APP_NAME)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    return app


def run_gui(db_path: Path | None, *, self_test: bool = False, project: str | None = None) -> int:
    """Run the app on `db_path` (None: the default database, created on first run) until
    its window closes, opened on the Gantt of `project` (a name or id) when given. Returns the
    process exit code: 0, or 2 when the database cannot be opened or has no such project (one
    line on stderr), or 1 when the self-test finds a fault."""
    started = time.perf_counter()
    if self_test:
        instance_lock.identify("'agency-desk --self-test'", app=False)
    else:
        instance_lock.identify("the Agency Desk app", app=True)
    is_default = db_path is None
    db_path = default_db_path() if db_path is None else db_path
    if project is not None and not self_test:
        code = _open_with_first_look(db_path, project, t0=started)
        if code is not None:
            return code
    if project is None and not self_test:
        code = _open_with_first_screen(db_path, t0=started)
        if code is not None:
            return code
    from db.database import open_database

    engine: Engine | None = None
    if db_path.exists():
        try:
            engine = open_database(db_path)
        except DatabaseInUseError as exc:
            return _fail(str(exc), show=False) if self_test else _hand_over(db_path, exc)
        except DatabaseOpenError as exc:
            return _fail(str(exc), show=not self_test)

    app = _application()
    with _without_offscreen_noise():
        return _run_with_app(
            app,
            db_path,
            engine,
            is_default=is_default,
            self_test=self_test,
            t0=started,
            project=project,
        )


def _window_title(db_path: Path) -> str:
    return f"{db_path.stem} — {APP_NAME}" if db_path.stem != "agency" else APP_NAME


def _open_with_first_look(db_path: Path, project: str, *, t0: float) -> int | None:
    """`--project`: show the plan's first look before the data layer loads, then open the
    database and run the app with the main window on that project in the look's place. None
    when the plan cannot be read that way (`db.fast_open`): the ordinary start then decides,
    and says what is wrong."""
    if not db_path.exists():
        return None
    from db.fast_open.plan_read import read_first_look

    _keep_holidays_between_runs()  # before the schedule: its calendar may name a country
    look = read_first_look(db_path, project)
    if look is None:
        return None
    app = _application()
    with _without_offscreen_noise():
        from PySide6.QtCore import QSettings

        from desktop.first_look import FirstLookWindow
        from desktop.resources import setup_resources
        from desktop.theme import apply_color_scheme

        bench = os.environ.get(BENCH_ENV) == "1"  # the look's paint is the mark
        quiet = bench or os.environ.get(BENCH_ENV) == BENCH_EDITABLE
        try:
            apply_color_scheme(app)
            setup_resources(app)
            settings = _scratch_settings() if quiet else QSettings()
            window = FirstLookWindow(look, _window_title(db_path), settings)
        except BaseException:
            instance_lock.release(db_path)  # the look's hold: nothing else will give it back
            raise
        try:
            opened = _stand_in_while_opening(window, db_path, bench=bench)
            if isinstance(opened, int):
                return opened
            return _run_with_app(
                app,
                db_path,
                opened,
                is_default=False,
                self_test=False,
                t0=t0,
                project=look.project_id,
                first_look=window,
            )
        finally:
            window.hand_over()
            window.deleteLater()


def _open_with_first_screen(db_path: Path, *, t0: float) -> int | None:
    """A plain start: show the Clients list's first screen before the data layer loads,
    then open the database and run the app with the main window in its place. None when the
    main window would open elsewhere or the list cannot be read that way
    (`desktop.first_screen`): the ordinary start then runs, and says what is wrong."""
    if not db_path.exists():
        return None  # a first run: its questions come first
    _keep_holidays_between_runs()  # before the health figures: late days skip holidays
    app = _application()
    with _without_offscreen_noise():
        from PySide6.QtCore import QSettings

        from desktop.first_screen import first_screen
        from desktop.resources import setup_resources
        from desktop.theme import apply_color_scheme

        bench = os.environ.get(BENCH_ENV) == "1"
        apply_color_scheme(app)
        setup_resources(app)
        settings = _scratch_settings() if bench else QSettings()
        window = first_screen(db_path, _window_title(db_path), settings)
        if window is None:
            return None
        try:
            opened = _stand_in_while_opening(window, db_path, bench=bench)
            if isinstance(opened, int):
                return opened
            return _run_with_app(
                app, db_path, opened, is_default=False, self_test=False, t0=t0, first_look=window
            )
        finally:
            window.hand_over()
            window.deleteLater()


def _stand_in_while_opening(window: StandInWindow, db_path: Path, *, bench: bool) -> Engine | int:
    """Show `window` until it has painted, then open the database it read (holding it until
    the engine does). The engine, or the exit code when the start ends here: the benchmark's
    mark made, the window closed by the user, or the database refused (said)."""
    from PySide6.QtCore import QEventLoop, QTimer

    try:
        shown = QEventLoop()
        window.painted.connect(shown.quit)
        window.dismissed.connect(shown.quit)
        # A window that is never exposed (started minimised) never paints: go on anyway.
        QTimer.singleShot(1000, shown.quit)
        window.show()
        shown.exec()
        if bench or window.was_dismissed:
            if bench:
                _say_first_paint()
            window.hand_over()
            return 0
        from db.database import open_database

        try:
            return open_database(db_path)
        except DatabaseOpenError as exc:
            window.hand_over()
            return _fail(str(exc), show=True)
    finally:
        # The engine holds the database now (or nothing does): give back the read's hold.
        instance_lock.release(db_path)


def _say_first_paint() -> None:
    """The start-up benchmark's mark (`AGENCY_DESK_EXIT_AFTER_FIRST_PAINT`)."""
    print("first-paint", flush=True)
    # The CPU seconds spent to here, for the benchmark's GANTT_BENCH_CLOCK=cpu (the process's
    # total would count what runs after the paint too); on stderr, so the mark stays the one
    # line on stdout.
    print(f"first-paint-cpu {time.process_time():.4f}", file=sys.stderr, flush=True)


def _hand_over(db_path: Path, refusal: DatabaseInUseError) -> int:
    """The database is open in another Agency Desk: if that is the app, bring its window
    forward and end here (exit 0); otherwise say where it is open (exit 2)."""
    from desktop.single_instance import ask_running_app

    collector_pause.resume()  # this process only hands over (and may wait for the app)
    _application()
    owner = refusal.owner
    # An app that is still starting holds the database before it listens: give it time.
    wait_s = 10.0 if owner is None or owner.app else 0.0
    if ask_running_app(db_path, wait_s=wait_s):
        print(
            f"{db_path}: is already open in Agency Desk; brought its window to the front",
            file=sys.stderr,
            flush=True,
        )
        return 0
    return _fail(str(refusal), show=True)


def _run_with_app(
    app: QApplication,
    db_path: Path,
    engine: Engine | None,
    *,
    is_default: bool,
    self_test: bool,
    t0: float,
    project: str | None = None,
    first_look: StandInWindow | None = None,
) -> int:
    from db.database import open_database
    from db.store import Store
    from desktop.resources import setup_resources
    from desktop.theme import apply_color_scheme

    apply_color_scheme(app)
    setup_resources(app)
    first_run: str | None = None
    if engine is None:
        collector_pause.resume()  # dialogs, perhaps a demo to write: no start to hurry
        if self_test:
            return _fail(f"{db_path}: no such database file", show=False)
        if is_default:
            first_run = ask_first_run(str(db_path))
            while first_run == "join":
                db_path.parent.mkdir(parents=True, exist_ok=True)
                if ask_join(db_path) is not None:
                    break
                first_run = ask_first_run(str(db_path))  # the join was cancelled: choose again
            if first_run is None:
                return 0
            db_path.parent.mkdir(parents=True, exist_ok=True)
            if first_run == "demo":
                try:
                    _write_demo(app, db_path)
                except Exception as exc:  # whatever went wrong, one sentence, no traceback
                    return _fail(
                        f"{db_path}: the demo agency could not be written ({exc})", show=True
                    )
        elif ask_create(db_path):
            first_run = "empty"
        else:
            return _fail(f"{db_path}: no such database file", show=False)
        try:
            engine = open_database(db_path, create=first_run == "empty")
        except DatabaseOpenError as exc:
            return _fail(str(exc), show=not self_test)
    store = Store(engine)
    _keep_holidays_between_runs()
    bench = os.environ.get(BENCH_ENV) in ("1", BENCH_EDITABLE)
    project_id = None
    if project is not None:
        from db.reports.lookup import NoMatch, find_project

        try:
            project_id = find_project(store.session, project)
        except NoMatch as exc:
            store.close()
            return _fail(f"--project: {exc}", show=False)
    try:
        return _run_window(
            app,
            store,
            db_path,
            self_test=self_test,
            bench=bench,
            t0=t0,
            project_id=project_id,
            first_look=first_look,
        )
    except AgencyDeskError as exc:
        return _fail(str(exc), show=not self_test)
    finally:
        store.close()


@contextmanager
def _without_offscreen_noise() -> Iterator[None]:
    """The offscreen platform warns that it cannot propagate size hints whenever a window gets
    size limits, or raise one. That is no fault of ours, and a self-test's output should be its
    one line; every other Qt message still goes where it went."""
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.platformName() != "offscreen":
        yield
        return
    previous: Callable[..., None] | None = None

    def handler(mode: object, context: object, message: str) -> None:
        if any(noise in message for noise in OFFSCREEN_NOISE):
            return
        if previous is not None:
            previous(mode, context, message)
        else:
            print(message, file=sys.stderr, flush=True)

    previous = qInstallMessageHandler(handler)
    try:
        yield
    finally:
        qInstallMessageHandler(previous)


def _write_demo(app: QApplication, db_path: Path) -> None:
    """Write the demo agency in a worker thread (its own engine and session) while a busy
    dialog keeps the interface painting."""
    import threading

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QProgressDialog

    from db.demo import write_demo

    failure: list[BaseException] = []

    def work() -> None:
        try:
            write_demo(db_path, 1)
        except BaseException as exc:  # handed to the UI thread below
            failure.append(exc)

    worker = threading.Thread(target=work, name="demo-writer", daemon=True)
    busy = QProgressDialog("Writing the demo agency…", "", 0, 0)
    busy.setCancelButton(None)
    busy.setWindowTitle(APP_NAME)
    busy.setWindowModality(Qt.WindowModality.ApplicationModal)
    busy.setMinimumDuration(0)
    busy.show()
    worker.start()
    while worker.is_alive():
        app.processEvents()
        worker.join(0.03)
    busy.close()
    busy.deleteLater()
    if failure:
        raise failure[0]


def _run_window(
    app: QApplication,
    store: Store,
    db_path: Path,
    *,
    self_test: bool,
    bench: bool,
    t0: float,
    project_id: str | None = None,
    first_look: StandInWindow | None = None,
) -> int:
    import qasync
    from PySide6.QtCore import QSettings, QTimer

    from db.core_reads import configure_mappers
    from desktop.main_window import MainWindow
    from desktop.ui_collector import collecting_on_ui_thread
    from desktop.workspace import Workspace

    workspace = Workspace(store)
    quiet = self_test or bench
    settings = QSettings() if not quiet else _scratch_settings()
    window = MainWindow(workspace, settings, database_label=str(db_path), auto_sync=not quiet)
    window.persist = not quiet
    window.setWindowTitle(_window_title(db_path))
    window.restore_state(area_key=None if project_id is None else "projects")
    if project_id is not None:
        from desktop.first_look import FirstLookWindow  # loaded already when a look stood in

        if isinstance(first_look, FirstLookWindow):  # its plan, if still the file's
            workspace.scheduled_plan = first_look.scheduled_plan()
        window.open_project(project_id)
        workspace.scheduled_plan = None

    def keep_plan_layout() -> None:
        """Where a plan stood, for the next `--project`'s first look (loaded only now: a
        plain start does not need it)."""
        from desktop.first_look import remember_layout

        remember_layout(window, settings)

    if first_look is not None:
        # Where the look stands (the saved geometry, or wherever the user moved it since);
        # it goes once the main window has painted over it, and closing it ends the start.
        window.setGeometry(first_look.geometry())
        window.setWindowState(first_look.windowState())

        def hand_over() -> None:
            keep_plan_layout()
            first_look.hand_over()

        window.first_painted.connect(lambda: QTimer.singleShot(0, hand_over))
        first_look.dismissed.connect(window.close)
    if not quiet:
        window.closed.connect(keep_plan_layout)

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    finished: asyncio.Future[int] = loop.create_future()

    def finish(code: int) -> None:
        if not finished.done():
            finished.set_result(code)

    # The loop, not Qt, decides when to stop: quitting Qt under qasync would end the loop
    # before the future resolves.
    quit_on_close = app.quitOnLastWindowClosed()
    app.setQuitOnLastWindowClosed(False)
    window.closed.connect(lambda: finish(0))
    if bench:

        def painted() -> None:
            _say_first_paint()
            finish(0)

        window.first_painted.connect(lambda: QTimer.singleShot(0, painted))
    # After the benchmark's mark (connected first, so it is queued first): listening for later
    # launches comes after the first paint, not before it.
    launches: list[ActivationServer] = []
    if not self_test:
        window.first_painted.connect(
            lambda: QTimer.singleShot(0, lambda: _listen_for_launches(window, db_path, launches))
        )
    # What the first window shows is read through table columns, so the mappers are not yet
    # configured (see `db.core_reads`): that happens just after the paint, while the user
    # takes in the window, rather than on the first edit.
    window.first_painted.connect(lambda: QTimer.singleShot(0, configure_mappers))
    # The garbage collector, paused for the start (`desktop.collector_pause`), runs again
    # after that, or after a few seconds whatever happened (a window that starts hidden).
    window.first_painted.connect(lambda: QTimer.singleShot(0, collector_pause.resume))
    QTimer.singleShot(COLLECTOR_PAUSE_MAX_MS, collector_pause.resume)

    async def main() -> int:
        window.show()
        checks = asyncio.ensure_future(_self_test(window, store, t0, finish)) if self_test else None
        code = await finished
        if checks is not None and not checks.done():
            checks.cancel()
        return code

    try:
        with loop, collecting_on_ui_thread():
            code: int = loop.run_until_complete(main())
    finally:
        asyncio.set_event_loop(None)
        app.setQuitOnLastWindowClosed(quit_on_close)
        window.persist = False
        for server in launches:
            server.close()
            server.deleteLater()
        window.close()
        window.deleteLater()
        workspace.close()
    return code


def _listen_for_launches(
    window: MainWindow, db_path: Path, servers: list[ActivationServer]
) -> None:
    """From the first paint on, a later launch on this database brings this window forward.
    Not sooner: QtNetwork would slow the start, and a launch that comes earlier keeps trying
    for a few seconds (see `desktop.app._hand_over`)."""
    from desktop.single_instance import ActivationServer, bring_forward

    if servers:
        return
    server = ActivationServer(db_path)
    server.activation_requested.connect(lambda: bring_forward(window))
    servers.append(server)


def _scratch_settings() -> QSettings:
    """Settings in a throwaway file, so a self-test or benchmark never changes the user's."""
    import tempfile

    from PySide6.QtCore import QSettings

    path = Path(tempfile.gettempdir()) / f"agency-desk-scratch-{os.getpid()}.ini"
    path.unlink(missing_ok=True)
    return QSettings(str(path), QSettings.Format.IniFormat)


async def _self_test(
    window: MainWindow, store: Store, t0: float, finish: Callable[[int], None]
) -> None:
    from db.directory import row_count
    from db.integrity import integrity_problem
    from db.models import Client, Project, Task
    from desktop.views.detail_host import DetailHost

    try:
        await asyncio.sleep(0)
        for key in window.area_keys():
            window.show_area(key)
            await asyncio.sleep(0)
            if window.grab().isNull():
                raise RuntimeError(f"the {key} view did not paint")
            # Open the first item's detail too (client page, plan), so a frozen build that
            # lacks one of their modules fails here rather than in a user's hands.
            area = window.area(key)
            open_first = getattr(area, "open_first_item", None)
            if open_first is not None and open_first():
                await asyncio.sleep(0)
                if window.grab().isNull():
                    raise RuntimeError(f"the {key} detail did not paint")
                host = getattr(area, "host", None)
                if not isinstance(host, DetailHost):
                    raise RuntimeError(f"the {key} view has no list to go back to")
                host.show_list()
        # Loaded only after a real start's first paint (second-launch hand-over): import it
        # here so a frozen build that lacks QtNetwork fails the self-test, not a user's start.
        import desktop.single_instance  # noqa: F401

        session = store.session
        problem = integrity_problem(session)
        if problem is not None:
            raise RuntimeError(problem)
        counts = [row_count(session, entity) for entity in (Client, Project, Task)]
    except Exception as exc:  # the self-test reports any fault as its one line
        print(f"self-test failed: {exc}".replace("\n", " "), file=sys.stderr, flush=True)
        finish(1)
        return
    elapsed = time.perf_counter() - t0
    print(
        f"self-test ok: {counts[0]} clients, {counts[1]} projects, {counts[2]} tasks, "
        f"integrity ok, {elapsed:.2f} s",
        flush=True,
    )
    finish(0)
