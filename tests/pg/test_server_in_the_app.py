"""The agency server in the app, as a user meets it: Preferences > Sync offers Off, Shared
folder or Agency server (URL, user, password, Test connection); the password goes to the
keychain only; while online an edit on another station shows here by itself and the status
bar says "Synced live"; when the server goes away it says "Server not reachable — working
locally", and when it is back the station catches up by itself."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import psycopg
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialogButtonBox

from bench.pg_cluster import Cluster
from db.database import open_database
from db.models import Client
from db.operations import Create
from db.store import Store
from db.sync.server.schema import SERVER_SCHEMA
from db.sync.server.secrets import store_password
from db.sync.server.sync import sync_server
from desktop.preferences_dialog import PreferencesDialog
from desktop.sync.controller import SyncController
from desktop.sync.settings import SyncSettings
from desktop.sync.status import SyncStatusWidget
from tests.pg.conftest import AgencyServer, MemoryKeychain

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]
WAIT_MS = 20_000


def _parts(url: str) -> tuple[str, str, str]:
    """(login, password, the URL with neither) of a station URL."""
    auth, rest = url.split("//", 1)[1].split("@", 1)
    login, password = auth.split(":", 1)
    return login, password, f"postgresql://{rest}"


def test_preferences_offer_an_agency_server_with_a_connection_test(
    qtbot, workspace, settings: QSettings, agency_server: AgencyServer, keychain: MemoryKeychain
) -> None:
    login, password, address = _parts(agency_server.station_url("desk"))
    dialog = PreferencesDialog(workspace, settings=settings)
    qtbot.addWidget(dialog)
    dialog.show()
    section = dialog.sync_section
    assert section is not None
    assert [section.mode.itemText(i) for i in range(3)] == ["Off", "Shared folder", "Agency server"]
    assert section.folder.isVisible() and not section.server_url.isVisible()
    section.mode.setFocus()
    qtbot.keyClick(section.mode, Qt.Key.Key_End)  # the last choice: Agency server
    assert section.server_url.isVisible() and not section.folder.isVisible()
    qtbot.keyClicks(section.server_url, address)
    qtbot.keyClicks(section.server_user, login)
    qtbot.keyClicks(section.server_password, "not the password")
    qtbot.mouseClick(section.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "refused the login" in section.test_result.text(), timeout=WAIT_MS)
    section.server_password.clear()
    qtbot.keyClicks(section.server_password, password)
    qtbot.mouseClick(section.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.test_result.text().startswith("Connected"), timeout=WAIT_MS)
    assert f"agency server (schema {SERVER_SCHEMA})" in section.test_result.text()
    dialog.grab().save("/tmp/agency-desk-preferences-server.png")
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    stored = SyncSettings.load(workspace.store)
    assert stored.server == address.replace("postgresql://", f"postgresql://{login}@")
    assert stored.share is None and stored.mode == "server"
    assert list(keychain.items.values()) == [password]
    settings.sync()
    db_file = Path(workspace.store.engine.url.database or "")
    for path in (db_file, Path(settings.fileName())):
        if path.exists():
            assert password.encode() not in path.read_bytes(), path


def _clients(store: Store) -> list[str]:
    session = store.session
    try:
        rows = session.connection().exec_driver_sql("SELECT name FROM client ORDER BY name").all()
    finally:
        session.commit()
    return [r[0] for r in rows]


def test_live_sync_through_the_server_and_an_outage_said_and_caught_up(
    qtbot,
    tmp_path: Path,
    workspace,
    settings: QSettings,
    agency_server: AgencyServer,
    pg_cluster: Cluster,
    keychain: MemoryKeychain,
) -> None:
    a, url_a = tmp_path / "a.sqlite", agency_server.station_url("a")
    sync_server(a, url_a, station_name="A")  # Ana's station: the agency's first
    login, password, address = _parts(agency_server.station_url("b"))
    here = address.replace("postgresql://", f"postgresql://{login}@")
    store_password(here, password)
    SyncSettings(None, "B", 0, here).save(workspace.store)
    controller = SyncController(workspace, settings)
    status = SyncStatusWidget(controller)
    qtbot.addWidget(status)
    try:
        controller.start()
        qtbot.waitUntil(lambda: status.text() == "Synced live", timeout=WAIT_MS)
        assert status.tone == "ok"

        # Ana adds a client and syncs: it shows here without anyone pressing anything.
        other = Store(open_database(a))
        other.apply(Create(Client, {"name": "Added on A"}))
        other.close()
        sync_server(a, url_a)
        qtbot.waitUntil(lambda: _clients(workspace.store) == ["Added on A"], timeout=WAIT_MS)

        # An edit here goes out by itself.
        workspace.run(Create(Client, {"name": "Added on B"}))
        with psycopg.connect(url_a) as conn:

            def sent() -> bool:
                rows = conn.execute("SELECT count(*) FROM agency_desk.changes").fetchone()
                conn.commit()
                return bool(rows and rows[0] == 2)

            qtbot.waitUntil(sent, timeout=WAIT_MS)

        # The server goes away: said at once; work goes on locally.
        pg_cluster.stop()
        qtbot.waitUntil(
            lambda: status.text() == "Server not reachable — working locally", timeout=WAIT_MS
        )
        assert status.tone == "warn"
        workspace.run(Create(Client, {"name": "Added while the server was away"}))

        # And back: the station catches up by itself.
        pg_cluster.start()
        qtbot.waitUntil(lambda: status.text() == "Synced live", timeout=WAIT_MS)
        qtbot.waitUntil(lambda: not controller.busy, timeout=WAIT_MS)
        sync_server(a, url_a)
        conn2 = sqlite3.connect(a)
        try:
            names = [r[0] for r in conn2.execute("SELECT name FROM client ORDER BY name")]
        finally:
            conn2.close()
        assert names == ["Added on A", "Added on B", "Added while the server was away"]
    finally:
        controller.shutdown()
        if not pg_cluster.running():
            pg_cluster.start()
