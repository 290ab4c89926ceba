"""Join an Agency Server…: the counterpart of "Join a Shared Agency…" for an agency that syncs
through an agency server (PostgreSQL), opened from Preferences > Sync.

It asks for the server (a `postgresql://` URL, or a libpq `host=... dbname=...` string as an
administrator hands it out), this station's login and password, and a new database file,
then builds that database from the server (`db.sync.server.sync.sync_server` on a file that
does not exist yet: the agency, its latest snapshot and every newer change; nothing is left
behind when it fails) and hands its path back to be opened in a new window. The open
database never joins another agency: it stays as it is.

The join runs on a worker (`desktop.sync.background.Background`) with a busy bar; the dialog
stays responsive. What went wrong is said under the field it concerns: an unreachable server
or a database that is not an agency's under Server, a refused login under Password, a file
that exists already under New database. An encrypted agency asks for its passphrase
(`UnlockDialog`, also on the worker), then the join runs again. The password goes to the OS
keychain once the server accepted it, never into a file.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop import file_dialogs
from desktop.sync.background import Background, Failure
from desktop.sync.join_dialog import ERROR_COLOR, database_problem
from desktop.sync.passphrase_dialogs import UnlockDialog
from desktop.sync.settings import default_station_name

log = logging.getLogger(__name__)
FIELDS = ("server", "user", "password", "database", "station_name")


def suggested_database(stem: str = "Agency server") -> Path:
    """A new file in Documents (not beside the open database: a file dialog showing that
    folder would list its files) that does not exist yet."""
    folder = Path.home() / "Documents"
    if not folder.is_dir():
        folder = Path.home()
    suggested, n = folder / f"{stem}.sqlite", 2
    while suggested.exists():
        suggested, n = folder / f"{stem} {n}.sqlite", n + 1
    return suggested


def join_server(path: Path, url: str, password: str | None, station_name: str) -> None:
    """On the worker: the new database at `path` from the server at `url`. The password is
    kept in the keychain once the server took it (joined, or stopped only by encryption,
    whose unlock step then reads it from there)."""
    from db.sync.crypto import EncryptionRequired, MissingKey
    from db.sync.server.sync import sync_server

    try:
        sync_server(path, url, password=password, station_name=station_name)
    except (EncryptionRequired, MissingKey):
        _keep_password(url, password)
        raise
    _keep_password(url, password)


def _keep_password(url: str, password: str | None) -> None:
    from db.sync.server.secrets import KeychainError, store_password

    if not password:
        return
    try:
        store_password(url, password)
    except KeychainError as exc:  # joined all the same; sync will say it needs the password
        log.warning("%s", exc)


def field_of(error: BaseException) -> str:
    """Which field a failed join's message belongs under."""
    from db.sync.server.errors import ServerLoginError

    if isinstance(error, ServerLoginError):
        return "password"
    if isinstance(error, OSError):  # the new database's folder could not be written
        return "database"
    return "server"


