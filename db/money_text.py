"""Money typed by a user, read the way their locale writes numbers.

"12,5" is €12.50 where the comma is the decimal separator (German) and is refused where it
separates thousands (English): there it would have become €125. Group separators are accepted
only in their proper places ("1,250.50" in English, "1.250,50" in German). The locale's
separators come from the caller (the GUI asks QLocale), so the rule needs no Qt.

`CURRENCY_SYMBOLS` is the one table of how a currency code is written; the GUI's formatting
(`desktop.formatting`) places the symbol the way the user's locale does.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from db.errors import ValidationError

# ISO 4217 code -> the symbol written with an amount; a code not here is written as itself.
CURRENCY_SYMBOLS = {
    "EUR": "€",
    "USD": "$",
    "GBP": "£",
    "JPY": "¥",
    "CHF": "CHF",
    "CAD": "CA$",
    "AUD": "A$",
    "SEK": "kr",
    "NOK": "kr",
    "DKK": "kr",
}


def currency_symbol(code: str) -> str:
    return CURRENCY_SYMBOLS.get(code, code)


def parse_money(text: str, *, decimal: str = ".", group: str = ",", field: str = "Amount") -> int:
    """Cents of `text`; ValidationError naming `field` when it is not an amount."""
    raw = text.strip().replace("\u00a0", " ").replace("\u202f", " ")
    raw = re.sub(r"^[^\d\-+]+|[^\d]+$", "", raw)  # a currency sign or code around it
    if not raw:
        return 0
    whole, sep, fraction = raw.partition(decimal)
    if group and group in fraction:
        raise ValidationError(field, f"{text.strip()!r}: {group!r} after the decimal {decimal!r}")
    if group and group in whole:
        groups = whole.lstrip("+-").split(group)
        if not groups[0] or len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:]):
            hint = f"; use {decimal!r} for cents" if group == "," else ""
            raise ValidationError(
                field, f"{text.strip()!r} is not an amount ({group!r} separates thousands{hint})"
            )
        whole = whole.replace(group, "")
    whole = whole.replace(" ", "")
    if sep and len(fraction) > 2:
        raise ValidationError(field, f"{text.strip()!r} has more than two digits of cents")
    try:
        value = Decimal(f"{whole or '0'}.{fraction or '0'}")
    except InvalidOperation:
        raise ValidationError(field, f"{text.strip()!r} is not an amount") from None
    if value < 0:
        raise ValidationError(field, "must not be negative")
    return int(value * 100)


def format_money_input(cents: int, *, decimal: str = ".") -> str:
    """Cents as a user would type them back: "1250" or "12,50"."""
    whole, cents_part = divmod(cents, 100)
    return f"{whole}{decimal}{cents_part:02d}" if cents_part else str(whole)
