"""Encrypted sync as a user meets it (issue 17): Preferences > Sync says whether the share is
encrypted; "Encrypt sync…" asks for a new agency passphrase twice (a guessable one is refused
with a hint) and converts the share without blocking the window; "Change key (someone
left)…" puts a new key in place. A station that meets the encrypted share without the key is
asked for the passphrase once: a wrong one is said in the dialog, the right one syncs. A file
that fails authentication is listed in the Sync panel as tampered or corrupt.

Each station keeps its keys in a keystore file of its own (`AGENCY_DESK_KEYSTORE_FILE`, read
at every use), so two stations in one test process do not share a keychain.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt

from db.models import Client
from db.operations import Create
from db.sync.encryption import enable_encryption, rotate_key
from db.sync.folder import FolderTransport, sha256
from desktop.preferences_dialog import PreferencesDialog
from desktop.sync.join_dialog import JoinDialog

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore(
        "This plugin does not support propagateSizeHints", "This plugin does not support raise"
    ),
]

PASSPHRASE = "fennel quartz ladder harbour moon"
NEW_PASSPHRASE = "copper lantern orchard seventeen"
KEYSTORE = "AGENCY_DESK_KEYSTORE_FILE"
LONG_WAIT_MS = 60_000  # a sync, a conversion or a scrypt on a busy two-core machine


def keys_of(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, station: str) -> None:
    """From now on, the keychain in this process is `station`'s."""
    monkeypatch.setenv(KEYSTORE, str(tmp_path / f"keys-{station}.json"))


def opening_sync(qtbot, window) -> None:
    """Wait for the sync the window starts by itself shortly after it opens: the test's
    own syncs then never meet it halfway."""
    controller = window.sync.controller
    qtbot.waitUntil(
        lambda: controller.last_attempt is not None and not controller.busy,
        timeout=LONG_WAIT_MS,
    )


def sync(qtbot, window) -> None:
    with qtbot.wait_signal(window.sync.controller.finished, timeout=LONG_WAIT_MS):
        window.sync.sync_action.trigger()


def open_preferences(qtbot, window) -> PreferencesDialog:
    dialog = PreferencesDialog(
        window.workspace,
        window,
        settings=window.settings,
        sync_controller=window.sync.controller,
    )
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def type_into(qtbot, field, text: str) -> None:
    field.clear()
    qtbot.keyClicks(field, text)


def test_encrypt_from_preferences_then_change_the_key_when_someone_leaves(
    qtbot, monkeypatch, tmp_path: Path, station_a, window, share: Path
) -> None:
    keys_of(monkeypatch, tmp_path, "b")
    station_a.apply(Create(Client, {"name": "Acme Bakery Riverside"}))
    station_a.sync()
    opening_sync(qtbot, window)

    dialog = open_preferences(qtbot, window)
    section = dialog.sync_section
    assert section is not None
    encryption = section.encryption
    qtbot.waitUntil(encryption.encrypt_button.isVisible, timeout=LONG_WAIT_MS)
    assert "Not encrypted" in encryption.status.text()
    assert not encryption.rotate_button.isVisible()

    qtbot.mouseClick(encryption.encrypt_button, Qt.MouseButton.LeftButton)
    ask = encryption.dialog
    assert ask is not None and ask.isVisible() and ask.windowTitle() == "Encrypt sync"
    type_into(qtbot, ask.first, "Password123!")
    type_into(qtbot, ask.second, "Password123!")
    assert "too easy to guess" in ask.strength.text()
    assert "commonly used password" in ask.hint.text()
    assert not ask.action_button.isEnabled()

    type_into(qtbot, ask.first, PASSPHRASE)
    type_into(qtbot, ask.second, PASSPHRASE[:-1])
    assert ask.strength.text() == "Strength: strong"
    assert ask.mismatch.isVisible() and ask.mismatch.text() == "The two passphrases differ"
    assert not ask.action_button.isEnabled()
    qtbot.keyClicks(ask.second, PASSPHRASE[-1])
    assert not ask.mismatch.isVisible() and ask.action_button.isEnabled()

    with qtbot.wait_signal(ask.succeeded, timeout=LONG_WAIT_MS) as done:
        qtbot.mouseClick(ask.action_button, Qt.MouseButton.LeftButton)
        # The conversion runs on the worker: the dialog shows it is busy and stays open.
        assert ask.busy and ask.progress.isVisible() and not ask.first.isEnabled()
        ask.reject()
        assert ask.isVisible()
    assert done.args[0].startswith("Sync is encrypted with key ")
    assert not ask.isVisible()
    qtbot.waitUntil(encryption.rotate_button.isVisible, timeout=LONG_WAIT_MS)
    first_key = encryption.found.key_id
    assert f"Encrypted with key {first_key}." in encryption.status.text()
    assert not encryption.encrypt_button.isVisible()
    meta = FolderTransport(share).read_meta()
    assert meta["encryption"]["key_id"] == first_key

    qtbot.mouseClick(encryption.rotate_button, Qt.MouseButton.LeftButton)
    ask = encryption.dialog
    assert ask.windowTitle() == "Change the agency key"
    type_into(qtbot, ask.first, NEW_PASSPHRASE)
    type_into(qtbot, ask.second, NEW_PASSPHRASE)
    with qtbot.wait_signal(ask.succeeded, timeout=LONG_WAIT_MS):
        qtbot.mouseClick(ask.action_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: encryption.found is not None and encryption.found.key_id != first_key,
        timeout=LONG_WAIT_MS,
    )
    assert f"Encrypted with key {encryption.found.key_id}." in encryption.status.text()
    assert FolderTransport(share).read_meta()["encryption"]["key_id"] == encryption.found.key_id


