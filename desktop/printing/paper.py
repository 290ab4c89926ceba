"""Paper for the user's locale: Letter where it is the norm (the US, Canada and a few
neighbours), A4 everywhere else, and the margins every report uses."""

from __future__ import annotations

from PySide6.QtCore import QLocale, QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize

LETTER_TERRITORIES = frozenset(
    {
        QLocale.Country.UnitedStates,
        QLocale.Country.Canada,
        QLocale.Country.Mexico,
        QLocale.Country.Philippines,
        QLocale.Country.Chile,
        QLocale.Country.Colombia,
        QLocale.Country.Venezuela,
        QLocale.Country.PuertoRico,
        QLocale.Country.Guatemala,
        QLocale.Country.CostaRica,
    }
)
MARGIN_PT = 40.0
PAPERS = {"a4": QPageSize.PageSizeId.A4, "letter": QPageSize.PageSizeId.Letter}


def locale_page_size(locale: QLocale | None = None) -> QPageSize:
    locale = locale if locale is not None else QLocale()
    if locale.territory() in LETTER_TERRITORIES:
        return QPageSize(QPageSize.PageSizeId.Letter)
    return QPageSize(QPageSize.PageSizeId.A4)


def page_layout(
    *, landscape: bool = False, locale: QLocale | None = None, paper: str | None = None
) -> QPageLayout:
    """`paper` ("a4" or "letter") overrides the locale's choice."""
    size = QPageSize(PAPERS[paper]) if paper else locale_page_size(locale)
    orientation = (
        QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    )
    margins = QMarginsF(MARGIN_PT, MARGIN_PT, MARGIN_PT, MARGIN_PT)
    return QPageLayout(size, orientation, margins, QPageLayout.Unit.Point)
