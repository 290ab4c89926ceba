"""Dates and money written the way the user's locale writes them (QLocale, so no extra
dependency), with month names spelled out so a printed page cannot be misread across borders."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QLocale

CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "CHF": "CHF", "CAD": "CA$"}


class Formats:
    def __init__(self, locale: QLocale | None = None) -> None:
        locale = locale if locale is not None else QLocale()
        if locale.language() == QLocale.Language.C:
            # The C locale (no LANG set) would print "65000€"; write English, day first.
            locale = QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)
        self.locale = locale
        short = self.locale.dateFormat(QLocale.FormatType.ShortFormat)
        month_first = short.lstrip("'").upper().startswith("M")
        self._long = "MMM d, yyyy" if month_first else "d MMM yyyy"
        self._short = "MMM d" if month_first else "d MMM"

    # `dt.date` in annotations: inside this class `date` names the method below.
    def date(self, day: dt.date | None, empty: str = "") -> str:
        if day is None:
            return empty
        return self.locale.toString(QDate(day.year, day.month, day.day), self._long)

    def short_date(self, day: dt.date | None, empty: str = "") -> str:
        if day is None:
            return empty
        return self.locale.toString(QDate(day.year, day.month, day.day), self._short)

    def month(self, day: dt.date, long: bool) -> str:
        """The month's name in the locale's language (for the Gantt's date header)."""
        kind = QLocale.FormatType.LongFormat if long else QLocale.FormatType.ShortFormat
        return self.locale.standaloneMonthName(day.month, kind)

    def money(self, cents: int, currency: str) -> str:
        symbol = CURRENCY_SYMBOLS.get(currency, currency)
        precision = 0 if cents % 100 == 0 else 2
        return self.locale.toCurrencyString(cents / 100, symbol, precision)

    def compact_money(self, cents: int, currency: str) -> str:
        """'€53k' for chart labels, where a full amount would not fit."""
        symbol = CURRENCY_SYMBOLS.get(currency, currency)
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
