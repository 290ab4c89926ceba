"""The one place money, dates and durations become text: the way the user's locale writes
them (QLocale, so no extra dependency), with month names spelled out so a date cannot be
misread across borders. Every screen and printout formats through here; the currency symbols
come from the one table in `db.money_text`.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from PySide6.QtCore import QDate, QLocale

from db.labels import plural
from db.money_text import currency_symbol


def display_locale(locale: QLocale | None = None) -> QLocale:
    """The user's locale (or the one given), or English where there is none: the bare "C"
    locale writes money without grouping ('144500CHF')."""
    locale = locale if locale is not None else QLocale()
    if locale.language() == QLocale.Language.C:
        return QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)
    return locale


def _spaced(text: str, symbol: str) -> str:
    """A symbol of letters ('CHF', 'kr') keeps a space from the digits, as CLDR's currency
    spacing has it: 'CHF 12,500', not 'CHF12,500'."""
    if not symbol[-1:].isalpha():
        return text
    at = text.find(symbol)
    if at < 0:
        return text
    end = at + len(symbol)
    if end < len(text) and text[end].isdigit():
        return f"{text[:end]}\u00a0{text[end:]}"
    if at > 0 and text[at - 1].isdigit():
        return f"{text[:at]}\u00a0{text[at:]}"
    return text


# In the class, `date` is the method below; annotations name the type by this alias.
Day = date


class Formats:
    def __init__(self, locale: QLocale | None = None) -> None:
        self.locale = locale = display_locale(locale)
        short = self.locale.dateFormat(QLocale.FormatType.ShortFormat)
        month_first = short.lstrip("'").upper().startswith("M")
        self._long = "MMM d, yyyy" if month_first else "d MMM yyyy"
        self._short = "MMM d" if month_first else "d MMM"

    def date(self, day: Day | None, empty: str = "") -> str:
        if day is None:
            return empty
        return self.locale.toString(QDate(day.year, day.month, day.day), self._long)

    def short_date(self, day: Day | None, empty: str = "") -> str:
        if day is None:
            return empty
        return self.locale.toString(QDate(day.year, day.month, day.day), self._short)

    def month(self, day: Day, long: bool) -> str:
        """The month's name in the locale's language (for the Gantt's date header)."""
        kind = QLocale.FormatType.LongFormat if long else QLocale.FormatType.ShortFormat
        return self.locale.standaloneMonthName(day.month, kind)

    def money(self, cents: int, currency: str) -> str:
        """'€12,500' for whole amounts, '€12,500.50' otherwise, placed as the locale does."""
        if cents < 0:
            # Qt writes some locales' negative money in accounting brackets ('(£5)'); a
            # leading minus reads the same everywhere.
            return self.locale.negativeSign() + self.money(-cents, currency)
        symbol = currency_symbol(currency)
        precision = 0 if cents % 100 == 0 else 2
        return _spaced(self.locale.toCurrencyString(cents / 100, symbol, precision), symbol)

    def compact_money(self, cents: int, currency: str) -> str:
        """'€53k' for chart labels, where a full amount would not fit."""
        symbol = currency_symbol(currency)
        units = cents / 100
        if abs(units) >= 1_000_000:
            text = self.locale.toString(units / 1_000_000, "f", 1) + "M"
        elif abs(units) >= 10_000:
            text = self.locale.toString(round(units / 1000)) + "k"
        else:
            return self.money(round(units) * 100, currency)
        return f"{symbol}{text}" if len(symbol) == 1 else f"{text} {symbol}"

    def number(self, value: int) -> str:
        return self.locale.toString(value)

    def days(self, count: int) -> str:
        """A duration in working days: '1 day', '12 days'."""
        return plural(count, "day")


def money(cents: int, currency: str = "EUR", locale: QLocale | None = None) -> str:
    """The amount in its currency, grouped and signed the way the user's locale writes money
    ('€12,500', 'CHF 12,500' or '12.500 €')."""
    return Formats(locale).money(cents, currency)


def day(value: date | datetime | None, empty: str = "") -> str:
    """'9 Mar 2026' (day first: a screen date that cannot be misread across borders)."""
    if value is None:
        return empty
    if isinstance(value, datetime):
        value = value.date()
    return value.strftime("%d %b %Y").lstrip("0")


def describe_last_contact(when: datetime | None, today: date | None = None) -> str:
    """'Today', 'Yesterday', '3 days ago', then the date."""
    if when is None:
        return "Never"
    today = today or date.today()
    days = (today - when.date()).days
    if days == 0:
        return "Today"
    if days == 1:
        return "Yesterday"
    if 1 < days < 7:
        return f"{days} days ago"
    return when.strftime("%d %b %Y")


def label(value: StrEnum | str | None) -> str:
    """'pain_point' -> 'Pain point'."""
    if value is None:
        return ""
    text = str(value.value if isinstance(value, StrEnum) else value).replace("_", " ")
    return text[:1].upper() + text[1:]
