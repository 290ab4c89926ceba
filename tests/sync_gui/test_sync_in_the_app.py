"""Sync as a user meets it in the app: another station's edit shows up in the open clients
list after Sync Now without a reload, a conflict appears in the Sync panel and Restore brings
the lost value back, a missing share is said in the status bar while work goes on, and two
syncs never run at once."""

from __future__ import annotations

from concurrent.futures import Executor, Future
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt

from db.models import Client
from db.operations import Create, Update
from desktop.main_window import MainWindow
from desktop.sync.controller import SyncController
from desktop.sync.settings import SyncSettings
from desktop.sync.status import SyncStatusWidget
from desktop.workspace import Workspace

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore(
        "This plugin does not support propagateSizeHints", "This plugin does not support raise"
    ),
]

SYNC_TIMEOUT_MS = 30_000


def sync_via_menu(qtbot, window: MainWindow) -> None:
    controller = window.sync.controller
    with qtbot.wait_signal(controller.finished, timeout=SYNC_TIMEOUT_MS):
        qtbot.keyClick(window, Qt.Key.Key_F5)
    assert controller.last_error is None


def shown_name(window: MainWindow, client_id: str) -> str:
    clients = window.area("clients")
    return str(clients.proxy_index(client_id).data())


def test_another_stations_edit_shows_in_the_open_clients_list(qtbot, station_a, window) -> None:
    acme = Create(Client, {"name": "Acme Bakery"})
    station_a.apply(acme)
    station_a.sync()
    window.show_area("clients")
    clients = window.area("clients")
    assert clients.model.rowCount() == 0

    sync_via_menu(qtbot, window)
    assert shown_name(window, acme.id) == "Acme Bakery"
    assert window.sync.status.text().startswith("Synced ")
    assert "1 in, 0 out" in window.sync.status.text()

    station_a.apply(Update(Client, acme.id, {"name": "Acme Bakery Ltd"}))
    station_a.sync()
    reloads: list[object] = []
    clients.model.modelReset.connect(lambda: reloads.append(object()))
    sync_via_menu(qtbot, window)
    assert shown_name(window, acme.id) == "Acme Bakery Ltd"
    assert reloads == []  # the row was refreshed in place, not the whole list re-read

    # And back: an edit made in the window reaches station A.
    window.workspace.run(Update(Client, acme.id, {"industry": "Food"}))
    sync_via_menu(qtbot, window)
    assert "0 in, 1 out" in window.sync.status.text()
    station_a.sync()
    assert station_a.value(f"SELECT industry FROM client WHERE id = '{acme.id}'") == "Food"


def test_a_conflict_is_listed_in_the_panel_and_restore_brings_the_lost_value_back(
    qtbot, qtmodeltester, station_a, window
) -> None:
    acme = Create(Client, {"name": "Acme Bakery"})
    station_a.apply(acme)
    station_a.sync()
    sync_via_menu(qtbot, window)

    # Both stations rename the same client before hearing of the other's edit.
    station_a.apply(Update(Client, acme.id, {"name": "Acme (from A)"}))
    station_a.sync()
    window.workspace.run(Update(Client, acme.id, {"name": "Acme (from B)"}))
    sync_via_menu(qtbot, window)
    assert window.sync.controller.open_conflicts == 1
    assert window.sync.status.text().endswith("· 1 conflict")
    assert window.sync.status.tone == "warn"

    qtbot.mouseClick(window.sync.status, Qt.MouseButton.LeftButton)
    panel = window.sync.panel
    assert panel is not None and panel.isVisible()
    model = panel.conflicts
    qtmodeltester.check(model)
    assert model.rowCount() == 1
    cells = [model.index(0, c).data() for c in range(model.columnCount())]
    kind, record, field, kept, lost, stations, when = cells
    assert (kind, field) == ("Client", "Name")
    assert {kept, lost} == {"Acme (from A)", "Acme (from B)"}
    assert record == kept == shown_name(window, acme.id)
    assert "this station" in stations and " over " in stations
    assert when
    assert not panel.restore_button.isEnabled()  # nothing selected yet

    panel.select_row(0)
    assert panel.restore_button.isEnabled()
    with qtbot.wait_signal(window.workspace.changed):
        qtbot.mouseClick(panel.restore_button, Qt.MouseButton.LeftButton)
    assert shown_name(window, acme.id) == lost
    assert model.rowCount() == 0
    assert panel.conflicts_heading.text() == "Conflicts to review: none"
    assert window.sync.controller.open_conflicts == 0
    assert not window.sync.status.text().endswith("conflict")

    # The restore is an ordinary edit: the next syncs carry it to station A.
    sync_via_menu(qtbot, window)
    station_a.sync()
    assert station_a.value(f"SELECT name FROM client WHERE id = '{acme.id}'") == lost


def test_dismiss_keeps_what_is_there(qtbot, station_a, window) -> None:
    acme = Create(Client, {"name": "Acme Bakery"})
    station_a.apply(acme)
    station_a.sync()
    sync_via_menu(qtbot, window)
    station_a.apply(Update(Client, acme.id, {"website": "a.example"}))
    station_a.sync()
    window.workspace.run(Update(Client, acme.id, {"website": "b.example"}))
    sync_via_menu(qtbot, window)
    panel = window.sync.show_panel()
    assert panel.conflicts.rowCount() == 1
    kept = panel.conflicts.index(0, 3).data()
    panel.select_row(0)
    qtbot.mouseClick(panel.dismiss_button, Qt.MouseButton.LeftButton)
    assert panel.conflicts.rowCount() == 0
    assert window.workspace.store.get(Client, acme.id).website == kept


