"""Preferences > Custom fields: the agency's own fields on clients and contacts.

Like every other preference, what is added, changed or removed here is only a draft until
Save, which applies it together with the other settings as one undoable edit (and Cancel asks
before throwing it away). The rules (names not empty nor taken, choices for a choice field, no
kind change while values exist) are checked by the operations on Save; a refusal keeps the
dialog open with the drafts intact.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from db.am.custom_fields import (
    KIND_WORDS,
    TARGET_WORDS,
    add_field,
    delete_field,
    edit_field,
    fields_of,
    in_use,
)
from db.labels import plural, quoted
from db.models import CustomFieldKind, CustomFieldTarget
from db.operations import Operation
from desktop.client_page.fields import error_label
from desktop.views.unsaved_changes import IGNORE_PROPERTY

COLUMNS = ("For", "Field", "Kind", "Choices", "Client may see")


@dataclass(frozen=True)
class Draft:
    """A field as the user has it in the dialog (id None: not saved yet)."""

    id: str | None
    applies_to: CustomFieldTarget
    name: str
    kind: CustomFieldKind
    choices: tuple[str, ...]
    shareable: bool


def _choices_text(choices: tuple[str, ...]) -> str:
    return ", ".join(choices)


def _choices_from(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


class FieldDialog(QDialog):
    """One field: what it is for, its name, kind, choices and whether the client may see it."""

    def __init__(self, draft: Draft | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Custom field" if draft else "New custom field")
        self.applies_to = QComboBox()
        for target, word in TARGET_WORDS.items():
            self.applies_to.addItem(word, target.value)
        self.name = QLineEdit(draft.name if draft else "")
        self.name.setMaxLength(100)
        self.name.setPlaceholderText("Region, Contract renewal, Preferred language…")
        self.kind = QComboBox()
        for kind, word in KIND_WORDS.items():
            self.kind.addItem(word, kind.value)
        self.choices = QLineEdit(_choices_text(draft.choices) if draft else "")
        self.choices.setPlaceholderText("North, South, East  (comma between choices)")
        self.shareable = QCheckBox("The client may see it (printed summary, client agenda)")
        if draft is not None:
            self.applies_to.setCurrentIndex(self.applies_to.findData(draft.applies_to.value))
            self.kind.setCurrentIndex(self.kind.findData(draft.kind.value))
            self.shareable.setChecked(draft.shareable)
            self.applies_to.setEnabled(draft.id is None)  # values hang off the record kind
        self.message = error_label()
        form = QFormLayout()
        form.addRow("&For", self.applies_to)
        form.addRow("&Name", self.name)
        form.addRow("&Kind", self.kind)
        form.addRow("&Choices", self.choices)
        form.addRow("", self.shareable)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self._kind_changed()
        self.setMinimumWidth(460)

    def _kind_changed(self) -> None:
        self.choices.setEnabled(self.kind.currentData() == CustomFieldKind.CHOICE.value)

    def draft(self, id_: str | None) -> Draft:
        kind = CustomFieldKind(self.kind.currentData())
        return Draft(
            id_,
            CustomFieldTarget(self.applies_to.currentData()),
            " ".join(self.name.text().split()),
            kind,
            _choices_from(self.choices.text()) if kind is CustomFieldKind.CHOICE else (),
            self.shareable.isChecked(),
        )

    def accept(self) -> None:
        draft = self.draft(None)
        problem = ""
        if not draft.name:
            problem = "Field name: must not be empty"
        elif draft.kind is CustomFieldKind.CHOICE and not draft.choices:
            problem = f"{draft.name}: a choice field needs at least one choice"
        if problem:
            self.message.setText(problem)
            self.message.show()
            return
        super().accept()


class CustomFieldsSection(QGroupBox):
    """Signals:
    edited(): the drafts changed (the dialog's Save asks again whether all is well).
    """

    edited = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__("Custom fields", parent)
        self.session = session
        self.saved = [
            Draft(f.id, f.applies_to, f.name, f.kind, f.choices, f.shareable)
            for f in fields_of(session)
        ]
        self.drafts = list(self.saved)
        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels(list(COLUMNS))
        self.table = QTableView()
        self.table.setModel(self.model)
        # Its rows are drafts (compared by `state`), not check boxes the guard should read.
        self.table.setProperty(IGNORE_PROPERTY, True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(120)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.empty = QLabel(
            "No custom fields yet. Add one to keep what your agency tracks on each client "
            "or contact; it shows on the record, in the client list's columns and its filter."
        )
        self.empty.setWordWrap(True)
        self.add_button = QPushButton("&Add field…")
        self.add_button.clicked.connect(self.add)
        self.edit_button = QPushButton("&Edit…")
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button = QPushButton("&Remove")
        self.delete_button.clicked.connect(self.remove_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.dialog: FieldDialog | None = None
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._enable())
        self._fill()

    # -- the list --------------------------------------------------------------------------

    def _fill(self) -> None:
        self.model.removeRows(0, self.model.rowCount())
        for draft in self.drafts:
            cells = [
                TARGET_WORDS[draft.applies_to],
                draft.name,
                KIND_WORDS[draft.kind],
                _choices_text(draft.choices),
                "Yes" if draft.shareable else "No (internal)",
            ]
            items = [QStandardItem(text) for text in cells]
            for item in items:
                item.setEditable(False)
            self.model.appendRow(items)
        self.table.resizeColumnToContents(0)
        self.table.resizeColumnToContents(1)
        has_rows = bool(self.drafts)
        self.table.setVisible(has_rows)
        self.empty.setVisible(not has_rows)
        self._enable()

    def _enable(self) -> None:
        selected = self.selected_row() >= 0
        self.edit_button.setEnabled(selected)
        self.delete_button.setEnabled(selected)

    def selected_row(self) -> int:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def select(self, row: int) -> None:
        self.table.selectRow(row)

    # -- drafts ----------------------------------------------------------------------------

    def add(self) -> FieldDialog:
        self.dialog = FieldDialog(None, self)
        self.dialog.accepted.connect(lambda: self._added(self.dialog))
        self.dialog.open()
        return self.dialog

    def _added(self, dialog: FieldDialog | None) -> None:
        if dialog is not None:
            self.drafts.append(dialog.draft(None))
            self._changed(len(self.drafts) - 1)

    def edit_selected(self) -> FieldDialog | None:
        row = self.selected_row()
        if row < 0:
            return None
        self.dialog = FieldDialog(self.drafts[row], self)
        self.dialog.accepted.connect(lambda: self._edited(row, self.dialog))
        self.dialog.open()
        return self.dialog

    def _edited(self, row: int, dialog: FieldDialog | None) -> None:
        if dialog is not None:
            self.drafts[row] = replace(dialog.draft(self.drafts[row].id))
            self._changed(row)

    def remove_selected(self) -> None:
        row = self.selected_row()
        if row < 0:
            return
        draft = self.drafts[row]
        used = in_use(self.session, draft.id) if draft.id else 0
        if used:
            records = plural(
                used, "client" if draft.applies_to is CustomFieldTarget.CLIENT else "contact"
            )
            answer = QMessageBox.question(
                self,
                "Remove field",
                f"Remove the field {quoted(draft.name)}? {records} have a value in it, which "
                "goes with it when you save (Undo brings both back).",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        del self.drafts[row]
        self._changed(min(row, len(self.drafts) - 1))

    def _changed(self, select: int) -> None:
        self._fill()
        if select >= 0:
            self.select(select)
        self.edited.emit()

    # -- saving ----------------------------------------------------------------------------

    def state(self) -> list[Draft]:
        """What the unsaved-changes guard compares."""
        return list(self.drafts)

    def operations(self) -> list[Operation]:
        """The edits that make the saved fields what the drafts say, removals first (so a
        name freed by a removal can be taken by a new field)."""
        kept = {d.id for d in self.drafts if d.id}
        steps: list[Operation] = [
            delete_field(self.session, d.id) for d in self.saved if d.id and d.id not in kept
        ]
        saved = {d.id: d for d in self.saved}
        for draft in self.drafts:
            if draft.id is None:
                steps.append(
                    add_field(
                        draft.applies_to,
                        draft.name,
                        draft.kind,
                        draft.choices,
                        shareable=draft.shareable,
                    )
                )
                continue
            before = saved[draft.id]
            changed = {
                key: getattr(draft, key)
                for key in ("name", "kind", "choices", "shareable")
                if getattr(draft, key) != getattr(before, key)
            }
            if "choices" in changed:
                changed["choices"] = list(changed["choices"])
            if changed:
                steps.append(edit_field(self.session, draft.id, changed))
        return steps

    def saved_now(self) -> None:
        """After Save: the drafts are the saved fields (new ones got their ids)."""
        self.saved = [
            Draft(f.id, f.applies_to, f.name, f.kind, f.choices, f.shareable)
            for f in fields_of(self.session)
        ]
        self.drafts = list(self.saved)
        self._fill()
