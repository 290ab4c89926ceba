"""A custom field's editor on a record's dialog (client details, a contact): a line for text
and numbers (read by the locale, as money is), a date that may be unset, or a pick of the
field's choices. `CustomFieldRows` adds one row per field to a `FormDialog`, checks each as it
is edited, and hands back the steps that set what changed, for the dialog's one undo step."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget
from sqlalchemy.orm import Session

from db.am.custom_fields import FieldDef, SetValue, display_value, fields_of, value_steps, values_of
from db.errors import ValidationError
from db.models import CustomFieldKind, CustomFieldTarget

NO_CHOICE = "—"


class FieldEditor:
    """One field's widget and the text it stands for ('' = no value)."""

    def __init__(self, definition: FieldDef, stored: str, today: date, decimal: str) -> None:
        from desktop.client_page.record_dialogs import OptionalDate

        self.definition = definition
        self.decimal = decimal
        self.widget: QWidget
        if definition.kind is CustomFieldKind.CHOICE:
            combo = QComboBox()
            combo.addItem(NO_CHOICE, "")
            for choice in definition.choices:
                combo.addItem(choice, choice)
            if stored and combo.findData(stored) < 0:  # a value synced before its choice
                combo.addItem(stored, stored)
            combo.setCurrentIndex(max(combo.findData(stored), 0))
            self.widget = combo
        elif definition.kind is CustomFieldKind.DATE:
            self.widget = OptionalDate("Set", date.fromisoformat(stored) if stored else None, today)
        else:
            line = QLineEdit(display_value(definition, stored, decimal=decimal))
            line.setMaxLength(500)
            if definition.kind is CustomFieldKind.NUMBER:
                line.setPlaceholderText(f"a number, e.g. 12{decimal}5")
            self.widget = line
        self.widget.setObjectName(f"customField_{definition.id}")

    def text(self) -> str:
        widget = self.widget
        if isinstance(widget, QComboBox):
            return str(widget.currentData() or "")
        if isinstance(widget, QLineEdit):
            return widget.text()
        value = widget.value()  # type: ignore[attr-defined]
        return value.isoformat() if value is not None else ""

    def set_text(self, text: str) -> None:
        """Put a value in as a user would (tests, and pasting a value in)."""
        widget = self.widget
        if isinstance(widget, QComboBox):
            widget.setCurrentIndex(max(widget.findData(text), 0))
        elif isinstance(widget, QLineEdit):
            widget.setText(text)
        else:
            widget.check.setChecked(bool(text))  # type: ignore[attr-defined]
            if text:
                day = date.fromisoformat(text)
                widget.edit.setDate(QDate(day.year, day.month, day.day))  # type: ignore[attr-defined]


class CustomFieldRows:
    """The custom fields of one kind of record as rows of a form dialog."""

    def __init__(
        self,
        dialog: QWidget,
        session: Session,
        target: CustomFieldTarget,
        record_id: str | None,
        today: date,
    ) -> None:
        locale = dialog.locale()
        self.decimal, self.group = locale.decimalPoint(), locale.groupSeparator()
        self.target = target
        stored = values_of(session, target, [record_id]).get(record_id, {}) if record_id else {}
        self.editors = [
            FieldEditor(f, stored.get(f.id, ""), today, self.decimal)
            for f in fields_of(session, target)
        ]
        errors = dialog.errors  # type: ignore[attr-defined]
        for editor in self.editors:
            definition = editor.definition
            key = f"custom:{definition.id}"
            errors.add_row(definition.name, editor.widget, key, lambda e=editor: self._problem(e))
            if isinstance(editor.widget, QLineEdit):
                editor.widget.textChanged.connect(lambda _t, k=key: errors.check(k))
            if not definition.shareable:
                editor.widget.setToolTip("Internal: never on what the client sees")
            else:
                editor.widget.setToolTip("Shareable: shows on the client's printed summary")

    def editor(self, name: str) -> FieldEditor:
        return next(e for e in self.editors if e.definition.name == name)

    def _problem(self, editor: FieldEditor) -> str | None:
        from db.am.custom_fields import parse_value

        try:
            parse_value(editor.definition, editor.text(), decimal=self.decimal, group=self.group)
        except ValidationError as exc:
            return str(exc)
        return None

    def typed(self) -> dict[str, str]:
        return {e.definition.id: e.text() for e in self.editors}

    def steps(self, session: Session, record_id: str, *, new: bool = False) -> list[SetValue]:
        """The steps setting what changed (every filled-in field of a new record)."""
        typed = self.typed()
        if new:
            typed = {k: v for k, v in typed.items() if v.strip()}
        return value_steps(
            session, self.target, record_id, typed, decimal=self.decimal, group=self.group
        )
