"""The Gantt chart across as many pages as it needs, drawn by the screen's own painter.

The chart (rows x days) is cut into tiles, one per page, in scene units; every page repeats
the task-name column for its rows and the date header for its days, and is labelled
"row/column" so the sheets can be laid out on a wall. Each page is drawn on its own with
`desktop.gantt.painter.ChartPainter` clipped to its tile, so a 10,000-task plan needs no more
memory than one page (the PDF writer streams finished pages to the file).

`fit_pages=N` shrinks the scale until the whole range fits on at most N pages.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QFont, QPagedPaintDevice

from desktop.gantt.chart import ZOOMS
from desktop.gantt.document import GanttDocument
from desktop.gantt.geometry import ROW_HEIGHT
from desktop.gantt.painter import ChartPainter, Colors
from desktop.gantt.timescale import HEADER_HEIGHT, ScaleColors, paint_timescale
from desktop.printing.canvas import ACCENT, DASH, INK, MUTED, RULE, Canvas
from desktop.printing.formats import Formats

SCREEN_SCALE = 0.75  # a screen pixel (1/96 in) in points: print at the size the screen shows
MIN_SCALE = 0.25  # names at about 2 pt: the smallest a printer still renders legibly
NAME_WIDTH = 230.0  # scene px
TITLE_PT = 26.0
FOOTER_PT = 16.0


@dataclass(frozen=True)
class GanttPrintOptions:
    zoom: str = "week"
    first: date | None = None
    last: date | None = None
    fit_pages: int | None = None
    show_critical: bool = False
    show_baseline: bool = True


@dataclass(frozen=True)
class Tiling:
    scale: float
    rows_per_page: int
    days_per_page: int
    page_rows: int
    page_columns: int

    @property
    def pages(self) -> int:
        return self.page_rows * self.page_columns


class GanttPages:
    def __init__(
        self,
        document: GanttDocument,
        title: str,
        options: GanttPrintOptions,
        formats: Formats,
        today: date | None = None,
    ) -> None:
        if options.zoom not in ZOOMS:
            raise ValueError(f"zoom: {options.zoom!r} is not one of {', '.join(ZOOMS)}")
        self.doc = document
        self.title = title
        self.options = options
        self.formats = formats
        self.today = today or date.today()
        self.px = ZOOMS[options.zoom]
        span = document.schedule.span()
        first, last = span if span else (self.today, self.today)
        start = options.first or first - timedelta(days=3)
        end = options.last or last + timedelta(days=3)
        if end < start:
            raise ValueError("the date range ends before it starts")
        self.printed: Tiling | None = None  # how the last render cut the chart
        self.first_o = start.toordinal()
        self.end_o = end.toordinal() + 1  # exclusive

    # -- tiling -------------------------------------------------------------------------------

    def tiling(self, page_w: float, page_h: float) -> Tiling:
        """How the chart is cut for a printable area of `page_w` x `page_h` points."""

        def at(scale: float) -> Tiling:
            chart_w = page_w / scale - NAME_WIDTH
            chart_h = (page_h - TITLE_PT - FOOTER_PT) / scale - HEADER_HEIGHT
            days = max(1, int(chart_w // self.px))
            rows = max(1, int(chart_h // ROW_HEIGHT))
            total_days = self.end_o - self.first_o
            return Tiling(
                scale,
                rows,
                days,
                max(1, math.ceil(len(self.doc.rows) / rows)),
                max(1, math.ceil(total_days / days)),
            )

        best = at(SCREEN_SCALE)
        n = self.options.fit_pages
        if n is None or best.pages <= n:
            return best
        low, high = MIN_SCALE, SCREEN_SCALE
        if at(low).pages > n:
            return at(low)
        for _ in range(30):
            mid = (low + high) / 2
            if at(mid).pages <= n:
                low = mid
            else:
                high = mid
        return at(low)

    # -- drawing ------------------------------------------------------------------------------

    def render(self, device: QPagedPaintDevice) -> None:
        c = Canvas(device)
        tiling = self.tiling(c.width, c.height)
        self.printed = tiling
        colors = Colors.for_paper()
        painter_ = ChartPainter(
            document=self.doc,
            colors=colors,
            px=self.px,
            origin=self.first_o,
            today_o=self.today.toordinal(),
            font=c.font(9),
            small=c.font(8),
            show_critical=self.options.show_critical,
            show_baseline=self.options.show_baseline,
        )
        scale_colors = ScaleColors(
            background=QColor("#f3f6fa"), grid=RULE, text=INK, today=colors.today
        )
        first_page = True
        for pr in range(tiling.page_rows):
            for pc in range(tiling.page_columns):
                if not first_page:
                    device.newPage()
                first_page = False
                self._page(c, tiling, pr, pc, painter_, scale_colors)
        c.painter.end()

    def _page(
        self,
        c: Canvas,
        t: Tiling,
        pr: int,
        pc: int,
        chart: ChartPainter,
        scale_colors: ScaleColors,
    ) -> None:
        p = c.painter
        f = self.formats
        row0 = pr * t.rows_per_page
        row1 = min(len(self.doc.rows), row0 + t.rows_per_page)  # exclusive
        day0 = self.first_o + pc * t.days_per_page
        day1 = min(self.end_o, day0 + t.days_per_page)  # exclusive
        label = f"{pr + 1}/{pc + 1}"
        # Title band, in points.
        c.label(0, 0, c.width * 0.6, self.title, c.font(12, QFont.Weight.Bold), INK)
        dates = f"{f.date(date.fromordinal(day0))} {DASH} {f.date(date.fromordinal(day1 - 1))}"
        c.label(
            c.width * 0.4,
            2,
            c.width * 0.6,
            f"{dates}  ·  page {label}",
            c.font(9, QFont.Weight.DemiBold),
            MUTED,
            right=True,
        )
        # The chart area, in scene units.
        chart_x = (day0 - self.first_o) * self.px
        width = (day1 - day0) * self.px
        height = (row1 - row0) * ROW_HEIGHT
        top = row0 * ROW_HEIGHT
        p.save()
        p.translate(0, TITLE_PT)
        p.scale(t.scale, t.scale)
        # Date header over the chart columns.
        p.save()
        p.translate(NAME_WIDTH, 0)
        p.setClipRect(QRectF(0, 0, width, HEADER_HEIGHT))
        paint_timescale(
            p,
            width,
            HEADER_HEIGHT,
            lambda o: chart.x_of(o) - chart_x,
            day0,
            day1 - 1,
            self.px,
            scale_colors,
            chart.today_o,
            self.formats.month,
        )
        p.restore()
        # Task names beside the rows.
        p.fillRect(QRectF(0, 0, NAME_WIDTH, HEADER_HEIGHT), scale_colors.background)
        c.label(
            6,
            HEADER_HEIGHT / 2 - 6,
            NAME_WIDTH - 12,
            "Task",
            c.font(9, QFont.Weight.DemiBold),
            MUTED,
        )
        p.save()
        p.translate(0, HEADER_HEIGHT)
        self._names(c, row0, row1, chart.colors)
        # The chart itself: the screen's painter on this page's tile.
        p.translate(NAME_WIDTH - chart_x, -top)
        p.setClipRect(QRectF(chart_x, top, width, height))
        chart.paint(p, QRectF(chart_x, top, width, height))
        p.restore()
        p.setClipping(False)
        c.line(NAME_WIDTH, 0, NAME_WIDTH, HEADER_HEIGHT + height, RULE, 1)
        c.line(0, HEADER_HEIGHT + height, NAME_WIDTH + width, HEADER_HEIGHT + height, RULE, 1)
        p.restore()
        # Footer, in points.
        y = c.height - FOOTER_PT + 6
        c.line(0, y - 3, c.width, y - 3, RULE, 0.5)
        rows_text = f"rows {row0 + 1}{DASH}{row1} of {len(self.doc.rows)}"
        c.label(
            0,
            y,
            c.width / 2,
            f"{self.title}  ·  {rows_text}  ·  printed {f.date(self.today)}",
            c.font(7),
            MUTED,
        )
        c.label(
            c.width / 2,
            y,
            c.width / 2,
            f"Page {label} (row/column) of {t.page_rows}/{t.page_columns}",
            c.font(7, QFont.Weight.DemiBold),
            ACCENT,
            right=True,
        )

    def _names(self, c: Canvas, row0: int, row1: int, colors: Colors) -> None:
        doc = self.doc
        v = doc.schedule
        p = c.painter
        regular = c.font(9)
        bold = c.font(9, QFont.Weight.DemiBold)
        wbs_font = c.font(8)
        for r in range(row0, row1):
            y = (r - row0) * ROW_HEIGHT
            if r % 2:
                p.fillRect(QRectF(0, y, NAME_WIDTH, ROW_HEIGHT), colors.row_alt)
            node = doc.rows[r]
            depth = v.depth(node)
            indent = 6 + 12 * min(depth, 8)
            summary = v.is_summary(node)
            number = doc.wbs[node]
            c.label(indent, y + 7, 44, number, wbs_font, MUTED)
            name_x = indent + max(30.0, 6 + 5.2 * len(number))
            name_font = bold if summary else regular
            c.label(name_x, y + 6, NAME_WIDTH - name_x - 4, v.name(node), name_font)


def print_title(name: str, zoom: str) -> str:
    return f"{name} {DASH} timeline ({zoom})"
