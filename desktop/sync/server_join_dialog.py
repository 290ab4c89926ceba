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
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.sync.background import Background, Failure
from desktop.sync.join_dialog import database_problem
from desktop.sync.joining import JoinDialogBase, error_label, field_row
from desktop.sync.settings import default_station_name

if TYPE_CHECKING:
    from desktop.sync.encryption_steps import Place

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


class ServerJoinDialog(JoinDialogBase):
    """Signals:
    join_finished(str): the join ended; "" when it succeeded, else the reason (one line).
    """

    place_field = "server"

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
        super().__init__(parent, runner)
        self.setWindowTitle("Join an Agency Server")
        self.setObjectName("serverJoinDialog")
        self.setMinimumWidth(600)
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
        self.errors = {key: error_label(f"server_join_{key}_error") for key in FIELDS}

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Server:", self.server)
        form.addRow("", self.errors["server"])
        form.addRow("User:", self.user)
        form.addRow("", self.errors["user"])
        form.addRow("Password:", self.password)
        form.addRow("", self.errors["password"])
        form.addRow("New database:", field_row(self.database, self.choose_database_button))
        form.addRow("", self.errors["database"])
        form.addRow("Station name:", self.station_name)
        form.addRow("", self.errors["station_name"])

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.progress)
        layout.addWidget(self.buttons)

    # -- fields --------------------------------------------------------------------------------

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
        self.show_problems(problems)
        return not any(problems.values())

    # -- joining -------------------------------------------------------------------------------

    def join(self) -> bool:
        """Start the join on the worker; False when a field is wrong (said beside it)."""
        if self.busy or not self.validate():
            return False
        url, password = self._url, self._typed_password or None
        path, name = self.database_path(), self.station_name.text().strip()
        return self.start_join(
            lambda: join_server(path, url, password, name),
            "Joining… copying the agency's data to this computer.",
        )

    def inputs(self) -> list[QWidget]:
        return [
            self.server,
            self.user,
            self.password,
            self.database,
            self.choose_database_button,
            self.station_name,
            self.join_button,
        ]

    def unlock_place(self) -> tuple[Place, str]:
        from desktop.sync import encryption_steps as steps

        return steps.Place(server=self._url), ""

    def failure_text(self, failure: Failure) -> tuple[str, str]:
        return field_of(failure.error), failure.message


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]
