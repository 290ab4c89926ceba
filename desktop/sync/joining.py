"""What "Join a Shared Agency…" (`join_dialog.py`) and "Join an Agency Server…"
(`server_join_dialog.py`) share: the busy bar and buttons, the red line under each field, the
hand-off of the join to a worker and back, and the passphrase step of an encrypted agency
(`UnlockDialog`, then the join runs again; "Not now" says why nothing was joined).

A dialog built on `JoinDialogBase` provides its form (with the `database` field for the new
file, chosen through `choose_database()`; `field_row` lays a field out beside its Choose…
button), `validate()`, `join()`,
`inputs()` (what is disabled while joining), `unlock_place()` (where the agency's key
lies, and its name for the prompt) and `failure_text()` (which field a failure is said
under, and how), and sets `note` (the line that says what is happening) and `place_field`
(the field naming where the agency syncs).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QWidget,
)

from desktop import file_dialogs
from desktop.sync.background import Background, Failure
from desktop.sync.passphrase_dialogs import UnlockDialog

if TYPE_CHECKING:
    from desktop.sync.encryption_steps import Place

ERROR_COLOR = "#d0453b"
NOT_UNLOCKED = (
    "this agency's sync is encrypted; join again and type the agency passphrase "
    "(ask whoever set up encryption)"
)


def error_label(object_name: str) -> QLabel:
    """A field's red message line, hidden until there is something to say."""
    label = QLabel()
    label.setObjectName(object_name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)  # messages quote user text
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.WindowText, QColor(ERROR_COLOR))
    label.setPalette(palette)
    label.hide()
    return label


def field_row(field: QLineEdit, button: QPushButton) -> QWidget:
    """A field with its Choose… button beside it, as one form row."""
    holder = QWidget()
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(field, 1)
    row.addWidget(button)
    return holder


class JoinDialogBase(QDialog):
    """Signals:
    join_finished(str): the join ended; "" when it succeeded, else the reason (one line).
    """

    join_finished = Signal(str)

    note: QLabel
    place_field: str
    database: QLineEdit

    def __init__(self, parent: QWidget | None = None, runner: Background | None = None) -> None:
        super().__init__(parent)
        self.runner = runner or Background(parent=self)
        self.joined_path: Path | None = None
        self.busy = False
        self.unlock_dialog: UnlockDialog | None = None
        self.errors: dict[str, QLabel] = {}
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy: a join's length is not known in advance
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.buttons = QDialogButtonBox()
        self.join_button = self.buttons.addButton("Join", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.join)
        self.buttons.rejected.connect(self.reject)

    # -- what each dialog provides ---------------------------------------------------------

    def join(self) -> bool:
        raise NotImplementedError

    def validate(self) -> bool:
        raise NotImplementedError

    def inputs(self) -> list[QWidget]:
        raise NotImplementedError

    def unlock_place(self) -> tuple[Place, str]:
        raise NotImplementedError

    def failure_text(self, failure: Failure) -> tuple[str, str]:
        raise NotImplementedError

    # -- shared ----------------------------------------------------------------------------

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

    def database_path(self) -> Path:
        return Path(self.database.text().strip()).expanduser()

    def show_problems(self, problems: dict[str, str | None]) -> None:
        for key, label in self.errors.items():
            message = problems.get(key) or ""
            label.setText(message)
            label.setVisible(bool(message))

    def start_join(self, work: Callable[[], Any], note: str) -> bool:
        """Run `work` (the join) on the worker, the dialog busy meanwhile."""
        self._set_busy(True)
        self.note.setText(note)
        if not self.runner.run(work, self._when_done()):
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
                # An encrypted agency: nothing was made yet; the passphrase is asked, then
                # the join runs again.
                self.ask_passphrase()
                return
            field, message = self.failure_text(failure)
            self.show_problems({field: f"Not joined: {message}"})
            self.join_finished.emit(message)
            return
        # Joined (a failure after the database was whole only delays its first full sync).
        self.joined_path = path
        self.join_finished.emit("")
        self.accept()

    def ask_passphrase(self) -> UnlockDialog:
        """The agency's sync is encrypted: its passphrase unlocks the key (kept in the
        keychain), then the join runs again; "Not now" says why nothing was joined."""
        from desktop.sync import encryption_steps as steps

        place, agency_name = self.unlock_place()
        dialog = UnlockDialog(
            self.runner,
            lambda passphrase: steps.unlock(place, None, passphrase),
            intro=steps.unlock_intro(place, agency_name),
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
        self.show_problems({self.place_field: f"Not joined: {NOT_UNLOCKED}"})
        self.join_finished.emit(NOT_UNLOCKED)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.progress.setVisible(busy)
        for widget in self.inputs():
            widget.setEnabled(not busy)

    def reject(self) -> None:
        if self.busy:
            return  # a join in progress finishes (or leaves nothing) by itself; wait for it
        super().reject()
