"""The Sync section of the Preferences dialog: Off, a shared folder (a folder chooser and an
Off button) or an agency server (its URL, this station's login and password, and a "Test
connection" and "Join this server…" buttons), this station's name, and the auto-sync
interval. The folder must
exist, be writable, and not belong to another agency (the message names both and points to
File > Join a Shared Agency…); what is wrong is said next to the field. Saved in the open
database, not in the agency's synced settings (see `desktop.sync.settings` for why).

The folder is tried (a probe file written and removed) when the field is left, a folder is
chosen, or the dialog saves, not on every keystroke: a network path that does not answer can
take seconds, and typing must not wait for it. "Test connection" talks to the server on a
worker thread and says what it found next to the button. The server's password goes to the
OS keychain (`db.sync.server.secrets`) when the dialog saves, never into the database or
QSettings; the field stays empty when one is kept already. "Join this server…" makes a new
database from the server's agency instead (`desktop.sync.server_join_dialog`), opened in a new
window: this database never joins another agency.
"""

from __future__ import annotations

import contextlib
import logging
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from db.store import Store
from desktop import file_dialogs
from desktop.sync.background import Background
from desktop.sync.encryption_section import EncryptionSection
from desktop.sync.settings import (
    MAX_INTERVAL_MINUTES,
    SyncSettings,
    agency_problem,
    is_server_url,
    share_problem,
)

if TYPE_CHECKING:
    from desktop.sync.server_join_dialog import ServerJoinDialog

ERROR_COLOR = "#d0453b"
OK_COLOR = "#2f9e57"
MODES = (("off", "Off"), ("folder", "Shared folder"), ("server", "Agency server"))
log = logging.getLogger(__name__)


