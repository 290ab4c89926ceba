"""Joining an agency server from Preferences > Sync, as a user does it: "Join this server…"
opens a dialog holding what the server fields hold; a wrong password, a server nobody answers
at and a file that exists already are each said under their own field with nothing made; the
right password makes a new database with the agency's data, opened in a new window, while
the open database stays as it was. An encrypted agency asks for its passphrase first.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt

from db.database import open_database
from db.models import Client
from db.operations import Create
from db.store import Store
from db.sync.server.connect import parts
from db.sync.server.sync import encrypt_server, sync_server
from desktop.preferences_dialog import PreferencesDialog
from desktop.sync import join_dialog
from desktop.sync.server_join_dialog import ServerJoinDialog
from desktop.sync.settings import SyncSettings
from tests.pg.conftest import AgencyServer, MemoryKeychain

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]
WAIT_MS = 60_000
PASSPHRASE = "fennel quartz ladder harbour moon"
CLIENT = "Acme Bakery Riverside"


def _agency_with_a_client(tmp_path: Path, server: AgencyServer) -> None:
    """Station A has synced a client to the server."""
    a, url_a = tmp_path / "a.sqlite", server.station_url("a")
    sync_server(a, url_a, station_name="A")
    ana = Store(open_database(a))
    ana.apply(Create(Client, {"name": CLIENT}))
    ana.close()
    sync_server(a, url_a)


def _login(server: AgencyServer, name: str) -> tuple[str, str, dict[str, str]]:
    """(login, password, the URL's other fields) of a station login."""
    fields = {k: str(v) for k, v in parts(server.station_url(name)).items()}
    return fields.pop("user"), fields.pop("password"), fields


def _clients(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM client ORDER BY name")]
    finally:
        conn.close()


def _type(qtbot, field, text: str) -> None:  # type: ignore[no-untyped-def]
    field.clear()
    qtbot.keyClicks(field, text)


def _click_join(qtbot, dialog: ServerJoinDialog) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(dialog.join_button, Qt.MouseButton.LeftButton)


def test_join_an_agency_server_from_preferences(
    qtbot,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    workspace,
    settings: QSettings,
    agency_server: AgencyServer,
    keychain: MemoryKeychain,
) -> None:
    _agency_with_a_client(tmp_path, agency_server)
    login, password, where = _login(agency_server, "b")
    address = f"postgresql://{where['host']}:{where['port']}/{where['dbname']}"
    opened: list[Path] = []
    monkeypatch.setattr(join_dialog, "open_in_new_window", lambda p: opened.append(p) or True)
    before = SyncSettings.load(workspace.store)

    preferences = PreferencesDialog(workspace, settings=settings)
    qtbot.addWidget(preferences)
    preferences.show()
    section = preferences.sync_section
    assert section is not None
    assert not section.join_button.isVisible()  # a server's button, with the server's fields
    section.mode.setFocus()
    qtbot.keyClick(section.mode, Qt.Key.Key_End)  # Agency server
    qtbot.keyClicks(section.server_url, address)
    qtbot.keyClicks(section.server_user, login)
    qtbot.keyClicks(section.server_password, "not the password")
    qtbot.mouseClick(section.join_button, Qt.MouseButton.LeftButton)
    dialog = section.join_dialog
    assert dialog is not None and dialog.isVisible()
    assert (dialog.server.text(), dialog.user.text()) == (address, login)
    new = tmp_path / "joined.sqlite"
    _type(qtbot, dialog.database, str(new))

    # A refused login is said under Password, and no file is made.
    _click_join(qtbot, dialog)
    password_error = dialog.errors["password"]
    qtbot.waitUntil(lambda: "refused the login" in password_error.text(), timeout=WAIT_MS)
    assert password_error.text().startswith("Not joined:") and login in password_error.text()
    assert not new.exists() and dialog.isVisible()

    # A server nobody answers at is said under Server.
    _type(qtbot, dialog.server, f"postgresql://127.0.0.1:1/{where['dbname']}")
    _type(qtbot, dialog.password, password)
    _click_join(qtbot, dialog)
    qtbot.waitUntil(lambda: "not reachable" in dialog.errors["server"].text(), timeout=WAIT_MS)
    assert not dialog.errors["password"].isVisible() and not new.exists()

    # What the fields lack is said before anything is tried.
    _type(qtbot, dialog.server, "db.example.org")
    dialog.user.clear()
    assert not dialog.join()
    assert "postgresql://host/database" in dialog.errors["server"].text()

    # The address as an administrator hands it out (libpq's key=value form) joins.
    dsn = f"host={where['host']} port={where['port']} dbname={where['dbname']}"
    _type(qtbot, dialog.server, dsn)
    assert not dialog.join()
    assert dialog.errors["user"].text() == "Give this station's login on the server"
    _type(qtbot, dialog.user, login)
    with qtbot.waitSignal(dialog.join_finished, timeout=WAIT_MS) as finished:
        _click_join(qtbot, dialog)
    assert finished.args == [""]
    dialog.grab().save("/tmp/agency-desk-server-join.png")
    qtbot.waitUntil(lambda: opened == [new], timeout=WAIT_MS)
    assert _clients(new) == [CLIENT]
    assert section.test_result.text() == "Joined: joined.sqlite opens in a new window"
    assert list(keychain.items.values()) == [password]
    assert password.encode() not in new.read_bytes()
    # The new station syncs with the server by itself from now on: it remembers it.
    joined = Store(open_database(new))
    try:
        remembered = SyncSettings.load(joined)
    finally:
        joined.close()
    assert remembered.mode == "server" and remembered.server is not None
    assert f"{login}@" in remembered.server
    # The open database was left as it was.
    assert SyncSettings.load(workspace.store) == before


def test_an_existing_file_is_refused_under_new_database(
    qtbot, tmp_path: Path, agency_server: AgencyServer, keychain: MemoryKeychain
) -> None:
    login, password, where = _login(agency_server, "c")
    office = tmp_path / "office.sqlite"
    office.write_bytes(b"someone's database")
    dialog = ServerJoinDialog(
        office,
        address=f"postgresql://{where['host']}:{where['port']}/{where['dbname']}",
        user=login,
        password=password,
    )
    qtbot.addWidget(dialog)
    assert not dialog.join()
    assert "exists already" in dialog.errors["database"].text()
    assert office.read_bytes() == b"someone's database"


def test_joining_an_encrypted_agency_asks_for_its_passphrase(
    qtbot,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    agency_server: AgencyServer,
    keychain: MemoryKeychain,
) -> None:
    monkeypatch.setenv("AGENCY_DESK_KEYSTORE_FILE", str(tmp_path / "keys-a.json"))
    _agency_with_a_client(tmp_path, agency_server)
    encrypt_server(tmp_path / "a.sqlite", agency_server.station_url("a"), PASSPHRASE)
    # This computer holds no key of the agency.
    monkeypatch.setenv("AGENCY_DESK_KEYSTORE_FILE", str(tmp_path / "keys-b.json"))
    login, password, where = _login(agency_server, "b")
    new = tmp_path / "joined.sqlite"
    dialog = ServerJoinDialog(
        new,
        address=f"postgresql://{login}@{where['host']}:{where['port']}/{where['dbname']}",
        password=password,
    )
    qtbot.addWidget(dialog)
    dialog.show()
    _click_join(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.unlock_dialog is not None, timeout=WAIT_MS)
    ask = dialog.unlock_dialog
    assert ask is not None and "The agency server postgresql://" in ask.heading.text()
    assert not new.exists()
    qtbot.keyClicks(ask.passphrase, PASSPHRASE)
    with qtbot.waitSignal(dialog.join_finished, timeout=WAIT_MS) as finished:
        qtbot.mouseClick(ask.action_button, Qt.MouseButton.LeftButton)
    assert finished.args == [""]
    assert dialog.joined_path == new and _clients(new) == [CLIENT]