def test_a_missing_share_is_said_in_the_status_bar_and_work_goes_on(
    qtbot, tmp_path: Path, make_window, workspace: Workspace
) -> None:
    settings = QSettings(str(tmp_path / "nas.ini"), QSettings.Format.IniFormat)
    SyncSettings(tmp_path / "unplugged-nas", "B", 0).save(workspace.store)
    window = make_window(settings)
    controller = window.sync.controller
    with qtbot.wait_signal(controller.failed, timeout=SYNC_TIMEOUT_MS) as failed:
        window.sync.sync_action.trigger()
    assert "unplugged-nas" in failed.args[0] and "Traceback" not in failed.args[0]
    assert window.sync.status.text() == "Share not reachable — working locally"
    assert "unplugged-nas" in window.sync.status.toolTip()
    assert window.statusBar().currentMessage().startswith("⚠ shared folder")

    new = Create(Client, {"name": "Offline Client"})
    assert workspace.run(new)
    assert shown_name(window, new.id) == "Offline Client"

    panel = window.sync.show_panel()
    assert "Share not reachable" in panel.state.text()
    assert panel.sync_button.isEnabled()  # a retry is always allowed


def test_without_a_share_the_indicator_is_hidden_and_sync_now_says_how_to_start(
    qtbot, tmp_path: Path, make_window
) -> None:
    window = make_window(QSettings(str(tmp_path / "off.ini"), QSettings.Format.IniFormat))
    assert not window.sync.controller.enabled
    assert not window.sync.status.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert not window.sync.controller.busy
    assert "choose a shared folder in Preferences" in window.statusBar().currentMessage()
    panel = window.sync.show_panel()
    assert panel.where.text().startswith("Sync is off")
    assert not panel.sync_button.isEnabled()


def test_the_sync_menu_sits_before_help_and_the_shortcut_is_free(window) -> None:
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles.index("&Sync") == titles.index("&Help") - 1
    key = window.sync.sync_action.shortcut()
    others = [a for a in window.findChildren(type(window.sync.sync_action)) if a.shortcut() == key]
    assert others == [window.sync.sync_action]


class HeldExecutor(Executor):
    """Runs nothing until told: a sync stays in flight for as long as a test needs."""

    def __init__(self) -> None:
        self.held: list[tuple[Any, tuple[Any, ...]]] = []

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        self.held.append((fn, args))
        return Future()

    def release(self) -> None:
        fn, args = self.held.pop(0)
        fn(*args)


def test_never_two_syncs_at_once(qtbot, station_a, workspace, settings) -> None:
    station_a.apply(Create(Client, {"name": "Acme Bakery"}))
    station_a.sync()
    executor = HeldExecutor()
    controller = SyncController(workspace, settings, executor=executor)
    states: list[bool] = []
    controller.state_changed.connect(lambda: states.append(controller.busy))

    status = SyncStatusWidget(controller)
    qtbot.addWidget(status)
    assert controller.sync_now()
    assert controller.busy
    assert status.text() == "Syncing…" and status.tone == "busy"
    assert not controller.sync_now()  # a second request while one runs is refused
    assert len(executor.held) == 1

    with qtbot.wait_signal(controller.finished, timeout=SYNC_TIMEOUT_MS):
        executor.release()
    assert not controller.busy and controller.last_result.pulled == 1
    assert status.text().endswith("· 1 in, 0 out") and status.tone == "ok"
    assert controller.sync_now()  # and once it finished, the next one may start
    with qtbot.wait_signal(controller.finished, timeout=SYNC_TIMEOUT_MS):
        executor.release()
    assert states[0] is True and states[-1] is False
    controller.shutdown()
    assert not controller.sync_now()


def test_sync_runs_at_start_and_on_the_interval(qtbot, station_a, workspace, tmp_path, share):
    station_a.apply(Create(Client, {"name": "Acme Bakery"}))
    station_a.sync()
    settings = QSettings(str(tmp_path / "auto.ini"), QSettings.Format.IniFormat)
    SyncSettings(share, "B", 7).save(workspace.store)
    controller = SyncController(workspace, settings)
    assert controller.timer.isActive() and controller.timer.interval() == 7 * 60_000
    with qtbot.wait_signal(controller.finished, timeout=SYNC_TIMEOUT_MS):
        controller.start()
    assert controller.last_result.pulled == 1

    SyncSettings(share, "B", 0).save(workspace.store)
    controller.reload_settings()
    assert not controller.timer.isActive()  # 0: only when asked
    SyncSettings(None, "B", 5).save(workspace.store)
    controller.reload_settings()
    assert not controller.enabled and not controller.timer.isActive()
    controller.shutdown()


def test_the_ui_stays_responsive_under_the_apps_qasync_loop(
    qapp, station_a, workspace, settings
) -> None:
    """As in the app: a qasync loop drives Qt; the sync runs while the loop keeps turning."""
    import asyncio

    import qasync

    station_a.apply(*(Create(Client, {"name": f"Client {n:02d}"}) for n in range(40)))
    station_a.sync()
    controller = SyncController(workspace, settings)
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.001)

    async def run() -> None:
        done = loop.create_future()
        controller.finished.connect(lambda r: done.done() or done.set_result(r))
        controller.failed.connect(lambda m: done.done() or done.set_exception(RuntimeError(m)))
        ticker = asyncio.ensure_future(tick())
        assert controller.sync_now()
        await asyncio.wait_for(done, SYNC_TIMEOUT_MS / 1000)
        ticker.cancel()

    try:
        with loop:
            loop.run_until_complete(run())
    finally:
        asyncio.set_event_loop(None)
        controller.shutdown()
    assert controller.last_result.pulled == 40
    assert ticks > 1  # the loop ran other work while the sync was on its worker thread
