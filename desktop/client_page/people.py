"""People: the client's contacts with role, email and phone, their important dates, the
stay-in-touch cadence and when the next touch is due, and private rapport notes."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelection
from PySide6.QtWidgets import (
    QHeaderView,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from db.am.client_detail import ContactRow, contacts
from db.labels import quoted
from db.models import Contact
from db.operations import Update
from db.validation import max_length
from desktop.client_page.context import PageContext, buttons_over, list_table, stretch
from desktop.client_page.dialogs import ContactDialog
from desktop.client_page.notes_edit import RecordNotesEdit
from desktop.client_page.personal_data import add_person_actions
from desktop.client_page.record_actions import RecordActions
from desktop.client_page.rows_model import Column, RowsModel
from desktop.client_page.section import Section
from desktop.formatting import day
from desktop.models.roles import ID_ROLE
from desktop.views.elided_label import ElidedLabel


def _set(field: str) -> Any:
    def edit(row: ContactRow, value: Any) -> Update:
        text = value.strip() if isinstance(value, str) else value
        what = {"title": "role"}.get(field, field)
        return Update(Contact, row.id, {field: text}, label=f"Edit {what} of {quoted(row.name)}")

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


def _text(header: str, field: str, read: Any) -> Column:
    return Column(header, read, edit=_set(field), max_length=max_length("Contact", field))


# Email and phone come right after the name, so they show without scrolling sideways; the
# name and role are capped (and elide), so a long one cannot push them out of view.
COLUMNS = (
    _text("Name", "name", lambda c: c.name),
    _text("Email", "email", lambda c: c.email),
    _text("Phone", "phone", lambda c: c.phone),
    _text("Role", "title", lambda c: c.title),
    Column(
        "Stay in touch",
        _cadence_text,
        sort=lambda c: c.touch_due,
        edit=_set_cadence,
        edit_value=_cadence_value,
    ),
    Column("Last touch", lambda c: day(c.last_touch, "never"), sort=lambda c: c.last_touch),
    Column("Important dates", lambda c: ", ".join(d.text for d in c.dates)),
)
COL_DATES = len(COLUMNS) - 1
COL_NAME, COL_EMAIL, COL_PHONE, COL_ROLE, COL_CADENCE = range(5)
# Columns that size to their contents up to this many characters, then elide.
CAPPED_CHARS = {COL_NAME: 22, COL_ROLE: 18, COL_CADENCE: 20}


class PeopleSection(Section):
    title = "People"
    entities = ("Contact", "ImportantDate", "Interaction", "InteractionContact")

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.model = RowsModel(COLUMNS, context.run)
        self.table = list_table(empty="No contacts yet. Press Add contact… to add one")
        self.table.setModel(self.model)
        stretch(self.table, COL_DATES)
        header = self.table.horizontalHeader()
        for column in CAPPED_CHARS:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        self.model.modelReset.connect(self._fit_columns)
        self.record_actions = RecordActions(
            self.table,
            self.model,
            context.workspace,
            what="contact",
            name=lambda c: c.name,
            open_record=self.open_contact,
            rename_column=0,
            entity=Contact,
            extra_menu=lambda c, menu: add_person_actions(context, c.id, menu),
        )
        self.add_button = QPushButton("&Add contact…")
        self.add_button.clicked.connect(self.open_add_dialog)
        self.dialog: ContactDialog | None = None

        self.rapport_title = ElidedLabel("Rapport notes")
        # Saved when the user leaves the field or picks another contact: one undo step.
        self.rapport = RecordNotesEdit(self._save_rapport)
        self.rapport.setPlaceholderText(
            "Family, pastimes, preferences (private; saved when you leave the field)"
        )
        self.table.selectionModel().selectionChanged.connect(self._selected)

        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(8, 0, 0, 0)
        side_layout.addWidget(self.rapport_title)
        side_layout.addWidget(self.rapport, 1)
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        buttons_over(self, splitter, self.add_button)

    def _fit_columns(self) -> None:
        """Capped columns take their contents' width up to their cap (the rest elides)."""
        em = self.table.fontMetrics().averageCharWidth()
        for column, chars in CAPPED_CHARS.items():
            wanted = max(
                self.table.sizeHintForColumn(column),
                self.table.horizontalHeader().sectionSizeHint(column),
            )
            self.table.setColumnWidth(column, min(wanted, chars * em))

    def refresh(self) -> None:
        self.model.set_rows(
            contacts(self.context.session, self.context.client_id, self.context.today())
        )
        self._selected()

    def open_add_dialog(self) -> ContactDialog:
        self.dialog = ContactDialog(
            self.context.client_id,
            self,
            submit=self.context.submit,
            session=self.context.session,
        )
        self.dialog.open()
        return self.dialog

    def open_contact(self, contact: ContactRow) -> ContactDialog:
        """Every field of the contact, its important dates included."""
        self.rapport.commit()  # the dialog starts from the notes as typed
        fresh = self.model.rows[self.model.row_of(contact.id)]
        self.dialog = ContactDialog(
            self.context.client_id,
            self,
            contact=fresh,
            submit=self.context.submit,
            session=self.context.session,
            workspace=self.context.workspace,
        )
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
        self.rapport.show_record(
            contact.id if contact else None, contact.rapport_notes if contact else ""
        )
        self.rapport_title.setText(f"Rapport notes: {contact.name}" if contact else "Rapport notes")

    def _save_rapport(self, contact_id: str, text: str) -> bool:
        row = self.model.row_of(contact_id)
        name = self.model.rows[row].name if row >= 0 else "contact"
        return self.context.run(
            Update(
                Contact,
                contact_id,
                {"rapport_notes": text},
                label=f"Edit rapport notes of {quoted(name)}",
            )
        )
