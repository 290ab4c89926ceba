"""The portfolio on paper, drawn by the same painter as the screen (`desktop.portfolio.painter`):
the whole date range fitted to the page width, client groups and projects down as many
pages as they need, each page with the time scale and the title. Print (Ctrl+P) and Export
as PDF in the Portfolio area and on the Projects list use it, and so does the command line's
`print-gantt` without a project."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QLocale, QRect, QRectF, Qt
from PySide6.QtGui import QFont, QPagedPaintDevice, QPainter
from PySide6.QtPrintSupport import QPrintPreviewDialog
from PySide6.QtWidgets import QWidget
from sqlalchemy.orm import Session

from db.portfolio.timeline import Filters, PortfolioClient, portfolio
from desktop.gantt.painter import Colors
from desktop.portfolio.layout import HEADER_HEIGHT, NAME_WIDTH, PortfolioLayout
from desktop.portfolio.painter import PortfolioPainter
from desktop.printing.output import Render

PAGE_UNITS = 1100  # a page's width in layout units: 11 px text then reads at about 7.5 pt


class PortfolioPages:
    """The portfolio cut into pages: `render(device)` draws them; `pages` then says how
    many it took."""

    def __init__(
        self,
        clients: list[PortfolioClient],
        title: str,
        collapsed: set[str] | None = None,
        today: date | None = None,
        span: tuple[date | None, date | None] | None = None,
    ) -> None:
        self.clients = clients
        self.title = title
        self.collapsed = set(collapsed or ())
        self.today = today or date.today()
        self.span = span
        self.pages = 0

    def render(self, device: QPagedPaintDevice) -> None:
        layout = PortfolioLayout(
            self.clients, set(self.collapsed), today=self.today, span=self.span
        )
        layout.rebuild()
        days = max(1, layout.last.toordinal() + 1 - layout.origin)
        layout.px_override = (PAGE_UNITS - NAME_WIDTH) / days
        layout.rebuild()
        page = device.pageLayout().paintRectPixels(device.logicalDpiX())
        scale = page.width() / PAGE_UNITS
        page_height = page.height() / scale
        font = QFont()
        font.setPixelSize(11)
        painter_ = PortfolioPainter(layout, Colors.for_paper(), font)
        # Pages start at a row's top, so no row is cut in two.
        starts = [0]
        for row in layout.rows:
            if row.y + row.height - starts[-1] > page_height - HEADER_HEIGHT:
                starts.append(row.y)
        self.pages = len(starts)
        painter = QPainter(device)
        try:
            for n, top in enumerate(starts):
                if n:
                    device.newPage()
                painter.save()
                painter.scale(scale, scale)
                bottom = starts[n + 1] if n + 1 < len(starts) else layout.height
                height = int(HEADER_HEIGHT + bottom - top)
                painter.setClipRect(QRect(0, 0, PAGE_UNITS, height))
                painter_.paint(painter, PAGE_UNITS, height, 0, top)
                painter.setClipping(False)
                painter.setFont(font)
                painter.setPen(painter_.colors.text)
                painter.drawText(
                    QRectF(6, 0, NAME_WIDTH - 8, HEADER_HEIGHT),
                    Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap,
                    f"{self.title}\npage {n + 1} of {len(starts)}",
                )
                painter.restore()
        finally:
            painter.end()


def portfolio_pages(
    session: Session,
    filters: Filters | None = None,
    collapsed: set[str] | None = None,
    today: date | None = None,
    span: tuple[date | None, date | None] | None = None,
) -> PortfolioPages:
    today = today or date.today()
    clients = portfolio(session, filters, today=today)
    return PortfolioPages(clients, f"Portfolio, {today:%d %B %Y}", collapsed, today, span)


def portfolio_render(
    session: Session,
    filters: Filters | None = None,
    collapsed: set[str] | None = None,
    today: date | None = None,
) -> tuple[Render, str]:
    pages = portfolio_pages(session, filters, collapsed, today)
    return pages.render, pages.title


def write_portfolio_pdf(
    session: Session,
    path: Path,
    *,
    filters: Filters | None = None,
    today: date | None = None,
    span: tuple[date | None, date | None] | None = None,
    locale: QLocale | None = None,
    paper: str | None = None,
) -> int:
    """Write the portfolio to a PDF on landscape pages (the command line's print-gantt
    without a project); returns the number of pages."""
    from desktop.printing.output import write_pdf
    from desktop.printing.paper import page_layout

    pages = portfolio_pages(session, filters, today=today, span=span)
    write_pdf(
        path, pages.render, page_layout(landscape=True, locale=locale, paper=paper), pages.title
    )
    return pages.pages


def preview_portfolio(
    parent: QWidget | None,
    session: Session,
    filters: Filters | None = None,
    collapsed: set[str] | None = None,
) -> QPrintPreviewDialog:
    from desktop.printing.output import preview_dialog
    from desktop.printing.paper import page_layout

    render, title = portfolio_render(session, filters, collapsed)
    dialog = preview_dialog(parent, render, page_layout(landscape=True), title)
    dialog.open()
    return dialog


def export_portfolio_pdf(
    parent: QWidget | None,
    session: Session,
    filters: Filters | None = None,
    collapsed: set[str] | None = None,
) -> Path | None:
    from PySide6.QtWidgets import QMessageBox

    from desktop import file_dialogs
    from desktop.printing.output import write_pdf
    from desktop.printing.paper import page_layout

    render, title = portfolio_render(session, filters, collapsed)
    name = file_dialogs.save_file_name(
        parent, "Export Portfolio as PDF", f"{title}.pdf", "PDF files (*.pdf)"
    )
    if not name:
        return None
    path = Path(name) if name.lower().endswith(".pdf") else Path(f"{name}.pdf")
    try:
        write_pdf(path, render, page_layout(landscape=True), title)
    except OSError as exc:
        QMessageBox.warning(parent, "Export PDF", f"{path}: could not be written ({exc}).")
        return None
    return path
