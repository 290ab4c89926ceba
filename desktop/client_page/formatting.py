"""How the client page writes money, dates and enum values."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

CURRENCY_SIGNS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "CHF": "CHF "}


def money(cents: int, currency: str = "EUR") -> str:
    """'€12,500' for whole amounts, '€12,500.50' otherwise."""
    sign = CURRENCY_SIGNS.get(currency, f"{currency} ")
    amount = abs(cents) / 100
    text = f"{amount:,.0f}" if cents % 100 == 0 else f"{amount:,.2f}"
    return f"-{sign}{text}" if cents < 0 else f"{sign}{text}"


def day(value: date | datetime | None, empty: str = "") -> str:
    if value is None:
        return empty
    if isinstance(value, datetime):
        value = value.date()
    return value.strftime("%d %b %Y").lstrip("0")


def label(value: StrEnum | str | None) -> str:
    """'pain_point' -> 'Pain point'."""
    if value is None:
        return ""
    text = str(value.value if isinstance(value, StrEnum) else value).replace("_", " ")
    return text[:1].upper() + text[1:]
