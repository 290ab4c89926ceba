"""People: the client's contacts with role, email and phone, their important dates, the
stay-in-touch cadence and when the next touch is due, and private rapport notes."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from db.am.client_detail import ContactRow, contacts
from db.models import Contact
from db.operations import Update
from desktop.client_page.context import PageContext, list_table, stretch
from desktop.client_page.dialogs import ContactDialog
from desktop.client_page.formatting import day
from desktop.client_page.rows_model import Column, RowsModel
from desktop.client_page.section import Section
from desktop.models.roles import ID_ROLE


def _set(field: str) -> Any:
    def edit(row: ContactRow, value: Any) -> Update:
        text = value.strip() if isinstance(value, str) else value
        return Update(Contact, row.id, {field: text}, label=f"Edit contact {field}")

    return edit


def _cadence_text(c: ContactRow) -> str:
    if not c.stay_in_touch_days:
        return ""
    if c.touch_overdue_days:
        return f"every {c.stay_in_touch_days} d · {c.touch_overdue_days} d overdue"
    return f"every {c.stay_in_touch_days} d · next {day(c.touch_due)}"


def _cadence_value(c: ContactRow) -> int:
    return c.stay_in_touch_days or 0


def _set_cadence(row: ContactRow, value: Any) -> Update:
    days = int(value) if str(value).strip().isdigit() else None
    return Update(Contact, row.id, {"stay_in_touch_days": days or None}, label="Change cadence")


COLUMNS = (
    Column("Name", lambda c: c.name, edit=_set("name")),
    Column("Role", lambda c: c.title, edit=_set("title")),
    Column(
        "Stay in touch",
        _cadence_text,
        sort=lambda c: c.touch_due,
        edit=_set_cadence,
        edit_value=_cadence_value,
    ),
    Column("Last touch", lambda c: day(c.last_touch, "never"), sort=lambda c: c.last_touch),
    Column("Important dates", lambda c: ", ".join(d.text for d in c.dates)),
    Column("Email", lambda c: c.email, edit=_set("email")),
    Column("Phone", lambda c: c.phone, edit=_set("phone")),
)


class PeopleSection(Section):
    title = "People"
    entities = ("Contact", "ImportantDate", "Interaction", "InteractionContact")

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.model = RowsModel(COLUMNS, context.run)
        self.table = list_table()
        self.table.setModel(self.model)
        stretch(self.table, 4)
        self.add_button = QPushButton("&Add contact…")
        self.add_button.clicked.connect(self.open_add_dialog)
        self.dialog: ContactDialog | None = None

        self.rapport_title = QLabel("Rapport notes")
        self.rapport = QPlainTextEdit()
        self.rapport.setPlaceholderText("Select a contact: family, pastimes, preferences (private)")
        self.rapport.setEnabled(False)
        self.save_rapport = QPushButton("Save notes")
        self.save_rapport.setEnabled(False)
        self.save_rapport.clicked.connect(self._save_rapport)
        self.rapport.textChanged.connect(self._rapport_edited)
        self.table.selectionModel().selectionChanged.connect(self._selected)

        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(8, 0, 0, 0)
        side_layout.addWidget(self.rapport_title)
        side_layout.addWidget(self.rapport, 1)
        side_layout.addWidget(self.save_rapport, 0, Qt.AlignmentFlag.AlignRight)
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(splitter, 1)

    def refresh(self) -> None:
        self.model.set_rows(
            contacts(self.context.session, self.context.client_id, self.context.today())
        )
        self._selected()

    def open_add_dialog(self) -> ContactDialog:
        self.dialog = ContactDialog(self.context.client_id, self)
        self.dialog.accepted.connect(lambda: self.context.run(self.dialog.operation()))  # type: ignore[union-attr]
        self.dialog.open()
        return self.dialog

    def selected(self) -> ContactRow | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().hasSelection():
            return None
        row = self.model.row_of(index.data(ID_ROLE))
        return self.model.rows[row] if row >= 0 else None

    def _selected(self, *_args: QItemSelection) -> None:
        contact = self.selected()
        self.rapport.blockSignals(True)
        self.rapport.setEnabled(contact is not None)
        self.rapport.setPlainText(contact.rapport_notes if contact else "")
        self.rapport.blockSignals(False)
        self.rapport_title.setText(f"Rapport notes: {contact.name}" if contact else "Rapport notes")
        self.save_rapport.setEnabled(False)

    def _rapport_edited(self) -> None:
        self.save_rapport.setEnabled(self.selected() is not None)

    def _save_rapport(self) -> None:
        contact = self.selected()
        if contact is not None:
            self.context.run(
                Update(
                    Contact,
                    contact.id,
                    {"rapport_notes": self.rapport.toPlainText().strip()},
                    label="Edit rapport notes",
                )
            )
