"""Paper and formats from the locale: Letter for the US and Canada, A4 elsewhere; dates with
month names in the locale's order; the C locale still groups thousands."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QLocale
from PySide6.QtGui import QPageLayout, QPageSize

from desktop.formatting import Formats
from desktop.printing.paper import locale_page_size, page_layout

US = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
CA = QLocale(QLocale.Language.French, QLocale.Country.Canada)
DE = QLocale(QLocale.Language.German, QLocale.Country.Germany)
GB = QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)


def test_letter_for_north_america_a4_elsewhere() -> None:
    assert locale_page_size(US).id() == QPageSize.PageSizeId.Letter
    assert locale_page_size(CA).id() == QPageSize.PageSizeId.Letter
    assert locale_page_size(DE).id() == QPageSize.PageSizeId.A4
    assert locale_page_size(GB).id() == QPageSize.PageSizeId.A4


def test_paper_override_and_orientation() -> None:
    layout = page_layout(landscape=True, locale=US, paper="a4")
    assert layout.pageSize().id() == QPageSize.PageSizeId.A4
    assert layout.orientation() == QPageLayout.Orientation.Landscape


def test_dates_and_money_per_locale() -> None:
    day = date(2026, 3, 9)
    assert Formats(US).date(day) == "Mar 9, 2026"
    assert Formats(GB).date(day) == "9 Mar 2026"
    assert Formats(US).money(1_234_500, "USD") == "$12,345"
    assert Formats(DE).money(1_234_550, "EUR") == "12.345,50\u00a0€"
    assert Formats(QLocale.c()).money(6_500_000, "EUR") == "€65,000"
    assert Formats(US).compact_money(5_350_000, "EUR") == "€54k"


def test_one_currency_table_and_locale_placed_symbols() -> None:
    """Screens and printouts share `desktop.formatting` and `db.money_text.CURRENCY_SYMBOLS`:
    CAD is known everywhere, a symbol of letters keeps a space from the digits, and a
    negative amount has a leading minus in every locale."""
    from desktop.formatting import money

    assert money(990_000, "CAD", GB) == "CA$9,900"
    assert money(1_250_000, "CHF", GB) == "CHF\u00a012,500"
    assert money(1_250_000, "CHF", DE) == "12.500\u00a0CHF"
    assert money(-500, "GBP", GB) == "-£5"
    assert money(100, "XYZ", GB) == "XYZ\u00a01"  # an unknown code is written as itself
    assert Formats(GB).days(1) == "1 day" and Formats(GB).days(12) == "12 days"
