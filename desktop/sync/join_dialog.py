"""Join a Shared Agency…: the explicit way to work with an agency that already syncs through a
shared folder. It asks for the folder and for a new database file, builds that database from
the share (`db.sync.sync` on a file that does not exist yet: the share's agency, its latest
snapshot and every newer change; a kill at any moment leaves nothing half-made, see
`db.sync.join`), remembers the folder in it, and hands its path back to be opened.

An existing database never joins another agency: sync refuses it and says to come here. The
join runs on a worker thread with a busy bar; the dialog stays responsive and says in one
sentence what went wrong, leaving no file behind.

From the first-run dialog the new database goes where the app keeps its database (the field is
fixed); from the File menu any new file will do, and it opens in a new window.
"""

from __future__ import annotations

import contextlib
import sys
import threading
from pathlib import Path

from PySide6.QtCore import QProcess, Qt, Signal
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
from desktop.sync.passphrase_dialogs import UnlockDialog
from desktop.sync.settings import default_station_name, share_problem

ERROR_COLOR = "#d0453b"


def describe_share(folder: Path) -> str:
    """What the folder holds, for the line under the field."""
    from db.sync import SyncError
    from db.sync.agency import share_agency
    from db.sync.folder import FolderTransport

    transport = FolderTransport(folder)
    if not transport.root.is_dir():
        return "No agency syncs through this folder yet: the new database will be its first."
    try:
        agency = share_agency(transport)
    except SyncError as exc:
        return str(exc)
    if agency is None:
        return "This folder holds an agency from an older Agency Desk; joining records it."
    return f"Agency: “{agency.name}”"


def _agency_name(folder: Path) -> str:
    """The name of the agency the folder records ("" when it records none or cannot be
    read: the passphrase prompt then says "this agency")."""
    from db.sync import SyncError
    from db.sync.agency import share_agency
    from db.sync.folder import FolderTransport

    try:
        agency = share_agency(FolderTransport(folder))
    except SyncError:
        return ""
    return agency.name if agency is not None else ""


def database_problem(path: Path, share: Path | None) -> str | None:
    if not str(path).strip() or path == Path():
        return "Choose where to keep the new database"
    if path.exists():
        return "A file with this name exists already; joining starts from a new database"
    if not path.parent.is_dir():
        return "This folder does not exist"
    if share is not None and path.absolute().is_relative_to(share.absolute()):
        return "Keep the database on this computer, not inside the shared folder"
    return None


def open_in_new_window(path: Path) -> bool:
    """Start another Agency Desk on `path` (this window keeps its own database)."""
    if getattr(sys, "frozen", False):
        program, args = sys.executable, ["--db", str(path)]
    else:
        program, args = sys.executable, ["-m", "desktop", "--db", str(path)]
    started, _pid = QProcess.startDetached(program, args)
    return bool(started)


