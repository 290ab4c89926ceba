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

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QProcess, Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop import file_dialogs
from desktop.sync.background import Failure
from desktop.sync.joining import JoinDialogBase, error_label, field_row
from desktop.sync.settings import default_station_name, share_problem

if TYPE_CHECKING:
    from desktop.sync.encryption_steps import Place


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


class JoinDialog(JoinDialogBase):
    """Signals:
    join_finished(str): the join ended; "" when it succeeded, else the reason (one line).
    """

    place_field = "folder"

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
        self.note = self.folder_note
        self.database = QLineEdit(str(database))
        self.database.setReadOnly(fixed_database)
        self.choose_database_button = QPushButton("Choose…")
        self.choose_database_button.setVisible(not fixed_database)
        self.choose_database_button.clicked.connect(self.choose_database)
        self.station_name = QLineEdit(default_station_name())
        self.station_name.setMaxLength(200)
        self.errors = {
            key: error_label(f"join_{key}_error") for key in ("folder", "database", "station_name")
        }

        form = QFormLayout()
        # Notes and messages take the whole width, so they wrap only when they must.
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Shared folder:", field_row(self.folder, self.choose_folder_button))
        form.addRow("", self.folder_note)
        form.addRow("", self.errors["folder"])
        form.addRow("New database:", field_row(self.database, self.choose_database_button))
        form.addRow("", self.errors["database"])
        form.addRow("Station name:", self.station_name)
        form.addRow("", self.errors["station_name"])

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.buttons)

        self.folder.editingFinished.connect(self.check_folder)
        self.folder.textChanged.connect(lambda _t: self.folder_note.clear())

    # -- fields --------------------------------------------------------------------------------

    def choose_folder(self) -> None:
        start = self.folder.text().strip() or str(Path.home())
        chosen = file_dialogs.existing_directory(self, "Choose the agency's shared folder", start)
        if chosen:
            self.folder.setText(chosen)
            self.check_folder()

    def share(self) -> Path | None:
        text = self.folder.text().strip()
        return Path(text).expanduser() if text else None

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
        self.show_problems(problems)
        return not any(problems.values())

    # -- joining -------------------------------------------------------------------------------

    def join(self) -> bool:
        """Start the join on the worker; False when a field is wrong (said beside it)."""
        if self.busy or not self.validate():
            return False
        share = self.share()
        assert share is not None
        path, name = self.database_path(), self.station_name.text().strip()

        def work() -> None:
            from db.sync import sync

            sync(path, share, station_name=name)

        return self.start_join(work, "Joining… copying the agency's data to this computer.")

    def inputs(self) -> list[QWidget]:
        return [
            self.folder,
            self.choose_folder_button,
            self.database,
            self.choose_database_button,
            self.station_name,
            self.join_button,
        ]

    def unlock_place(self) -> tuple[Place, str]:
        from desktop.sync import encryption_steps as steps

        share = self.share()
        assert share is not None
        return steps.Place(share=share), _agency_name(share)

    def failure_text(self, failure: Failure) -> tuple[str, str]:
        from db.errors import AgencyDeskError

        error = failure.error
        if isinstance(error, AgencyDeskError):
            return "folder", " ".join(str(error).splitlines())
        return "folder", f"Joining failed: {type(error).__name__}: {error}"


def ask_join(database: Path, parent: QWidget | None = None, *, fixed: bool = False) -> Path | None:
    """Run the dialog; the joined database's path, or None when cancelled."""
    dialog = JoinDialog(database, parent, fixed_database=fixed)
    dialog.exec()
    return dialog.joined_path