def test_preferences_closed_while_the_status_is_read_leaves_no_error(
    qtbot, monkeypatch, tmp_path: Path, window
) -> None:
    keys_of(monkeypatch, tmp_path, "b")
    steps = window.sync.controller.steps
    gate = threading.Event()
    steps.run(lambda: gate.wait(10), lambda _r, _f: None)  # the worker is busy meanwhile
    dialog = PreferencesDialog(
        window.workspace, window, settings=window.settings, sync_controller=steps.parent()
    )
    dialog.show()
    assert dialog.sync_section is not None
    assert "Checking" in dialog.sync_section.encryption.status.text()
    dialog.reject()
    dialog.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog))
    gate.set()
    qtbot.waitUntil(lambda: steps.running == 0, timeout=LONG_WAIT_MS)
    # The answer came for a closed dialog: dropped. A new one reads afresh.
    dialog = open_preferences(qtbot, window)
    encryption = dialog.sync_section.encryption
    qtbot.waitUntil(encryption.encrypt_button.isVisible, timeout=LONG_WAIT_MS)
    assert "Not encrypted" in encryption.status.text()


def test_a_station_meeting_the_encrypted_share_is_asked_once_and_a_wrong_passphrase_said(
    qtbot, monkeypatch, tmp_path: Path, station_a, window, share: Path
) -> None:
    keys_of(monkeypatch, tmp_path, "a")
    station_a.apply(Create(Client, {"name": "Acme Bakery Riverside"}))
    station_a.sync()
    enable_encryption(station_a.path, FolderTransport(share), share, PASSPHRASE)
    keys_of(monkeypatch, tmp_path, "b")  # station B: a keychain without the agency key

    opening_sync(qtbot, window)  # the window meets the encrypted share as it opens
    assert window.sync.controller.last_error_kind == "needs-key"
    status = window.sync.status
    assert status.text() == "Sync is encrypted — enter the agency passphrase"
    assert status.tone == "error"
    qtbot.waitUntil(lambda: window.sync.unlock_dialog is not None, timeout=LONG_WAIT_MS)
    ask = window.sync.unlock_dialog
    assert ask.isVisible() and "This agency's sync is encrypted" in ask.heading.text()
    assert str(share) in ask.heading.text()

    # "Not now": no second prompt from the next sync; the panel says why and offers it.
    qtbot.mouseClick(ask.cancel_button, Qt.MouseButton.LeftButton)
    assert not ask.isVisible() and window.sync.unlock_dialog is None
    with qtbot.wait_signal(window.sync.controller.failed, timeout=LONG_WAIT_MS):
        window.sync.sync_action.trigger()
    assert window.sync.unlock_dialog is None
    panel = window.sync.show_panel()
    assert "Sync is encrypted — enter the agency passphrase" in panel.state.text()
    assert "Click <i>Enter passphrase…</i>" in panel.state.text()
    assert "Traceback" not in panel.state.text()
    assert panel.passphrase_button.isVisible()

    qtbot.mouseClick(panel.passphrase_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.sync.unlock_dialog is not None, timeout=LONG_WAIT_MS)
    ask = window.sync.unlock_dialog
    qtbot.keyClicks(ask.passphrase, "copper lantern orchard")
    qtbot.mouseClick(ask.action_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not ask.busy, timeout=LONG_WAIT_MS)
    assert ask.isVisible()
    assert ask.error.isVisible() and ask.error.text().startswith("Wrong agency passphrase")
    assert ask.passphrase.selectedText() == "copper lantern orchard"  # typing replaces it

    qtbot.keyClicks(ask.passphrase, PASSPHRASE)
    with qtbot.wait_signal(window.sync.controller.finished, timeout=LONG_WAIT_MS):
        qtbot.mouseClick(ask.action_button, Qt.MouseButton.LeftButton)
    assert not ask.isVisible() and ask.tries == 2
    names = [c.name for c in window.workspace.store.session.query(Client)]
    assert names == ["Acme Bakery Riverside"]
    assert status.tone == "ok" and not panel.passphrase_button.isVisible()


