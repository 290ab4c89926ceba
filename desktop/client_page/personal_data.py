"""A contact's GDPR requests in the app (issue 18): "Export personal data…" writes the PDF and
JSON into a folder the user picks; "Erase this person…" opens `EraseDialog`.

The erase dialog says what goes and what stays, that it cannot be undone, and lists every
text of the client that still names the person, each in an editor, so the user rewords them
in the same step. Its Erase button stays off until the person's name is typed. The erase runs
outside the undo stack (`Store.apply`, not `Workspace.run`); the workspace then clears its
undo history, whose commands hold the person's old values (`Workspace._forward`). The file is
vacuumed afterwards on a worker thread, so the freed pages do not keep the text.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from db.errors import AgencyDeskError
from db.models import TeamMember
from db.privacy.erase import ErasePerson, vacuum
from db.privacy.mentions import Mention, mentions
from db.privacy.person import person
from desktop.client_page.context import PageContext
from desktop.client_page.fields import error_label
from desktop.file_dialogs import existing_directory
from desktop.formatting import Formats
from desktop.printing.personal_data import mention_label

SETTINGS_FOLDER = "privacy/export_folder"


def add_person_actions(context: PageContext, contact_id: str, menu: QMenu) -> None:
    """The two entries of a contact's right-click menu."""
    export = QAction("E&xport personal data…", menu)
    export.triggered.connect(lambda: export_personal_data(context, contact_id, menu.parentWidget()))
    menu.addAction(export)
    erase = QAction("E&rase this person…", menu)
    erase.triggered.connect(lambda: open_erase_dialog(context, contact_id, menu.parentWidget()))
    menu.addAction(erase)


def export_personal_data(
    context: PageContext, contact_id: str, parent: QWidget | None, folder: Path | None = None
) -> Path | None:
    """Ask for a folder (unless given) and write the two files there; the PDF's path, or None
    when the user cancelled or the folder could not be written (said in a message)."""
    from desktop.printing.personal_data import export_person

    settings = QSettings()
    if folder is None:
        start = str(settings.value(SETTINGS_FOLDER, "") or Path.home())
        chosen = existing_directory(parent, "Export personal data to folder", start)
        if not chosen:
            return None
        folder = Path(chosen)
    try:
        files = export_person(context.session, contact_id, folder)
    except (OSError, AgencyDeskError) as exc:
        QMessageBox.warning(parent, "Export personal data", f"{folder}: not written ({exc})")
        return None
    settings.setValue(SETTINGS_FOLDER, str(folder))
    context.workspace.done.emit(f"Personal data written to {files.pdf.name} and {files.json.name}")
    return files.pdf


def open_erase_dialog(
    context: PageContext, contact_id: str, parent: QWidget | None
) -> EraseDialog | None:
    if person(context.session.connection().exec_driver_sql, contact_id) is None:
        return None  # erased meanwhile (by sync)
    dialog = EraseDialog(context, contact_id, parent)
    dialog.open()
    return dialog


class Vacuum(QObject):
    """Signals: finished(): the database file was rewritten (or could not be, logged)."""

    finished = Signal()

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.done = threading.Event()

    def start(self) -> None:
        threading.Thread(target=self._run, name="erase-vacuum", daemon=True).start()

    def _run(self) -> None:
        import logging
        import sqlite3

        try:
            vacuum(self.path)
        except sqlite3.Error:
            # Busy (a sync running): the next erase or sync's vacuum rewrites it.
            logging.getLogger(__name__).warning("vacuum after erase postponed", exc_info=True)
        self.done.set()
        self.finished.emit()


class EraseDialog(QDialog):
    def __init__(self, context: PageContext, contact_id: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.context = context
        self.contact_id = contact_id
        # A contact deleted the ordinary way is read from what the delete kept.
        contact = person(context.session.connection().exec_driver_sql, contact_id)
        assert contact is not None
        self.name = contact.name
        self.vacuum: Vacuum | None = None
        self.setWindowTitle(f"Erase {self.name}")
        layout = QVBoxLayout(self)
        deleted = (
            "<p>The contact was deleted, but this station still holds their data in its "
            "sync history and audit trail, and so may others.</p>"
            if contact.deleted
            else ""
        )
        intro = QLabel(
            f"{deleted}<p>This erases <b>{_html(self.name)}</b>'s personal data: contact "
            "details, rapport notes, important dates, gifts for them and their own fields, "
            "here and, with the next sync, on every station.</p>"
            "<p>Interactions stay, with the person shown as “erased contact”.</p>"
            "<p><b>This cannot be undone.</b> Export the data first if the person asked "
            "for it.</p>"
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.mentions: list[Mention] = mentions(context.session, contact_id)
        self.editors: dict[tuple[str, str, str], QPlainTextEdit] = {}
        if self.mentions:
            heading = QLabel(
                f"These texts still name {_html(self.name)}. Edit them now if the name "
                "should go too:"
            )
            heading.setWordWrap(True)
            layout.addWidget(heading)
            form_host = QWidget()
            form = QFormLayout(form_host)
            for m in self.mentions:
                editor = QPlainTextEdit(m.text)
                editor.setTabChangesFocus(True)
                editor.setFixedHeight(editor.fontMetrics().lineSpacing() * 3 + 12)
                editor.setAccessibleName(f"{m.what} {m.when}")
                form.addRow(mention_label(m, Formats()), editor)
                self.editors[m.key] = editor
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setWidget(form_host)
            layout.addWidget(scroll, 1)

        layout.addWidget(QLabel(f"Type <b>{_html(self.name)}</b> to confirm:"))
        self.confirm = QLineEdit()
        self.confirm.setPlaceholderText(self.name)
        self.confirm.textChanged.connect(self._confirmed)
        layout.addWidget(self.confirm)
        self.error = error_label()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.erase_button = self.buttons.addButton(
            "Erase for good", QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.erase_button.setEnabled(False)
        self.erase_button.clicked.connect(self.erase)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        # Cancel is the default: Return in the confirmation box must not erase.
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setDefault(True)
        self.resize(620, 520 if self.mentions else 300)

    def _confirmed(self, text: str) -> None:
        self.erase_button.setEnabled(text.strip().casefold() == self.name.strip().casefold())

    def edits(self) -> dict[tuple[str, str, str], str]:
        originals = {m.key: m.text for m in self.mentions}
        return {
            key: editor.toPlainText()
            for key, editor in self.editors.items()
            if editor.toPlainText() != originals[key]
        }

    def erase(self) -> bool:
        if not self.erase_button.isEnabled():
            return False
        workspace = self.context.workspace
        try:
            workspace.store.apply(
                ErasePerson(self.contact_id, erased_by=self._me(), edits=self.edits())
            )
        except AgencyDeskError as exc:
            self.error.setText(f"Not erased: {exc}")
            self.error.show()
            return False
        # The status line does not repeat the name it just erased.
        workspace.done.emit("Personal data of the contact erased")
        path = workspace.store.engine.url.database
        if path:
            self.vacuum = Vacuum(Path(path))
            self.vacuum.start()
        self.accept()
        return True

    def _me(self) -> str:
        member_id = self.context.me()
        member = self.context.session.get(TeamMember, member_id) if member_id else None
        return member.name if member is not None else ""


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
