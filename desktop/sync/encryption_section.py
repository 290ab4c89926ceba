"""The Encryption row of Preferences > Sync: whether the agency's share or server is
encrypted (and with which key), and the two explicit steps, "Encrypt sync…" for a plain one
and "Change key (someone left)…" for an encrypted one; "Enter passphrase…" when this station
meets an encrypted one it holds no key for.

Encryption acts on where this station syncs as saved, not on what the fields hold while they
are edited: a folder typed but not saved may be anyone's. Reading the status talks to the
share or server, so it runs on the worker (`desktop.sync.background`) and the row says
"Checking…" meanwhile; so do the steps, from their dialogs (`desktop.sync.passphrase_dialogs`).

The steps are not on the undo stack: they change the agency's share, not a record of this
database, and none can be taken back. Undoing a change of key would hand the share back to a
key someone who left may keep; turning encryption off again would put the data back in the
clear. Each asks first, in its own dialog, and says what it will do.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.sync import encryption_steps as steps
from desktop.sync.background import Background, Failure
from desktop.sync.passphrase_dialogs import NewPassphraseDialog, UnlockDialog
from desktop.sync.settings import SyncSettings

if TYPE_CHECKING:
    from db.store import Store

OK_COLOR = "#2f9e57"
WARN_COLOR = "#d9931c"
ERROR_COLOR = "#d0453b"


SHORT = 150  # characters: two lines of the row; a longer message is whole in the tooltip


def _short(text: str) -> str:
    return text if len(text) <= SHORT else text[: SHORT - 1].rstrip() + "…"


class EncryptionSection(QWidget):
    """Signals:
    changed(): encryption was turned on, the key changed or this station unlocked it: a
        sync should follow.
    """

    changed = Signal()

    def __init__(self, store: Store, runner: Background, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncEncryption")
        self.store = store
        self.runner = runner
        self.saved = SyncSettings.load(store)
        self.found: steps.Found | None = None
        self.dialog: QWidget | None = None
        self._asked = 0  # which status read is current: a late answer for another is dropped
        self._reading = False
        self._matching = True  # the fields point where this station syncs as saved

        self.status = QLabel()
        self.status.setObjectName("sync_encryption_status")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.RichText)  # the dot; every value is escaped
        self.encrypt_button = QPushButton("Encrypt sync…")
        self.encrypt_button.setToolTip(
            "Keep only ciphertext on the shared folder or server, under an agency passphrase"
        )
        self.encrypt_button.clicked.connect(self.encrypt)
        self.rotate_button = QPushButton("Change key (someone left)…")
        self.rotate_button.setToolTip(
            "A new agency key and passphrase: the old ones read nothing written from now on"
        )
        self.rotate_button.clicked.connect(self.change_key)
        self.unlock_button = QPushButton("Enter passphrase…")
        self.unlock_button.clicked.connect(self.unlock)
        # The status takes the whole width (a key id, or why there is none); the button
        # that applies sits under it.
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for button in (self.encrypt_button, self.rotate_button, self.unlock_button):
            buttons.addWidget(button)
            button.hide()
        buttons.addStretch(1)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        column.addWidget(self.status)
        column.addLayout(buttons)
        self.show_for(self.saved)

    # -- reading -----------------------------------------------------------------------------

    def show_for(self, fields: SyncSettings) -> None:
        """Show the status for where the fields point: the saved place is read (on the
        worker); anything else waits until it is saved."""
        place = steps.Place.of(self.saved)
        edited = steps.Place.of(fields)
        if edited is None:  # sync is off (the row is hidden) or no folder given yet
            self._matching = False
            self._say("", "")
            self._buttons()
            return
        self._matching = place is not None and place == edited
        if not self._matching:
            self._say(
                "Save these settings first: encryption is set for where this station syncs.", ""
            )
            self._buttons()
            return
        if self.found is not None and self.found.place == place:
            self._show_found()
        elif not self._reading:
            self.refresh()

    def refresh(self) -> None:
        """Read the saved place's encryption again (on the worker)."""
        place = steps.Place.of(self.saved)
        if place is None:
            return
        self._asked += 1
        asked = self._asked
        self.found = None
        self._reading = True
        self._say("Checking whether the sync is encrypted…", "")
        self._buttons()
        self.runner.run(lambda: steps.read_status(place), lambda r, f: self._read(asked, r, f))

    def _read(self, asked: int, found: Any, failure: Failure | None) -> None:
        if asked != self._asked or not shiboken6.isValid(self.status):
            return  # a later read was asked for, or Preferences closed meanwhile
        self._reading = False
        if failure is not None and self._matching:
            self._say(
                f"Could not tell whether the sync is encrypted: {failure.message}", ERROR_COLOR
            )
            self._buttons()
            return
        self.found = found if failure is None else None
        if self._matching and self.found is not None:
            self._show_found()

    def _show_found(self) -> None:
        found = self.found
        assert found is not None
        if not found.enabled:
            self._say(
                f"Not encrypted: whoever can read {found.place.kind} can read every client's data.",
                WARN_COLOR,
            )
        elif found.have_key:
            self._say(f"Encrypted with key {found.key_id}.", OK_COLOR)
        else:
            self._say(
                f"Encrypted with key {found.key_id}, which this station does not hold yet: "
                "enter the agency passphrase to sync.",
                ERROR_COLOR,
            )
        self._buttons()

    def _say(self, text: str, color: str) -> None:
        dot = f'<span style="color:{color}">●</span> ' if color else ""
        self.status.setText(dot + html.escape(_short(text)))
        self.status.setToolTip(text if len(text) > SHORT else "")
        QTimer.singleShot(0, self._fit)  # once the label has its width

    def hasHeightForWidth(self) -> bool:
        # The form would give the row its height-for-width, which comes out too small for a
        # wrapped label above a button; `_fit` holds the row at what both need instead.
        return False

    def _fit(self) -> None:
        # A form does not ask a wrapped label for its height at its width: hold it at the
        # height its text needs, and the dialog grows to fit.
        if shiboken6.isValid(self.status):
            # -1 (no answer) while the label is empty or not laid out yet
            needed = self.status.heightForWidth(self.status.width())
            self.status.setMinimumHeight(max(needed, 0))

    def _buttons(self) -> None:
        found = self.found if self._matching else None
        self.encrypt_button.setVisible(found is not None and not found.enabled)
        self.rotate_button.setVisible(found is not None and found.enabled and found.have_key)
        self.unlock_button.setVisible(found is not None and found.enabled and not found.have_key)

    # -- acting ------------------------------------------------------------------------------

    def encrypt(self) -> NewPassphraseDialog | None:
        found = self.found
        if found is None or found.enabled:
            return None
        place, path = found.place, self._database()
        dialog = NewPassphraseDialog(
            self.runner,
            lambda passphrase: steps.encrypt(place, path, passphrase),
            title="Encrypt sync",
            intro=(
                "<b>Encrypt this agency's sync</b><br>What Agency Desk keeps on "
                f"{html.escape(place.describe())} is converted in place: from then on it holds "
                "only ciphertext, so whoever can read it sees no client data, and a changed "
                "file is refused. Nothing is lost; the other stations are asked for the "
                "passphrase at their next sync."
            ),
            action="Encrypt",
            working=f"Encrypting {place.kind}… (the window stays usable)",
            context=[found.agency_name, self.saved.station_name],
            parent=self.window(),
        )
        return self._open(dialog)

    def change_key(self) -> NewPassphraseDialog | None:
        found = self.found
        if found is None or not found.enabled or not found.have_key:
            return None
        place, path = found.place, self._database()
        dialog = NewPassphraseDialog(
            self.runner,
            lambda passphrase: steps.change_key(place, path, passphrase),
            title="Change the agency key",
            intro=(
                "<b>Change the agency key (someone left)</b><br>A new key, under a new "
                "passphrase, and a fresh copy of the agency's data under it. Whoever kept the "
                "old passphrase or key can read nothing written from now on. Tell the new "
                "passphrase to the people who stay: each station is asked for it once."
            ),
            action="Change key",
            working="Changing the agency key… (the window stays usable)",
            context=[found.agency_name, self.saved.station_name],
            parent=self.window(),
        )
        return self._open(dialog)

    def unlock(self) -> UnlockDialog | None:
        found = self.found
        if found is None:
            return None
        place, agency_id = found.place, found.agency_id
        dialog = UnlockDialog(
            self.runner,
            lambda passphrase: steps.unlock(place, agency_id, passphrase),
            intro=steps.unlock_intro(place, found.agency_name),
            parent=self.window(),
        )
        dialog.unlocked.connect(self._after_step)
        dialog.open()
        self.dialog = dialog
        return dialog

    def _open(self, dialog: NewPassphraseDialog) -> NewPassphraseDialog:
        dialog.succeeded.connect(lambda _outcome: self._after_step())
        dialog.open()  # window-modal, without a nested event loop
        self.dialog = dialog
        return dialog

    def _after_step(self) -> None:
        self.refresh()
        self.changed.emit()

    def _database(self) -> Path:
        return Path(self.store.engine.url.database or "")
