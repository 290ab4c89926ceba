"""Encrypting an agency server from Preferences > Sync, as a user does it (issue 17): the row
says the server is not encrypted, "Encrypt sync…" takes a new passphrase twice and converts
the server on the worker, and the row then names the key. Another station, which has not
unlocked the key, is stopped before it sends anything until it gives the passphrase.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt

from db.database import open_database
from db.models import Client
from db.operations import Create
from db.store import Store
from db.sync.crypto import EncryptionRequired
from db.sync.server.secrets import store_password
from db.sync.server.sync import server_encryption_status, sync_server, unlock_server
from desktop.preferences_dialog import PreferencesDialog
from desktop.sync.controller import SyncController
from desktop.sync.settings import SyncSettings
from tests.pg.conftest import AgencyServer, MemoryKeychain

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]
WAIT_MS = 60_000
PASSPHRASE = "fennel quartz ladder harbour moon"


def test_encrypt_an_agency_server_from_preferences(
    qtbot,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    workspace,
    settings: QSettings,
    agency_server: AgencyServer,
    keychain: MemoryKeychain,
) -> None:
    monkeypatch.setenv("AGENCY_DESK_KEYSTORE_FILE", str(tmp_path / "keys-b.json"))
    a, url_a = tmp_path / "a.sqlite", agency_server.station_url("a")
    sync_server(a, url_a, station_name="A")
    ana = Store(open_database(a))
    ana.apply(Create(Client, {"name": "Acme Bakery Riverside"}))
    ana.close()
    sync_server(a, url_a)
    auth, rest = agency_server.station_url("b").split("//", 1)[1].split("@", 1)
    login, password = auth.split(":", 1)
    here = f"postgresql://{login}@{rest}"
    store_password(here, password)
    SyncSettings(None, "B", 0, here).save(workspace.store)
    controller = SyncController(workspace, settings)
    try:
        with qtbot.wait_signal(controller.finished, timeout=WAIT_MS):
            controller.sync_now()

        dialog = PreferencesDialog(workspace, settings=settings, sync_controller=controller)
        qtbot.addWidget(dialog)
        dialog.show()
        assert dialog.sync_section is not None
        encryption = dialog.sync_section.encryption
        qtbot.waitUntil(encryption.encrypt_button.isVisible, timeout=WAIT_MS)
        assert "Not encrypted: whoever can read the agency server" in encryption.status.text()
        qtbot.mouseClick(encryption.encrypt_button, Qt.MouseButton.LeftButton)
        ask = encryption.dialog
        assert ask is not None and "the agency server" in ask.heading.text()
        qtbot.keyClicks(ask.first, PASSPHRASE)
        qtbot.keyClicks(ask.second, PASSPHRASE)
        with qtbot.wait_signal(ask.succeeded, timeout=WAIT_MS):
            qtbot.mouseClick(ask.action_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(encryption.rotate_button.isVisible, timeout=WAIT_MS)
        key_id = encryption.found.key_id
        assert f"Encrypted with key {key_id}." in encryption.status.text()
        assert server_encryption_status(url_a).key_id == key_id
    finally:
        controller.shutdown()

    # Ana's station holds no key: stopped, nothing sent, until she types the passphrase.
    monkeypatch.setenv("AGENCY_DESK_KEYSTORE_FILE", str(tmp_path / "keys-a.json"))
    with pytest.raises(EncryptionRequired):
        sync_server(a, url_a)
    unlock_server(url_a, PASSPHRASE)
    sync_server(a, url_a)  # and it syncs again, sealed