def test_a_file_that_fails_authentication_is_listed_as_tampered_and_the_rest_applies(
    qtbot, monkeypatch, tmp_path: Path, station_a, window, share: Path
) -> None:
    keys_of(monkeypatch, tmp_path, "both")  # one keychain: B holds the key from the start
    station_a.sync()
    enable_encryption(station_a.path, FolderTransport(share), share, PASSPHRASE)
    opening_sync(qtbot, window)
    station_a.apply(Create(Client, {"name": "Acme Bakery Riverside"}))
    station_a.sync()
    station_a.apply(Create(Client, {"name": "Birchwood Florists"}))
    station_a.sync()

    # Someone with write access changes A's newest sealed file and gives it the name its
    # new bytes hash to: the checksum passes, authentication does not.
    folder = next(p for p in (share / "AgencyDesk" / "changes").iterdir() if p.is_dir())
    newest = sorted(folder.glob("*.jsonl"))[-1]
    data = bytearray(newest.read_bytes())
    data[-20] ^= 0x01
    seq = newest.name.split("-", 1)[0]
    newest.unlink()
    (folder / f"{seq}-{sha256(bytes(data))}.jsonl").write_bytes(bytes(data))

    sync(qtbot, window)
    panel = window.sync.show_panel()
    reasons = [panel.skipped.index(r, 1).data() for r in range(panel.skipped.rowCount())]
    assert any("tampered or corrupt" in reason for reason in reasons), reasons
    names = {c.name for c in window.workspace.store.session.query(Client)}
    assert "Acme Bakery Riverside" in names and "Birchwood Florists" not in names


def _listed_as_tampered(window, file: str, station: str) -> bool:
    """Whether the Sync panel lists `file` (station-id/seq-hash.jsonl) as tampered or
    corrupt; the panel names it by its station's name, its seq and the start of its hash."""
    model = window.sync.show_panel().skipped
    shown = f"{station}: {file.split('/')[1][:25]}….jsonl"
    return any(
        model.index(r, 0).data() == shown
        and model.index(r, 1).data().startswith("tampered or corrupt")
        for r in range(model.rowCount())
    )


def test_files_renamed_moved_or_replayed_are_listed_as_tampered_and_never_applied(
    qtbot, monkeypatch, tmp_path: Path, station_a, window, share: Path
) -> None:
    keys_of(monkeypatch, tmp_path, "both")  # one keychain: B holds the key from the start
    station_a.sync()
    enable_encryption(station_a.path, FolderTransport(share), share, PASSPHRASE)
    opening_sync(qtbot, window)
    for name in ("Acme Bakery Riverside", "Birchwood Florists", "Cedar Joinery"):
        station_a.apply(Create(Client, {"name": name}))
        station_a.sync()
    changes = share / "AgencyDesk" / "changes"
    folder = next(p for p in changes.iterdir() if p.is_dir())
    first, second, third = sorted(folder.glob("*.jsonl"))[-3:]
    genuine = {f: f.read_bytes() for f in (second, third)}

    def put(where: Path, seq: int, data: bytes) -> str:
        """Bytes under a sound name (the checksum matches): only authentication can tell."""
        where.mkdir(exist_ok=True)
        name = f"{seq:012d}-{sha256(data)}.jsonl"
        (where / name).write_bytes(data)
        return f"{where.name}/{name}"

    seq = int(second.name[:12])
    # Renamed: A's second and third files swap seqs. Moved: A's first file into the folder
    # of another station, as its first.
    for f in genuine:
        f.unlink()
    renamed = put(folder, seq, genuine[third])
    put(folder, seq + 1, genuine[second])
    moved = put(changes / "0123456789abcdef", 1, first.read_bytes())
    sync(qtbot, window)
    assert _listed_as_tampered(window, renamed, "A")
    assert _listed_as_tampered(window, moved, "0123456789abcdef")
    names = {c.name for c in window.workspace.store.session.query(Client)}
    assert "Acme Bakery Riverside" in names
    assert not names & {"Birchwood Florists", "Cedar Joinery"}

    # The genuine files come back and apply; A's first file replayed as its fourth does not.
    for f in folder.glob(f"{seq:012d}-*.jsonl"):
        f.unlink()
    for f in folder.glob(f"{seq + 1:012d}-*.jsonl"):
        f.unlink()
    for f, data in genuine.items():
        f.write_bytes(data)
    replayed = put(folder, seq + 2, first.read_bytes())
    sync(qtbot, window)
    assert _listed_as_tampered(window, replayed, "A")
    names = {c.name for c in window.workspace.store.session.query(Client)}
    assert {"Acme Bakery Riverside", "Birchwood Florists", "Cedar Joinery"} <= names