class JoinDialog(QDialog):
    """Signals:
    join_finished(str): the join ended; "" when it succeeded, else the reason (one line).
    """

    join_finished = Signal(str)
    _worker_done = Signal(str, bool)  # the reason it failed ("" when joined), needs the key

    def __init__(
        self,
        database: Path,
        parent: QWidget | None = None,
        *,
        fixed_database: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Join a Shared Agency")
        self.setMinimumWidth(560)
        self.joined_path: Path | None = None
        self.busy = False
        self.unlock_dialog: UnlockDialog | None = None

        intro = QLabel(
            "Work with an agency that already syncs through a shared folder. Agency Desk makes "
            "a <b>new database</b> on this computer with everything the folder holds; your "
            "other databases are not touched."
        )
        intro.setWordWrap(True)
        self.folder = QLineEdit()
        self.folder.setPlaceholderText("The agency's shared folder")
        self.choose_folder_button = QPushButton("Choose…")
        self.choose_folder_button.clicked.connect(self.choose_folder)
        self.folder_note = QLabel()
        self.folder_note.setWordWrap(True)
        self.folder_note.setTextFormat(Qt.TextFormat.PlainText)  # the agency's name is user text
        self.database = QLineEdit(str(database))
        self.database.setReadOnly(fixed_database)
        self.choose_database_button = QPushButton("Choose…")
        self.choose_database_button.setVisible(not fixed_database)
        self.choose_database_button.clicked.connect(self.choose_database)
        self.station_name = QLineEdit(default_station_name())
        self.station_name.setMaxLength(200)
        self.errors = {key: self._error(key) for key in ("folder", "database", "station_name")}

        form = QFormLayout()
        # Notes and messages take the whole width, so they wrap only when they must.
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Shared folder:", self._row(self.folder, self.choose_folder_button))
        form.addRow("", self.folder_note)
        form.addRow("", self.errors["folder"])
        form.addRow("New database:", self._row(self.database, self.choose_database_button))
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
        layout.addWidget(self.progress)
        layout.addWidget(self.buttons)

        self.folder.editingFinished.connect(self.check_folder)
        self.folder.textChanged.connect(lambda _t: self.folder_note.clear())
        self._worker_done.connect(self._on_done)

    def _row(self, field: QLineEdit, button: QPushButton) -> QWidget:
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(field, 1)
        row.addWidget(button)
        return holder

    def _error(self, key: str) -> QLabel:
        label = QLabel()
        label.setObjectName(f"join_{key}_error")
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        palette = label.palette()
        palette.setColor(QPalette.ColorRole.WindowText, QColor(ERROR_COLOR))
        label.setPalette(palette)
        label.hide()
        return label

    # -- fields --------------------------------------------------------------------------------

    def choose_folder(self) -> None:
        start = self.folder.text().strip() or str(Path.home())
        chosen = file_dialogs.existing_directory(self, "Choose the agency's shared folder", start)
        if chosen:
            self.folder.setText(chosen)
            self.check_folder()

    def choose_database(self) -> None:
        # No content sniffing: only the name is taken (the file must not exist anyway).
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

    def share(self) -> Path | None:
        text = self.folder.text().strip()
        return Path(text).expanduser() if text else None

    def database_path(self) -> Path:
        return Path(self.database.text().strip()).expanduser()

    def check_folder(self) -> bool:
        share = self.share()
        ok = self.validate()
        if share is not None and not share_problem(share):
            self.folder_note.setText(describe_share(share))
        return ok

    def validate(self) -> bool:
        share = self.share()
        problems = {
            "folder": share_problem(share) if share is not None else "Choose a folder",
            "database": database_problem(self.database_path(), share),
            "station_name": None if self.station_name.text().strip() else "Give it a name",
        }
        for key, label in self.errors.items():
            message = problems.get(key) or ""
            label.setText(message)
            label.setVisible(bool(message))
        return not any(problems.values())

    # -- joining -------------------------------------------------------------------------------

    def join(self) -> bool:
        """Start the join on a worker thread; False when a field is wrong (said beside it)."""
        if self.busy or not self.validate():
            return False
        share = self.share()
        assert share is not None
        self.busy = True
        self._set_inputs_enabled(False)
        self.progress.show()
        self.folder_note.setText("Joining… copying the agency's data to this computer.")
        worker = threading.Thread(
            target=self._work,
            args=(self.database_path(), share, self.station_name.text().strip()),
            name="join",
            daemon=True,
        )
        worker.start()
        return True

    def _work(self, path: Path, share: Path, name: str) -> None:
        from db.errors import AgencyDeskError
        from db.sync.crypto import EncryptionRequired, MissingKey

        needs_key = False
        try:
            from db.sync import sync

            sync(path, share, station_name=name)
        except (EncryptionRequired, MissingKey) as exc:
            # An encrypted agency: nothing was made yet; the passphrase is asked, then the
            # join runs again.
            message, needs_key = " ".join(str(exc).splitlines()), True
        except AgencyDeskError as exc:
            message = " ".join(str(exc).splitlines())
        except Exception as exc:  # any fault becomes a sentence; the traceback goes to the log
            import logging

            logging.getLogger(__name__).exception("join failed")
            message = f"Joining failed: {type(exc).__name__}: {exc}"
        else:
            message = ""
        # The dialog may be gone; the database (if any) is complete either way.
        with contextlib.suppress(RuntimeError):
            self._worker_done.emit(message, needs_key)

    def _on_done(self, message: str, needs_key: bool = False) -> None:
        self.busy = False
        self.progress.hide()
        self._set_inputs_enabled(True)
        path = self.database_path()
        share = self.share()
        if needs_key and share is not None and not path.exists():
            self.ask_passphrase(share)
            return
        if message and not path.exists():
            self.folder_note.setText("")
            self.errors["folder"].setText(f"Not joined: {message}")
            self.errors["folder"].show()
            self.join_finished.emit(message)
            return
        # Joined (a failure after the database was whole only delays the first full sync).
        self.joined_path = path
        self.join_finished.emit("")
        self.accept()

    def ask_passphrase(self, share: Path) -> UnlockDialog:
        """The agency's sync is encrypted: ask for its passphrase (the key goes to the
        keychain), then join again; "Not now" leaves the dialog as it was, saying why."""
        from desktop.sync import encryption_steps as steps
        from desktop.sync.background import Background

        place = steps.Place(share=share)
        dialog = UnlockDialog(
            Background(parent=self),
            lambda passphrase: steps.unlock(place, None, passphrase),
            intro=steps.unlock_intro(place, _agency_name(share)),
            parent=self,
        )
        dialog.unlocked.connect(self._unlocked)
        dialog.rejected.connect(self._not_unlocked)
        self.unlock_dialog = dialog
        self.folder_note.setText("This agency's sync is encrypted: type its passphrase.")
        dialog.open()
        return dialog

    def _unlocked(self) -> None:
        self.unlock_dialog = None
        self.join()

    def _not_unlocked(self) -> None:
        self.unlock_dialog = None
        self.folder_note.setText("")
        message = (
            "this agency's sync is encrypted; join again and type the agency passphrase "
            "(ask whoever set up encryption)"
        )
        self.errors["folder"].setText(f"Not joined: {message}")
        self.errors["folder"].show()
        self.join_finished.emit(message)

    def _set_inputs_enabled(self, enabled: bool) -> None:
        for widget in (
            self.folder,
            self.choose_folder_button,
            self.database,
            self.choose_database_button,
            self.station_name,
            self.join_button,
        ):
            widget.setEnabled(enabled)

    def reject(self) -> None:
        if self.busy:
            return  # a join in progress finishes (or is undone) by itself; wait for it
        super().reject()


def ask_join(database: Path, parent: QWidget | None = None, *, fixed: bool = False) -> Path | None:
    """Run the dialog; the joined database's path, or None when cancelled."""
    dialog = JoinDialog(database, parent, fixed_database=fixed)
    dialog.exec()
    return dialog.joined_path