class ServerJoinDialog(QDialog):
    """Signals:
    join_finished(str): the join ended; "" when it succeeded, else the reason (one line).
    """

    join_finished = Signal(str)

    def __init__(
        self,
        database: Path,
        parent: QWidget | None = None,
        *,
        address: str = "",
        user: str = "",
        password: str = "",
        station_name: str = "",
        runner: Background | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Join an Agency Server")
        self.setObjectName("serverJoinDialog")
        self.setMinimumWidth(600)
        self.runner = runner or Background(parent=self)
        self.joined_path: Path | None = None
        self.busy = False
        self.unlock_dialog: UnlockDialog | None = None
        self._url = ""  # the server's URL (no password) and the password, as last validated
        self._typed_password = ""

        intro = QLabel(
            "Work with an agency that syncs through an agency server. Agency Desk makes a "
            "<b>new database</b> on this computer with everything the server holds; the open "
            "database is not touched."
        )
        intro.setWordWrap(True)
        self.server = QLineEdit(address)
        self.server.setPlaceholderText("postgresql://db.example.org/agency?sslmode=verify-full")
        self.server.setToolTip("A postgresql:// address, or host=… dbname=… as handed out")
        self.user = QLineEdit(user)
        self.user.setPlaceholderText("this station's login")
        self.password = QLineEdit(password)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("kept in this computer's keychain")
        self.database = QLineEdit(str(database))
        self.choose_database_button = QPushButton("Choose…")
        self.choose_database_button.clicked.connect(self.choose_database)
        self.station_name = QLineEdit(station_name or default_station_name())
        self.station_name.setMaxLength(200)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.errors = {key: self._error(key) for key in FIELDS}

        database_row = QWidget()
        row = QHBoxLayout(database_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.database, 1)
        row.addWidget(self.choose_database_button)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Server:", self.server)
        form.addRow("", self.errors["server"])
        form.addRow("User:", self.user)
        form.addRow("", self.errors["user"])
        form.addRow("Password:", self.password)
        form.addRow("", self.errors["password"])
        form.addRow("New database:", database_row)
        form.addRow("", self.errors["database"])
        form.addRow("Station name:", self.station_name)
        form.addRow("", self.errors["station_name"])

        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy: a join's length is not known in advance
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.buttons = QDialogButtonBox()
        self.join_button = self.buttons.addButton("Join", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.join)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.progress)
        layout.addWidget(self.buttons)

    def _error(self, key: str) -> QLabel:
        label = QLabel()
        label.setObjectName(f"server_join_{key}_error")
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)  # server messages quote user text
        palette = label.palette()
        palette.setColor(QPalette.ColorRole.WindowText, QColor(ERROR_COLOR))
        label.setPalette(palette)
        label.hide()
        return label

    # -- fields --------------------------------------------------------------------------------

    def choose_database(self) -> None:
        chosen = file_dialogs.save_file_name(
            self,
            "New database for the joined agency",
            self.database.text().strip() or str(Path.home()),
            "Agency Desk databases (*.sqlite)",
            confirm_overwrite=False,
        )
        if chosen:
            path = Path(chosen)
            self.database.setText(str(path if path.suffix else path.with_suffix(".sqlite")))
            self.validate()

    def database_path(self) -> Path:
        return Path(self.database.text().strip()).expanduser()

    def validate(self) -> bool:
        """Say what is wrong beside each field (no I/O beyond looking at the local path)."""
        from db.sync.server.connect import server_address, user_of

        problems: dict[str, str | None] = dict.fromkeys(FIELDS)
        self._url, self._typed_password = "", ""
        try:
            url, in_address = server_address(self.server.text(), self.user.text())
        except ValueError as exc:
            problems["server"] = _sentence(str(exc))
        else:
            if not user_of(url):
                problems["user"] = "Give this station's login on the server"
            self._url = url
            self._typed_password = self.password.text() or in_address or ""
        problems["database"] = database_problem(self.database_path(), None)
        if not self.station_name.text().strip():
            problems["station_name"] = "Give this station a name"
        self._show(problems)
        return not any(problems.values())

    def _show(self, problems: dict[str, str | None]) -> None:
        for key, label in self.errors.items():
            message = problems.get(key) or ""
            label.setText(message)
            label.setVisible(bool(message))

    # -- joining -------------------------------------------------------------------------------

    def join(self) -> bool:
        """Start the join on the worker; False when a field is wrong (said beside it)."""
        if self.busy or not self.validate():
            return False
        url, password = self._url, self._typed_password or None
        path, name = self.database_path(), self.station_name.text().strip()
        self._set_busy(True)
        self.note.setText("Joining… copying the agency's data to this computer.")
        if not self.runner.run(lambda: join_server(path, url, password, name), self._when_done()):
            self._set_busy(False)
            self.note.setText("Not joined: Agency Desk is closing")
            return False
        return True

    def _when_done(self) -> Callable[[object, Failure | None], None]:
        # The worker holds this callback until its job is dropped; holding the dialog only
        # weakly, it can never be the last owner of a dialog, which would then be destroyed
        # on the worker thread (Qt objects must die on their own thread).
        method = weakref.WeakMethod(self._done)

        def done(result: object, failure: Failure | None) -> None:
            alive = method()
            if alive is not None:
                alive(result, failure)

        return done

    def _done(self, _result: object, failure: Failure | None) -> None:
        from db.sync.crypto import EncryptionRequired, MissingKey

        self._set_busy(False)
        self.note.clear()
        path = self.database_path()
        if failure is not None and not path.exists():
            if isinstance(failure.error, (EncryptionRequired, MissingKey)):
                self.ask_passphrase()
                return
            self._show({field_of(failure.error): f"Not joined: {failure.message}"})
            self.join_finished.emit(failure.message)
            return
        # Joined (a failure after the database was whole only delays its first full sync).
        self.joined_path = path
        self.join_finished.emit("")
        self.accept()

    def ask_passphrase(self) -> UnlockDialog:
        """The agency's sync is encrypted: its passphrase unlocks the key (kept in the
        keychain), then the join runs again; "Not now" says why nothing was joined."""
        from desktop.sync import encryption_steps as steps

        place = steps.Place(server=self._url)
        dialog = UnlockDialog(
            self.runner,
            lambda passphrase: steps.unlock(place, None, passphrase),
            intro=steps.unlock_intro(place, ""),
            parent=self,
        )
        dialog.unlocked.connect(self._unlocked)
        dialog.rejected.connect(self._not_unlocked)
        self.unlock_dialog = dialog
        self.note.setText("This agency's sync is encrypted: type its passphrase.")
        dialog.open()
        return dialog

    def _unlocked(self) -> None:
        self.unlock_dialog = None
        self.join()

    def _not_unlocked(self) -> None:
        self.unlock_dialog = None
        self.note.clear()
        message = (
            "this agency's sync is encrypted; join again and type the agency passphrase "
            "(ask whoever set up encryption)"
        )
        self._show({"server": f"Not joined: {message}"})
        self.join_finished.emit(message)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.progress.setVisible(busy)
        for widget in (
            self.server,
            self.user,
            self.password,
            self.database,
            self.choose_database_button,
            self.station_name,
            self.join_button,
        ):
            widget.setEnabled(not busy)

    def reject(self) -> None:
        if self.busy:
            return  # a join in progress finishes (or leaves nothing) by itself; wait for it
        super().reject()


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]