def test_joining_an_encrypted_agency_asks_its_passphrase_then_joins(
    qtbot, monkeypatch, tmp_path: Path, station_a, share: Path
) -> None:
    keys_of(monkeypatch, tmp_path, "a")
    station_a.apply(Create(Client, {"name": "Acme Bakery Riverside"}))
    station_a.sync()
    enable_encryption(station_a.path, FolderTransport(share), share, PASSPHRASE)
    keys_of(monkeypatch, tmp_path, "laptop")
    new = tmp_path / "Laptop.sqlite"
    dialog = JoinDialog(new)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.folder.setText(str(share))
    dialog.check_folder()
    dialog.station_name.setText("Laptop")

    qtbot.mouseClick(dialog.join_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.unlock_dialog is not None, timeout=LONG_WAIT_MS)
    ask = dialog.unlock_dialog
    assert ask.isVisible() and not new.exists()  # nothing is made before the key is there
    qtbot.keyClicks(ask.passphrase, PASSPHRASE)
    with qtbot.wait_signal(dialog.join_finished, timeout=LONG_WAIT_MS) as joined:
        qtbot.mouseClick(ask.action_button, Qt.MouseButton.LeftButton)
    assert joined.args == [""] and dialog.joined_path == new
    conn = sqlite3.connect(new)
    try:
        assert conn.execute("SELECT name FROM client").fetchall() == [("Acme Bakery Riverside",)]
    finally:
        conn.close()


def test_after_the_key_was_changed_elsewhere_the_station_is_asked_for_the_new_passphrase(
    qtbot, monkeypatch, tmp_path: Path, station_a, window, share: Path
) -> None:
    keys_of(monkeypatch, tmp_path, "a")
    station_a.sync()
    enable_encryption(station_a.path, FolderTransport(share), share, PASSPHRASE)
    # Station B unlocked the first key long ago: its keychain holds what A's held then.
    shutil.copy(tmp_path / "keys-a.json", tmp_path / "keys-b.json")
    keys_of(monkeypatch, tmp_path, "a")
    station_a.apply(Create(Client, {"name": "Acme Bakery Riverside"}))
    rotate_key(station_a.path, FolderTransport(share), share, NEW_PASSPHRASE)
    keys_of(monkeypatch, tmp_path, "b")

    opening_sync(qtbot, window)
    assert window.sync.controller.last_error_kind == "needs-key"
    assert window.sync.status.text() == "Sync is encrypted — enter the agency passphrase"
    qtbot.waitUntil(lambda: window.sync.unlock_dialog is not None, timeout=LONG_WAIT_MS)
    ask = window.sync.unlock_dialog
    assert "the key was changed" in ask.heading.text()
    qtbot.keyClicks(ask.passphrase, PASSPHRASE)  # the old one no longer opens it
    qtbot.mouseClick(ask.action_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not ask.busy, timeout=LONG_WAIT_MS)
    assert ask.isVisible() and ask.error.text().startswith("Wrong agency passphrase")

    qtbot.keyClicks(ask.passphrase, NEW_PASSPHRASE)
    with qtbot.wait_signal(window.sync.controller.finished, timeout=LONG_WAIT_MS):
        qtbot.mouseClick(ask.action_button, Qt.MouseButton.LeftButton)
    names = [c.name for c in window.workspace.store.session.query(Client)]
    assert names == ["Acme Bakery Riverside"]


def test_a_share_stripped_of_its_encryption_is_refused_without_asking_a_passphrase(
    qtbot, monkeypatch, tmp_path: Path, station_a, window, share: Path
) -> None:
    keys_of(monkeypatch, tmp_path, "both")
    station_a.sync()
    enable_encryption(station_a.path, FolderTransport(share), share, PASSPHRASE)
    opening_sync(qtbot, window)  # B learns that its agency encrypts
    meta_file = share / "AgencyDesk" / "meta.json"
    meta = json.loads(meta_file.read_text())
    del meta["encryption"]  # someone wants the stations to write in the clear
    meta_file.write_text(json.dumps(meta))

    with qtbot.wait_signal(window.sync.controller.failed, timeout=LONG_WAIT_MS):
        window.sync.sync_action.trigger()
    controller = window.sync.controller
    qtbot.waitUntil(lambda: controller.last_error_kind == "encryption", timeout=LONG_WAIT_MS)
    qtbot.wait(200)  # nothing more happens: no prompt, no sync after sync
    assert window.sync.unlock_dialog is None and not controller.busy
    assert window.sync.status.text() == "Encrypted sync failed — working locally"
    panel = window.sync.show_panel()
    assert "holds no encryption settings" in panel.state.text()
    assert not panel.passphrase_button.isVisible()
