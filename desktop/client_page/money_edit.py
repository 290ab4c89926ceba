"""A money field read by the user's locale: "12,5" is 12.50 in a German locale and refused
with a message where the comma separates thousands (`db.money_text` holds the rule)."""

from __future__ import annotations

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QLineEdit, QWidget

from db.errors import ValidationError
from db.money_text import format_money_input, parse_money


class MoneyEdit(QLineEdit):
    def __init__(self, cents: int = 0, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        locale = self.locale()
        self.decimal = locale.decimalPoint()
        self.group = locale.groupSeparator()
        self.setAlignment(self.alignment())
        self.set_cents(cents)

    def set_locale(self, locale: QLocale) -> None:
        """Read numbers as `locale` writes them (the widget's own locale by default)."""
        self.setLocale(locale)
        self.decimal, self.group = locale.decimalPoint(), locale.groupSeparator()

    def set_cents(self, cents: int) -> None:
        self.setText(format_money_input(cents, decimal=self.decimal) if cents else "")

    def cents(self, field: str = "Amount") -> int:
        """The amount typed, in cents; ValidationError naming `field` when it is none."""
        return parse_money(self.text(), decimal=self.decimal, group=self.group, field=field)

    def problem(self, field: str) -> str | None:
        try:
            self.cents(field)
        except ValidationError as exc:
            return str(exc)
        return None
