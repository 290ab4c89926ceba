"""`agency-desk` without `--project`: the Clients list's first screen stands while the data
layer loads, built by the list's own code from a plain read, then the main window takes its
place without a pixel moving and edits as always; closing the first screen ends the start;
whenever the main window would open elsewhere, or in any doubt, the ordinary start runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from PySide6.QtCore import QAbstractItemModel, QSettings, Qt, QTimer
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit

from db import instance_lock
from db.database import alembic_config, open_database
from db.models import Client, MemberRole
from db.store import Store
from desktop import app as desktop_app
from desktop import first_screen, main_window
from desktop.app import run_gui
from desktop.first_screen import FirstScreenWindow
from desktop.models import client_columns
from desktop.models.roles import HEALTH_ROLE, ID_ROLE, STATUS_ROLE
from desktop.station_member import SETTINGS_MEMBER
from desktop.views import clients_view
from desktop.views.clients_list_page import COLUMN_CHARS
from desktop.window_frame import SETTINGS_AREA

from .test_first_look import shown, when

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
    pytest.mark.usefixtures("user_settings"),  # tests/desktop/conftest.py, as `small_db`
]

ROLES = (
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.TextAlignmentRole,
    Qt.ItemDataRole.ForegroundRole,
    STATUS_ROLE,
    HEALTH_ROLE,
)


def cells(model: QAbstractItemModel) -> list[list[object]]:
    """Every cell of a table model in every role the list paints from, headers first."""
    columns = range(model.columnCount())
    horizontal = Qt.Orientation.Horizontal
    header = [
        [model.headerData(c, horizontal, role) for c in columns]
        for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.TextAlignmentRole)
    ]
    rows = [
        [model.index(r, c).data(role) for c in columns for role in ROLES]
        for r in range(model.rowCount())
    ]
    return header + rows


def test_the_first_screen_gives_way_to_the_window_that_edits(qapp, small_db, tmp_path) -> None:
    seen: dict[str, object] = {}
    failures: list[str] = []

    def screen_is_up() -> bool:
        windows = shown("FirstScreenWindow")
        return bool(windows) and windows[0]._marked

    def note_the_screen() -> None:
        screen = shown("FirstScreenWindow")[0]
        assert isinstance(screen, FirstScreenWindow) and screen.model is not None
        seen["cells"] = cells(screen.model)
        seen["busy"] = screen.cursor().shape() == Qt.CursorShape.BusyCursor
        seen["geometry"] = screen.geometry()
        seen["grab"] = screen.grab().toImage()
        when(window_is_up, edit_and_close, failures)

    def window_is_up() -> bool:
        windows = shown("MainWindow")
        return bool(windows) and windows[0]._painted and not shown("FirstScreenWindow")

    def edit_and_close() -> None:
        window = shown("MainWindow")[0]
        assert isinstance(window, main_window.MainWindow)
        assert window.geometry() == seen["geometry"]  # it stands where the screen stood
        seen["window grab"] = window.grab().toImage()
        view = window.current_area()
        assert isinstance(view, clients_view.ClientsView) and view.isVisible()
        seen["window cells"] = cells(view.model)
        # The user renames the first client, as in the list: F2, type, Enter.
        index = view.model.index(0, client_columns.COL_NAME)
        view.table.setCurrentIndex(index)
        view.table.setFocus()
        QTest.keyClick(view.table, Qt.Key.Key_F2)
        editor = QApplication.focusWidget()
        assert isinstance(editor, QLineEdit), "the name opens for typing"
        editor.selectAll()
        QTest.keyClicks(editor, "Acme Patisserie")
        QTest.keyClick(editor, Qt.Key.Key_Return)
        QApplication.processEvents()  # the delegate commits on a queued call
        seen["undo steps"] = window.workspace.undo_stack.count()
        seen["client"] = index.data(ID_ROLE)
        window.close()

    when(screen_is_up, note_the_screen, failures)
    assert run_gui(small_db) == 0
    assert failures == []
    assert seen["busy"] is True
    # Cell by cell, the plain read's list is the session's: texts, badges, colours.
    assert seen["cells"] == seen["window cells"]
    assert [row[0] for row in seen["cells"][2:]] == [  # type: ignore[index]
        "Acme Bakery",
        "Blue Harbor Hotels",
        "Cedar & Sons",
    ]
    # Nothing moves when the window takes the screen's place: the same pixels.
    screen, window = seen["grab"], seen["window grab"]
    assert isinstance(screen, QImage) and isinstance(window, QImage)
    screen.save(str(tmp_path / "first-screen.png"))
    window.save(str(tmp_path / "main-window.png"))
    assert screen.size() == window.size()
    assert screen == window
    assert seen["undo steps"] == 1
    store = Store(open_database(small_db))
    try:
        client = store.get(Client, str(seen["client"]))
        assert client is not None and client.name == "Acme Patisserie"
    finally:
        store.close()


def test_the_first_screen_takes_no_input(qapp, small_db) -> None:
    failures: list[str] = []
    seen: dict[str, object] = {}

    def try_it() -> None:
        screen = shown("FirstScreenWindow")[0]
        assert isinstance(screen, FirstScreenWindow) and screen.page is not None
        table, box = screen.page.table, screen.page.header.filter
        QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton)
        QTest.keyClicks(box, "acme")
        seen["selected"] = table.selectionModel().hasSelection()
        seen["typed"] = box.text()
        screen.close()

    when(lambda: bool(shown("FirstScreenWindow")), try_it, failures)
    assert run_gui(small_db) == 0
    assert failures == []
    assert seen == {"selected": False, "typed": ""}


def test_closing_the_first_screen_ends_the_start(qapp, small_db) -> None:
    failures: list[str] = []
    windows: list[str] = []

    def close_the_screen() -> None:
        shown("FirstScreenWindow")[0].close()

    when(lambda: bool(shown("FirstScreenWindow")), close_the_screen, failures)
    QTimer.singleShot(0, lambda: windows.extend(type(w).__name__ for w in shown("MainWindow")))
    assert run_gui(small_db) == 0
    assert failures == []
    assert shown("MainWindow") == [] and windows == []
    assert not instance_lock.held_here(small_db)


def opens(path: Path, settings: QSettings) -> bool:
    """Whether the plain start stands a first screen in for the main window; holding
    nothing either way once the screen is gone."""
    window = first_screen.first_screen(path, "Agency Desk", settings)
    if window is not None:
        instance_lock.release(path)
        window.hand_over()
        window.deleteLater()
    assert not instance_lock.held_here(path)
    return window is not None


@pytest.fixture
def scratch(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "scratch.ini"), QSettings.Format.IniFormat)


def test_it_stands_in_only_where_the_window_opens_on_the_clients_list(
    qapp, small_db, scratch
) -> None:
    assert opens(small_db, scratch)  # a first start on an agency with clients
    scratch.setValue(SETTINGS_AREA, "clients")
    assert opens(small_db, scratch)
    scratch.setValue(SETTINGS_AREA, "projects")
    assert not opens(small_db, scratch)  # a remembered area other than Clients
    scratch.setValue(SETTINGS_AREA, "clients")
    scratch.setValue(clients_view.SETTINGS_COLUMNS, {"custom:region": True})
    assert not opens(small_db, scratch)  # a custom field's column, which it does not build
    scratch.setValue(clients_view.SETTINGS_COLUMNS, {"custom:region": False, "pipeline": False})
    assert opens(small_db, scratch)  # a base column hidden: the chooser hides it there too


def test_an_account_managers_station_opens_on_today(qapp, small_db, scratch) -> None:
    store = Store(open_database(small_db))
    try:
        from db.roster import member_choices, member_role

        people = {member_role(store.session, id_): id_ for id_, _n in member_choices(store.session)}
    finally:
        store.close()
    scratch.setValue(SETTINGS_MEMBER, people[MemberRole.ACCOUNT_MANAGER])
    assert not opens(small_db, scratch)
    scratch.setValue(SETTINGS_MEMBER, people[MemberRole.PROJECT_MANAGER])
    assert opens(small_db, scratch)


def test_a_new_agency_and_an_older_schema_start_the_ordinary_way(
    qapp, tmp_path, small_db, scratch
) -> None:
    empty = tmp_path / "empty.sqlite"
    open_database(empty, create=True).dispose()
    assert not opens(empty, scratch)  # a new agency starts on Team
    engine = open_database(small_db)
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "-1")
    engine.dispose()
    assert not opens(small_db, scratch)  # an upgrade is due: Alembic's, before any paint


def test_an_older_schema_is_upgraded_then_opens(qapp, small_db, monkeypatch, capsys) -> None:
    engine = open_database(small_db)
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "-1")
    engine.dispose()
    monkeypatch.setenv(desktop_app.BENCH_ENV, "1")
    screens: list[int] = []
    QTimer.singleShot(0, lambda: screens.append(len(shown("FirstScreenWindow"))))
    assert run_gui(small_db) == 0
    assert capsys.readouterr().out == "first-paint\n"
    assert screens == [0]


def test_the_first_screen_follows_the_lists_own_settings_and_sizes() -> None:
    """What the first screen repeats of the app, which it cannot import before its paint."""
    from desktop import station_member
    from desktop.models import custom_columns
    from desktop.views.clients_view import ClientsView

    assert first_screen.SETTINGS_MEMBER == station_member.SETTINGS_MEMBER
    assert first_screen.SETTINGS_COLUMNS == clients_view.SETTINGS_COLUMNS
    assert first_screen.CUSTOM_PREFIX == custom_columns.KEY_PREFIX
    assert ClientsView.new_text == first_screen.NEW_CLIENT
    assert MemberRole.ACCOUNT_MANAGER.value == first_screen.ACCOUNT_MANAGER
    assert len(COLUMN_CHARS) == len(client_columns.BASE_COLUMNS)


def test_every_row_on_screen_has_its_figures(qapp, qtbot, tmp_path, scratch) -> None:
    """The plain read reads the figures of the rows the window shows, and only those."""
    from db.operations import Create, composite

    path = tmp_path / "many.sqlite"
    store = Store(open_database(path, create=True))
    store.apply(composite([Create(Client, {"name": f"Client {n:03}"}) for n in range(90)], "90"))
    store.close()
    window = first_screen.first_screen(path, "Agency Desk", scratch)
    assert window is not None and window.model is not None and window.page is not None
    try:
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: window._marked)
        table = window.page.table
        last = table.rowAt(table.viewport().height() - 1)
        on_screen = range(table.rowAt(0), (last if last >= 0 else table.model().rowCount() - 1) + 1)
        assert len(on_screen) > 10
        lines = window.model.lines
        assert all(lines[r].figures for r in on_screen)
        assert not all(line.figures for line in lines)  # not every client's, at 90
    finally:
        instance_lock.release(path)
        window.hand_over()