class SyncPreferencesSection(QGroupBox):
    """Signals:
    edited(): any field changed; the dialog validates again.
    """

    edited = Signal()
    _tested = Signal(str, bool)  # worker -> UI thread: what the connection test found, ok

    def __init__(
        self, store: Store, parent: QWidget | None = None, *, runner: Background | None = None
    ) -> None:
        super().__init__("Sync (this station)", parent)
        self.store = store
        current = SyncSettings.load(store)
        self.mode = QComboBox()
        for key, label in MODES:
            self.mode.addItem(label, key)
        self.mode.setCurrentIndex([k for k, _ in MODES].index(current.mode))
        url, user = _split_server(current.server)
        self.server_url = QLineEdit(url)
        self.server_url.setPlaceholderText("postgresql://db.example.org/agency?sslmode=verify-full")
        self.server_user = QLineEdit(user)
        self.server_user.setPlaceholderText("this station's login")
        self.server_password = QLineEdit()
        self.server_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.server_password.setPlaceholderText(
            "kept in this computer's keychain" if current.server else "password"
        )
        self.test_button = QPushButton("Test connection")
        self.test_button.clicked.connect(self.test_connection)
        self.test_result = QLabel()
        self.test_result.setObjectName("sync_test_result")
        self.test_result.setWordWrap(True)
        self.test_result.setTextFormat(Qt.TextFormat.PlainText)
        self._tested.connect(self._show_test)
        self._testing: Future[None] | None = None
        self.join_button = QPushButton("Join this server…")
        self.join_button.setToolTip(
            "Make a new database from this server's agency; this database stays as it is"
        )
        self.join_button.clicked.connect(self.join_server)
        self.join_dialog: ServerJoinDialog | None = None

        self.folder = QLineEdit(str(current.share) if current.share is not None else "")
        self.folder.setPlaceholderText("Off — this station works on its own")
        self.folder.setClearButtonEnabled(True)
        self.choose_button = QPushButton("Choose…")
        self.choose_button.clicked.connect(self.choose_folder)
        self.off_button = QPushButton("Off")
        self.off_button.setToolTip("Stop syncing; local data stays as it is")
        self.off_button.clicked.connect(self._turn_off)
        self.station_name = QLineEdit(current.station_name)
        self.station_name.setMaxLength(200)
        self.interval = QSpinBox()
        self.interval.setRange(0, MAX_INTERVAL_MINUTES)
        self.interval.setSuffix(" min")
        self.interval.setSpecialValueText("Only when asked")
        self.interval.setValue(current.interval_minutes)
        self.interval.setMinimumWidth(140)

        self.errors: dict[str, QLabel] = {}
        self._probed: tuple[str, str | None] | None = None  # (folder text, its problem)
        folder_row = QWidget()
        row = QHBoxLayout(folder_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.folder, 1)
        row.addWidget(self.choose_button)
        row.addWidget(self.off_button)
        test_row = QWidget()
        tests = QHBoxLayout(test_row)
        tests.setContentsMargins(0, 0, 0, 0)
        tests.addWidget(self.test_button)
        tests.addWidget(self.join_button)
        tests.addWidget(self.test_result, 1)
        form = QFormLayout(self)
        self.form = form
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setVerticalSpacing(8)
        form.addRow("Sync through:", self.mode)
        form.addRow("Shared folder:", folder_row)
        form.addRow("", self._error("folder"))
        self._folder_rows = [folder_row, self.errors["folder"]]
        form.addRow("Server:", self.server_url)
        form.addRow("User:", self.server_user)
        form.addRow("Password:", self.server_password)
        form.addRow("", test_row)
        form.addRow("", self._error("server"))
        self._server_rows = [
            self.server_url,
            self.server_user,
            self.server_password,
            test_row,
            self.errors["server"],
        ]
        # Encryption is the agency's, set on the share or server this station syncs through.
        self.encryption = EncryptionSection(store, runner or Background(parent=self))
        form.addRow("Encryption:", self.encryption)
        form.addRow("Station name:", self.station_name)
        form.addRow("", self._error("station_name"))
        form.addRow("Sync every:", self.interval)

        self.folder.textChanged.connect(self._folder_typed)
        self.folder.editingFinished.connect(self.check_folder)
        self.mode.currentIndexChanged.connect(self._mode_changed)
        for field in (self.server_url, self.server_user, self.server_password):
            field.textChanged.connect(lambda _t: self.edited.emit())
        self._show_rows()
        self.station_name.textChanged.connect(lambda _t: self.edited.emit())
        self.interval.valueChanged.connect(lambda _v: self.edited.emit())

    def _error(self, key: str) -> QLabel:
        error = QLabel()
        error.setObjectName(f"sync_{key}_error")
        error.setWordWrap(True)  # another agency's folder takes two sentences
        error.setTextFormat(Qt.TextFormat.PlainText)  # agency names are user text
        palette = error.palette()
        palette.setColor(QPalette.ColorRole.WindowText, QColor(ERROR_COLOR))
        error.setPalette(palette)
        error.hide()
        self.errors[key] = error
        return error

    def choose_folder(self) -> None:
        start = self.folder.text().strip() or str(Path.home())
        chosen = file_dialogs.existing_directory(self, "Choose the shared folder", start)
        if chosen:
            self.folder.setText(chosen)
            self.check_folder()

    # -- the choice of Off, a folder or a server ---------------------------------------------

    def current_mode(self) -> str:
        return str(self.mode.currentData())

    def _set_mode(self, key: str) -> None:
        self.mode.setCurrentIndex([k for k, _ in MODES].index(key))

    def _mode_changed(self, _index: int) -> None:
        if self.current_mode() != "folder" and self.folder.text():
            self.folder.blockSignals(True)
            self.folder.clear()
            self.folder.blockSignals(False)
        self._show_rows()
        self.edited.emit()

    def _folder_typed(self, text: str) -> None:
        # Typing or choosing a folder means "sync through it"; clearing it means off.
        wanted = "folder" if text.strip() else "off"
        if self.current_mode() != wanted and not (
            wanted == "off" and self.current_mode() != "folder"
        ):
            self._set_mode(wanted)
        self.edited.emit()

    def _turn_off(self) -> None:
        self.folder.clear()
        self._set_mode("off")

    def _show_rows(self) -> None:
        mode = self.current_mode()
        for widget in self._folder_rows:
            self.form.setRowVisible(widget, mode != "server")
        for widget in self._server_rows:
            self.form.setRowVisible(widget, mode == "server")
        self.form.setRowVisible(self.encryption, mode != "off")
        if mode != "server":
            self.errors["server"].hide()
        self.validate()

    def server(self) -> str | None:
        """The server's URL with this station's login in it (no password), None when the
        fields do not make one."""
        return _join_server(self.server_url.text().strip(), self.server_user.text().strip())

    def values(self) -> SyncSettings:
        text = self.folder.text().strip()
        name, interval = self.station_name.text().strip(), self.interval.value()
        if self.current_mode() == "server":
            return SyncSettings(None, name, interval, self.server())
        return SyncSettings(Path(text).expanduser() if text else None, name, interval)

    def _server_problem(self) -> str | None:
        if self.current_mode() != "server":
            return None
        url = self.server_url.text().strip()
        if not url:
            return "Give the server's address, postgresql://host/database"
        if not is_server_url(url):
            return "A server address starts with postgresql://"
        if self.server() is None:
            return "This is not a server address Agency Desk can use"
        if not self.server_user.text().strip():
            return "Give this station's login on the server"
        return None

    def test_connection(self) -> None:
        """Connect to the server on a worker thread and say what was found."""
        url = self.server()
        problem = self._server_problem()
        if problem or url is None:
            self._show_test(problem or "Give the server's address", False)
            return
        if self._testing is not None and not self._testing.done():
            return
        self.test_button.setEnabled(False)
        self.test_result.setText("Connecting…")
        self._testing = _tester().submit(self._test_work, url, self.server_password.text())

    def _test_work(self, url: str, typed: str) -> None:
        from db.sync import SyncError
        from db.sync.server.schema import probe
        from db.sync.server.secrets import stored_password

        try:
            version, stations = probe(url, typed or stored_password(url))
        except SyncError as exc:
            message, ok = str(exc), False
        except Exception as exc:  # a sentence, never a traceback
            message, ok = f"Could not test the connection: {type(exc).__name__}: {exc}", False
        else:
            message = (
                f"Connected: an agency server (schema {version}) with "
                f"{stations} station{'s' if stations != 1 else ''}"
            )
            ok = True
        with contextlib.suppress(RuntimeError):  # the dialog closed meanwhile
            self._tested.emit(message, ok)

    def _show_test(self, message: str, ok: bool) -> None:
        self.test_button.setEnabled(True)
        self.test_result.setText(message)
        palette = self.test_result.palette()
        palette.setColor(QPalette.ColorRole.WindowText, QColor(OK_COLOR if ok else ERROR_COLOR))
        self.test_result.setPalette(palette)

    def join_server(self) -> ServerJoinDialog:
        """Open the join dialog with what the server fields hold; a joined database opens
        in a new window."""
        from desktop.sync.server_join_dialog import ServerJoinDialog, suggested_database

        dialog = ServerJoinDialog(
            suggested_database(),
            self,
            address=self.server_url.text().strip(),
            user=self.server_user.text().strip(),
            password=self.server_password.text(),
            station_name=self.station_name.text().strip(),
        )
        dialog.accepted.connect(self._joined)
        self.join_dialog = dialog
        dialog.open()
        return dialog

    def _joined(self) -> None:
        from desktop.sync import join_dialog

        dialog, self.join_dialog = self.join_dialog, None
        path = dialog.joined_path if dialog is not None else None
        if path is None:
            return
        if join_dialog.open_in_new_window(path):
            self._show_test(f"Joined: {path.name} opens in a new window", True)
        else:
            self._show_test(f"Joined into {path}; open it with agency-desk --db {path}", True)

    def check_folder(self) -> bool:
        """Try the folder now and say what is wrong next to it."""
        return self.validate(probe=True)

    def _folder_problem(self, share: Path | None, probe: bool) -> str | None:
        if share is None:
            return None
        text = self.folder.text()
        if probe or (self._probed is not None and self._probed[0] != text):
            self._probed = (text, self._probe(share)) if probe else None
        return self._probed[1] if self._probed is not None else None

    def _probe(self, share: Path) -> str | None:
        return share_problem(share) or agency_problem(share, self.store)

    def validate(self, *, probe: bool = False) -> bool:
        values = self.values()
        problems = {
            "folder": self._folder_problem(values.share, probe),
            "server": self._server_problem(),
            "station_name": None if values.station_name else "Give this station a name",
        }
        self.encryption.show_for(values)
        grew = False
        for key, label in self.errors.items():
            message = problems.get(key) or ""
            grew = grew or (bool(message) and label.text() != message)
            label.setText(message)
            label.setVisible(bool(message))
        if grew:
            QTimer.singleShot(0, self._make_room)  # once the label has its width
        return not any(problems.values())

    def _make_room(self) -> None:
        # A dialog's layout does not ask a wrapped label for its height at its width: hold
        # each message at the height its text needs, and the dialog grows to fit.
        for label in self.errors.values():
            label.setMinimumHeight(label.heightForWidth(label.width()) if label.text() else 0)

    def save(self) -> bool:
        """Write the values if they differ from what is stored; True when they did. A typed
        server password goes to the keychain (never to the database)."""
        values = self.values()
        typed = self.server_password.text()
        if values.server is not None and typed:
            from db.sync.server.secrets import KeychainError, store_password

            try:
                store_password(values.server, typed)
            except KeychainError as exc:
                # Saved without it: sync will say the login needs a password, and how.
                log.warning("%s", exc)
        if values == SyncSettings.load(self.store):
            return False
        values.save(self.store)
        return True


def _split_server(url: str | None) -> tuple[str, str]:
    """(the URL without its user, the user) for the fields."""
    if not url:
        return "", ""
    scheme, _, rest = url.partition("://")
    where, _, path = rest.partition("/")
    user, at, host = where.rpartition("@")
    if not at:
        return url, ""
    return f"{scheme}://{host}/{path}", user.split(":", 1)[0]


def _join_server(url: str, user: str) -> str | None:
    if not url or not is_server_url(url):
        return None
    scheme, _, rest = url.partition("://")
    where, slash, path = rest.partition("/")
    host = where.rpartition("@")[2]
    if not host or not slash or not path.split("?", 1)[0]:
        return None
    return f"{scheme}://{quote(user, safe='') + '@' if user else ''}{host}/{path}"


_TESTER: list[ThreadPoolExecutor] = []


def _tester() -> ThreadPoolExecutor:
    """One worker for connection tests, shared by every dialog (a test that hangs on a
    dead host for its timeout holds only this thread)."""
    if not _TESTER:
        _TESTER.append(ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-test"))
    return _TESTER[0]
