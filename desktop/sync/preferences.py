"""The Sync section of the Preferences dialog: the shared folder (off by default; a folder
chooser and an Off button), this station's name, and the auto-sync interval. The folder must
exist, be writable, and not belong to another agency (the message names both and points to
File > Join a Shared Agency…); what is wrong is said next to the field. Saved in the open
database, not in the agency's synced settings (see `desktop.sync.settings` for why).

The folder is tried (a probe file written and removed) when the field is left, a folder is
chosen, or the dialog saves, not on every keystroke: a network path that does not answer can
take seconds, and typing must not wait for it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
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
from desktop.sync.settings import (
    MAX_INTERVAL_MINUTES,
    SyncSettings,
    agency_problem,
    share_problem,
)

ERROR_COLOR = "#d0453b"


class SyncPreferencesSection(QGroupBox):
    """Signals:
    edited(): any field changed; the dialog validates again.
    """

    edited = Signal()

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__("Sync through a shared folder (this station)", parent)
        self.store = store
        current = SyncSettings.load(store)

        self.folder = QLineEdit(str(current.share) if current.share is not None else "")
        self.folder.setPlaceholderText("Off — this station works on its own")
        self.folder.setClearButtonEnabled(True)
        self.choose_button = QPushButton("Choose…")
        self.choose_button.clicked.connect(self.choose_folder)
        self.off_button = QPushButton("Off")
        self.off_button.setToolTip("Stop syncing; local data stays as it is")
        self.off_button.clicked.connect(self.folder.clear)
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
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setVerticalSpacing(8)
        form.addRow("Shared folder:", folder_row)
        form.addRow("", self._error("folder"))
        form.addRow("Station name:", self.station_name)
        form.addRow("", self._error("station_name"))
        form.addRow("Sync every:", self.interval)

        self.folder.textChanged.connect(lambda _t: self.edited.emit())
        self.folder.editingFinished.connect(self.check_folder)
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

    def values(self) -> SyncSettings:
        text = self.folder.text().strip()
        return SyncSettings(
            Path(text).expanduser() if text else None,
            self.station_name.text().strip(),
            self.interval.value(),
        )

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
            "station_name": None if values.station_name else "Give this station a name",
        }
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
        """Write the values if they differ from what is stored; True when they did."""
        values = self.values()
        if values == SyncSettings.load(self.store):
            return False
        values.save(self.store)
        return True
